import { SimulatedAwsError } from '../simulated-aws-error';
import type { AutoScalingContext } from './auto-scaling-context';
import { capacityOf, launchWeight, nextLaunchUnits, unitsOf } from './capacity-units';
import { beginDraining, drainingShare, drainsBeforeTermination } from './connection-draining';
import type { GroupCounts, SimGroup, SimInstance } from './group-state';
import { chooseLaunch } from './launch-choice';
import { recordActivity } from './scaling-activities';
import { preparedInWarmPool, resizeWarmPool, returnToWarmPool, warmedState } from './warm-pool';

/** InService, past warmup and of a healthy version at `nowMs`: the instance serves load. */
export function isReady(group: SimGroup, i: SimInstance, nowMs: number): boolean {
  return i.state === 'InService' && i.readyAtMs <= nowMs && !group.unhealthy.has(i.version);
}

/**
 * Moves instances whose launch delay has passed: Pending → InService, Warmed:Pending → the pool's state,
 * settling each one's launch activity (into the group, or into the warm pool).
 */
export function settleLaunches(group: SimGroup, nowMs: number): void {
  for (const instance of group.instances) {
    if (instance.state === 'Pending' && instance.inServiceAtMs <= nowMs) {
      instance.state = 'InService';
      if (instance.activity) {
        instance.activity.EndTime = new Date(instance.inServiceAtMs);
        instance.activity.StatusCode = 'Successful';
        instance.activity.Progress = 100;
      }
    } else if (instance.state === 'Warmed:Pending' && instance.inServiceAtMs <= nowMs) {
      instance.state = warmedState(group);
      if (instance.activity) {
        instance.activity.EndTime = new Date(instance.inServiceAtMs);
        instance.activity.StatusCode = 'Successful';
        instance.activity.Progress = 100;
      }
    }
  }
}

/** The group's counts by lifecycle state at `nowMs`. */
export function countInstances(group: SimGroup, nowMs: number): GroupCounts {
  let pending = 0;
  let inService = 0;
  let ready = 0;
  let warmPoolStopped = 0;
  let warmPoolRunning = 0;
  let warmPoolPending = 0;
  let activeUnits = 0;
  let readyUnits = 0;
  let terminating = 0;
  let terminatingUnits = 0;
  let drainingInstances = 0;
  let pendingWait = 0;
  for (const i of group.instances) {
    if (i.state === 'Terminating') {
      terminating += 1;
      terminatingUnits += unitsOf(i);
      drainingInstances += drainingShare(i, nowMs);
    } else if (i.state === 'Pending') {
      pending += 1;
      if (i.pendingWaitFromMs !== undefined && i.pendingWaitFromMs <= nowMs) pendingWait += 1;
      activeUnits += unitsOf(i);
    } else if (i.state === 'InService') {
      inService += 1;
      activeUnits += unitsOf(i);
      if (isReady(group, i, nowMs)) {
        ready += 1;
        readyUnits += unitsOf(i);
      }
    } else if (i.state === 'Warmed:Pending') warmPoolPending += 1;
    else if (i.state === 'Warmed:Running') warmPoolRunning += 1;
    else warmPoolStopped += 1;
  }
  return {
    minSize: group.minSize,
    maxSize: group.maxSize,
    desiredCapacity: group.desiredCapacity,
    pending,
    inService,
    ready,
    warming: pending + inService - ready,
    terminating,
    drainingInstances,
    pendingWait,
    readyUnits,
    warmingUnits: activeUnits - readyUnits,
    terminatingUnits,
    warmPoolStopped,
    warmPoolRunning,
    warmPoolPending,
  };
}

/**
 * Launches or terminates until the capacity units (`unitsOf`) of the group's Pending + InService
 * instances meet its desired capacity (unless Launch or Terminate is suspended), then resizes the
 * warm pool. With weights, a launch may overshoot desired capacity, as AWS's does; scale-in never
 * takes the group below it. Scale-in takes Pending instances first (newest first), then instances
 * of an old version, then the oldest. Instances a refresh keeps until their replacements are
 * healthy (`InstanceRefresh.leaving`) count for nothing here.
 */
export function reconcile(ctx: AutoScalingContext, group: SimGroup, cause: string): void {
  const leaving = group.refreshes[0]?.leaving;
  const active = group.instances.filter(
    (i) => (i.state === 'Pending' || i.state === 'InService') && !leaving?.has(i.id),
  );
  let units = capacityOf(active);
  if (units < group.desiredCapacity && !group.suspended.has('Launch')) {
    launchUnits(ctx, group, cause, group.desiredCapacity - units);
  } else if (units > group.desiredCapacity && !group.suspended.has('Terminate')) {
    const order = [...active].sort((a, b) => {
      if (a.state !== b.state) return a.state === 'Pending' ? -1 : 1;
      if (a.state === 'Pending') return b.launchedAtMs - a.launchedAtMs;
      if ((a.version === group.version) !== (b.version === group.version))
        return a.version === group.version ? 1 : -1;
      return a.launchedAtMs - b.launchedAtMs;
    });
    for (const victim of order) {
      // "Instance scale-in protection ... prevents Auto Scaling from terminating it on scale in."
      if (victim.protectedFromScaleIn) continue;
      if (units - unitsOf(victim) < group.desiredCapacity) continue;
      if (!returnToWarmPool(ctx, group, victim)) scaleIn(ctx, group, victim, cause);
      units -= unitsOf(victim);
    }
  }
  resizeWarmPool(ctx, group);
}

