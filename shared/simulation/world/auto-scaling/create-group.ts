import type { AutoScalingContext } from './auto-scaling-context';
import { launchWeight } from './capacity-units';
import { ACCOUNT, type GroupSpec, type SimGroup } from './group-state';
import { launchedInstanceType } from './launched-instance-type';
import { mixedInstancesOf } from './mixed-instances';

const MINUTE_MS = 60_000;

/**
 * A new group's state as CreateAutoScalingGroup leaves it, with `initialInService` instances
 * (DesiredCapacity by default) already InService and warmed an hour ago: the world starts in
 * steady state. Refuses bounds out of order and what the simulation does not model.
 */
export function newGroup(ctx: AutoScalingContext, spec: GroupSpec): SimGroup {
  if (!(spec.minSize <= spec.desiredCapacity && spec.desiredCapacity <= spec.maxSize)) {
    throw new RangeError(
      `group ${spec.name}: need min ≤ desired ≤ max, got ${spec.minSize} ≤ ${spec.desiredCapacity} ≤ ${spec.maxSize}`,
    );
  }
  const group: SimGroup = {
    spec,
    arn: `arn:aws:autoscaling:${ctx.region}:${ACCOUNT}:autoScalingGroup:${ctx.uuid()}:autoScalingGroupName/${spec.name}`,
    createdMs: ctx.nowMs,
    minSize: spec.minSize,
    maxSize: spec.maxSize,
    desiredCapacity: spec.desiredCapacity,
    tags: new Map(Object.entries(spec.tags ?? {})),
    unpropagatedTagKeys: new Set(),
    suspended: new Set(),
    instances: [],
    version: spec.launchTemplateVersion ?? '1',
    unhealthy: new Set(spec.unhealthyLaunchTemplateVersions ?? []),
    activities: [],
    scheduled: new Map(),
    failedScheduledActions: [],
    ...(spec.warmPool ? { warmPool: { ...spec.warmPool, poolState: 'Stopped' } } : {}),
    ...(spec.mixedInstances ? { mixed: mixedInstancesOf(spec.mixedInstances) } : {}),
    refreshes: [],
    lastScheduleCheckMs: Math.floor(ctx.nowMs / MINUTE_MS) * MINUTE_MS,
  };
  // AWS refuses a warm pool on a mixed-instances group (PutWarmPool).
  if (group.warmPool && group.mixed)
    throw new RangeError(`group ${spec.name}: AWS puts no warm pool on a mixed-instances group`);
  // AWS pauses pool launches and draws at Warmed:Pending:Wait / Pending:Wait and drains a
  // reused instance: none of which the pool's paths model, so they would read warm starts too soon.
  if (group.warmPool && drainsOrWaits(spec))
    throw new RangeError(
      `group ${spec.name}: a warm pool beside lifecycle hooks or a deregistration delay is not modeled`,
    );
  const initial = spec.initialInService ?? spec.desiredCapacity;
  const instanceType = launchedInstanceType(group, ctx.templateData);
  for (let i = 0, units = 0; units < initial; i += 1) {
    const weight = launchWeight(group.mixed, instanceType);
    group.instances.push({
      id: ctx.instanceId(),
      state: 'InService',
      launchedAtMs: ctx.nowMs - 3_600_000,
      inServiceAtMs: ctx.nowMs - 3_600_000,
      readyAtMs: ctx.nowMs - 3_600_000,
      version: group.version,
      instanceType,
      ...weight,
      az: ctx.azFor(group, i),
    });
    units += weight.weightedCapacity ?? 1;
  }
  return group;
}

/** A group whose instances wait in lifecycle hooks or drain before terminating. */
export function drainsOrWaits(spec: GroupSpec): boolean {
  return (
    (spec.deregistrationDelaySeconds ?? 0) > 0 ||
    (spec.lifecycleHooks?.launchingSeconds ?? 0) > 0 ||
    (spec.lifecycleHooks?.terminatingSeconds ?? 0) > 0
  );
}
