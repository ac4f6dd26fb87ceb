import type { SeededRandom } from '../seeded-random';
import { AutoScalingContext } from './auto-scaling/auto-scaling-context';
import { autoScalingFault } from './auto-scaling/auto-scaling-fault';
import { settleDraining } from './auto-scaling/connection-draining';
import { drainsOrWaits, newGroup } from './auto-scaling/create-group';
import { describeAutoScalingInstances } from './auto-scaling/describe-auto-scaling-instances';
import {
  type DescribeAutoScalingGroupsInput,
  describeAutoScalingGroups,
} from './auto-scaling/describe-groups';
import {
  type DescribeInstanceRefreshesInput,
  describeInstanceRefreshes,
} from './auto-scaling/describe-instance-refreshes';
import {
  type DescribeScheduledActionsInput,
  describeScheduledActions,
} from './auto-scaling/describe-scheduled-actions';
import { deleteGroup, deletionDone, refuseWhilePendingDelete } from './auto-scaling/group-deletion';
import { type GroupCall, groupNotFound } from './auto-scaling/group-not-found';
import type { FailedScheduledAction, GroupCounts, GroupSpec, SimGroup } from './auto-scaling/group-state';
import { createOrUpdateTags, deleteTags, type GroupTagInput } from './auto-scaling/group-tags';
import { applyCapacity, countInstances, reconcile, settleLaunches } from './auto-scaling/instance-lifecycle';
import { type SetInstanceProtectionInput, setInstanceProtection } from './auto-scaling/instance-protection';
import {
  cancelInstanceRefresh,
  rollbackInstanceRefresh,
  type StartInstanceRefreshInput,
  startInstanceRefresh,
} from './auto-scaling/instance-refresh';
import { launchedInstanceType } from './auto-scaling/launched-instance-type';
import { ACTIVE_REFRESH, progressRefresh } from './auto-scaling/refresh-progress';
import {
  type DescribeScalingActivitiesInput,
  describeScalingActivities,
} from './auto-scaling/scaling-activities';
import { type DescribePoliciesInput, describePolicies } from './auto-scaling/scaling-policies';
import { scalingProcesses } from './auto-scaling/scaling-processes';
import {
  batchDeleteScheduledActions,
  batchPutScheduledActions,
  deleteScheduledAction,
  putScheduledAction,
  runScheduledActions,
  type ScheduledActionInput,
} from './auto-scaling/scheduled-actions';
import { type UpdateAutoScalingGroupInput, updateGroup } from './auto-scaling/update-group';
import {
  configureWarmPool,
  type DescribeWarmPoolInput,
  describeWarmPoolInstances,
  type PutWarmPoolInput,
} from './auto-scaling/warm-pool';
import { SimulatedAwsError, UnsupportedCommandError } from './simulated-aws-error';

export type { FailedScheduledAction, GroupCounts, GroupSpec } from './auto-scaling/group-state';

/**
 * EC2 Auto Scaling on a virtual clock: groups whose instances go Pending → InService after a
 * launch delay (+ seeded jitter) and serve after their warmup; min/max/desired with AWS's
 * validation; scheduled actions (one-time and cron) firing on the minute; a scaling-activity
 * history; warm pools (stopped instances that reach InService faster); instance refreshes that
 * replace instances in batches bounded by MinHealthyPercentage, pause at checkpoints, fail on
 * unhealthy replacements and roll back (automatically or on request); a group being deleted, which
 * refuses every change and is gone once its instances are. Call `advanceTo` as virtual
 * time moves; API methods mirror the AWS commands of the same name. Each concern lives in its
 * own module under `auto-scaling/`, acting on the group state this class keeps.
 */
export class SimulatedAutoScaling {
  private readonly groups = new Map<string, SimGroup>();
  private readonly ctx: AutoScalingContext;

  constructor(random: SeededRandom, startMs: number, region = 'us-east-1') {
    this.ctx = new AutoScalingContext(random, startMs, region);
  }

  /** Creates a group with `initialInService` instances already InService and warmed (`newGroup`). */
  createGroup(spec: GroupSpec): void {
    if (this.groups.has(spec.name)) throw new RangeError(`group ${spec.name} exists already`);
    const group = newGroup(this.ctx, spec);
    this.groups.set(spec.name, group);
    reconcile(this.ctx, group, 'the group was created');
  }

  /** Moves the group's world to `nowMs`: lifecycle transitions, scheduled actions, refresh progress. */
  advanceTo(nowMs: number): void {
    this.ctx.nowMs = nowMs;
    for (const group of this.groups.values()) {
      settleLaunches(group, nowMs);
      settleDraining(group, nowMs);
      // A group pending delete runs no scheduled action and no refresh: it only loses its instances.
      if (group.deletingSinceMs === undefined) {
        runScheduledActions(this.ctx, group, nowMs);
        progressRefresh(this.ctx, group);
      }
      reconcile(this.ctx, group, 'an instance refresh or a capacity change');
      if (deletionDone(group, nowMs)) this.groups.delete(group.spec.name);
    }
  }

