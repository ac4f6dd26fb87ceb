import type { SeededRandom } from '../seeded-random';
import { type CronSchedule, cronMatches, cronSchedule } from './cron-schedule';
import { SimulatedAwsError } from './simulated-aws-error';

/** How a simulated group is built; times are seconds of virtual time. */
export interface GroupSpec {
  readonly name: string;
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredCapacity: number;
  readonly instanceType: string;
  readonly availabilityZones?: readonly string[];
  readonly tags?: Readonly<Record<string, string>>;
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
  /** Lists a predictive scaling policy in DescribePolicies (the ec2-predictive run). */
  readonly predictiveScaling?: boolean;
  readonly warmPool?: { readonly minSize: number; readonly maxGroupPreparedCapacity?: number };
  /** Launch template versions whose instances never pass health checks (to make a refresh fail). */
  readonly unhealthyLaunchTemplateVersions?: readonly string[];
  /** Instances InService and warmed at creation. @default desiredCapacity */
  readonly initialInService?: number;
  /**
   * Fault-injection hook (`shared/simulation/faults`): a new (not warm-pool) launch at `nowMs`
   * fails with InsufficientInstanceCapacity when it returns true; desired stays, the group retries
   * on its next reconcile. Absent: every launch succeeds.
   */
  readonly launchFails?: (nowMs: number) => boolean;
}

type InstanceState = 'Pending' | 'InService' | 'Warmed:Pending' | 'Warmed:Stopped';

interface SimInstance {
  readonly id: string;
  state: InstanceState;
  readonly launchedAtMs: number;
  inServiceAtMs: number;
  readyAtMs: number;
  readonly version: string;
  readonly az: string;
  activity?: Activity;
}

interface Activity {
  ActivityId: string;
  AutoScalingGroupName: string;
  AutoScalingGroupARN: string;
  Description: string;
  Cause: string;
  StartTime: Date;
  EndTime?: Date;
  StatusCode: 'InProgress' | 'Successful' | 'Failed' | 'PreInService';
  StatusMessage?: string;
  Progress: number;
  Details: string;
}

interface ScheduledAction {
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

type RefreshStatus =
  | 'Pending'
  | 'InProgress'
  | 'Successful'
  | 'Failed'
  | 'Cancelling'
  | 'Cancelled'
  | 'RollbackInProgress'
  | 'RollbackFailed'
  | 'RollbackSuccessful';

interface InstanceRefresh {
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
  readonly skipMatching: boolean;
  targetVersion: string;
  previousVersion: string;
  instancesToUpdate: number;
  replaced: number;
  inFlight: Set<string>;
  checkpointUntilMs?: number;
  nextCheckpoint: number;
  rollback?: { reason: string; startMs: number; percentageComplete: number; instancesToUpdate: number };
}

interface SimGroup {
  readonly spec: GroupSpec;
  readonly arn: string;
  readonly createdMs: number;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  readonly tags: Map<string, string>;
  readonly suspended: Set<string>;
  instances: SimInstance[];
  version: string;
  readonly unhealthy: Set<string>;
  activities: Activity[];
  readonly scheduled: Map<string, ScheduledAction>;
  warmPool?: { minSize: number; maxGroupPreparedCapacity?: number; poolState: string };
  refreshes: InstanceRefresh[];
  lastScheduleCheckMs: number;
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
  readonly warmPoolStopped: number;
  readonly warmPoolPending: number;
}

const ACCOUNT = '123456789012';
/** AWS's quota of scheduled actions per Auto Scaling group. */
const SCHEDULED_ACTIONS_PER_GROUP = 125;
/** Batch scheduled-action calls take at most this many actions. */
const SCHEDULED_ACTIONS_PER_BATCH = 50;
/** The API model's pattern for XmlStringMaxLen255 (surrogate pairs are allowed by `u`). */
const SCHEDULED_ACTION_NAME = /^[\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}\r\n\t]{1,255}$/u;

function batchSizeCheck(member: string, count: number): void {
  if (count < 1 || count > SCHEDULED_ACTIONS_PER_BATCH) {
    throw new SimulatedAwsError(
      'ValidationError',
      `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must have length between 1 and ${SCHEDULED_ACTIONS_PER_BATCH} (got ${count})`,
    );
  }
}
const MINUTE_MS = 60_000;
const MAX_ACTIVITIES = 2000;
const ACTIVE_REFRESH: ReadonlySet<RefreshStatus> = new Set([
  'Pending',
  'InProgress',
  'Cancelling',
  'RollbackInProgress',
]);
const toMs = (t: unknown): number =>
  t instanceof Date ? t.getTime() : t === undefined ? Number.NaN : new Date(t as string).getTime();

function page<T>(
  items: readonly T[],
  maxRecords: number | undefined,
  nextToken: string | undefined,
  max: number,
): { items: T[]; next?: string } {
  const start = nextToken ? Number(Buffer.from(nextToken, 'base64').toString('utf8')) : 0;
  if (!Number.isInteger(start) || start < 0)
    throw new SimulatedAwsError('InvalidNextToken', 'The NextToken is invalid.');
  const size = Math.min(max, maxRecords ?? max);
  const slice = items.slice(start, start + size);
  const end = start + slice.length;
  return {
    items: slice,
    ...(end < items.length ? { next: Buffer.from(String(end), 'utf8').toString('base64') } : {}),
  };
}

/**
 * EC2 Auto Scaling on a virtual clock: groups whose instances go Pending → InService after a
 * launch delay (+ seeded jitter) and serve after their warmup; min/max/desired with AWS's
 * validation; scheduled actions (one-time and cron) firing on the minute; a scaling-activity
 * history; warm pools (stopped instances that reach InService faster); instance refreshes that
 * replace instances in batches bounded by MinHealthyPercentage, pause at checkpoints, fail on
 * unhealthy replacements and roll back (automatically or on request). Call `advanceTo` as virtual
 * time moves; API methods mirror the AWS commands of the same name.
 */
export class SimulatedAutoScaling {
  private readonly groups = new Map<string, SimGroup>();
  private instanceCounter = 0;
  private idCounter = 0;
  private nowMs: number;

  constructor(
    private readonly random: SeededRandom,
    startMs: number,
    private readonly region = 'us-east-1',
  ) {
    this.nowMs = startMs;
  }

