import { compareText } from './filter-candidates';

/** What the launch order reads of a selected type. */
interface PricedType {
  readonly instanceType: string;
  /** After the family's discount, USD per instance-hour. */
  readonly hourlyPriceUsd: number;
  readonly capacityUnitsPerInstance: number;
}

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