  /**
   * Makes instances of launch template `version` fail their health checks from now on, as a bad
   * image would: a refresh to it fails (or rolls back) once a replacement passes its warmup.
   */
  failHealthChecksOf(groupName: string, version: string): void {
    this.group(groupName).unhealthy.add(version);
  }

  /** Lets instances of launch template `version` pass their health checks again (the image was fixed). */
  passHealthChecksOf(groupName: string, version: string): void {
    this.group(groupName).unhealthy.delete(version);
  }

  /** Where refreshes read the state of the CloudWatch alarms they watch. */
  watchAlarmsWith(alarmsInAlarm: (names: readonly string[]) => readonly string[]): void {
    this.ctx.alarmsInAlarm = alarmsInAlarm;
  }

  /**
   * Where groups read what a launch template version launches: its instance type (a single-template
   * group launches it) and its AMI (an auto rollback's target must not be an SSM alias); and
   * whether a version exists (an update or refresh naming a missing one is refused).
   */
  readTemplatesWith(
    templateData: AutoScalingContext['templateData'],
    versionExists: AutoScalingContext['templateVersionExists'] = () => undefined,
  ): void {
    this.ctx.templateData = templateData;
    this.ctx.templateVersionExists = versionExists;
  }

  /** Where launches read which instance types EC2 offers in which zone. */
  readOfferingsWith(offeredIn: AutoScalingContext['offeredIn']): void {
    this.ctx.offeredIn = offeredIn;
  }

  /** Current counts of a group. @throws SimulatedAwsError ValidationError when it does not exist. */
  counts(groupName: string): GroupCounts {
    return countInstances(this.group(groupName), this.ctx.nowMs);
  }

  /**
   * The group's scheduled actions that failed when they fired (each also left a Failed scaling
   * activity), oldest first. @throws SimulatedAwsError ValidationError when the group does not exist.
   */
  failedScheduledActions(groupName: string): readonly FailedScheduledAction[] {
    return [...this.group(groupName).failedScheduledActions];
  }

  /** The type the group launches (hourly prices are looked up by the caller). */
  instanceType(groupName: string): string {
    return launchedInstanceType(this.group(groupName), this.ctx.templateData);
  }

  /**
   * SuspendProcesses: the named processes, or all of them when none is named (API reference).
   * @throws SimulatedAwsError ValidationError on a process Auto Scaling does not have.
   */
  suspendProcesses(input: { AutoScalingGroupName?: string; ScalingProcesses?: string[] }): unknown {
    const group = this.mutable(input.AutoScalingGroupName, 'SuspendProcesses');
    for (const p of scalingProcesses(input.ScalingProcesses)) group.suspended.add(p);
    return {};
  }

  /** ResumeProcesses: the named processes, or all of them. @throws SimulatedAwsError ValidationError as SuspendProcesses. */
  resumeProcesses(input: { AutoScalingGroupName?: string; ScalingProcesses?: string[] }): unknown {
    const group = this.mutable(input.AutoScalingGroupName, 'ResumeProcesses');
    for (const p of scalingProcesses(input.ScalingProcesses)) group.suspended.delete(p);
    return {};
  }

  describeAutoScalingGroups(input: DescribeAutoScalingGroupsInput): unknown {
    return describeAutoScalingGroups(this.ctx, this.groups.values(), input);
  }

  /** UpdateAutoScalingGroup (`updateGroup`). @throws SimulatedAwsError ValidationError, also while pending delete. */
  updateAutoScalingGroup(
    input: UpdateAutoScalingGroupInput,
    cause = 'a user request update of AutoScalingGroup constraints',
  ): unknown {
    updateGroup(this.ctx, this.mutable(input.AutoScalingGroupName, 'UpdateAutoScalingGroup'), input, cause);
    return {};
  }

  /**
   * DeleteAutoScalingGroup (`deleteGroup`): with `ForceDelete` the group goes pending delete, and
   * every change to it is refused from then on; once its instances are gone (`deletionDone`, on a
   * later `advanceTo`) the group is gone too.
   * @throws SimulatedAwsError ResourceInUse without `ForceDelete` on a group with instances;
   * ValidationError on a group that does not exist (or no longer does).
   */
  deleteAutoScalingGroup(input: { AutoScalingGroupName?: string; ForceDelete?: boolean }): unknown {
    deleteGroup(this.ctx, this.group(input.AutoScalingGroupName, 'DeleteAutoScalingGroup'), input);
    return {};
  }