  /** Creates a group with `initialInService` instances already InService and warmed. */
  createGroup(spec: GroupSpec): void {
    if (this.groups.has(spec.name)) throw new RangeError(`group ${spec.name} exists already`);
    if (!(spec.minSize <= spec.desiredCapacity && spec.desiredCapacity <= spec.maxSize)) {
      throw new RangeError(
        `group ${spec.name}: need min ≤ desired ≤ max, got ${spec.minSize} ≤ ${spec.desiredCapacity} ≤ ${spec.maxSize}`,
      );
    }
    const group: SimGroup = {
      spec,
      arn: `arn:aws:autoscaling:${this.region}:${ACCOUNT}:autoScalingGroup:${this.uuid()}:autoScalingGroupName/${spec.name}`,
      createdMs: this.nowMs,
      minSize: spec.minSize,
      maxSize: spec.maxSize,
      desiredCapacity: spec.desiredCapacity,
      tags: new Map(Object.entries(spec.tags ?? {})),
      suspended: new Set(),
      instances: [],
      version: '1',
      unhealthy: new Set(spec.unhealthyLaunchTemplateVersions ?? []),
      activities: [],
      scheduled: new Map(),
      ...(spec.warmPool ? { warmPool: { ...spec.warmPool, poolState: 'Stopped' } } : {}),
      refreshes: [],
      lastScheduleCheckMs: Math.floor(this.nowMs / MINUTE_MS) * MINUTE_MS,
    };
    const initial = spec.initialInService ?? spec.desiredCapacity;
    for (let i = 0; i < initial; i += 1) {
      group.instances.push({
        id: this.instanceId(),
        state: 'InService',
        launchedAtMs: this.nowMs - 3_600_000,
        inServiceAtMs: this.nowMs - 3_600_000,
        readyAtMs: this.nowMs - 3_600_000,
        version: group.version,
        az: this.azFor(group, i),
      });
    }
    this.groups.set(spec.name, group);
    this.reconcile(group, 'the group was created');
  }

  /** Moves the group's world to `nowMs`: lifecycle transitions, scheduled actions, refresh progress. */
  advanceTo(nowMs: number): void {
    this.nowMs = nowMs;
    for (const group of this.groups.values()) {
      for (const instance of group.instances) {
        if (instance.state === 'Pending' && instance.inServiceAtMs <= nowMs) {
          instance.state = 'InService';
          if (instance.activity) {
            instance.activity.EndTime = new Date(instance.inServiceAtMs);
            instance.activity.StatusCode = 'Successful';
            instance.activity.Progress = 100;
          }
        } else if (instance.state === 'Warmed:Pending' && instance.inServiceAtMs <= nowMs) {
          instance.state = 'Warmed:Stopped';
        }
      }
      this.runScheduledActions(group, nowMs);
      this.progressRefresh(group);
      this.reconcile(group, 'an instance refresh or a capacity change');
    }
  }

  /** Current counts of a group. @throws SimulatedAwsError ValidationError when it does not exist. */
  counts(groupName: string): GroupCounts {
    const group = this.group(groupName);
    let pending = 0;
    let inService = 0;
    let ready = 0;
    let warmPoolStopped = 0;
    let warmPoolPending = 0;
    for (const i of group.instances) {
      if (i.state === 'Pending') pending += 1;
      else if (i.state === 'InService') {
        inService += 1;
        if (this.isReady(group, i)) ready += 1;
      } else if (i.state === 'Warmed:Stopped') warmPoolStopped += 1;
      else warmPoolPending += 1;
    }
    return {
      minSize: group.minSize,
      maxSize: group.maxSize,
      desiredCapacity: group.desiredCapacity,
      pending,
      inService,
      ready,
      warming: pending + inService - ready,
      warmPoolStopped,
      warmPoolPending,
    };
  }

  /** Hourly price per running instance of the group's type is looked up by the caller. */
  instanceType(groupName: string): string {
    return this.group(groupName).spec.instanceType;
  }

  /** Suspends processes (Launch, Terminate, ScheduledActions, AlarmNotification...). */
  suspendProcesses(input: { AutoScalingGroupName?: string; ScalingProcesses?: string[] }): unknown {
    const group = this.group(input.AutoScalingGroupName);
    for (const p of input.ScalingProcesses ?? [
      'Launch',
      'Terminate',
      'ScheduledActions',
      'AlarmNotification',
      'ReplaceUnhealthy',
    ])
      group.suspended.add(p);
    return {};
  }

  describeAutoScalingGroups(input: {
    AutoScalingGroupNames?: string[];
    Filters?: { Name?: string; Values?: string[] }[];
    MaxRecords?: number;
    NextToken?: string;
  }): unknown {
    if (input.MaxRecords !== undefined && (input.MaxRecords < 1 || input.MaxRecords > 100)) {
      throw new SimulatedAwsError(
        'ValidationError',
        `MaxRecords must be between 1 and 100, got ${input.MaxRecords}`,
      );
    }
    let groups = [...this.groups.values()].sort((a, b) => a.spec.name.localeCompare(b.spec.name));
    if (input.AutoScalingGroupNames && input.AutoScalingGroupNames.length > 0) {
      const names = new Set(input.AutoScalingGroupNames);
      groups = groups.filter((g) => names.has(g.spec.name));
    }
    for (const filter of input.Filters ?? []) {
      const values = new Set(filter.Values ?? []);
      const name = filter.Name ?? '';
      if (name.startsWith('tag:')) {
        const key = name.slice(4);
        groups = groups.filter((g) => g.tags.has(key) && values.has(g.tags.get(key) as string));
      } else if (name === 'tag-key') {
        groups = groups.filter((g) => [...g.tags.keys()].some((k) => values.has(k)));
      } else if (name === 'tag-value') {
        groups = groups.filter((g) => [...g.tags.values()].some((v) => values.has(v)));
      } else {
        throw new SimulatedAwsError(
          'ValidationError',
          `Filter name ${name} is not valid; use tag:<key>, tag-key or tag-value`,
        );
      }
    }
    const { items, next } = page(groups, input.MaxRecords, input.NextToken, 50);
    return {
      AutoScalingGroups: items.map((g) => this.describeGroup(g)),
      ...(next ? { NextToken: next } : {}),
    };
  }

  updateAutoScalingGroup(
    input: {
      AutoScalingGroupName?: string;
      MinSize?: number;
      MaxSize?: number;
      DesiredCapacity?: number;
      DefaultInstanceWarmup?: number;
    },
    cause = 'a user request update of AutoScalingGroup constraints',
  ): unknown {
    const group = this.group(input.AutoScalingGroupName);
    this.applyCapacity(group, input.MinSize, input.MaxSize, input.DesiredCapacity, cause);
    return {};
  }

