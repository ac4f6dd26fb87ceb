import type { CronSchedule } from '../../../core/planning/cron-schedule';
import type { RefreshStatus } from '../../../core/rolling-update/types';
import type { SimulatedOperatingSystem } from '../simulated-pricing';
import type { MixedInstances, MixedInstancesSpec } from './mixed-instances';

/** The AWS/AutoScaling group metrics the world publishes for a group that collects them. */
export const PUBLISHED_GROUP_METRICS = [
  'GroupInServiceInstances',
  'GroupDesiredCapacity',
  'GroupPendingInstances',
  'GroupTerminatingInstances',
  'GroupTotalInstances',
] as const;
export type PublishedGroupMetric = (typeof PUBLISHED_GROUP_METRICS)[number];

/** The group metrics a group's spec collects (`GroupSpec.groupMetricsCollection`), in publishing order. */
export function collectedGroupMetrics(
  spec: Pick<GroupSpec, 'groupMetricsCollection'> | undefined,
): readonly PublishedGroupMetric[] {
  const collection = spec?.groupMetricsCollection ?? true;
  if (typeof collection === 'boolean') return collection ? PUBLISHED_GROUP_METRICS : [];
  return PUBLISHED_GROUP_METRICS.filter((m) => collection.includes(m));
}

/** How a simulated group is built; times are seconds of virtual time. */
export interface GroupSpec {
  readonly name: string;
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredCapacity: number;
  readonly instanceType: string;
  readonly availabilityZones?: readonly string[];
  readonly tags?: Readonly<Record<string, string>>;
  /** What the image its launch template launches is billed as (DescribeImages `PlatformDetails`). @default 'Linux' */
  readonly imagePlatform?: SimulatedOperatingSystem;
  /** The group's launch template ID (`lt-` and 17 hex digits). @default derived from the name */
  readonly launchTemplateId?: string;
  /**
   * The role its launch template gives instances through an instance profile (created with the
   * template; PassRole is asked on its ARN, never by its tags). Absent: no instance profile.
   */
  readonly instanceRole?: { readonly name: string; readonly tags?: Readonly<Record<string, string>> };
  /** The version the group names: explicit (`1`), or `$Default`/`$Latest` resolved at launch. @default 1 */
  readonly launchTemplateVersion?: string;
  /** Launch request to InService (boot, user data, health check grace). */
  readonly launchDelaySeconds: number;
  /** Extra launch delay drawn uniformly from [0, jitter] per instance (seeded). */
  readonly launchJitterSeconds: number;
  /** The group's DefaultInstanceWarmup: an InService instance serves and reports metrics after it. */
  readonly warmupSeconds: number;
  /** Warm pool (stopped, pre-initialised) instance to InService. */
  readonly warmPoolLaunchSeconds: number;
  /** A target-tracking policy on ASGAverageCPUUtilization with this target, if any. */
  readonly targetTrackingCpu?: number;
  /**
   * False for a target-tracking policy that is disabled (`Enabled: false`): listed, and it scales
   * nothing. @default true
   */
  readonly targetTrackingEnabled?: boolean;
  /** True for a target-tracking policy that never scales in (`DisableScaleIn`). @default false */
  readonly targetTrackingDisableScaleIn?: boolean;
  /**
   * Lists a predictive scaling policy in DescribePolicies (the ec2-predictive run; the simulation
   * runs its forecast outside the world).
   */
  readonly predictiveScaling?: boolean;
  /** The listed predictive scaling policy's mode. @default 'ForecastAndScale' */
  readonly predictiveScalingMode?: 'ForecastOnly' | 'ForecastAndScale';
  readonly warmPool?: { readonly minSize: number; readonly maxGroupPreparedCapacity?: number };
  /**
   * A mixed instances policy on the group's launch template: its overrides' types in priority
   * order (launched as its On-Demand allocation strategy says: `launchOrder`), their weights when
   * it has any (then the sizes are in capacity units) and its distribution.
   */
  readonly mixedInstances?: MixedInstancesSpec;
  /** Launch template versions whose instances never pass health checks (to make a refresh fail). */
  readonly unhealthyLaunchTemplateVersions?: readonly string[];
  /** Capacity units InService and warmed at creation (instances without weights). @default desiredCapacity */
  readonly initialInService?: number;
  /**
   * Fault-injection hook (`shared/simulation/faults`): EC2 has no capacity for a new (not
   * warm-pool) instance of `instanceType` at `nowMs` when it returns true. A mixed group then tries
   * its next type (`launchOrder`); when none is left the launch fails with
   * InsufficientInstanceCapacity, desired stays, and the group retries on its next reconcile.
   * Absent: every launch succeeds.
   */
  readonly launchFails?: (nowMs: number, instanceType: string) => boolean;
  /**
   * False for a group whose metrics collection is off (Auto Scaling's default until enabled): no
   * EnabledMetrics, and none of the AWS/AutoScaling group metrics in CloudWatch. A list for one
   * enabled with EnableMetricsCollection's `Metrics`: only those, in EnabledMetrics and CloudWatch.
   * @default true (every group metric the world publishes, `PUBLISHED_GROUP_METRICS`)
   */
  readonly groupMetricsCollection?: boolean | readonly PublishedGroupMetric[];
  /**
   * False for a group whose launch template leaves detailed monitoring off (EC2's default for a
   * launch template): its `CPUUtilization` has one datapoint per 5 minutes (`Ec2CpuMonitoring`).
   * @default true (per-minute CPU, what the benchmarks were measured on)
   */
  readonly detailedMonitoring?: boolean;
  /**
   * The deregistration delay of the target group the group is attached to, in seconds: an
   * InService instance that scale-in takes is deregistered and stays `Terminating`, draining and
   * still reporting CPU, for this long before EC2 terminates it (`connection-draining.ts`).
   * Absent or 0: no load balancer delay, terminated at once (what the benchmarks were measured on).
   */
  readonly deregistrationDelaySeconds?: number;
  /**
   * Lifecycle hooks, each held for its whole timeout (no one completes the action early).
   * `launchingSeconds` (EC2_INSTANCE_LAUNCHING): a booted instance waits `Pending:Wait` this long
   * before InService, running its bootstrap at `launchingCpuPct` % CPU (default 0), which EC2
   * averages into the group's CPU though it serves nothing. `terminatingSeconds`
   * (EC2_INSTANCE_TERMINATING): an InService instance scale-in takes waits `Terminating:Wait` this
   * long after its drain, running and idle, before EC2 terminates it. Absent: no hooks.
   */
  readonly lifecycleHooks?: {
    readonly launchingSeconds?: number;
    readonly launchingCpuPct?: number;
    readonly terminatingSeconds?: number;
  };
}

