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
  /** Each type's `WeightedCapacity` (every type's, or none: AWS takes no partial weights). */
  readonly weights?: Readonly<Record<string, number>>;
  readonly instancesDistribution?: Readonly<Record<string, string | number>>;
}

type Distribution = Readonly<Record<string, string | number>>;

/** Auto Scaling's defaults for an InstancesDistribution left out (API reference, InstancesDistribution). */
const DEFAULT_DISTRIBUTION: Distribution = {
  OnDemandAllocationStrategy: 'prioritized',
  OnDemandBaseCapacity: 0,
  OnDemandPercentageAboveBaseCapacity: 100,
  SpotAllocationStrategy: 'lowest-price',
};

/**
 * The one Spot allocation strategy that counts pools: "SpotInstancePools: Valid only when the
 * SpotAllocationStrategy is lowest-price" (API model, InstancesDistribution), default 2.
 */
const POOLED_SPOT_STRATEGY = 'lowest-price';
const DEFAULT_SPOT_INSTANCE_POOLS = 2;

// biome-ignore lint/suspicious/noExplicitAny: the SDK input, validated against the model before it arrives.
type Input = Record<string, any>;

/**
 * The mixed instances policy a spec creates its group with.
 * @throws RangeError on a type the world does not offer; SimulatedAwsError ValidationError on
 *   weights AWS refuses.
 */
export function mixedInstancesOf(spec: MixedInstancesSpec): MixedInstances {
  for (const type of spec.instanceTypes)
    if (!INSTANCE_TYPES[type]) throw new RangeError(`the simulated EC2 offers no ${type}`);
  if (spec.instanceTypes.length === 0) throw new RangeError('a mixed instances group needs an instance type');
  return {
    overrides: checkedWeights(
      spec.instanceTypes.map((InstanceType) => {
        const w = spec.weights?.[InstanceType];
        return w === undefined ? { InstanceType } : { InstanceType, WeightedCapacity: String(w) };
      }),
    ),
    distribution: distributionAfter(DEFAULT_DISTRIBUTION, spec.instancesDistribution),
  };
}

/** InstancesDistribution.OnDemandAllocationStrategy's valid values (API reference). */
const ON_DEMAND_ALLOCATION_STRATEGIES = ['lowest-price', 'prioritized'];

/**
 * The distribution `given` members make of `current` when AWS takes it: an On-Demand allocation
 * strategy it has, and SpotInstancePools only under the lowest-price Spot strategy (there 2 unless
 * set; a group leaving that strategy drops its pools).
 * @throws SimulatedAwsError ValidationError naming the value and the valid ones.
 */
function distributionAfter(current: Distribution, given: Distribution | undefined): Distribution {
  const { SpotInstancePools: pools, ...merged } = { ...current, ...given };
  const strategy = merged.OnDemandAllocationStrategy;
  if (!ON_DEMAND_ALLOCATION_STRATEGIES.includes(String(strategy)))
    throw new SimulatedAwsError(
      'ValidationError',
      `Invalid OnDemandAllocationStrategy ${strategy}; valid values are ${ON_DEMAND_ALLOCATION_STRATEGIES.join(', ')}.`,
    );
  if (merged.SpotAllocationStrategy !== POOLED_SPOT_STRATEGY) {
    if (given?.SpotInstancePools !== undefined)
      throw new SimulatedAwsError(
        'ValidationError',
        `SpotInstancePools option is only available with the ${POOLED_SPOT_STRATEGY} allocation strategy; SpotAllocationStrategy is ${merged.SpotAllocationStrategy}.`,
      );
    return merged;
  }
  return { ...merged, SpotInstancePools: pools ?? DEFAULT_SPOT_INSTANCE_POOLS };
}

/** Auto Scaling's limits on a mixed instances policy (the CDK's and the user guide's statement of them). */
const MAX_INSTANCE_TYPES = 40;
const MAX_LAUNCH_TEMPLATES = 20;

/**
 * The overrides when AWS accepts them: at most 40 instance types and 20 distinct launch templates
 * of their own, and weights on every override or none, each a whole number 1–999
 * (LaunchTemplateOverrides.WeightedCapacity in the API reference).
 * @throws SimulatedAwsError ValidationError naming the limit or the override otherwise.
 */
function checkedWeights(overrides: MixedOverride[]): MixedOverride[] {
  if (overrides.length > MAX_INSTANCE_TYPES)
    throw new SimulatedAwsError(
      'ValidationError',
      `A mixed instances policy can have at most ${MAX_INSTANCE_TYPES} instance types; got ${overrides.length}.`,
    );
  const templates = new Set(
    overrides.flatMap((o) =>
      o.LaunchTemplateSpecification?.LaunchTemplateId ? [o.LaunchTemplateSpecification.LaunchTemplateId] : [],
    ),
  );
  if (templates.size > MAX_LAUNCH_TEMPLATES)
    throw new SimulatedAwsError(
      'ValidationError',
      `A mixed instances policy can name at most ${MAX_LAUNCH_TEMPLATES} distinct launch templates; got ${templates.size}.`,
    );
  const weighted = overrides.filter((o) => o.WeightedCapacity !== undefined);
  if (weighted.length > 0 && weighted.length < overrides.length) {
    const missing = overrides.find((o) => o.WeightedCapacity === undefined)?.InstanceType;
    throw new SimulatedAwsError(
      'ValidationError',
      `WeightedCapacity must be specified for all instance types or for none; ${missing} has none.`,
    );
  }
  for (const o of weighted) {
    const w = Number(o.WeightedCapacity);
    if (!/^\d+$/.test(String(o.WeightedCapacity)) || w < 1 || w > 999)
      throw new SimulatedAwsError(
        'ValidationError',
        `WeightedCapacity of ${o.InstanceType} must be a whole number from 1 to 999, got ${o.WeightedCapacity}.`,
      );
  }
  return overrides;
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
 * @throws SimulatedAwsError ValidationError for a type the simulated EC2 does not offer or
 *   weights AWS refuses; UnsupportedCommandError for what the simulation does not model
 *   (attribute-based selection).
 */
export function updatedMixedInstances(group: GroupLaunchView, policy: Input): MixedInstances {
  const given: Input[] | undefined = policy.LaunchTemplate?.Overrides;
  const overrides: MixedOverride[] = given
    ? checkedWeights(given.map(overrideOf))
    : [...(group.mixed?.overrides ?? [{ InstanceType: group.spec.instanceType }])];
  if (overrides.length === 0)
    throw new SimulatedAwsError('ValidationError', 'A mixed instances policy needs at least one override.');
  return {
    overrides,
    distribution: distributionAfter(
      group.mixed?.distribution ?? DEFAULT_DISTRIBUTION,
      policy.InstancesDistribution,
    ),
  };
}

function overrideOf(o: Input): MixedOverride {
  if (o.InstanceRequirements || !o.InstanceType)
    throw new UnsupportedCommandError(
      'autoscaling',
      'UpdateAutoScalingGroupCommand with InstanceRequirements',
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