  /** SetDesiredCapacity (policies of the simulation use it). @throws SimulatedAwsError ValidationError outside [min, max]. */
  setDesiredCapacity(
    input: { AutoScalingGroupName?: string; DesiredCapacity?: number },
    cause = 'a user request explicitly set group desired capacity',
  ): unknown {
    const group = this.group(input.AutoScalingGroupName);
    const desired = input.DesiredCapacity ?? group.desiredCapacity;
    if (desired < group.minSize || desired > group.maxSize) {
      throw new SimulatedAwsError(
        'ValidationError',
        `New SetDesiredCapacity value ${desired} is below min value ${group.minSize} or above max value ${group.maxSize} for the AutoScalingGroup.`,
      );
    }
    this.applyCapacity(group, undefined, undefined, desired, cause);
    return {};
  }

  describePolicies(input: {
    AutoScalingGroupName?: string;
    PolicyNames?: string[];
    PolicyTypes?: string[];
    MaxRecords?: number;
    NextToken?: string;
  }): unknown {
    const groups = input.AutoScalingGroupName
      ? [this.group(input.AutoScalingGroupName)]
      : [...this.groups.values()];
    let policies = groups.flatMap((g) => this.policiesOf(g));
    if (input.PolicyNames?.length)
      policies = policies.filter((p) => input.PolicyNames?.includes(p.PolicyName));
    if (input.PolicyTypes?.length)
      policies = policies.filter((p) => input.PolicyTypes?.includes(p.PolicyType));
    const { items, next } = page(policies, input.MaxRecords, input.NextToken, 50);
    return { ScalingPolicies: items, ...(next ? { NextToken: next } : {}) };
  }

  describeScalingActivities(input: {
    AutoScalingGroupName?: string;
    ActivityIds?: string[];
    MaxRecords?: number;
    NextToken?: string;
  }): unknown {
    const groups = input.AutoScalingGroupName
      ? [this.group(input.AutoScalingGroupName)]
      : [...this.groups.values()];
    let activities = groups
      .flatMap((g) => g.activities)
      .sort((a, b) => b.StartTime.getTime() - a.StartTime.getTime());
    if (input.ActivityIds?.length)
      activities = activities.filter((a) => input.ActivityIds?.includes(a.ActivityId));
    const { items, next } = page(activities, input.MaxRecords, input.NextToken, 100);
    return { Activities: items.map((a) => ({ ...a })), ...(next ? { NextToken: next } : {}) };
  }

  putScheduledUpdateGroupAction(input: {
    AutoScalingGroupName?: string;
    ScheduledActionName?: string;
    StartTime?: Date;
    EndTime?: Date;
    Time?: Date;
    Recurrence?: string;
    MinSize?: number;
    MaxSize?: number;
    DesiredCapacity?: number;
    TimeZone?: string;
  }): unknown {
    const group = this.group(input.AutoScalingGroupName);
    const name = input.ScheduledActionName;
    if (!name) throw new SimulatedAwsError('ValidationError', 'ScheduledActionName is required.');
    if (name.length > 255 || !SCHEDULED_ACTION_NAME.test(name)) {
      throw new SimulatedAwsError(
        'ValidationError',
        `ScheduledActionName must be 1–255 characters of [\\u0020-\\uD7FF\\uE000-\\uFFFD\\r\\n\\t]; got "${name.slice(0, 40)}"`,
      );
    }
    if (!group.scheduled.has(name) && group.scheduled.size >= SCHEDULED_ACTIONS_PER_GROUP) {
      throw new SimulatedAwsError(
        'LimitExceeded',
        `Maximum number of scheduled actions per group (${SCHEDULED_ACTIONS_PER_GROUP}) reached for group ${group.spec.name}`,
      );
    }
    if (input.MinSize === undefined && input.MaxSize === undefined && input.DesiredCapacity === undefined) {
      throw new SimulatedAwsError(
        'ValidationError',
        'At least one of MinSize, MaxSize or DesiredCapacity must be specified.',
      );
    }
    if (input.TimeZone && !['UTC', 'Etc/UTC', 'GMT'].includes(input.TimeZone)) {
      throw new SimulatedAwsError(
        'ValidationError',
        `The simulation evaluates schedules in UTC only; got TimeZone ${input.TimeZone}`,
      );
    }
    const startMs = toMs(input.StartTime ?? input.Time);
    const endMs = toMs(input.EndTime);
    if (!input.Recurrence && !Number.isFinite(startMs)) {
      throw new SimulatedAwsError('ValidationError', 'Either StartTime or Recurrence must be specified.');
    }
    if (!input.Recurrence && startMs < this.nowMs)
      throw new SimulatedAwsError('ValidationError', 'Given start time is in the past.');
    let cron: CronSchedule | undefined;
    if (input.Recurrence) {
      try {
        cron = cronSchedule(input.Recurrence);
      } catch (error) {
        throw new SimulatedAwsError(
          'ValidationError',
          `Invalid Recurrence "${input.Recurrence}": ${(error as Error).message}`,
        );
      }
    }
    group.scheduled.set(name, {
      name,
      arn: `arn:aws:autoscaling:${this.region}:${ACCOUNT}:scheduledUpdateGroupAction:${this.uuid()}:autoScalingGroupName/${group.spec.name}:scheduledActionName/${name}`,
      ...(Number.isFinite(startMs) ? { startMs } : {}),
      ...(Number.isFinite(endMs) ? { endMs } : {}),
      ...(input.Recurrence ? { recurrence: input.Recurrence } : {}),
      ...(cron ? { cron } : {}),
      ...(input.MinSize !== undefined ? { minSize: input.MinSize } : {}),
      ...(input.MaxSize !== undefined ? { maxSize: input.MaxSize } : {}),
      ...(input.DesiredCapacity !== undefined ? { desiredCapacity: input.DesiredCapacity } : {}),
    });
    return {};
  }