  /** Whether the group is pending delete (its policies, like AWS's, no longer act on it). */
  isPendingDelete(groupName: string): boolean {
    return this.group(groupName).deletingSinceMs !== undefined;
  }

  /** Whether the group exists: created and not yet gone after a DeleteAutoScalingGroup. */
  exists(groupName: string): boolean {
    return this.groups.has(groupName);
  }

  /** SetDesiredCapacity (policies of the simulation use it). @throws SimulatedAwsError ValidationError outside [min, max]. */
  setDesiredCapacity(
    input: { AutoScalingGroupName?: string; DesiredCapacity?: number },
    cause = 'a user request explicitly set group desired capacity',
  ): unknown {
    const group = this.mutable(input.AutoScalingGroupName, 'SetDesiredCapacity');
    const desired = input.DesiredCapacity ?? group.desiredCapacity;
    if (desired < group.minSize || desired > group.maxSize) {
      throw new SimulatedAwsError(
        'ValidationError',
        `New SetDesiredCapacity value ${desired} is below min value ${group.minSize} or above max value ${group.maxSize} for the AutoScalingGroup.`,
      );
    }
    applyCapacity(this.ctx, group, { desired }, cause);
    return {};
  }

  /** DescribeAutoScalingInstances for the given instance ids (at most 50, as AWS allows). */
  describeAutoScalingInstances(input: { InstanceIds?: string[] }): unknown {
    const ids = input.InstanceIds ?? [];
    if (ids.length > 50)
      throw new SimulatedAwsError('ValidationError', 'The number of instance ids cannot exceed 50.');
    return describeAutoScalingInstances(this.groups.values(), ids, this.ctx.nowMs);
  }

  /** Every Pending, InService or Terminating instance of every group, with its zone (for the simulated EC2). */
  runningInstances(): { instanceId: string; availabilityZone: string }[] {
    return [...this.groups.values()].flatMap((g) =>
      g.instances
        .filter((i) => i.state === 'Pending' || i.state === 'InService' || i.state === 'Terminating')
        .map((i) => ({ instanceId: i.id, availabilityZone: i.az })),
    );
  }

  /** The region's availability zones the groups use. */
  availabilityZones(): string[] {
    return [...new Set([...this.groups.values()].flatMap((g) => [...this.ctx.availabilityZones(g)]))];
  }

  describePolicies(input: DescribePoliciesInput): unknown {
    return describePolicies(
      this.ctx,
      this.groupsNamed(input.AutoScalingGroupName, 'DescribePolicies'),
      input,
    );
  }

  /**
   * DescribeScalingActivities. A group that does not exist (or no longer does) has no activities
   * rather than an error: AWS lists a deleted group's activities only with `IncludeDeletedGroups`
   * (API reference), which Prescale never sets and the simulation does not model (a deleted
   * group's activities go with it).
   */
  describeScalingActivities(input: DescribeScalingActivitiesInput): unknown {
    const name = input.AutoScalingGroupName;
    const groups = name ? [this.groups.get(name)].filter((g) => g !== undefined) : [...this.groups.values()];
    return describeScalingActivities(groups, input);
  }

