import { isDeepStrictEqual } from 'node:util';
import { INSTANCE_TYPES } from './instance-types';
import { SimulatedAwsError } from './simulated-aws-error';
import type { InstanceProfileRef } from './simulated-iam';

/** What a launch template version launches (the members Prescale reads and writes). */
export interface LaunchTemplateData {
  readonly ImageId?: string;
  readonly InstanceType?: string;
  /** The instance profile its instances get (Auto Scaling asks the caller for `iam:PassRole` on its role). */
  readonly IamInstanceProfile?: InstanceProfileRef;
  /** Tags applied at launch (Auto Scaling asks the caller for `ec2:CreateTags` on those resource types). */
  readonly TagSpecifications?: readonly {
    readonly ResourceType: string;
    readonly Tags: readonly { readonly Key: string; readonly Value: string }[];
  }[];
}

interface TemplateVersion {
  readonly number: number;
  readonly data: LaunchTemplateData;
  readonly description?: string;
  readonly createdMs: number;
}

interface Template {
  readonly id: string;
  readonly name: string;
  tags: Readonly<Record<string, string>>;
  /** Its versions, in creation order; a deleted one is gone, so a version is found by its number. */
  versions: TemplateVersion[];
  defaultVersion: number;
  /** The highest number it ever gave a version: a new one gets the next, a deleted one's is not reused. */
  lastNumber: number;
}

/** What the launch templates read of the world (a part of the simulated EC2's view and state). */
interface TemplatesWorld {
  readonly account: string;
  nowMs(): number;
  /** Whether EC2 holds the image (a new version's `ImageId` must name one, or an SSM alias). */
  hasImage(imageId: string): boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: SDK command inputs, validated against the model before they arrive.
type Input = Record<string, any>;

const VERSION_NUMBER = /^[0-9]+$/;

/**
 * The simulated EC2's launch templates: each with its tags and numbered versions (a deleted one's
 * number never reused), `$Latest` and `$Default` resolved as EC2 does, and the two commands that
 * read and write versions (DescribeLaunchTemplateVersions, CreateLaunchTemplateVersion). A new
 * version's `ClientToken` is honoured as EC2 does: the same token and request answer the version it
 * created, another request with it is `IdempotentParameterMismatch` (tokens are kept for the whole
 * simulation; each selection run sends its own).
 */
export class Ec2LaunchTemplates {
  private readonly templates = new Map<string, Template>();
  /** CreateLaunchTemplateVersion's client tokens: the request each came with and the version it made. */
  private readonly clientTokens = new Map<string, { request: Input; templateId: string; version: number }>();

  constructor(private readonly world: TemplatesWorld) {}

  /** Creates a launch template with version 1 (its default). @throws RangeError when the id exists. */
  createLaunchTemplate(template: {
    id: string;
    name: string;
    tags?: Readonly<Record<string, string>>;
    data: LaunchTemplateData;
  }): void {
    if (this.templates.has(template.id))
      throw new RangeError(`launch template ${template.id} exists already`);
    this.templates.set(template.id, {
      id: template.id,
      name: template.name,
      tags: { ...(template.tags ?? {}) },
      versions: [{ number: 1, data: template.data, createdMs: this.world.nowMs() }],
      defaultVersion: 1,
      lastNumber: 1,
    });
  }

  /**
   * Adds a version (as an operator would, out of band): the source version's data with `data` over it.
   * @throws SimulatedAwsError MaxTemplateVersionLimitExceeded when the template has 10,000 versions.
   */
  addLaunchTemplateVersion(id: string, data: LaunchTemplateData, sourceVersion?: number): number {
    const template = this.template(id);
    const source = sourceVersion === undefined ? undefined : this.version(template, String(sourceVersion));
    const number = nextVersionNumber(template);
    template.versions.push({ number, data: { ...source?.data, ...data }, createdMs: this.world.nowMs() });
    return number;
  }