  /**
   * BatchPutScheduledUpdateGroupAction: at most 50 actions per call (ValidationError otherwise);
   * each action is validated as PutScheduledUpdateGroupAction validates it, and one refused
   * (invalid, or over the group's quota of 125 scheduled actions: LimitExceeded) comes back in
   * `FailedScheduledUpdateGroupActions` while the others are created or overwritten.
   */
  batchPutScheduledUpdateGroupAction(input: {
    AutoScalingGroupName?: string;
    ScheduledUpdateGroupActions?: {
      ScheduledActionName?: string;
      StartTime?: Date;
      EndTime?: Date;
      Recurrence?: string;
      MinSize?: number;
      MaxSize?: number;
      DesiredCapacity?: number;
      TimeZone?: string;
    }[];
  }): unknown {
    this.group(input.AutoScalingGroupName);
    const actions = input.ScheduledUpdateGroupActions ?? [];
    batchSizeCheck('ScheduledUpdateGroupActions', actions.length);
    const failed: { ScheduledActionName?: string; ErrorCode: string; ErrorMessage: string }[] = [];
    for (const action of actions) {
      try {
        this.putScheduledUpdateGroupAction({ AutoScalingGroupName: input.AutoScalingGroupName, ...action });
      } catch (error) {
        failed.push({
          ...(action.ScheduledActionName !== undefined
            ? { ScheduledActionName: action.ScheduledActionName }
            : {}),
          ErrorCode: (error as Error).name,
          ErrorMessage: (error as Error).message,
        });
      }
    }
    return { FailedScheduledUpdateGroupActions: failed };
  }

  /**
   * BatchDeleteScheduledAction: at most 50 names per call; a name the group does not have comes
   * back in `FailedScheduledActions` (ValidationError, "not found") while the others are deleted.
   */
  batchDeleteScheduledAction(input: {
    AutoScalingGroupName?: string;
    ScheduledActionNames?: string[];
  }): unknown {
    this.group(input.AutoScalingGroupName);
    const names = input.ScheduledActionNames ?? [];
    batchSizeCheck('ScheduledActionNames', names.length);
    const failed: { ScheduledActionName: string; ErrorCode: string; ErrorMessage: string }[] = [];
    for (const name of names) {
      try {
        this.deleteScheduledAction({
          AutoScalingGroupName: input.AutoScalingGroupName,
          ScheduledActionName: name,
        });
      } catch (error) {
        failed.push({
          ScheduledActionName: name,
          ErrorCode: (error as Error).name,
          ErrorMessage: (error as Error).message,
        });
      }
    }
    return { FailedScheduledActions: failed };
  }

  deleteScheduledAction(input: { AutoScalingGroupName?: string; ScheduledActionName?: string }): unknown {
    const group = this.group(input.AutoScalingGroupName);
    if (!input.ScheduledActionName || !group.scheduled.delete(input.ScheduledActionName)) {
      throw new SimulatedAwsError(
        'ValidationError',
        `Scheduled action name not found - ${input.ScheduledActionName}`,
      );
    }
    return {};
  }

  describeScheduledActions(input: {
    AutoScalingGroupName?: string;
    ScheduledActionNames?: string[];
    MaxRecords?: number;
    NextToken?: string;
  }): unknown {
    const groups = input.AutoScalingGroupName
      ? [this.group(input.AutoScalingGroupName)]
      : [...this.groups.values()];
    let actions = groups.flatMap((g) => [...g.scheduled.values()].map((a) => ({ g, a })));
    if (input.ScheduledActionNames?.length)
      actions = actions.filter(({ a }) => input.ScheduledActionNames?.includes(a.name));
    actions.sort((x, y) => x.a.name.localeCompare(y.a.name));
    const { items, next } = page(actions, input.MaxRecords, input.NextToken, 100);
    return {
      ScheduledUpdateGroupActions: items.map(({ g, a }) => ({
        AutoScalingGroupName: g.spec.name,
        ScheduledActionName: a.name,
        ScheduledActionARN: a.arn,
        ...(a.startMs !== undefined ? { StartTime: new Date(a.startMs), Time: new Date(a.startMs) } : {}),
        ...(a.endMs !== undefined ? { EndTime: new Date(a.endMs) } : {}),
        ...(a.recurrence ? { Recurrence: a.recurrence, TimeZone: 'UTC' } : {}),
        ...(a.minSize !== undefined ? { MinSize: a.minSize } : {}),
        ...(a.maxSize !== undefined ? { MaxSize: a.maxSize } : {}),
        ...(a.desiredCapacity !== undefined ? { DesiredCapacity: a.desiredCapacity } : {}),
      })),
      ...(next ? { NextToken: next } : {}),
    };
  }

  putWarmPool(input: {
    AutoScalingGroupName?: string;
    MinSize?: number;
    MaxGroupPreparedCapacity?: number;
    PoolState?: string;
  }): unknown {
    const group = this.group(input.AutoScalingGroupName);
    if (input.MinSize !== undefined && input.MinSize < 0)
      throw new SimulatedAwsError('ValidationError', `MinSize must be ≥ 0, got ${input.MinSize}`);
    const prepared = input.MaxGroupPreparedCapacity;
    if (prepared !== undefined && prepared !== -1 && prepared < 0) {
      throw new SimulatedAwsError(
        'ValidationError',
        `MaxGroupPreparedCapacity must be -1 or ≥ 0, got ${prepared}`,
      );
    }
    // An omitted MaxGroupPreparedCapacity keeps the value set before (none: the group's MaxSize
    // bounds the pool); -1 removes it. https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutWarmPool.html
    const keptPrepared = prepared === undefined ? group.warmPool?.maxGroupPreparedCapacity : prepared;
    group.warmPool = {
      minSize: input.MinSize ?? group.warmPool?.minSize ?? 0,
      ...(keptPrepared !== undefined && keptPrepared !== -1
        ? { maxGroupPreparedCapacity: keptPrepared }
        : {}),
      poolState: input.PoolState ?? group.warmPool?.poolState ?? 'Stopped',
    };
    this.reconcile(group, 'a warm pool update');
    return {};
  }

