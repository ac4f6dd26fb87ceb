import { compareText } from './filter-candidates';
import { summarizeSelection } from './summarize-selection';
import type { Candidate, InstanceSelection } from './types';

/** A single-type choice, or why there is none. */
export type SingleTypeChoice =
  | { readonly kind: 'selected'; readonly selection: InstanceSelection; readonly unitPriceUsd: number }
  | { readonly kind: 'infeasible'; readonly reason: string };

/** Instances of `capacityUnits` each needed to reach `requiredCapacityUnits`; at least one. */
export function instancesFor(requiredCapacityUnits: number, capacityUnits: number): number {
  // A small tolerance keeps 8 / (8/3 * 3) from becoming one extra instance through float noise.
  return Math.max(1, Math.ceil(requiredCapacityUnits / capacityUnits - 1e-9));
}

/**
 * For a single-type group: the candidate with the lowest cost per capacity unit (USD per unit-hour),
 * ties broken by the lower hourly price and then the type name, so the answer is deterministic.
 * The count is the number of its instances that reaches `requiredCapacityUnits` (at least one).
 */
export function selectSingleType(
  candidates: readonly Candidate[],
  requiredCapacityUnits: number,
): SingleTypeChoice {
  if (!(requiredCapacityUnits >= 0) || !Number.isFinite(requiredCapacityUnits)) {
    return {
      kind: 'infeasible',
      reason: `required capacity must be a finite number ≥ 0, got ${requiredCapacityUnits}`,
    };
  }
  let best: Candidate | undefined;
  for (const c of candidates) {
    if (best === undefined) {
      best = c;
      continue;
    }
    const a = c.hourlyPriceUsd / c.capacityUnits;
    const b = best.hourlyPriceUsd / best.capacityUnits;
    if (
      a < b ||
      (a === b &&
        (c.hourlyPriceUsd < best.hourlyPriceUsd ||
          (c.hourlyPriceUsd === best.hourlyPriceUsd && compareText(c.instanceType, best.instanceType) < 0)))
    ) {
      best = c;
    }
  }
  if (best === undefined) return { kind: 'infeasible', reason: 'no instance type meets the requirements' };
  return {
    kind: 'selected',
    selection: summarizeSelection([
      { candidate: best, instanceCount: instancesFor(requiredCapacityUnits, best.capacityUnits) },
    ]),
    unitPriceUsd: best.hourlyPriceUsd / best.capacityUnits,
  };
}