  /**
   * Deletes a version (as an operator would with DeleteLaunchTemplateVersions): "You can't delete
   * the default version of a launch template; you must first assign a different version as the
   * default" (EC2 API reference). Its number is not given to a later version.
   * @throws SimulatedAwsError as the API reports the version in UnsuccessfullyDeletedLaunchTemplateVersions:
   *   `launchTemplateVersionDoesNotExist` for a missing one; for the default one, `unexpectedError`
   *   (ResponseError lists no code of its own for it; which one AWS gives is unconfirmed).
   */
  deleteLaunchTemplateVersion(id: string, number: number): void {
    const template = this.template(id);
    if (!template.versions.some((v) => v.number === number))
      throw new SimulatedAwsError(
        'launchTemplateVersionDoesNotExist',
        `The specified launch template version ${number} of launch template ${id} does not exist.`,
      );
    if (number === template.defaultVersion)
      throw new SimulatedAwsError(
        'unexpectedError',
        `Version ${number} is the default version of launch template ${id}: it cannot be deleted.`,
      );
    template.versions = template.versions.filter((v) => v.number !== number);
  }

  /**
   * Whether the template has `version` (a number, `$Latest` or `$Default`), or undefined when the
   * world holds no template of that id (Auto Scaling's checks then cannot tell).
   */
  hasLaunchTemplateVersion(id: string, version: string): boolean | undefined {
    return this.templates.has(id)
      ? this.launchTemplateData({ LaunchTemplateId: id }, version) !== undefined
      : undefined;
  }

  /** The template's tags, or undefined when no such template exists (IAM reads `aws:ResourceTag/*` from them). */
  launchTemplateTags(id: string): Readonly<Record<string, string>> | undefined {
    return this.templates.get(id)?.tags;
  }

  /**
   * What a template version launches (`version` a number, `$Latest` or `$Default`, absent meaning
   * `$Default` as in a group's launch template specification), or undefined when the template
   * (by id or name) or the version does not exist.
   */
  launchTemplateData(ref: { LaunchTemplateId?: string; LaunchTemplateName?: string }, version?: string) {
    const template = ref.LaunchTemplateId
      ? this.templates.get(ref.LaunchTemplateId)
      : [...this.templates.values()].find((t) => t.name === ref.LaunchTemplateName);
    if (!template) return undefined;
    try {
      return this.version(template, version ?? '$Default').data;
    } catch (error) {
      if (error instanceof SimulatedAwsError) return undefined;
      throw error;
    }
  }

  /** Replaces a template's tags (as CreateTags/DeleteTags would). @throws SimulatedAwsError when it does not exist. */
  setLaunchTemplateTags(id: string, tags: Readonly<Record<string, string>>): void {
    this.template(id).tags = { ...tags };
  }

  /** Answers DescribeLaunchTemplateVersions. @throws SimulatedAwsError as EC2 answers. */
  describeLaunchTemplateVersions(i: Input): unknown {
    const template = this.templateOf(i);
    const versions: string[] = i.Versions?.length
      ? i.Versions
      : template.versions.map((v) => String(v.number));
    return {
      LaunchTemplateVersions: versions.map((v) => this.describeVersion(template, this.version(template, v))),
    };
  }

