import type { UserConfig } from '../contracts/user-config';
import { capacityUnitsOf } from '../core/pricing/filter-candidates';
import { observedLaunchRequirements } from '../core/pricing/launch-compatibility';
import type { CurrentOverride } from '../core/pricing/plan-overrides';
import type { InstanceTypeFacts, SelectionRequirements } from '../core/pricing/types';
import type { InstanceCatalog, LaunchTemplateFacts } from '../ports/instance-catalog';
import type { DatedPriceList } from '../ports/price-catalog';
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

/** What selecting for one group reads: dependencies, configuration, the run's prices and catalog. */
export interface GroupContext {
  readonly deps: SelectInstanceTypesDeps;
  readonly config: UserConfig;
  readonly prices: DatedPriceList;
  /** Where `prices` came from and whether they are stale: stale or static prices apply nothing. */
  readonly priceReport: Extract<PriceReport, { kind: 'priced' }>;
  readonly catalog: RunCatalog;
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