/**
 * Which warm pool instances a launch may draw: any prepared one (a scale-out), or only those of the
 * group's current version (an instance refresh's replacement, which must be of its target).
 */
export type WarmPoolDraw = 'any-version' | 'current-version';

/**
 * Launches until `units` capacity units are on the way, the last launch overshooting as AWS's may;
 * a launch that fails counts the units it would have brought, so a refused launch ends the round
 * (the group retries on its next reconcile) instead of looping.
 * @returns the instances launched.
 */
export function launchUnits(
  ctx: AutoScalingContext,
  group: SimGroup,
  cause: string,
  units: number,
  draw: WarmPoolDraw = 'any-version',
): SimInstance[] {
  const launched: SimInstance[] = [];
  for (let started = 0; started < units; ) {
    const instance = launch(ctx, group, cause, draw);
    if (instance) launched.push(instance);
    started += instance ? unitsOf(instance) : nextLaunchUnits(group, ctx.templateData);
  }
  return launched;
}

/**
 * Launches one instance: from the warm pool when it holds a prepared one (stopped, running or
 * hibernated; `drawFromWarmPool`), else a new one of the group's current version (which
 * `GroupSpec.launchFails` may refuse: a Failed activity and no instance).
 * @returns the Pending instance, or undefined when the launch failed.
 */
export function launch(
  ctx: AutoScalingContext,
  group: SimGroup,
  cause: string,
  draw: WarmPoolDraw = 'any-version',
): SimInstance | undefined {
  const pooled = drawFromWarmPool(group, draw);
  const instance = pooled ? startFromWarmPool(ctx, group, pooled) : launchNewInstance(ctx, group, cause);
  if (!instance) return undefined;
  instance.activity = recordActivity(ctx, group, {
    Description: pooled
      ? `Launching a new EC2 instance from warm pool: ${instance.id}`
      : `Launching a new EC2 instance: ${instance.id}`,
    Cause: ctx.causeNow(cause),
    StatusCode: 'InProgress',
    startMs: ctx.nowMs,
  });
  return instance;
}

/** The warm pool's prepared instance, Pending from now for the pool's launch time. */
function startFromWarmPool(ctx: AutoScalingContext, group: SimGroup, pooled: SimInstance): SimInstance {
  const delayMs = ctx.launchDelayMs(
    group.spec.warmPoolLaunchSeconds,
    Math.min(group.spec.launchJitterSeconds, group.spec.warmPoolLaunchSeconds),
  );
  pooled.state = 'Pending';
  pooled.inServiceAtMs = ctx.nowMs + delayMs;
  pooled.readyAtMs = pooled.inServiceAtMs + group.spec.warmupSeconds * 1000;
  return pooled;
}

/**
 * A new instance of the group's current version, in the zone and type `chooseLaunch` picks, Pending
 * for its boot and launch hook; undefined, with a Failed activity, when the launch is refused.
 */
function launchNewInstance(ctx: AutoScalingContext, group: SimGroup, cause: string): SimInstance | undefined {
  const choice = chooseLaunch(ctx, group);
  if (choice.kind === 'failed' || choice.refusedInFirstZone) {
    const message = choice.kind === 'failed' ? choice.statusMessage : choice.refusedInFirstZone;
    recordActivity(ctx, group, {
      Description: `Launching a new EC2 instance.  Status Reason: ${choice.kind === 'failed' ? choice.statusReason : message}`,
      Cause: ctx.causeNow(cause),
      StatusCode: 'Failed',
      StatusMessage: message,
      startMs: ctx.nowMs,
      endMs: ctx.nowMs,
    });
    if (choice.kind === 'failed') return undefined;
  }
  const { instanceType, az } = choice;
  const bootMs = ctx.launchDelayMs(group.spec.launchDelaySeconds, group.spec.launchJitterSeconds);
  // A launch hook holds the booted instance Pending:Wait for its timeout before InService.
  const hookMs = (group.spec.lifecycleHooks?.launchingSeconds ?? 0) * 1000;
  const delayMs = bootMs + hookMs;
  const instance: SimInstance = {
    id: ctx.instanceId(),
    state: 'Pending',
    launchedAtMs: ctx.nowMs,
    inServiceAtMs: ctx.nowMs + delayMs,
    readyAtMs: ctx.nowMs + delayMs + group.spec.warmupSeconds * 1000,
    ...(hookMs > 0 ? { pendingWaitFromMs: ctx.nowMs + bootMs } : {}),
    version: group.version,
    instanceType,
    ...launchWeight(group.mixed, instanceType),
    az,
  };
  group.instances.push(instance);
  return instance;
}