  /** Answers CreateLaunchTemplateVersion. @throws SimulatedAwsError as EC2 answers. */
  createLaunchTemplateVersion(i: Input): unknown {
    const { ClientToken: token, DryRun: _dryRun, ...request } = i;
    const earlier = token ? this.clientTokens.get(String(token)) : undefined;
    if (earlier) {
      // "If you retry a request using the same client token but one or more parameters are
      // different, the retry fails with an IdempotentParameterMismatch error" (EC2 API reference,
      // Ensuring idempotency); the same request answers the version the first one created.
      if (!isDeepStrictEqual(earlier.request, request))
        throw new SimulatedAwsError(
          'IdempotentParameterMismatch',
          `The client token '${token}' was already used with different parameters.`,
        );
      const template = this.template(earlier.templateId);
      return {
        LaunchTemplateVersion: this.describeVersion(
          template,
          this.version(template, String(earlier.version)),
        ),
      };
    }
    const template = this.templateOf(i);
    const source = i.SourceVersion ? this.version(template, String(i.SourceVersion)) : undefined;
    const data: LaunchTemplateData = { ...source?.data, ...(i.LaunchTemplateData ?? {}) };
    if (data.InstanceType && !INSTANCE_TYPES[data.InstanceType])
      throw new SimulatedAwsError(
        'InvalidParameterValue',
        `Invalid value '${data.InstanceType}' for InstanceType. The simulated EC2 offers ${Object.keys(INSTANCE_TYPES).join(', ')}.`,
      );
    if (data.ImageId && !data.ImageId.startsWith('resolve:ssm:') && !this.world.hasImage(data.ImageId))
      throw new SimulatedAwsError('InvalidAMIID.NotFound', `The image id '[${data.ImageId}]' does not exist`);
    const number = nextVersionNumber(template);
    const version: TemplateVersion = {
      number,
      data,
      ...(i.VersionDescription ? { description: String(i.VersionDescription) } : {}),
      createdMs: this.world.nowMs(),
    };
    template.versions.push(version);
    if (token) this.clientTokens.set(String(token), { request, templateId: template.id, version: number });
    return { LaunchTemplateVersion: this.describeVersion(template, version) };
  }

  private template(id: string | undefined): Template {
    const found = id ? this.templates.get(id) : undefined;
    if (!found)
      throw new SimulatedAwsError(
        'InvalidLaunchTemplateId.NotFound',
        `The specified launch template, with template ID ${id}, does not exist.`,
      );
    return found;
  }

  private templateOf(i: Input): Template {
    if (i.LaunchTemplateId) return this.template(i.LaunchTemplateId);
    const byName = [...this.templates.values()].find((t) => t.name === i.LaunchTemplateName);
    if (!byName)
      throw new SimulatedAwsError(
        'InvalidLaunchTemplateName.NotFoundException',
        `The specified launch template, with template name ${i.LaunchTemplateName}, does not exist.`,
      );
    return byName;
  }

  private version(template: Template, version: string): TemplateVersion {
    const number =
      version === '$Latest'
        ? Math.max(...template.versions.map((v) => v.number))
        : version === '$Default'
          ? template.defaultVersion
          : VERSION_NUMBER.test(version)
            ? Number(version)
            : Number.NaN;
    const found = template.versions.find((v) => v.number === number);
    if (!found)
      throw new SimulatedAwsError(
        'InvalidLaunchTemplateId.VersionNotFound',
        `Could not find launch template version ${version} for launch template ${template.id}.`,
      );
    return found;
  }

  private describeVersion(template: Template, v: TemplateVersion) {
    return {
      LaunchTemplateId: template.id,
      LaunchTemplateName: template.name,
      VersionNumber: v.number,
      ...(v.description ? { VersionDescription: v.description } : {}),
      CreateTime: new Date(v.createdMs),
      CreatedBy: `arn:aws:iam::${this.world.account}:root`,
      DefaultVersion: v.number === template.defaultVersion,
      LaunchTemplateData: { ...v.data },
    };
  }
}

/**
 * "Up to 10,000 versions per launch template" (EC2 User Guide, Restrictions for launch templates;
 * an account's quota may differ, which the simulation does not model).
 */
const MAX_VERSIONS_PER_TEMPLATE = 10_000;

/**
 * The number a new version of `template` gets.
 * @throws SimulatedAwsError MaxTemplateVersionLimitExceeded, as EC2 refuses it (EC2 API reference,
 *   Error codes), when the template has its 10,000 versions already.
 */
function nextVersionNumber(template: Template): number {
  if (template.versions.length >= MAX_VERSIONS_PER_TEMPLATE)
    throw new SimulatedAwsError(
      'MaxTemplateVersionLimitExceeded',
      `You've reached the limit on the number of launch template versions that you can create: ${MAX_VERSIONS_PER_TEMPLATE}.`,
    );
  template.lastNumber += 1;
  return template.lastNumber;
}
