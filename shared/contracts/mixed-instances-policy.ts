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

/** The policy that launches from `launchTemplate` with `overrides`, keeping `instancesDistribution` as given. */
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
    ...(instancesDistribution ? { InstancesDistribution: { ...instancesDistribution } } : {}),
  };
}