/** Lifecycle states the simulation models: in the group, or in its warm pool. */
export type InstanceState =
  | 'Pending'
  | 'InService'
  | 'Terminating'
  | 'Warmed:Pending'
  | 'Warmed:Stopped'
  | 'Warmed:Running'
  | 'Warmed:Hibernated';

/** One instance of a simulated group; times are milliseconds of virtual time. */
export interface SimInstance {
  readonly id: string;
  state: InstanceState;
  readonly launchedAtMs: number;
  inServiceAtMs: number;
  /** InService and past warmup: serves load from here on (if its version is healthy). */
  readyAtMs: number;
  /** The launch template version it was launched from. */
  readonly version: string;
  /** The type it was launched as (a mixed group's first override at the time). */
  readonly instanceType: string;
  /** Its type's `WeightedCapacity` at launch in a group with weights (`unitsOf`); absent without weights. */
  readonly weightedCapacity?: number;
  readonly az: string;
  /** Set by SetInstanceProtection: scale-in leaves it, a refresh treats it by its preference. */
  protectedFromScaleIn?: boolean;
  /** Its launch activity, settled when it reaches InService or is terminated first. */
  activity?: Activity;
  /**
   * While `Terminating`: when its target group's deregistration delay began and ends (`untilMs`,
   * equal to `sinceMs` without one), and when its termination hook lets EC2 terminate it.
   */
  draining?: {
    readonly sinceMs: number;
    readonly untilMs: number;
    readonly terminatedAtMs: number;
    readonly activity: Activity;
  };
  /** Under a launch hook: when it has booted and waits `Pending:Wait` (until `inServiceAtMs`). */
  pendingWaitFromMs?: number;
}

