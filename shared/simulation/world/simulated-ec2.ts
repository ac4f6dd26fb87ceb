import { isDeepStrictEqual } from 'node:util';
import {
  describeInstanceTypeOfferings,
  describeInstanceTypes,
  describeSpotPriceHistory,
} from './ec2-instance-type-answers';
import { INSTANCE_TYPES } from './instance-types';
import { SimulatedAwsError, UnsupportedCommandError } from './simulated-aws-error';
import type { InstanceProfileRef } from './simulated-iam';
import { OPERATION, type SimulatedOperatingSystem } from './simulated-pricing';

/**
 * The `PlatformDetails` of an image billed as each OS (EC2 User Guide, "AMI billing information
 * fields"); its `UsageOperation` is the price list's `OPERATION`.
 */
const PLATFORM_DETAILS: Readonly<Record<SimulatedOperatingSystem, string>> = {
  Linux: 'Linux/UNIX',
  Windows: 'Windows',
  RHEL: 'Red Hat Enterprise Linux',
  SUSE: 'SUSE Linux',
};

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

interface Image {
  readonly imageId: string;
  readonly name: string;
  readonly architecture: 'x86_64' | 'arm64';
  /** What the image is billed as. */
  readonly platform: SimulatedOperatingSystem;
  readonly createdMs: number;
}

/** A scheduled event on one instance, as DescribeInstanceStatus reports it. */
export interface ScheduledInstanceEventSpec {
  readonly instanceId: string;
  readonly code:
    | 'instance-retirement'
    | 'instance-stop'
    | 'instance-reboot'
    | 'system-reboot'
    | 'system-maintenance';
  readonly notBeforeMs: number;
  readonly description?: string;
}

/** A running instance the EC2 view knows (the world lists them from its groups). */
export interface Ec2Instance {
  readonly instanceId: string;
  readonly availabilityZone: string;
}

/** How the simulated EC2 sees the rest of the world. */
export interface Ec2WorldView {
  readonly region: string;
  readonly account: string;
  nowMs(): number;
  /** Every running instance (Pending or InService) of every group. */
  instances(): readonly Ec2Instance[];
  /** The region's availability zones. */
  availabilityZones(): readonly string[];
}

// biome-ignore lint/suspicious/noExplicitAny: SDK command inputs, validated against the model before they arrive.
type Input = Record<string, any>;

const VERSION_NUMBER = /^[0-9]+$/;

/**
 * The EC2 operations Prescale's adapters call (`shared/aws/ec2-*.ts`,
 * `auto-scaling-instance-type-applier.ts`), answered from state consistent with the simulated
 * groups: launch templates with numbered versions (image id, instance type) and tags, images with
 * their architecture, the instance types of `INSTANCE_TYPES` offered in every zone, spot prices at
 * a fixed fraction of on-demand, and scheduled events on the groups' instances. A new version's
 * `ClientToken` is honoured as EC2 does: the same token and request answer the version it created,
 * another request with it is `IdempotentParameterMismatch` (tokens are kept for the whole
 * simulation; each selection run sends its own). Shapes and error
 * codes follow the EC2 API reference (`InvalidLaunchTemplateId.NotFound`,
 * `InvalidLaunchTemplateId.VersionNotFound`, `InvalidAMIID.NotFound`...).
 */
export class SimulatedEc2 {
  private readonly templates = new Map<string, Template>();
  private readonly images = new Map<string, Image>();
  private readonly events: ScheduledInstanceEventSpec[] = [];
  /** `<type> <zone>` pairs EC2 does not offer. */
  private readonly withdrawn = new Set<string>();
  /** CreateLaunchTemplateVersion's client tokens: the request each came with and the version it made. */
  private readonly clientTokens = new Map<string, { request: Input; templateId: string; version: number }>();

  constructor(private readonly view: Ec2WorldView) {}

  /**
   * Registers an image billed as `platform` (@default Linux); returns its id.
   * @throws RangeError when the id exists.
   */
  registerImage(image: {
    imageId: string;
    name: string;
    architecture: 'x86_64' | 'arm64';
    platform?: SimulatedOperatingSystem;
  }): string {
    if (this.images.has(image.imageId)) throw new RangeError(`image ${image.imageId} exists already`);
    this.images.set(image.imageId, { platform: 'Linux', ...image, createdMs: this.view.nowMs() });
    return image.imageId;
  }

  /** Stops offering `instanceType` in `zone`, as EC2 offers some types in some zones only. */
  withdrawOffering(instanceType: string, zone: string): void {
    this.withdrawn.add(`${instanceType} ${zone}`);
  }

  /** Whether EC2 offers `instanceType` in `zone`: a type of `INSTANCE_TYPES` not withdrawn there. */
  offers(instanceType: string, zone: string): boolean {
    return Boolean(INSTANCE_TYPES[instanceType]) && !this.withdrawn.has(`${instanceType} ${zone}`);
  }

  /** The architecture of a registered image, or undefined for an unknown id (an SSM alias among them). */
  imageArchitecture(imageId: string): 'x86_64' | 'arm64' | undefined {
    return this.images.get(imageId)?.architecture;
  }

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
      versions: [{ number: 1, data: template.data, createdMs: this.view.nowMs() }],
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
    template.versions.push({ number, data: { ...source?.data, ...data }, createdMs: this.view.nowMs() });
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

