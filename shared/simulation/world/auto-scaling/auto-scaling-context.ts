import type { SeededRandom } from '../../seeded-random';
import type { SimGroup } from './group-state';

/** What a launch template version launches, as far as Auto Scaling reads it. */
export interface LaunchedFromTemplate {
  readonly ImageId?: string;
  readonly InstanceType?: string;
  /** The AMI's architecture (DescribeImages), when the world knows the image; not an AWS member. */
  readonly imageArchitecture?: 'x86_64' | 'arm64';
}

/**
 * What every part of the simulated Auto Scaling shares: the virtual time, the seeded random
 * stream (launch jitter), the region, and the counters that mint instance IDs and UUIDs. IDs are
 * sequential, so the same calls in the same order give the same IDs.
 */
export class AutoScalingContext {
  /** The current virtual time, ms since the epoch; `SimulatedAutoScaling.advanceTo` moves it. */
  nowMs: number;
  /** Which of the named CloudWatch alarms are in ALARM now (a refresh's `AlarmSpecification`); none by default. */
  alarmsInAlarm: (names: readonly string[]) => readonly string[] = () => [];
  /**
   * What a launch template version launches (its AMI, `resolve:ssm:…` for an SSM alias, and its
   * instance type), when the world knows the template.
   */
  templateData: (templateId: string, version: string) => LaunchedFromTemplate | undefined = () => undefined;
  /**
   * Whether a launch template has a version (a number, `$Latest` or `$Default`); undefined when the
   * world does not hold the template, as by default (then nothing refuses a version it names).
   */
  templateVersionExists: (templateId: string, version: string) => boolean | undefined = () => undefined;
  /** Whether EC2 offers an instance type in a zone (DescribeInstanceTypeOfferings); every one by default. */
  offeredIn: (instanceType: string, zone: string) => boolean = () => true;
  private instanceCounter = 0;
  private idCounter = 0;

  constructor(
    private readonly random: SeededRandom,
    startMs: number,
    readonly region: string,
  ) {
    this.nowMs = startMs;
  }

  /** The next instance ID (`i-0` and 16 hex digits). */
  instanceId(): string {
    this.instanceCounter += 1;
    return `i-0${this.instanceCounter.toString(16).padStart(16, '0')}`;
  }

  /** The next UUID-shaped ID (activities, refreshes, ARNs). */
  uuid(): string {
    this.idCounter += 1;
    const hex = this.idCounter.toString(16).padStart(12, '0');
    return `5e1a0000-0000-4000-8000-${hex}`;
  }

  /** The group's Availability Zones: its spec's, or the region's a, b and c. */
  availabilityZones(group: SimGroup): readonly string[] {
    return group.spec.availabilityZones ?? [`${this.region}a`, `${this.region}b`, `${this.region}c`];
  }

  /** The zone of the `index`th instance: round robin over the group's zones. */
  azFor(group: SimGroup, index: number): string {
    const azs = this.availabilityZones(group);
    return azs[index % azs.length] as string;
  }

  /** A launch delay in ms: `baseSeconds` plus a seeded uniform draw in [0, jitterSeconds]. */
  launchDelayMs(baseSeconds: number, jitterSeconds: number): number {
    return Math.round((baseSeconds + this.random.next() * jitterSeconds) * 1000);
  }

  /** The `At <ISO time> <cause>.` text AWS puts in an activity's Cause. */
  causeNow(cause: string): string {
    return `At ${new Date(this.nowMs).toISOString()} ${cause}.`;
  }
}