  startInstanceRefresh(input: {
    AutoScalingGroupName?: string;
    DesiredConfiguration?: { LaunchTemplate?: { Version?: string } };
    Preferences?: {
      MinHealthyPercentage?: number;
      MaxHealthyPercentage?: number;
      InstanceWarmup?: number;
      CheckpointPercentages?: number[];
      CheckpointDelay?: number;
      AutoRollback?: boolean;
      SkipMatching?: boolean;
    };
  }): unknown {
    const group = this.group(input.AutoScalingGroupName);
    if (group.refreshes.some((r) => ACTIVE_REFRESH.has(r.status))) {
      throw new SimulatedAwsError(
        'InstanceRefreshInProgress',
        `An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.`,
      );
    }
    const p = input.Preferences ?? {};
    const minHealthy = p.MinHealthyPercentage ?? 90;
    const maxHealthy = p.MaxHealthyPercentage ?? 100;
    if (
      minHealthy < 0 ||
      minHealthy > 100 ||
      maxHealthy < 100 ||
      maxHealthy > 200 ||
      maxHealthy - minHealthy > 100
    ) {
      throw new SimulatedAwsError(
        'ValidationError',
        `Invalid MinHealthyPercentage ${minHealthy} / MaxHealthyPercentage ${maxHealthy}`,
      );
    }
    const checkpoints = [...(p.CheckpointPercentages ?? [])];
    if (checkpoints.some((c, i) => c < 1 || c > 100 || (i > 0 && c <= (checkpoints[i - 1] as number)))) {
      throw new SimulatedAwsError(
        'ValidationError',
        'CheckpointPercentages must be increasing values between 1 and 100.',
      );
    }
    const targetVersion = input.DesiredConfiguration?.LaunchTemplate?.Version ?? group.version;
    const refresh: InstanceRefresh = {
      id: this.uuid(),
      status: 'Pending',
      startMs: this.nowMs,
      minHealthyPercentage: minHealthy,
      maxHealthyPercentage: maxHealthy,
      instanceWarmupSeconds: p.InstanceWarmup ?? group.spec.warmupSeconds,
      checkpointPercentages: checkpoints,
      checkpointDelaySeconds: p.CheckpointDelay ?? 3600,
      autoRollback: p.AutoRollback ?? false,
      skipMatching: p.SkipMatching ?? false,
      targetVersion,
      previousVersion: group.version,
      instancesToUpdate: 0,
      replaced: 0,
      inFlight: new Set(),
      nextCheckpoint: 0,
    };
    group.version = targetVersion;
    refresh.instancesToUpdate = this.outdated(group, refresh).length;
    group.refreshes.unshift(refresh);
    return { InstanceRefreshId: refresh.id };
  }

  cancelInstanceRefresh(input: { AutoScalingGroupName?: string }): unknown {
    const group = this.group(input.AutoScalingGroupName);
    const active = this.activeRefresh(group);
    active.status = 'Cancelling';
    active.statusReason = 'Cancelled by user request';
    return { InstanceRefreshId: active.id };
  }

  rollbackInstanceRefresh(input: { AutoScalingGroupName?: string }): unknown {
    const group = this.group(input.AutoScalingGroupName);
    const active = this.activeRefresh(group);
    this.startRollback(group, active, 'Rollback requested by user');
    return { InstanceRefreshId: active.id };
  }

  /** The Pending or InProgress refresh, as Cancel/Rollback find it; AWS's error when there is none. */
  private activeRefresh(group: SimGroup): InstanceRefresh {
    const active = group.refreshes.find((r) => r.status === 'Pending' || r.status === 'InProgress');
    if (!active) {
      throw new SimulatedAwsError(
        'ActiveInstanceRefreshNotFound',
        'No in progress or pending Instance Refresh found for this Auto Scaling group.',
      );
    }
    return active;
  }

  describeInstanceRefreshes(input: {
    AutoScalingGroupName?: string;
    InstanceRefreshIds?: string[];
    MaxRecords?: number;
    NextToken?: string;
  }): unknown {
    const group = this.group(input.AutoScalingGroupName);
    let refreshes = group.refreshes;
    if (input.InstanceRefreshIds?.length)
      refreshes = refreshes.filter((r) => input.InstanceRefreshIds?.includes(r.id));
    const { items, next } = page(refreshes, input.MaxRecords, input.NextToken, 100);
    return {
      InstanceRefreshes: items.map((r) => ({
        InstanceRefreshId: r.id,
        AutoScalingGroupName: group.spec.name,
        Status: r.status,
        ...(r.statusReason ? { StatusReason: r.statusReason } : {}),
        StartTime: new Date(r.startMs),
        ...(r.endMs !== undefined ? { EndTime: new Date(r.endMs) } : {}),
        PercentageComplete:
          r.instancesToUpdate === 0 ? 100 : Math.floor((100 * r.replaced) / r.instancesToUpdate),
        InstancesToUpdate: Math.max(0, r.instancesToUpdate - r.replaced),
        Preferences: {
          MinHealthyPercentage: r.minHealthyPercentage,
          MaxHealthyPercentage: r.maxHealthyPercentage,
          InstanceWarmup: r.instanceWarmupSeconds,
          CheckpointPercentages: [...r.checkpointPercentages],
          CheckpointDelay: r.checkpointDelaySeconds,
          AutoRollback: r.autoRollback,
          SkipMatching: r.skipMatching,
        },
        DesiredConfiguration: {
          LaunchTemplate: { LaunchTemplateId: this.launchTemplateId(group), Version: r.targetVersion },
        },
        ...(r.rollback
          ? {
              RollbackDetails: {
                RollbackReason: r.rollback.reason,
                RollbackStartTime: new Date(r.rollback.startMs),
                PercentageCompleteOnRollback: r.rollback.percentageComplete,
                InstancesToUpdateOnRollback: r.rollback.instancesToUpdate,
              },
            }
          : {}),
      })),
      ...(next ? { NextToken: next } : {}),
    };
  }

  private group(name: string | undefined): SimGroup {
    const group = name ? this.groups.get(name) : undefined;
    if (!group)
      throw new SimulatedAwsError(
        'ValidationError',
        `AutoScalingGroup name not found - AutoScalingGroup ${name} not found`,
      );
    return group;
  }

  private isReady(group: SimGroup, i: SimInstance): boolean {
    return i.state === 'InService' && i.readyAtMs <= this.nowMs && !group.unhealthy.has(i.version);
  }

  private applyCapacity(
    group: SimGroup,
    min: number | undefined,
    max: number | undefined,
    desired: number | undefined,
    cause: string,
  ): void {
    const newMin = min ?? group.minSize;
    const newMax = max ?? group.maxSize;
    if (newMin < 0 || newMax < 0 || (desired !== undefined && desired < 0)) {
      throw new SimulatedAwsError('ValidationError', 'MinSize, MaxSize and DesiredCapacity must be ≥ 0.');
    }
    if (newMin > newMax) {
      throw new SimulatedAwsError(
        'ValidationError',
        `Max bound, ${newMax}, must be greater than or equal to min bound, ${newMin}`,
      );
    }
    let newDesired = desired ?? group.desiredCapacity;
    if (desired !== undefined && (desired < newMin || desired > newMax)) {
      throw new SimulatedAwsError(
        'ValidationError',
        `Desired capacity:${desired} must be between the specified min size:${newMin} and max size:${newMax}`,
      );
    }
    // Without an explicit desired capacity, AWS moves it inside new bounds.
    newDesired = Math.min(newMax, Math.max(newMin, newDesired));
    const before = group.desiredCapacity;
    group.minSize = newMin;
    group.maxSize = newMax;
    group.desiredCapacity = newDesired;
    if (newDesired !== before) {
      this.reconcile(group, `${cause} changing the desired capacity from ${before} to ${newDesired}`);
    }
  }

