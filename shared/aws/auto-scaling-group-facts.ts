import type {
  AutoScalingGroup,
  Instance,
  LaunchTemplate,
  WarmPoolConfiguration,
} from '@aws-sdk/client-auto-scaling';
import type { GroupSnapshot, MixedInstancesOverride, WarmPoolSettings } from '../ports/scaling-target';

/**
 * Whether DeleteAutoScalingGroup is under way: the API reports `Status` only then ("Delete in
 * progress"), and refuses every change to the group until it is gone.
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_AutoScalingGroup.html
 */
export function isBeingDeleted(group: AutoScalingGroup): boolean {
  return group.Status === 'Delete in progress';
}

/** The names of the Auto Scaling processes suspended on the group. */
export function suspendedProcessesOf(group: AutoScalingGroup): string[] {
  return (group.SuspendedProcesses ?? []).map((p) => p.ProcessName ?? '').filter(Boolean);
}

export function tagsOf(group: AutoScalingGroup): Record<string, string> {
  return Object.fromEntries((group.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}

/** A mixed instances policy's overrides in domain terms (none without a policy). */
export function overridesOf(mixed: LaunchTemplate | undefined): MixedInstancesOverride[] {
  return (mixed?.Overrides ?? []).map((o) => ({
    ...(o.InstanceType ? { instanceType: o.InstanceType } : {}),
    ...(o.WeightedCapacity ? { weightedCapacity: Number(o.WeightedCapacity) } : {}),
    ...(o.LaunchTemplateSpecification?.LaunchTemplateId
      ? {
          launchTemplate: {
            id: o.LaunchTemplateSpecification.LaunchTemplateId,
            version: o.LaunchTemplateSpecification.Version ?? '$Default',
          },
        }
      : {}),
  }));
}

/**
 * The group's in-service capacity in the units DesiredCapacity counts, and each instance's weight
 * when the group is weighted (undefined otherwise).
 */
export function capacityOf(
  group: AutoScalingGroup,
  overrides: readonly MixedInstancesOverride[],
): { inServiceCapacity: number; instanceWeights: Record<string, number> | undefined } {
  const weightByType = new Map(overrides.map((o) => [o.instanceType, o.weightedCapacity ?? 1]));
  const weightOf = (i: Instance) =>
    i.WeightedCapacity ? Number(i.WeightedCapacity) : (weightByType.get(i.InstanceType) ?? 1);
  const inService = (group.Instances ?? []).filter((i) => i.LifecycleState === 'InService');
  const inServiceCapacity = inService.reduce((sum, i) => sum + weightOf(i), 0);
  // DesiredCapacity is in capacity units once any override or instance carries a weight.
  const weighted =
    overrides.some((o) => o.weightedCapacity !== undefined) ||
    (group.Instances ?? []).some((i) => i.WeightedCapacity !== undefined);
  const instanceWeights = weighted
    ? Object.fromEntries(
        (group.Instances ?? []).filter((i) => i.InstanceId).map((i) => [i.InstanceId as string, weightOf(i)]),
      )
    : undefined;
  return { inServiceCapacity, instanceWeights };
}

/** How many of the group's instances are protected from scale in, when any are. */
export function protectedInstancesOf(group: AutoScalingGroup): { protectedInstances?: number } {
  const count = (group.Instances ?? []).filter((i) => i.ProtectedFromScaleIn === true).length;
  return count > 0 ? { protectedInstances: count } : {};
}

/** How many of the group's instances are in Standby (`LifecycleState`), when any are. */
export function standbyInstancesOf(group: AutoScalingGroup): { standbyInstances?: number } {
  const count = (group.Instances ?? []).filter((i) => i.LifecycleState === 'Standby').length;
  return count > 0 ? { standbyInstances: count } : {};
}

/**
 * The group's warm pool as Prescale reads it; none while it is being deleted (`Status:
 * PendingDelete`, until its instances have terminated): an operator's deletion is not sized or
 * given back, and a deletion started after a batch read shows as the pool gone (the group moved).
 */
export function liveWarmPoolOf(pool: WarmPoolConfiguration | undefined): { warmPool?: WarmPoolSettings } {
  return pool && pool.Status !== 'PendingDelete' ? { warmPool: warmPoolOf(pool) } : {};
}

export function warmPoolOf(pool: WarmPoolConfiguration): WarmPoolSettings {
  return {
    minSize: pool.MinSize ?? 0,
    // -1 is the API's "no limit": the same as leaving it out.
    ...(pool.MaxGroupPreparedCapacity !== undefined && pool.MaxGroupPreparedCapacity !== -1
      ? { maxGroupPreparedCapacity: pool.MaxGroupPreparedCapacity }
      : {}),
    ...(pool.PoolState ? { poolState: pool.PoolState } : {}),
    ...(pool.InstanceReusePolicy?.ReuseOnScaleIn !== undefined
      ? { reuseOnScaleIn: pool.InstanceReusePolicy.ReuseOnScaleIn }
      : {}),
  };
}

export function mixedInstancesOf(
  group: AutoScalingGroup,
  mixed: LaunchTemplate,
  overrides: readonly MixedInstancesOverride[],
): NonNullable<GroupSnapshot['mixedInstances']> {
  const distribution = group.MixedInstancesPolicy?.InstancesDistribution;
  const spec = mixed.LaunchTemplateSpecification ?? group.LaunchTemplate;
  return {
    launchTemplateId: spec?.LaunchTemplateId ?? '',
    version: spec?.Version ?? '$Default',
    overrides,
    usesAttributeBasedSelection: (mixed.Overrides ?? []).some((o) => o.InstanceRequirements !== undefined),
    ...(distribution && Object.keys(distribution).length > 0
      ? { instancesDistribution: { ...distribution } as Record<string, string | number> }
      : {}),
  };
}
