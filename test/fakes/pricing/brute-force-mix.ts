import { maxInstancesPerType } from '../../../shared/core/pricing/build-mix-model';
import type { Candidate } from '../../../shared/core/pricing/types';

/**
 * The optimal mix cost by enumerating every count vector (small inputs only): the reference the
 * integer program is checked against. Returns Infinity when nothing is feasible.
 */
export function bruteForceMixCost(
  candidates: readonly Candidate[],
  requiredUnits: number,
  diversifyAcross: number,
): number {
  const minTypes = Math.min(diversifyAcross, candidates.length);
  const caps = candidates.map((c) => maxInstancesPerType(requiredUnits, minTypes, c.capacityUnits));
  let best = Number.POSITIVE_INFINITY;
  const counts = candidates.map(() => 0);
  const visit = (i: number, capacity: number, cost: number, used: number): void => {
    if (cost >= best) return;
    if (i === candidates.length) {
      if (capacity >= requiredUnits - 1e-9 && used >= minTypes) best = cost;
      return;
    }
    const c = candidates[i] as Candidate;
    for (let n = 0; n <= (caps[i] ?? 0); n++) {
      counts[i] = n;
      visit(i + 1, capacity + n * c.capacityUnits, cost + n * c.hourlyPriceUsd, used + (n > 0 ? 1 : 0));
    }
  };
  visit(0, 0, 0, 0);
  return best;
}
