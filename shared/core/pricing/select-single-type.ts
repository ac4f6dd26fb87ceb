import { compareText } from './filter-candidates';
import { summarizeSelection } from './summarize-selection';
import type { Candidate, InstanceSelection, SelectionRequirements } from './types';

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

/** Relative tolerance when comparing capacity units (configured weights need not be integers). */
const SAME_UNITS_TOLERANCE = 1e-9;

/** Whether two instance sizes, in capacity units, are the same. */
export function sameCapacityUnits(a: number, b: number): boolean {
  return Math.abs(a - b) <= SAME_UNITS_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

/** A single-type group's choice: what may be applied and, reported only, a cheaper type of another size. */
export type SingleTypeOfSizeChoice =
  | {
      readonly kind: 'selected';
      /** The cheapest type of the group's current size; of another size only when none of it is a candidate. */
      readonly selection: InstanceSelection;
      /** The cheapest type of any size, when it is of another size and costs less at the requirement. */
      readonly otherSize?: InstanceSelection;
    }
  | { readonly kind: 'infeasible'; readonly reason: string };

/**
 * For a single-type group, whose DesiredCapacity counts instances: `selectSingleType` among the
 * candidates of the current type's size (`currentCapacityUnits`), since the same count of another
 * size would be another capacity; the overall cheapest is kept aside as `otherSize` when it is of
 * another size and cheaper at `requiredCapacityUnits`. Without a candidate of the current size the
 * selection is the overall cheapest (the caller must not apply it).
 */
export function selectSingleTypeOfSize(
  candidates: readonly Candidate[],
  requiredCapacityUnits: number,
  currentCapacityUnits: number,
): SingleTypeOfSizeChoice {
  const overall = selectSingleType(candidates, requiredCapacityUnits);
  if (overall.kind === 'infeasible') return overall;
  const ofSize = selectSingleType(
    candidates.filter((c) => sameCapacityUnits(c.capacityUnits, currentCapacityUnits)),
    requiredCapacityUnits,
  );
  if (ofSize.kind === 'infeasible') return { kind: 'selected', selection: overall.selection };
  // A hair below, so float noise in equal costs (10 × 0.0816 and 5 × 0.1632) reports nothing.
  const cheaperOtherSize = overall.selection.hourlyCostUsd < ofSize.selection.hourlyCostUsd - 1e-9;
  return {
    kind: 'selected',
    selection: ofSize.selection,
    ...(cheaperOtherSize ? { otherSize: overall.selection } : {}),
  };
}

/**
 * Why a single-type group is not moved from `current` to `next`, a type of another size: the group
 * counts instances, so the same count of `next` would be another capacity.
 */
export function sizeChangeReason(
  current: { readonly instanceType: string; readonly capacityUnits: number },
  next: { readonly instanceType: string; readonly capacityUnits: number },
  capacityUnit: SelectionRequirements['capacityUnit'],
): string {
  const unit = capacityUnit === 'vcpu' ? 'vCPUs' : 'capacity units';
  return `${next.instanceType} has ${next.capacityUnits} ${unit} where the group's ${current.instanceType} has ${current.capacityUnits}: a single-type group's DesiredCapacity counts instances, so the same count of another size would change its capacity; Prescale applies only a type of the group's size`;
}
