import type { PooledScores } from './pooled-scores';

/**
 * Bounds of the adapted tail mass as multiples of the nominal one. A miss rate measured on 3–14
 * origins cannot tell a 1 % tail from a 0.3 % one: reading further out than half the nominal mass
 * widens on noise (with both sides adapted, M4 Hourly's 95 % MSIS was 7.06 with 1/8 and 6.94 with
 * 1/2, at the same coverage).
 */
export const TAIL_MASS_RATIO = { min: 1 / 2, max: 2 } as const;
/** Bisection steps on the log of the ratio: the mass to (ln 4)/2⁸, about 0.5 %. */
const BISECTION_STEPS = 8;

/** Which side of the interval a tail mass is for. */
export type IntervalSide = 'lower' | 'upper';

/**
 * The tail mass at which one side of the interval should be read from the pooled scores so that,
 * leaving each backtest origin out in turn, the weighted share of its scores beyond the bound
 * matches the nominal mass (adaptive conformal: the level is corrected per series, per side, from
 * the misses the rule itself made on origins it did not see; Gibbs & Candès 2021).
 *
 * For origin k the bound is the weighted conformal quantile of the other origins' scores at
 * mass m' (`pool.quantile(m', k)` below, `1 − m'` above); its miss rate is the share of row k's
 * scores beyond it; rows are averaged with their weights (recent origins count more). The result
 * is the largest m' in [m·{@link TAIL_MASS_RATIO}.min, m·{@link TAIL_MASS_RATIO}.max] (and ≤ 0.5)
 * whose average miss rate does not exceed m, to within the bisection's resolution (the lower
 * bound when even that misses more): a series whose past origins were over-covered is read
 * narrower, one under-covered wider. The miss rate never falls as m' grows (the quantile is
 * monotone), so bisection on log(m'/m) finds it.
 *
 * Invariants: m itself with fewer than two origins (nothing to leave out); the result lies within
 * the bounds above; deterministic.
 * @param pool - the pooled scores of `rows` (same row order).
 * @param rows - each origin's scores, sorted ascending.
 * @param weights - weight (> 0) of each row.
 * @param nominalMass - the nominal tail mass on this side, (1 − L/100)/2, in (0, 0.5].
 */
export function adaptiveTailMass(
  pool: PooledScores,
  rows: readonly Float64Array[],
  weights: readonly number[],
  nominalMass: number,
  side: IntervalSide,
): number {
  if (rows.length < 2) return nominalMass;
  const missRate = (mass: number): number => {
    let missed = 0;
    let weightSum = 0;
    rows.forEach((row, k) => {
      const w = weights[k] as number;
      const bound = pool.quantile(side === 'upper' ? 1 - mass : mass, k);
      const beyond = side === 'upper' ? row.length - countAtMost(row, bound) : countBelow(row, bound);
      missed += (w * beyond) / Math.max(1, row.length);
      weightSum += w;
    });
    return missed / weightSum;
  };
  const massAt = (logRatio: number): number => Math.min(0.5, nominalMass * Math.exp(logRatio));
  let lo = Math.log(TAIL_MASS_RATIO.min);
  let hi = Math.log(TAIL_MASS_RATIO.max);
  for (let step = 0; step < BISECTION_STEPS; step += 1) {
    const mid = (lo + hi) / 2;
    if (missRate(massAt(mid)) <= nominalMass) lo = mid;
    else hi = mid;
  }
  return massAt(lo);
}

/** Number of values ≤ bound in an ascending array. */
function countAtMost(sorted: Float64Array, bound: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) <= bound) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of values < bound in an ascending array. */
function countBelow(sorted: Float64Array, bound: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < bound) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
