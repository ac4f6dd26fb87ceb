import { maxInstancesPerType } from './build-mix-model';
import { compareText } from './filter-candidates';
import { summarizeSelection } from './summarize-selection';
import type { Candidate, InstanceSelection } from './types';

/**
 * A heuristic mix without a solver: one instance of each of the `diversifyAcross` types that cover
 * their share of the requirement most cheaply, then more instances of the first of them (in that
 * order) under its share cap until the requirement is met, then instances removed while the
 * requirement still holds.
 * It satisfies the same constraints as the integer program but is not optimal (it never combines
 * sizes to fit a residual, e.g. 8 + 2 vCPU for 10); it is the fallback when the solver fails and
 * the benchmark's baseline. Returns undefined when there are no candidates.
 */
export function greedyMix(
  candidates: readonly Candidate[],
  requiredCapacityUnits: number,
  diversifyAcross: number,
): InstanceSelection | undefined {
  if (candidates.length === 0) return undefined;
  const minTypes = Math.min(Math.max(1, diversifyAcross), candidates.length);
  // Rank by the cost of covering one type's share of the requirement, so a huge type with the best
  // unit price does not win a small requirement; unit price breaks ties.
  const shareCost = (c: Candidate) =>
    Math.max(1, Math.ceil(requiredCapacityUnits / (minTypes * c.capacityUnits) - 1e-9)) * c.hourlyPriceUsd;
  const ordered = [...candidates].sort(
    (a, b) =>
      shareCost(a) - shareCost(b) ||
      a.hourlyPriceUsd / a.capacityUnits - b.hourlyPriceUsd / b.capacityUnits ||
      compareText(a.instanceType, b.instanceType),
  );
  const caps = ordered.map((c) => maxInstancesPerType(requiredCapacityUnits, minTypes, c.capacityUnits));
  const counts: number[] = ordered.map((_, i) => (i < minTypes ? 1 : 0));
  let capacity = ordered.reduce((sum, c, i) => sum + c.capacityUnits * (counts[i] ?? 0), 0);
  while (capacity < requiredCapacityUnits - 1e-9) {
    const i = counts.findIndex((n, j) => n < (caps[j] ?? 0));
    if (i < 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
    capacity += ordered[i]?.capacityUnits ?? 0;
  }
  // Trim from the most expensive instance down, keeping one instance of each required type.
  for (let i = ordered.length - 1; i >= 0; i--) {
    const c = ordered[i] as Candidate;
    const floor = i < minTypes ? 1 : 0;
    while ((counts[i] ?? 0) > floor && capacity - c.capacityUnits >= requiredCapacityUnits - 1e-9) {
      counts[i] = (counts[i] ?? 0) - 1;
      capacity -= c.capacityUnits;
    }
  }
  return summarizeSelection(ordered.map((candidate, i) => ({ candidate, instanceCount: counts[i] ?? 0 })));
}
