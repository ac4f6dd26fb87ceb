import { INSTANCE_TYPES } from '../instance-types';
import { SimulatedAwsError, UnsupportedCommandError } from '../simulated-aws-error';

/** What these functions read of a group (its spec's type, its policy). */
interface GroupLaunchView {
  readonly spec: { readonly instanceType: string };
  readonly mixed?: MixedInstances;
}

/** One override of a mixed instances policy, in the Auto Scaling API's shape. */
export interface MixedOverride {
  readonly InstanceType: string;
  readonly WeightedCapacity?: string;
  readonly LaunchTemplateSpecification?: { readonly LaunchTemplateId?: string; readonly Version?: string };
}

/** A group's mixed instances policy as UpdateAutoScalingGroup left it (its template is the group's). */
export interface MixedInstances {
  readonly overrides: readonly MixedOverride[];
  readonly distribution: Readonly<Record<string, string | number>>;
}

/** What a group spec gives a mixed-instances group: its overrides' types, in priority order. */
export interface MixedInstancesSpec {
  readonly instanceTypes: readonly string[];
  readonly instancesDistribution?: Readonly<Record<string, string | number>>;
}

/** Auto Scaling's defaults for an InstancesDistribution left out (API reference, InstancesDistribution). */
const DEFAULT_DISTRIBUTION: Readonly<Record<string, string | number>> = {
  OnDemandAllocationStrategy: 'prioritized',
  OnDemandBaseCapacity: 0,
  OnDemandPercentageAboveBaseCapacity: 100,
  SpotAllocationStrategy: 'lowest-price',
  SpotInstancePools: 2,
};

// biome-ignore lint/suspicious/noExplicitAny: the SDK input, validated against the model before it arrives.
type Input = Record<string, any>;

/** The mixed instances policy a spec creates its group with. @throws RangeError on a type the world does not offer. */
export function mixedInstancesOf(spec: MixedInstancesSpec): MixedInstances {
  for (const type of spec.instanceTypes)
    if (!INSTANCE_TYPES[type]) throw new RangeError(`the simulated EC2 offers no ${type}`);
  if (spec.instanceTypes.length === 0) throw new RangeError('a mixed instances group needs an instance type');
  return {
    overrides: spec.instanceTypes.map((InstanceType) => ({ InstanceType })),
    distribution: { ...DEFAULT_DISTRIBUTION, ...spec.instancesDistribution },
  };
}

/** DescribeAutoScalingGroups' MixedInstancesPolicy of a mixed group. */
export function describeMixedInstancesPolicy(mixed: MixedInstances, launchTemplate: object): object {
  return {
    LaunchTemplate: {
      LaunchTemplateSpecification: launchTemplate,
      Overrides: mixed.overrides.map((o) => ({ ...o })),
    },
    InstancesDistribution: { ...mixed.distribution },
  };
}

/**
 * Applies UpdateAutoScalingGroup's MixedInstancesPolicy: overrides replaced when given, the
 * distribution's given members over the current ones, the group's template version when an
 * explicit one is named. Returns the policy; `group.version` is set by the caller.
 * @throws SimulatedAwsError ValidationError for a type the simulated EC2 does not offer;
 *   UnsupportedCommandError for what the simulation does not model (weights other than 1,
 *   attribute-based selection).
 */
export function updatedMixedInstances(group: GroupLaunchView, policy: Input): MixedInstances {
  const given: Input[] | undefined = policy.LaunchTemplate?.Overrides;
  const overrides: MixedOverride[] = given
    ? given.map(overrideOf)
    : [...(group.mixed?.overrides ?? [{ InstanceType: group.spec.instanceType }])];
  if (overrides.length === 0)
    throw new SimulatedAwsError('ValidationError', 'A mixed instances policy needs at least one override.');
  return {
    overrides,
    distribution: {
      ...(group.mixed?.distribution ?? DEFAULT_DISTRIBUTION),
      ...(policy.InstancesDistribution ?? {}),
    },
  };
}

function overrideOf(o: Input): MixedOverride {
  if (o.InstanceRequirements || !o.InstanceType)
    throw new UnsupportedCommandError(
      'autoscaling',
      'UpdateAutoScalingGroupCommand with InstanceRequirements',
    );
  if (o.WeightedCapacity !== undefined && String(o.WeightedCapacity) !== '1')
    throw new UnsupportedCommandError(
      'autoscaling',
      'UpdateAutoScalingGroupCommand with WeightedCapacity other than 1',
    );
  if (!INSTANCE_TYPES[o.InstanceType])
    throw new SimulatedAwsError(
      'ValidationError',
      `Invalid instance type ${o.InstanceType} in the overrides. The simulated EC2 offers ${Object.keys(INSTANCE_TYPES).join(', ')}.`,
    );
  return {
    InstanceType: o.InstanceType,
    ...(o.WeightedCapacity !== undefined ? { WeightedCapacity: String(o.WeightedCapacity) } : {}),
    ...(o.LaunchTemplateSpecification
      ? { LaunchTemplateSpecification: { ...o.LaunchTemplateSpecification } }
      : {}),
  };
}
