import type { UserConfig } from '../contracts/user-config';
import { capacityUnitsOf } from '../core/pricing/filter-candidates';
import { observedLaunchRequirements } from '../core/pricing/launch-compatibility';
import type { CurrentOverride } from '../core/pricing/plan-overrides';
import type { InstanceTypeFacts, SelectionRequirements } from '../core/pricing/types';
import type { InstanceCatalog, LaunchTemplateFacts } from '../ports/instance-catalog';
import type { DatedPriceList, PricedOperatingSystem, SpotPriceCatalog } from '../ports/price-catalog';
import type { GroupSnapshot } from '../ports/scaling-target';

import type { PriceReport, SelectInstanceTypesDeps } from './instance-type-selection-types';

/** One hour in milliseconds. */
export const HOUR_MS = 3_600_000;
/** Cached lists outlive their refresh interval so they can stand in when the Pricing API fails. */
export const CACHE_RETENTION_MS = 30 * 24 * HOUR_MS;
/** How far back the latest run record (the forecast peak) is looked for. */
export const RECORD_LOOKBACK_MS = 24 * HOUR_MS;
/** The HiGHS time limit per mix. */
export const SOLVER_TIME_LIMIT_SECONDS = 10;

/** An error as `Name: message`, for diagnostics. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Per-run memo of catalog reads shared by every group. */
export class RunCatalog {
  private facts?: Promise<Map<string, InstanceTypeFacts>>;
  private readonly offerings = new Map<string, Promise<ReadonlySet<string>>>();

  constructor(private readonly catalog: InstanceCatalog) {}

  factsByType(): Promise<Map<string, InstanceTypeFacts>> {
    this.facts ??= this.catalog.instanceTypes().then((all) => new Map(all.map((f) => [f.instanceType, f])));
    return this.facts;
  }

  offeredInEveryZone(zones: readonly string[]): Promise<ReadonlySet<string>> {
    const key = [...zones].sort().join(',');
    let found = this.offerings.get(key);
    if (!found) {
      found = this.catalog.typesOfferedInEveryZone(zones);
      this.offerings.set(key, found);
    }
    return found;
  }
}

/** The key of one type's Spot price in one zone (`RunSpotPrices`). */
export const spotPairKey = (zone: string, instanceType: string) => `${zone} ${instanceType}`;

/**
 * Per-run memo of Spot prices by zone and type: groups sharing zones and candidates ask EC2
 * (`DescribeSpotPriceHistory`, a call per zone and 100 types) once per pair, not once per group:
 * 300 groups in 3 zones would otherwise make thousands of calls and outlast the function. A request
 * that failed stays failed for the run: each group asking for its pairs reports it, and none spends
 * its time on the same retries again.
 */
export class RunSpotPrices {
  /** Per `spotPairKey`: the request that first asked for the pair, as prices by `spotPairKey`. */
  private readonly asked = new Map<string, Promise<ReadonlyMap<string, number>>>();

  constructor(
    private readonly source: SpotPriceCatalog,
    private readonly operatingSystem: PricedOperatingSystem,
  ) {}

  /** The prices of `types` in `zones` by `spotPairKey`; a pair EC2 has no price for is absent. */
  async pricesIn(zones: readonly string[], types: readonly string[]): Promise<ReadonlyMap<string, number>> {
    const isNew = (zone: string, type: string) => !this.asked.has(spotPairKey(zone, type));
    const newZones = [...new Set(zones.filter((z) => types.some((t) => isNew(z, t))))];
    const newTypes = [...new Set(types.filter((t) => zones.some((z) => isNew(z, t))))];
    if (newZones.length > 0) {
      const request = this.source
        .currentSpotPrices(newZones, newTypes, this.operatingSystem)
        .then(
          (list) =>
            new Map(list.map((p) => [spotPairKey(p.availabilityZone, p.instanceType), p.hourlyPriceUsd])),
        );
      // Awaited below; a later group awaits it again, so its failure must not count as unhandled.
      request.catch(() => undefined);
      for (const z of newZones)
        for (const t of newTypes) if (isNew(z, t)) this.asked.set(spotPairKey(z, t), request);
    }
    const found = new Map<string, number>();
    for (const zone of zones) {
      for (const type of types) {
        const key = spotPairKey(zone, type);
        const price = (await this.asked.get(key))?.get(key);
        if (price !== undefined) found.set(key, price);
      }
    }
    return found;
  }
}

/** What selecting for one group reads: dependencies, configuration, the run's prices and catalog. */
export interface GroupContext {
  readonly deps: SelectInstanceTypesDeps;
  readonly config: UserConfig;
  readonly prices: DatedPriceList;
  /** Where `prices` came from and whether they are stale: stale or static prices apply nothing. */
  readonly priceReport: Extract<PriceReport, { kind: 'priced' }>;
  readonly catalog: RunCatalog;
  /** The run's Spot prices (`pricing.includeSpot`); absent when no Spot price source is wired. */
  readonly spotPrices?: RunSpotPrices;
  /** The time the run stands for: its scheduled time, or the clock's for an on-demand run (epoch ms). */
  readonly runTimeMs: number;
}

/** The selection requirements of the configuration. */
export function requirementsOf(config: UserConfig): SelectionRequirements {
  return config.pricing;
}

/** The template's launch requirements, as known from its image and what the group runs today. */
export function launchRequirementsOption(
  template: LaunchTemplateFacts,
  currentTypes: readonly string[],
  facts: ReadonlyMap<string, InstanceTypeFacts>,
) {
  const launchRequirements = observedLaunchRequirements(template.launchRequirements, currentTypes, facts);
  return launchRequirements ? { launchRequirements } : {};
}

/** A mixed group's overrides as `planOverrides` reads them (none for a single-type group). */
export function currentOverridesOf(
  group: GroupSnapshot,
  facts: ReadonlyMap<string, InstanceTypeFacts>,
  requirements: SelectionRequirements,
): CurrentOverride[] {
  return (group.mixedInstances?.overrides ?? []).flatMap((o) => {
    if (!o.instanceType) return [];
    const f = facts.get(o.instanceType);
    const units = f ? capacityUnitsOf(f, requirements) : undefined;
    return [
      {
        instanceType: o.instanceType,
        ...(o.weightedCapacity !== undefined ? { weightedCapacity: o.weightedCapacity } : {}),
        ...(units !== undefined ? { capacityUnits: units } : {}),
      },
    ];
  });
}
