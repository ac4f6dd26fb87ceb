import { compareText } from './filter-candidates';

/** What the launch order reads of a type. */
export interface PricedType {
  readonly instanceType: string;
  /** After the family's discount, USD per instance-hour. */
  readonly hourlyPriceUsd: number;
  readonly capacityUnitsPerInstance: number;
}

/** A mixed group's `InstancesDistribution.OnDemandAllocationStrategy` (Auto Scaling's default: `prioritized`). */
export type OnDemandAllocationStrategy = 'prioritized' | 'lowest-price';

/**
 * The selected types in the order a mixed-instances group's overrides should list them: the
 * lowest price per capacity unit first (after discounts), then the lower hourly price, then the
 * name. Under the `prioritized` On-Demand allocation strategy (Auto Scaling's default without
 * InstanceRequirements) the group launches its first override's type for all the capacity EC2 has
 * of it and the next type only for the rest, so the order, not the mix, sets what the group runs;
 * cheapest first also makes the others the fallbacks when the cheapest is short. Under
 * `lowest-price` Auto Scaling orders them this way itself.
 */
export function inLaunchPriority<T extends PricedType>(types: readonly T[]): T[] {
  const perUnit = (t: PricedType) => t.hourlyPriceUsd / t.capacityUnitsPerInstance;
  return [...types].sort(
    (a, b) =>
      perUnit(a) - perUnit(b) ||
      a.hourlyPriceUsd - b.hourlyPriceUsd ||
      compareText(a.instanceType, b.instanceType),
  );
}

/**
 * The type a mixed group launches for all the On-Demand capacity EC2 has of it: its first override
 * (`overrides` in the group's order) under `prioritized`, the lowest price per unit under
 * `lowest-price`. Undefined for no overrides.
 */
export function firstLaunched<T extends PricedType>(
  overrides: readonly T[],
  strategy: OnDemandAllocationStrategy,
): T | undefined {
  return strategy === 'lowest-price' ? inLaunchPriority(overrides)[0] : overrides[0];
}

/**
 * USD per hour of `requiredUnits` capacity units on `type` alone (whole instances): what a mixed
 * group costs at its peak when EC2 has that type, whatever else its overrides list.
 */
export function launchedHourlyCost(type: PricedType, requiredUnits: number): number {
  return Math.ceil(requiredUnits / type.capacityUnitsPerInstance) * type.hourlyPriceUsd;
}

/** The On-Demand allocation strategy an `InstancesDistribution` sets (`prioritized` when it sets none). */
export function onDemandAllocationStrategy(
  distribution: Readonly<Record<string, string | number>> | undefined,
): OnDemandAllocationStrategy {
  return distribution?.OnDemandAllocationStrategy === 'lowest-price' ? 'lowest-price' : 'prioritized';
}
