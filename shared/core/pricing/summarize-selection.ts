import { compareText } from './filter-candidates';
import type { Candidate, InstanceSelection, SelectionItem } from './types';

/**
 * Totals of a set of (candidate, instance count) pairs: capacity units, hourly cost and, when every
 * type used has one, Spot cost. Items with zero instances are dropped; items are sorted by type.
 */
export function summarizeSelection(
  counts: readonly { readonly candidate: Candidate; readonly instanceCount: number }[],
): InstanceSelection {
  const used = counts
    .filter((c) => c.instanceCount > 0)
    .sort((a, b) => compareText(a.candidate.instanceType, b.candidate.instanceType));
  const items: SelectionItem[] = used.map(({ candidate, instanceCount }) => ({
    instanceType: candidate.instanceType,
    instanceCount,
    capacityUnitsPerInstance: candidate.capacityUnits,
    hourlyPriceUsd: candidate.hourlyPriceUsd,
    onDemandHourlyPriceUsd: candidate.onDemandHourlyPriceUsd,
  }));
  const totalCapacityUnits = used.reduce((sum, c) => sum + c.instanceCount * c.candidate.capacityUnits, 0);
  const hourlyCostUsd = used.reduce((sum, c) => sum + c.instanceCount * c.candidate.hourlyPriceUsd, 0);
  const spotKnown = used.length > 0 && used.every((c) => c.candidate.spotHourlyPriceUsd !== undefined);
  return {
    items,
    totalCapacityUnits,
    hourlyCostUsd,
    ...(spotKnown
      ? {
          spotHourlyCostUsd: used.reduce(
            (sum, c) => sum + c.instanceCount * (c.candidate.spotHourlyPriceUsd ?? 0),
            0,
          ),
        }
      : {}),
  };
}