  private runScheduledActions(group: SimGroup, nowMs: number): void {
    const lastMinute = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
    for (let m = group.lastScheduleCheckMs + MINUTE_MS; m <= lastMinute; m += MINUTE_MS) {
      if (group.suspended.has('ScheduledActions')) continue;
      for (const action of [...group.scheduled.values()]) {
        let due: boolean;
        if (action.cron) {
          due =
            cronMatches(action.cron, m) &&
            (action.startMs === undefined || m >= action.startMs) &&
            (action.endMs === undefined || m <= action.endMs);
        } else {
          due = action.startMs !== undefined && action.startMs <= m;
          if (due) group.scheduled.delete(action.name);
        }
        if (!due) continue;
        const cause = `a scheduled action update of AutoScalingGroup constraints to min: ${action.minSize ?? group.minSize}, max: ${action.maxSize ?? group.maxSize}, desired: ${action.desiredCapacity ?? group.desiredCapacity} (scheduled action ${action.name})`;
        try {
          this.applyCapacity(group, action.minSize, action.maxSize, action.desiredCapacity, cause);
        } catch (error) {
          this.record(group, {
            Description: `Executing scheduled action ${action.name}`,
            Cause: cause,
            StatusCode: 'Failed',
            StatusMessage: (error as Error).message,
            startMs: m,
            endMs: m,
          });
        }
      }
    }
    group.lastScheduleCheckMs = Math.max(group.lastScheduleCheckMs, lastMinute);
  }

  private outdated(group: SimGroup, refresh: InstanceRefresh): SimInstance[] {
    return group.instances.filter(
      (i) =>
        (i.state === 'Pending' || i.state === 'InService') &&
        !refresh.inFlight.has(i.id) &&
        (i.version !== refresh.targetVersion ||
          (!refresh.skipMatching && !refresh.rollback && i.launchedAtMs < refresh.startMs)),
    );
  }

  private startRollback(group: SimGroup, refresh: InstanceRefresh, reason: string): void {
    refresh.rollback = {
      reason,
      startMs: this.nowMs,
      percentageComplete:
        refresh.instancesToUpdate === 0
          ? 100
          : Math.floor((100 * refresh.replaced) / refresh.instancesToUpdate),
      instancesToUpdate: 0,
    };
    refresh.status = 'RollbackInProgress';
    refresh.statusReason = reason;
    const failedVersion = refresh.targetVersion;
    refresh.targetVersion = refresh.previousVersion;
    refresh.previousVersion = failedVersion;
    group.version = refresh.targetVersion;
    refresh.checkpointUntilMs = undefined;
    refresh.replaced = 0;
    refresh.inFlight = new Set();
    refresh.instancesToUpdate = this.outdated(group, refresh).length;
    refresh.rollback.instancesToUpdate = refresh.instancesToUpdate;
  }

  private finish(refresh: InstanceRefresh, status: RefreshStatus, reason?: string): void {
    refresh.status = status;
    refresh.endMs = this.nowMs;
    if (reason) refresh.statusReason = reason;
  }

  private progressRefresh(group: SimGroup): void {
    const refresh = group.refreshes[0];
    if (!refresh || !ACTIVE_REFRESH.has(refresh.status)) return;
    if (refresh.status === 'Cancelling') {
      this.finish(refresh, 'Cancelled');
      return;
    }
    if (refresh.status === 'Pending') refresh.status = 'InProgress';
    const rollingBack = refresh.status === 'RollbackInProgress';
    if (refresh.checkpointUntilMs !== undefined) {
      if (this.nowMs < refresh.checkpointUntilMs) return;
      refresh.checkpointUntilMs = undefined;
      refresh.statusReason = undefined;
    }
    const byId = new Map(group.instances.map((i) => [i.id, i]));
    let failed = 0;
    for (const id of [...refresh.inFlight]) {
      const i = byId.get(id);
      if (!i) {
        refresh.inFlight.delete(id);
        continue;
      }
      if (i.state !== 'InService') continue;
      const warmedAt = i.inServiceAtMs + refresh.instanceWarmupSeconds * 1000;
      if (this.nowMs < warmedAt) continue;
      if (group.unhealthy.has(i.version)) failed += 1;
      else {
        refresh.inFlight.delete(id);
        refresh.replaced += 1;
      }
    }
    if (failed > 0) {
      const reason = `${failed} instance(s) failed to become healthy after launch with launch template version ${refresh.targetVersion}`;
      if (rollingBack) {
        this.finish(refresh, 'RollbackFailed', reason);
        return;
      }
      if (refresh.autoRollback) {
        this.startRollback(group, refresh, `Instance refresh failed: ${reason}`);
        return;
      }
      this.finish(refresh, 'Failed', reason);
      return;
    }
    if (refresh.inFlight.size > 0) return;
    const pct = refresh.instancesToUpdate === 0 ? 100 : (100 * refresh.replaced) / refresh.instancesToUpdate;
    const checkpoint = refresh.checkpointPercentages[refresh.nextCheckpoint];
    if (!rollingBack && checkpoint !== undefined && pct >= checkpoint && pct < 100) {
      refresh.nextCheckpoint += 1;
      refresh.checkpointUntilMs = this.nowMs + refresh.checkpointDelaySeconds * 1000;
      refresh.statusReason = `Waiting for checkpoint delay at ${Math.floor(pct)} % complete`;
      return;
    }
    const outdated = this.outdated(group, refresh);
    if (outdated.length === 0) {
      this.finish(refresh, rollingBack ? 'RollbackSuccessful' : 'Successful');
      return;
    }
    const ready = group.instances.filter((i) => this.isReady(group, i)).length;
    const minHealthy = Math.ceil((group.desiredCapacity * refresh.minHealthyPercentage) / 100);
    const extra = Math.max(
      0,
      Math.floor((group.desiredCapacity * refresh.maxHealthyPercentage) / 100) - group.desiredCapacity,
    );
    const batch = Math.min(outdated.length, Math.max(1, ready - minHealthy + extra));
    const victims = [...outdated].sort((a, b) => a.launchedAtMs - b.launchedAtMs).slice(0, batch);
    for (const v of victims)
      this.terminate(group, v, `an instance refresh ${refresh.id} replacing instances`);
    for (let k = 0; k < victims.length; k += 1) {
      const launched = this.launch(group, `an instance refresh ${refresh.id} replacing instances`);
      if (launched) refresh.inFlight.add(launched.id);
    }
  }