/**
 * The lifecycle state AWS shows for `i` at `nowMs`: a Pending instance past its boot under a
 * launch hook is `Pending:Wait`, a Terminating one past its drain under a termination hook
 * `Terminating:Wait`; the simulation counts them as Pending and Terminating.
 */
export function lifecycleStateOf(i: SimInstance, nowMs: number): string {
  if (i.state === 'Pending' && i.pendingWaitFromMs !== undefined && i.pendingWaitFromMs <= nowMs)
    return 'Pending:Wait';
  if (i.state === 'Terminating' && i.draining && i.draining.untilMs <= nowMs) return 'Terminating:Wait';
  return i.state;
}

/** A scaling activity in the shape DescribeScalingActivities returns. */
export interface Activity {
  ActivityId: string;
  AutoScalingGroupName: string;
  AutoScalingGroupARN: string;
  Description: string;
  Cause: string;
  StartTime: Date;
  EndTime?: Date;
  StatusCode:
    | 'InProgress'
    | 'Successful'
    | 'Failed'
    | 'PreInService'
    | 'WaitingForELBConnectionDraining'
    | 'MidLifecycleAction';
  StatusMessage?: string;
  Progress: number;
  Details: string;
}

/** A scheduled action: one-time (`startMs` only) or recurring (`cron`, between start and end). */
export interface ScheduledAction {
  name: string;
  arn: string;
  startMs?: number;
  endMs?: number;
  recurrence?: string;
  cron?: CronSchedule;
  minSize?: number;
  maxSize?: number;
  desiredCapacity?: number;
}

/** A scheduled action that failed when it fired (its Failed "Executing scheduled action" activity). */
export interface FailedScheduledAction {
  readonly name: string;
  /** The minute it fired. */
  readonly firedAtMs: number;
  /** Why Auto Scaling could not apply it (the activity's StatusMessage). */
  readonly message: string;
}

/** Instance refresh statuses: the same type the rolling-update decisions use. */
export type { RefreshStatus };

/** An instance refresh and its progress; a rollback swaps target and previous version. */
export interface InstanceRefresh {
  readonly id: string;
  status: RefreshStatus;
  statusReason?: string;
  readonly startMs: number;
  endMs?: number;
  readonly minHealthyPercentage: number;
  readonly maxHealthyPercentage: number;
  readonly instanceWarmupSeconds: number;
  readonly checkpointPercentages: readonly number[];
  readonly checkpointDelaySeconds: number;
  readonly autoRollback: boolean;
  /** Whether it was started with a DesiredConfiguration: without one it cannot be rolled back. */
  readonly hasDesiredConfiguration: boolean;
  readonly skipMatching: boolean;
  /** `ScaleInProtectedInstances`: replace them, leave them, or wait an hour for their protection to go (the default). */
  readonly scaleInProtectedInstances: 'Refresh' | 'Ignore' | 'Wait';
  /** Since when only protected instances are left to replace, under `Wait`. */
  protectedWaitSinceMs?: number;
  /** CloudWatch alarms watched (`AlarmSpecification`): one in ALARM fails the refresh, or rolls it back. */
  readonly alarms: readonly string[];
  targetVersion: string;
  previousVersion: string;
  /** A desired configuration's mixed instances policy and the one it replaced (swapped on rollback). */
  mixedPolicies?: { target: MixedInstances; previous?: MixedInstances };
  instancesToUpdate: number;
  replaced: number;
  /** Replacements launched and not yet healthy past the refresh's warmup. */
  inFlight: Set<string>;
  /**
   * Outdated instances whose replacements launched first, in the room MaxHealthyPercentage gives
   * above desired capacity: they serve until the batch's replacements are healthy, then go. They
   * count for no capacity meanwhile (`reconcile` neither replaces nor scales them in).
   */
  readonly leaving: Set<string>;
  checkpointUntilMs?: number;
  nextCheckpoint: number;
  /** `BakeTime`: seconds it waits, `Baking`, once every instance is replaced, before it succeeds. */
  readonly bakeTimeSeconds: number;
  /** When the bake ends (set as it starts baking). */
  bakeUntilMs?: number;
  rollback?: { reason: string; startMs: number; percentageComplete: number; instancesToUpdate: number };
}