  putScheduledUpdateGroupAction(input: ScheduledActionInput & { AutoScalingGroupName?: string }): unknown {
    putScheduledAction(
      this.ctx,
      this.mutable(input.AutoScalingGroupName, 'PutScheduledUpdateGroupAction'),
      input,
    );
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
    ScheduledUpdateGroupActions?: Omit<ScheduledActionInput, 'Time'>[];
  }): unknown {
    const group = this.mutable(input.AutoScalingGroupName, 'BatchPutScheduledUpdateGroupAction');
    return batchPutScheduledActions(this.ctx, group, input.ScheduledUpdateGroupActions ?? []);
  }

  /**
   * BatchDeleteScheduledAction: at most 50 names per call; a name the group does not have comes
   * back in `FailedScheduledActions` (ValidationError, "not found") while the others are deleted.
   */
  batchDeleteScheduledAction(input: {
    AutoScalingGroupName?: string;
    ScheduledActionNames?: string[];
  }): unknown {
    const group = this.mutable(input.AutoScalingGroupName, 'BatchDeleteScheduledAction');
    return batchDeleteScheduledActions(group, input.ScheduledActionNames ?? []);
  }

  deleteScheduledAction(input: { AutoScalingGroupName?: string; ScheduledActionName?: string }): unknown {
    deleteScheduledAction(
      this.mutable(input.AutoScalingGroupName, 'DeleteScheduledAction'),
      input.ScheduledActionName,
    );
    return {};
  }

  describeScheduledActions(input: DescribeScheduledActionsInput): unknown {
    return describeScheduledActions(
      this.groupsNamed(input.AutoScalingGroupName, 'DescribeScheduledActions'),
      input,
      this.ctx.nowMs,
    );
  }

  putWarmPool(input: PutWarmPoolInput): unknown {
    const group = this.mutable(input.AutoScalingGroupName, 'PutWarmPool');
    // PutWarmPool's API reference: "This operation cannot be called on an Auto Scaling group that
    // has a mixed instances policy or a launch template or launch configuration that requests Spot
    // Instances." (weighted groups, which the pool does not model, are among them).
    if (group.mixed)
      throw new SimulatedAwsError(
        'ValidationError',
        `Auto Scaling group ${group.spec.name} has a mixed instances policy: a warm pool cannot be added to it.`,
      );
    if (drainsOrWaits(group.spec))
      throw new UnsupportedCommandError(
        'autoscaling',
        'PutWarmPoolCommand on a group with lifecycle hooks or a deregistration delay',
      );
    // PutWarmPool's documented InstanceRefreshInProgress: the pool cannot change under a refresh.
    if (group.refreshes.some((r) => ACTIVE_REFRESH.has(r.status))) {
      throw autoScalingFault(
        'InstanceRefreshInProgress',
        'An instance refresh is in progress; the warm pool cannot be updated until it ends.',
      );
    }
    configureWarmPool(group, input);
    reconcile(this.ctx, group, 'a warm pool update');
    return {};
  }

  /** CreateOrUpdateTags on groups (`createOrUpdateTags`). */
  createOrUpdateTags(input: { Tags?: GroupTagInput[] }): unknown {
    createOrUpdateTags((name) => this.mutable(name, 'CreateOrUpdateTags'), input.Tags ?? []);
    return {};
  }

  /** DeleteTags on groups (`deleteTags`). */
  deleteTags(input: { Tags?: GroupTagInput[] }): unknown {
    deleteTags((name) => this.mutable(name, 'DeleteTags'), input.Tags ?? []);
    return {};
  }

  /** SetInstanceProtection (`setInstanceProtection`). */
  setInstanceProtection(input: SetInstanceProtectionInput): unknown {
    setInstanceProtection(this.mutable(input.AutoScalingGroupName, 'SetInstanceProtection'), input);
    return {};
  }

  startInstanceRefresh(input: StartInstanceRefreshInput): unknown {
    return startInstanceRefresh(
      this.ctx,
      this.mutable(input.AutoScalingGroupName, 'StartInstanceRefresh'),
      input,
    );
  }

  cancelInstanceRefresh(input: { AutoScalingGroupName?: string }): unknown {
    return cancelInstanceRefresh(this.mutable(input.AutoScalingGroupName, 'CancelInstanceRefresh'));
  }

  rollbackInstanceRefresh(input: { AutoScalingGroupName?: string }): unknown {
    return rollbackInstanceRefresh(
      this.ctx,
      this.mutable(input.AutoScalingGroupName, 'RollbackInstanceRefresh'),
    );
  }

  /**
   * DescribeWarmPool (`describeWarmPoolInstances`).
   * @throws SimulatedAwsError ValidationError on a group that does not exist or MaxRecords outside 1–50.
   */
  describeWarmPool(input: DescribeWarmPoolInput): unknown {
    return describeWarmPoolInstances(
      this.group(input.AutoScalingGroupName, 'DescribeWarmPool'),
      input,
      this.ctx.nowMs,
    );
  }

  describeInstanceRefreshes(input: DescribeInstanceRefreshesInput): unknown {
    return describeInstanceRefreshes(
      this.group(input.AutoScalingGroupName, 'DescribeInstanceRefreshes'),
      input,
    );
  }

  /**
   * The named group. @throws SimulatedAwsError ValidationError when it does not exist: AWS's
   * answer to `call` (`groupNotFound`), or, for the world's own reads (`counts`...), the form of
   * the group-level calls.
   */
  private group(name: string | undefined, call: GroupCall = 'DescribeInstanceRefreshes'): SimGroup {
    const group = name ? this.groups.get(name) : undefined;
    if (!group) throw groupNotFound(call, name);
    return group;
  }

  /** The named group, to change: refused while it is pending delete (`refuseWhilePendingDelete`). */
  private mutable(name: string | undefined, call: GroupCall): SimGroup {
    return refuseWhilePendingDelete(this.group(name, call));
  }

  /** The named group, or every group when no name is given (Describe* calls without a group). */
  private groupsNamed(name: string | undefined, call: GroupCall): SimGroup[] {
    return name ? [this.group(name, call)] : [...this.groups.values()];
  }
}