  private reconcile(group: SimGroup, cause: string): void {
    const active = group.instances.filter((i) => i.state === 'Pending' || i.state === 'InService');
    if (active.length < group.desiredCapacity && !group.suspended.has('Launch')) {
      for (let k = active.length; k < group.desiredCapacity; k += 1) this.launch(group, cause);
    } else if (active.length > group.desiredCapacity && !group.suspended.has('Terminate')) {
      const order = [...active].sort((a, b) => {
        if (a.state !== b.state) return a.state === 'Pending' ? -1 : 1;
        if (a.state === 'Pending') return b.launchedAtMs - a.launchedAtMs;
        if ((a.version === group.version) !== (b.version === group.version))
          return a.version === group.version ? 1 : -1;
        return a.launchedAtMs - b.launchedAtMs;
      });
      for (const victim of order.slice(0, active.length - group.desiredCapacity))
        this.terminate(group, victim, cause);
    }
    if (group.warmPool) {
      const prepared = group.warmPool.maxGroupPreparedCapacity ?? group.maxSize;
      const target = Math.max(group.warmPool.minSize, prepared - group.desiredCapacity);
      const pool = group.instances.filter(
        (i) => i.state === 'Warmed:Pending' || i.state === 'Warmed:Stopped',
      );
      for (let k = pool.length; k < target; k += 1) {
        const delayMs = this.launchDelayMs(group.spec.launchDelaySeconds, group.spec.launchJitterSeconds);
        group.instances.push({
          id: this.instanceId(),
          state: 'Warmed:Pending',
          launchedAtMs: this.nowMs,
          inServiceAtMs: this.nowMs + delayMs,
          readyAtMs: Number.POSITIVE_INFINITY,
          version: group.version,
          az: this.azFor(group, group.instances.length),
        });
      }
      if (pool.length > target) {
        const remove = new Set(pool.slice(0, pool.length - target).map((i) => i.id));
        group.instances = group.instances.filter((i) => !remove.has(i.id));
      }
    }
  }

  private launchDelayMs(baseSeconds: number, jitterSeconds: number): number {
    return Math.round((baseSeconds + this.random.next() * jitterSeconds) * 1000);
  }

  private launch(group: SimGroup, cause: string): SimInstance | undefined {
    const pooled = group.instances.find((i) => i.state === 'Warmed:Stopped' && i.version === group.version);
    let instance: SimInstance;
    let description: string;
    if (pooled) {
      const delayMs = this.launchDelayMs(
        group.spec.warmPoolLaunchSeconds,
        Math.min(group.spec.launchJitterSeconds, group.spec.warmPoolLaunchSeconds),
      );
      pooled.state = 'Pending';
      pooled.inServiceAtMs = this.nowMs + delayMs;
      pooled.readyAtMs = pooled.inServiceAtMs + group.spec.warmupSeconds * 1000;
      instance = pooled;
      description = `Launching a new EC2 instance from warm pool: ${pooled.id}`;
    } else {
      // Fault-injection hook (see GroupSpec.launchFails).
      if (group.spec.launchFails?.(this.nowMs)) {
        this.record(group, {
          Description: 'Launching a new EC2 instance.  Status Reason: Could not launch On-Demand Instances.',
          Cause: `At ${new Date(this.nowMs).toISOString()} ${cause}.`,
          StatusCode: 'Failed',
          StatusMessage: `InsufficientInstanceCapacity - We currently do not have sufficient ${group.spec.instanceType} capacity in the Availability Zone you requested. Launching EC2 instance failed.`,
          startMs: this.nowMs,
          endMs: this.nowMs,
        });
        return undefined;
      }
      const delayMs = this.launchDelayMs(group.spec.launchDelaySeconds, group.spec.launchJitterSeconds);
      instance = {
        id: this.instanceId(),
        state: 'Pending',
        launchedAtMs: this.nowMs,
        inServiceAtMs: this.nowMs + delayMs,
        readyAtMs: this.nowMs + delayMs + group.spec.warmupSeconds * 1000,
        version: group.version,
        az: this.azFor(group, group.instances.length),
      };
      group.instances.push(instance);
      description = `Launching a new EC2 instance: ${instance.id}`;
    }
    instance.activity = this.record(group, {
      Description: description,
      Cause: `At ${new Date(this.nowMs).toISOString()} ${cause}.`,
      StatusCode: 'InProgress',
      startMs: this.nowMs,
    });
    return instance;
  }

  private terminate(group: SimGroup, victim: SimInstance, cause: string): void {
    group.instances = group.instances.filter((i) => i.id !== victim.id);
    if (victim.activity && victim.activity.StatusCode === 'InProgress') {
      victim.activity.StatusCode = 'Failed';
      victim.activity.StatusMessage = 'Instance was terminated before it reached InService';
      victim.activity.EndTime = new Date(this.nowMs);
    }
    this.record(group, {
      Description: `Terminating EC2 instance: ${victim.id}`,
      Cause: `At ${new Date(this.nowMs).toISOString()} ${cause}.`,
      StatusCode: 'Successful',
      startMs: this.nowMs,
      endMs: this.nowMs,
    });
  }

  private record(
    group: SimGroup,
    a: {
      Description: string;
      Cause: string;
      StatusCode: Activity['StatusCode'];
      StatusMessage?: string;
      startMs: number;
      endMs?: number;
    },
  ): Activity {
    const activity: Activity = {
      ActivityId: this.uuid(),
      AutoScalingGroupName: group.spec.name,
      AutoScalingGroupARN: group.arn,
      Description: a.Description,
      Cause: a.Cause,
      StartTime: new Date(a.startMs),
      ...(a.endMs !== undefined ? { EndTime: new Date(a.endMs) } : {}),
      StatusCode: a.StatusCode,
      ...(a.StatusMessage ? { StatusMessage: a.StatusMessage } : {}),
      Progress: a.StatusCode === 'InProgress' ? 0 : 100,
      Details: JSON.stringify({
        'Availability Zone': group.spec.availabilityZones?.[0] ?? `${this.region}a`,
      }),
    };
    group.activities.push(activity);
    if (group.activities.length > MAX_ACTIVITIES)
      group.activities = group.activities.slice(-MAX_ACTIVITIES / 2);
    return activity;
  }