/**
 * The prepared pool instance a launch takes: one of the group's current version first, else (for a
 * scale-out) one of an older version, as it is. A new launch template version leaves the pool's
 * instances alone: "Any new instances are launched using the new AMI and other updates that are
 * specified in the launch template or launch configuration, but existing instances are not
 * affected. To force replacement warm pool instances to launch that use the new launch template
 * or launch configuration, you can start an instance refresh" (user guide, *Update the instances
 * in a warm pool*,
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-warm-pools.html#update-warm-pool).
 * Nothing there says a scale-out passes them over, so it draws them; which one AWS takes first is
 * not documented. Until 2026-12-06 a scale-out drew the current version only, while the pool
 * counted the older ones toward its size: after a version change without a refresh the pool was
 * full of instances never drawn nor renewed, and every scale-out launched cold.
 */
function drawFromWarmPool(group: SimGroup, draw: WarmPoolDraw): SimInstance | undefined {
  const prepared = group.instances.filter(preparedInWarmPool);
  const current = prepared.find((i) => i.version === group.version);
  return current ?? (draw === 'any-version' ? prepared[0] : undefined);
}

/**
 * Takes an instance out on scale-in: through its target group's deregistration delay when the
 * group has one (`connection-draining.ts`), else terminated at once.
 */
function scaleIn(ctx: AutoScalingContext, group: SimGroup, victim: SimInstance, cause: string): void {
  if (drainsBeforeTermination(group, victim)) beginDraining(ctx, group, victim, cause);
  else terminate(ctx, group, victim, cause);
}

/** Removes an instance from the group; its launch activity fails when it never reached InService. */
export function terminate(
  ctx: AutoScalingContext,
  group: SimGroup,
  victim: SimInstance,
  cause: string,
): void {
  group.instances = group.instances.filter((i) => i.id !== victim.id);
  if (victim.activity && victim.activity.StatusCode === 'InProgress') {
    victim.activity.StatusCode = 'Failed';
    victim.activity.StatusMessage = 'Instance was terminated before it reached InService';
    victim.activity.EndTime = new Date(ctx.nowMs);
  }
  recordActivity(ctx, group, {
    Description: `Terminating EC2 instance: ${victim.id}`,
    Cause: ctx.causeNow(cause),
    StatusCode: 'Successful',
    startMs: ctx.nowMs,
    endMs: ctx.nowMs,
  });
}

/** Sizes an update asks for: each left out keeps the group's. */
export interface CapacitySizes {
  readonly min?: number;
  readonly max?: number;
  readonly desired?: number;
}

/**
 * The min, max and desired capacity `sizes` would give the group, checked as AWS checks them, the
 * group unchanged: an omitted desired capacity moves inside the new bounds.
 * @throws SimulatedAwsError ValidationError on a negative size, min > max, or desired outside [min, max].
 */
export function checkedCapacity(
  group: SimGroup,
  sizes: CapacitySizes,
): { readonly minSize: number; readonly maxSize: number; readonly desiredCapacity: number } {
  const { min, max, desired } = sizes;
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
  if (desired !== undefined && (desired < newMin || desired > newMax)) {
    throw new SimulatedAwsError(
      'ValidationError',
      `Desired capacity:${desired} must be between the specified min size:${newMin} and max size:${newMax}`,
    );
  }
  // Without an explicit desired capacity, AWS moves it inside new bounds.
  const desiredCapacity = Math.min(newMax, Math.max(newMin, desired ?? group.desiredCapacity));
  return { minSize: newMin, maxSize: newMax, desiredCapacity };
}

/**
 * Sets min, max and desired capacity with AWS's validation (`checkedCapacity`). Reconciles when
 * desired capacity changed.
 * @throws SimulatedAwsError ValidationError on a negative size, min > max, or desired outside [min, max].
 */
export function applyCapacity(
  ctx: AutoScalingContext,
  group: SimGroup,
  sizes: CapacitySizes,
  cause: string,
): void {
  const next = checkedCapacity(group, sizes);
  const before = group.desiredCapacity;
  group.minSize = next.minSize;
  group.maxSize = next.maxSize;
  group.desiredCapacity = next.desiredCapacity;
  if (next.desiredCapacity !== before) {
    reconcile(ctx, group, `${cause} changing the desired capacity from ${before} to ${next.desiredCapacity}`);
  }
}
