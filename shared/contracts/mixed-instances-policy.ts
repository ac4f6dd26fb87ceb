/**
 * A group's `MixedInstancesPolicy` in the Auto Scaling API's shape, as both writers state it: the
 * instance-type applier's `UpdateAutoScalingGroup` and the rolling update's `DesiredConfiguration`
 * (which the workflow passes to `StartInstanceRefresh` unchanged). Either write replaces the
 * group's whole policy, so what it does not restate (an override's own launch template, the
 * on-demand/spot split) is lost: one mapping keeps the two from drifting apart.
 */

/** A launch template and version as the API names them. */
export interface LaunchTemplateRef {
  readonly id: string;
  readonly version: string;
}

/** One override: an instance type, its weight, and its own launch template when it has one. */
export interface MixedInstancesPolicyOverride {
  readonly instanceType?: string;
  readonly weightedCapacity?: number;
  readonly launchTemplate?: LaunchTemplateRef;
}

const launchTemplateSpecification = (t: LaunchTemplateRef) => ({
  LaunchTemplateId: t.id,
  Version: t.version,
});

/**
 * `distribution` as a write may restate it. Auto Scaling takes `SpotInstancePools` only with the
 * lowest-price Spot strategy, its default ("Valid only when the SpotAllocationStrategy is
 * lowest-price", API model, InstancesDistribution), and refuses it with any other
 * (`ValidationError`), while a Describe may report pools for a group on another strategy.
 */
function restatableDistribution(
  distribution: Readonly<Record<string, string | number>>,
): Record<string, string | number> {
  const { SpotInstancePools: pools, ...rest } = distribution;
  const strategy = distribution.SpotAllocationStrategy ?? 'lowest-price';
  return pools === undefined || strategy !== 'lowest-price' ? rest : { ...rest, SpotInstancePools: pools };
}

/**
 * The policy that launches from `launchTemplate` with `overrides`, keeping `instancesDistribution`
 * as given but for a `SpotInstancePools` its Spot strategy does not take (`restatableDistribution`).
 */
export function mixedInstancesPolicy(
  launchTemplate: LaunchTemplateRef,
  overrides: readonly MixedInstancesPolicyOverride[],
  instancesDistribution?: Readonly<Record<string, string | number>>,
) {
  return {
    LaunchTemplate: {
      LaunchTemplateSpecification: launchTemplateSpecification(launchTemplate),
      Overrides: overrides.map((o) => ({
        ...(o.instanceType ? { InstanceType: o.instanceType } : {}),
        // The API types WeightedCapacity as a string of a whole number 1–999.
        ...(o.weightedCapacity !== undefined ? { WeightedCapacity: String(o.weightedCapacity) } : {}),
        ...(o.launchTemplate
          ? { LaunchTemplateSpecification: launchTemplateSpecification(o.launchTemplate) }
          : {}),
      })),
    },
    ...(instancesDistribution
      ? { InstancesDistribution: restatableDistribution(instancesDistribution) }
      : {}),
  };
}