  private policiesOf(group: SimGroup) {
    const policies: {
      AutoScalingGroupName: string;
      PolicyName: string;
      PolicyARN: string;
      PolicyType: string;
      [k: string]: unknown;
    }[] = [];
    const arn = (name: string) =>
      `arn:aws:autoscaling:${this.region}:${ACCOUNT}:scalingPolicy:${group.arn.split(':')[6]}:autoScalingGroupName/${group.spec.name}:policyName/${name}`;
    if (group.spec.targetTrackingCpu !== undefined) {
      policies.push({
        AutoScalingGroupName: group.spec.name,
        PolicyName: 'cpu-target-tracking',
        PolicyARN: arn('cpu-target-tracking'),
        PolicyType: 'TargetTrackingScaling',
        EstimatedInstanceWarmup: group.spec.warmupSeconds,
        TargetTrackingConfiguration: {
          PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' },
          TargetValue: group.spec.targetTrackingCpu,
          DisableScaleIn: false,
        },
        Alarms: [
          {
            AlarmName: `TargetTracking-${group.spec.name}-AlarmHigh`,
            AlarmARN: `arn:aws:cloudwatch:${this.region}:${ACCOUNT}:alarm:TargetTracking-${group.spec.name}-AlarmHigh`,
          },
          {
            AlarmName: `TargetTracking-${group.spec.name}-AlarmLow`,
            AlarmARN: `arn:aws:cloudwatch:${this.region}:${ACCOUNT}:alarm:TargetTracking-${group.spec.name}-AlarmLow`,
          },
        ],
        Enabled: true,
      });
    }
    if (group.spec.predictiveScaling) {
      policies.push({
        AutoScalingGroupName: group.spec.name,
        PolicyName: 'cpu-predictive',
        PolicyARN: arn('cpu-predictive'),
        PolicyType: 'PredictiveScaling',
        PredictiveScalingConfiguration: {
          MetricSpecifications: [
            {
              TargetValue: group.spec.targetTrackingCpu ?? 60,
              PredefinedMetricPairSpecification: { PredefinedMetricType: 'ASGCPUUtilization' },
            },
          ],
          Mode: 'ForecastAndScale',
          SchedulingBufferTime: 300,
          MaxCapacityBreachBehavior: 'HonorMaxCapacity',
        },
        Alarms: [],
        Enabled: true,
      });
    }
    return policies;
  }

  private launchTemplateId(group: SimGroup): string {
    return `lt-0${Buffer.from(group.spec.name).toString('hex').slice(0, 16).padEnd(16, '0')}`;
  }

  private describeGroup(group: SimGroup): unknown {
    const launchTemplate = {
      LaunchTemplateId: this.launchTemplateId(group),
      LaunchTemplateName: `${group.spec.name}-lt`,
      Version: group.version,
    };
    const warmPoolSize = group.instances.filter((i) => i.state.startsWith('Warmed')).length;
    return {
      AutoScalingGroupName: group.spec.name,
      AutoScalingGroupARN: group.arn,
      LaunchTemplate: launchTemplate,
      MinSize: group.minSize,
      MaxSize: group.maxSize,
      DesiredCapacity: group.desiredCapacity,
      DefaultCooldown: 300,
      AvailabilityZones: [
        ...(group.spec.availabilityZones ?? [`${this.region}a`, `${this.region}b`, `${this.region}c`]),
      ],
      LoadBalancerNames: [],
      TargetGroupARNs: [],
      HealthCheckType: 'EC2',
      HealthCheckGracePeriod: 300,
      Instances: group.instances
        .filter((i) => i.state === 'Pending' || i.state === 'InService')
        .map((i) => ({
          InstanceId: i.id,
          InstanceType: group.spec.instanceType,
          AvailabilityZone: i.az,
          LifecycleState: i.state,
          HealthStatus: group.unhealthy.has(i.version) && i.state === 'InService' ? 'Unhealthy' : 'Healthy',
          LaunchTemplate: { ...launchTemplate, Version: i.version },
          ProtectedFromScaleIn: false,
        })),
      CreatedTime: new Date(group.createdMs),
      SuspendedProcesses: [...group.suspended].map((p) => ({
        ProcessName: p,
        SuspensionReason: 'User suspended at simulation time',
      })),
      VPCZoneIdentifier: 'subnet-0sim1,subnet-0sim2,subnet-0sim3',
      EnabledMetrics: [
        { Metric: 'GroupInServiceInstances', Granularity: '1Minute' },
        { Metric: 'GroupDesiredCapacity', Granularity: '1Minute' },
      ],
      Tags: [...group.tags].map(([Key, Value]) => ({
        ResourceId: group.spec.name,
        ResourceType: 'auto-scaling-group',
        Key,
        Value,
        PropagateAtLaunch: true,
      })),
      TerminationPolicies: ['Default'],
      NewInstancesProtectedFromScaleIn: false,
      ServiceLinkedRoleARN: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
      CapacityRebalance: false,
      DefaultInstanceWarmup: group.spec.warmupSeconds,
      ...(group.warmPool
        ? {
            WarmPoolConfiguration: {
              MinSize: group.warmPool.minSize,
              ...(group.warmPool.maxGroupPreparedCapacity !== undefined
                ? { MaxGroupPreparedCapacity: group.warmPool.maxGroupPreparedCapacity }
                : {}),
              PoolState: group.warmPool.poolState,
            },
            WarmPoolSize: warmPoolSize,
          }
        : {}),
    };
  }

  private instanceId(): string {
    this.instanceCounter += 1;
    return `i-0${this.instanceCounter.toString(16).padStart(16, '0')}`;
  }

  private uuid(): string {
    this.idCounter += 1;
    const hex = this.idCounter.toString(16).padStart(12, '0');
    return `5e1a0000-0000-4000-8000-${hex}`;
  }

  private azFor(group: SimGroup, index: number): string {
    const azs = group.spec.availabilityZones ?? [`${this.region}a`, `${this.region}b`, `${this.region}c`];
    return azs[index % azs.length] as string;
  }
}
