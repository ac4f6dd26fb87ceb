import { compareText } from './filter-candidates';
import { instancesFor } from './select-single-type';

/** What the launch order reads of a type. */
export interface PricedType {
  readonly instanceType: string;
  /** After the family's discount, USD per instance-hour: what an instance costs. */
  readonly hourlyPriceUsd: number;
  /** Before any discount (the On-Demand list price), USD per instance-hour. */
  readonly onDemandHourlyPriceUsd: number;
  readonly capacityUnitsPerInstance: number;
}

/** A mixed group's `InstancesDistribution.OnDemandAllocationStrategy` (Auto Scaling's default: `prioritized`). */
export type OnDemandAllocationStrategy = 'prioritized' | 'lowest-price';

/** `types` sorted by `price` per capacity unit, then by `price`, then by name. */
function byPricePerUnit<T extends PricedType>(types: readonly T[], price: (t: PricedType) => number): T[] {
  const perUnit = (t: PricedType) => price(t) / t.capacityUnitsPerInstance;
  return [...types].sort(
    (a, b) => perUnit(a) - perUnit(b) || price(a) - price(b) || compareText(a.instanceType, b.instanceType),
  );
}

/**
 * The selected types in the order a mixed-instances group's overrides should list them: the
 * lowest price per capacity unit first (after discounts), then the lower hourly price, then the
 * name. Under the `prioritized` On-Demand allocation strategy (Auto Scaling's default without
 * InstanceRequirements) the group launches its first override's type for all the capacity EC2 has
 * of it and the next type only for the rest, so the order, not the mix, sets what the group runs;
 * cheapest first also makes the others the fallbacks when the cheapest is short. Under
 * `lowest-price` Auto Scaling ignores the order (`firstLaunched`).
 */
export function inLaunchPriority<T extends PricedType>(types: readonly T[]): T[] {
  return byPricePerUnit(types, (t) => t.hourlyPriceUsd);
}

/**
 * The type a mixed group launches for all the On-Demand capacity EC2 has of it: its first override
 * (`overrides` in the group's order) under `prioritized`; under `lowest-price` the lowest On-Demand
 * list price per unit (then the lower list price, then the name), which is what Auto Scaling
 * ranks by: it knows no Savings Plan or Reserved Instance discount. Undefined for no overrides.
 */
export function firstLaunched<T extends PricedType>(
  overrides: readonly T[],
  strategy: OnDemandAllocationStrategy,
): T | undefined {
  return strategy === 'lowest-price'
    ? byPricePerUnit(overrides, (t) => t.onDemandHourlyPriceUsd)[0]
    : overrides[0];
}

/**
 * USD per hour of `requiredUnits` capacity units on `type` alone (whole instances, at least one):
 * what a mixed group costs at its peak when EC2 has that type, whatever else its overrides list.
 * The count is `instancesFor`'s, the rule every other cost uses: a bare ceiling would turn
 * 7 × 1.2 / 1.2 = 7.000000000000001 into 8 instances and price today's group one instance high.
 */
export function launchedHourlyCost(type: PricedType, requiredUnits: number): number {
  return instancesFor(requiredUnits, type.capacityUnitsPerInstance) * type.hourlyPriceUsd;
}

/** The On-Demand allocation strategy an `InstancesDistribution` sets (`prioritized` when it sets none). */
export function onDemandAllocationStrategy(
  distribution: Readonly<Record<string, string | number>> | undefined,
): OnDemandAllocationStrategy {
  return distribution?.OnDemandAllocationStrategy === 'lowest-price' ? 'lowest-price' : 'prioritized';
}
