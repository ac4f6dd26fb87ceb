import {
  describeInstanceTypeOfferings,
  describeInstanceTypes,
  describeSpotPriceHistory,
} from './ec2-instance-type-answers';
import { Ec2LaunchTemplates, type LaunchTemplateData } from './ec2-launch-templates';
import { INSTANCE_TYPES } from './instance-types';
import { SimulatedAwsError, UnsupportedCommandError } from './simulated-aws-error';
import { OPERATION, type SimulatedOperatingSystem } from './simulated-pricing';

export type { LaunchTemplateData } from './ec2-launch-templates';

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

/**
 * The EC2 operations Prescale's adapters call (`shared/aws/ec2-*.ts`,
 * `auto-scaling-instance-type-applier.ts`), answered from state consistent with the simulated
 * groups: launch templates with numbered versions (image id, instance type) and tags (kept by
 * `Ec2LaunchTemplates`), images with their architecture, the instance types of `INSTANCE_TYPES`
 * offered in every zone, spot prices at a fixed fraction of on-demand, and scheduled events on the
 * groups' instances. Shapes and error codes follow the EC2 API reference
 * (`InvalidLaunchTemplateId.NotFound`, `InvalidLaunchTemplateId.VersionNotFound`,
 * `InvalidAMIID.NotFound`...).
 */
export class SimulatedEc2 {
  private readonly images = new Map<string, Image>();
  private readonly events: ScheduledInstanceEventSpec[] = [];
  /** `<type> <zone>` pairs EC2 does not offer. */
  private readonly withdrawn = new Set<string>();
  private readonly templates: Ec2LaunchTemplates;

  constructor(private readonly view: Ec2WorldView) {
    this.templates = new Ec2LaunchTemplates({
      get account() {
        return view.account;
      },
      nowMs: () => view.nowMs(),
      hasImage: (imageId) => this.images.has(imageId),
    });
  }

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
    this.templates.createLaunchTemplate(template);
  }

  /**
   * Adds a version (as an operator would, out of band): the source version's data with `data` over it.
   * @throws SimulatedAwsError MaxTemplateVersionLimitExceeded when the template has 10,000 versions.
   */
  addLaunchTemplateVersion(id: string, data: LaunchTemplateData, sourceVersion?: number): number {
    return this.templates.addLaunchTemplateVersion(id, data, sourceVersion);
  }

  /**
   * Deletes a version that is not the default (as an operator would with DeleteLaunchTemplateVersions).
   * @throws SimulatedAwsError as `Ec2LaunchTemplates.deleteLaunchTemplateVersion` tells.
   */
  deleteLaunchTemplateVersion(id: string, number: number): void {
    this.templates.deleteLaunchTemplateVersion(id, number);
  }

  /**
   * Whether the template has `version` (a number, `$Latest` or `$Default`), or undefined when the
   * world holds no template of that id (Auto Scaling's checks then cannot tell).
   */
  hasLaunchTemplateVersion(id: string, version: string): boolean | undefined {
    return this.templates.hasLaunchTemplateVersion(id, version);
  }

  /** The template's tags, or undefined when no such template exists (IAM reads `aws:ResourceTag/*` from them). */
  launchTemplateTags(id: string): Readonly<Record<string, string>> | undefined {
    return this.templates.launchTemplateTags(id);
  }

  /**
   * What a template version launches (`version` a number, `$Latest` or `$Default`, absent meaning
   * `$Default`), or undefined when the template (by id or name) or the version does not exist.
   */
  launchTemplateData(
    ref: { LaunchTemplateId?: string; LaunchTemplateName?: string },
    version?: string,
  ): LaunchTemplateData | undefined {
    return this.templates.launchTemplateData(ref, version);
  }

  /** Replaces a template's tags (as CreateTags/DeleteTags would). @throws SimulatedAwsError when it does not exist. */
  setLaunchTemplateTags(id: string, tags: Readonly<Record<string, string>>): void {
    this.templates.setLaunchTemplateTags(id, tags);
  }

  /** Schedules an event on an instance (AWS's retirement or maintenance notice). */
  scheduleInstanceEvent(event: ScheduledInstanceEventSpec): void {
    this.events.push(event);
  }

  /** Answers one EC2 command. @throws SimulatedAwsError as EC2 answers; UnsupportedCommand for others. */
  answer(commandName: string, i: Input): unknown {
    switch (commandName) {
      case 'DescribeLaunchTemplateVersionsCommand':
        return this.templates.describeLaunchTemplateVersions(i);
      case 'CreateLaunchTemplateVersionCommand':
        return this.templates.createLaunchTemplateVersion(i);
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