  /** Schedules an event on an instance (AWS's retirement or maintenance notice). */
  scheduleInstanceEvent(event: ScheduledInstanceEventSpec): void {
    this.events.push(event);
  }

  /** Answers one EC2 command. @throws SimulatedAwsError as EC2 answers; UnsupportedCommand for others. */
  answer(commandName: string, i: Input): unknown {
    switch (commandName) {
      case 'DescribeLaunchTemplateVersionsCommand':
        return this.describeLaunchTemplateVersions(i);
      case 'CreateLaunchTemplateVersionCommand':
        return this.createLaunchTemplateVersion(i);
      case 'DescribeImagesCommand':
        return this.describeImages(i);
      case 'DescribeInstanceTypesCommand':
        return describeInstanceTypes(i);
      case 'DescribeInstanceTypeOfferingsCommand':
        return describeInstanceTypeOfferings(i, this.view, (type, zone) => this.offers(type, zone));
      case 'DescribeSpotPriceHistoryCommand':
        return describeSpotPriceHistory(i, this.view);
      case 'DescribeInstanceStatusCommand':
        return this.describeInstanceStatus(i);
      default:
        throw new UnsupportedCommandError('ec2', commandName);
    }
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
      CreatedBy: `arn:aws:iam::${this.view.account}:root`,
      DefaultVersion: v.number === template.defaultVersion,
      LaunchTemplateData: { ...v.data },
    };
  }

  private describeLaunchTemplateVersions(i: Input): unknown {
    const template = this.templateOf(i);
    const versions: string[] = i.Versions?.length
      ? i.Versions
      : template.versions.map((v) => String(v.number));
    return {
      LaunchTemplateVersions: versions.map((v) => this.describeVersion(template, this.version(template, v))),
    };
  }

  private createLaunchTemplateVersion(i: Input): unknown {
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
    if (data.ImageId && !data.ImageId.startsWith('resolve:ssm:') && !this.images.has(data.ImageId))
      throw new SimulatedAwsError('InvalidAMIID.NotFound', `The image id '[${data.ImageId}]' does not exist`);
    const number = nextVersionNumber(template);
    const version: TemplateVersion = {
      number,
      data,
      ...(i.VersionDescription ? { description: String(i.VersionDescription) } : {}),
      createdMs: this.view.nowMs(),
    };
    template.versions.push(version);
    if (token) this.clientTokens.set(String(token), { request, templateId: template.id, version: number });
    return { LaunchTemplateVersion: this.describeVersion(template, version) };
  }

  private describeImages(i: Input): unknown {
    const ids: string[] = i.ImageIds ?? [...this.images.keys()];
    const missing = ids.filter((id) => !this.images.has(id));
    if (missing.length > 0)
      throw new SimulatedAwsError(
        'InvalidAMIID.NotFound',
        `The image id '[${missing.join(', ')}]' does not exist`,
      );
    return {
      Images: ids.map((id) => {
        const image = this.images.get(id) as Image;
        return {
          ImageId: image.imageId,
          Name: image.name,
          Architecture: image.architecture,
          CreationDate: new Date(image.createdMs).toISOString(),
          ImageLocation: `${this.view.account}/${image.name}`,
          ImageType: 'machine',
          Public: false,
          OwnerId: this.view.account,
          // Windows images alone have a Platform (`windows`); every image its billing platform.
          ...(image.platform === 'Windows' ? { Platform: 'windows' } : {}),
          PlatformDetails: PLATFORM_DETAILS[image.platform],
          UsageOperation: OPERATION[image.platform],
          State: 'available',
          RootDeviceName: '/dev/xvda',
          RootDeviceType: 'ebs',
          VirtualizationType: 'hvm',
          Hypervisor: 'xen',
          EnaSupport: true,
          BootMode: 'uefi-preferred',
        };
      }),
    };
  }

  private describeInstanceStatus(i: Input): unknown {
    const codes: string[] | undefined = (i.Filters ?? []).find((f: Input) => f.Name === 'event.code')?.Values;
    const ids: string[] | undefined = i.InstanceIds?.length ? i.InstanceIds : undefined;
    const running = this.view.instances().filter((x) => !ids || ids.includes(x.instanceId));
    const withEvents = running.map((x) => ({
      instance: x,
      events: this.events.filter((e) => e.instanceId === x.instanceId && (!codes || codes.includes(e.code))),
    }));
    const listed = withEvents.filter((x) => !codes || x.events.length > 0);
    const ok = { Status: 'ok', Details: [{ Name: 'reachability', Status: 'passed' }] };
    return {
      InstanceStatuses: listed.map(({ instance, events }) => ({
        InstanceId: instance.instanceId,
        AvailabilityZone: instance.availabilityZone,
        InstanceState: { Code: 16, Name: 'running' },
        InstanceStatus: ok,
        SystemStatus: ok,
        Events: events.map((e, n) => ({
          InstanceEventId: `instance-event-0${(n + 1).toString(16).padStart(16, '0')}`,
          Code: e.code,
          Description: e.description ?? `The instance is scheduled for ${e.code.replace('-', ' ')}`,
          NotBefore: new Date(e.notBeforeMs),
          NotAfter: new Date(e.notBeforeMs + 7 * 86_400_000),
        })),
      })),
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