/** The warm pool's configuration as PutWarmPool left it. */
export interface WarmPoolConfig {
  minSize: number;
  maxGroupPreparedCapacity?: number;
  poolState: string;
  /** `InstanceReusePolicy.ReuseOnScaleIn`: scale-in returns InService instances to the pool. */
  reuseOnScaleIn?: boolean;
}

/** The whole mutable state of one simulated group. */
export interface SimGroup {
  readonly spec: GroupSpec;
  readonly arn: string;
  readonly createdMs: number;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  readonly tags: Map<string, string>;
  /** Keys of the tags set with `PropagateAtLaunch: false` (the spec's own tags propagate). */
  readonly unpropagatedTagKeys: Set<string>;
  readonly suspended: Set<string>;
  instances: SimInstance[];
  /** The launch template version new instances launch from. */
  version: string;
  /** Its mixed instances policy, when it has one (UpdateAutoScalingGroup may add or replace it). */
  mixed?: MixedInstances;
  /**
   * The group's own settings while a refresh with a desired configuration runs: new instances
   * launch the desired configuration (`version`, `mixed`), but AWS updates the group's settings
   * only once the refresh succeeds, so Describe reports these and the group returns to them when
   * it fails, is cancelled or is rolled back. Unset when no such refresh is active.
   */
  savedSettings?: { readonly version: string; readonly mixed?: MixedInstances };
  /** Launch template versions whose instances never pass health checks. */
  readonly unhealthy: Set<string>;
  activities: Activity[];
  readonly scheduled: Map<string, ScheduledAction>;
  /** Every scheduled action that failed when it fired, oldest first (kept whole: `activities` is trimmed). */
  readonly failedScheduledActions: FailedScheduledAction[];
  warmPool?: WarmPoolConfig;
  /** Newest first. */
  refreshes: InstanceRefresh[];
  lastScheduleCheckMs: number;
  /** When DeleteAutoScalingGroup began: the group is pending delete from then on (`deleteGroup`). */
  deletingSinceMs?: number;
}

/** Counts of one group at one instant, for sampling and charts. */
export interface GroupCounts {
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredCapacity: number;
  readonly pending: number;
  readonly inService: number;
  /** InService, past warmup and healthy: the capacity that serves load. */
  readonly ready: number;
  readonly warming: number;
  /** Terminating through a deregistration delay: out of desired capacity, still running and reporting CPU. */
  readonly terminating: number;
  /**
   * The connections the terminating instances still hold, in instances' worth of a ready
   * instance's traffic (`drainingShare`, summed); 0 without one.
   */
  readonly drainingInstances: number;
  /** Pending instances that have booted and wait under a launch hook (`Pending:Wait`): running, reporting CPU. */
  readonly pendingWait: number;
  /** `ready` and `warming` in capacity units (`unitsOf`: instances without weights), as target tracking counts them. */
  readonly readyUnits: number;
  readonly warmingUnits: number;
  /** `terminating` in capacity units: target tracking counts them as current capacity when it scales in. */
  readonly terminatingUnits: number;
  /** Pool instances Warmed:Stopped or Warmed:Hibernated: their volumes are billed, not the instance. */
  readonly warmPoolStopped: number;
  /** Pool instances Warmed:Running: billed as instances in service, serving nothing. */
  readonly warmPoolRunning: number;
  readonly warmPoolPending: number;
}

/** The simulated AWS account every ARN names. */
export const ACCOUNT = '123456789012';

/** The group's simulated launch template ID: the spec's, else `lt-0` and 16 hex digits of its name. */
export function launchTemplateIdOf(group: {
  readonly spec: Pick<GroupSpec, 'name' | 'launchTemplateId'>;
}): string {
  return (
    group.spec.launchTemplateId ??
    `lt-0${Buffer.from(group.spec.name).toString('hex').slice(0, 16).padEnd(16, '0')}`
  );
}
