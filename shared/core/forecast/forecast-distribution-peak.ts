/**
 * The daily peak of the forecast *distribution*, not of the forecast mean.
 *
 * The maximum of a mean path is biased low: the actual day's peak is the largest of many noisy
 * steps, mean(h) + ε(h). With F the law of the held-out errors ε (the selection's own backtest
 * forecasts, made without seeing their outcome; see `heldOutErrors`) and the steps independent,
 * P(peak ≤ x) = Π_h F(x − mean(h)). Neighbouring errors are not independent (a burst or a level
 * miss lasts several steps), so the day's n steps count as n_eff = max(1, n·(1 − ρ)/(1 + ρ))
 * independent ones, ρ ≥ 0 the errors' lag-1 autocorrelation: the effective sample size of an AR(1)
 * series, used here as the extremal index that scales the number of draws the maximum of a
 * dependent sequence behaves like (Leadbetter, Lindgren & Rootzén, *Extremes and Related
 * Properties of Random Sequences and Processes*, 1983, ch. 3). The estimate is the median of that
 * law: the x where Π_h F(x − mean(h))^(n_eff/n) = 1/2.
 *
 * Assumptions: the held-out errors describe tomorrow's (one law for every step of the day, each
 * weighted by its origin's recency weight); the model's level bias is part of ε, so a median
 * model's level below the mean is corrected as well. Needs at least one finite held-out error.
 */

/** The held-out errors' weighted empirical law and their lag-1 autocorrelation. */
export interface HeldOutErrorLaw {
  /** Errors (actual − forecast, the forecast floored at 0), ascending. */
  readonly errors: Float64Array;
  /** Cumulative weight share up to and including each error, ending at 1. */
  readonly cumulativeShare: Float64Array;
  /** Lag-1 autocorrelation of the errors within each row, in [0, 1). */
  readonly lag1Autocorrelation: number;
}

/** Largest autocorrelation used, so that n_eff stays finite and positive. */
const MAX_AUTOCORRELATION = 0.999;
/** Bisection steps: the search interval shrinks 2⁶⁰-fold, far below any load's precision. */
const MAX_BISECTIONS = 60;

/**
 * Reads the law of the selection's held-out errors from its backtest rows.
 *
 * Row k starts at history index `origins[k]` and holds actual − forecast; the forecast is floored
 * at 0 as the live forecast is, so the error is actual − max(0, actual − row[h]). Non-finite
 * entries are skipped.
 * @param actual - the history the rows were measured against.
 * @param rows - held-out rows (see `heldOutErrors`), one per origin.
 * @param origins - history index of each row's first step.
 * @param weights - recency weight of each row; a missing or non-positive weight counts as 1.
 * @returns undefined when no row holds a finite error.
 */
export function heldOutErrorLaw(
  actual: readonly number[],
  rows: readonly Float64Array[],
  origins: readonly number[],
  weights: readonly number[],
): HeldOutErrorLaw | undefined {
  const items: { error: number; weight: number }[] = [];
  const perRow: number[][] = [];
  rows.forEach((row, k) => {
    const origin = origins[k];
    const w = weights[k];
    const weight = w !== undefined && w > 0 && Number.isFinite(w) ? w : 1;
    const errors: number[] = [];
    for (let h = 0; origin !== undefined && h < row.length; h += 1) {
      const value = actual[origin + h] as number;
      const error = value - Math.max(0, value - (row[h] as number));
      errors.push(error);
      if (Number.isFinite(error)) items.push({ error, weight });
    }
    perRow.push(errors);
  });
  if (items.length === 0) return undefined;
  items.sort((a, b) => a.error - b.error);
  let total = 0;
  for (const item of items) total += item.weight;
  const errors = new Float64Array(items.length);
  const cumulativeShare = new Float64Array(items.length);
  let cumulative = 0;
  items.forEach((item, i) => {
    cumulative += item.weight;
    errors[i] = item.error;
    cumulativeShare[i] = cumulative / total;
  });
  cumulativeShare[items.length - 1] = 1;
  return { errors, cumulativeShare, lag1Autocorrelation: lag1Autocorrelation(perRow) };
}

/**
 * The median of the maximum of mean(h) + ε(h) over `mean[from..end)`, ε drawn from `law` with the
 * day's steps counted as max(1, n·(1 − ρ)/(1 + ρ)) independent draws (see the file note).
 * Monotone: raising any mean value never lowers it; it lies in
 * [max(mean) + smallest error, max(mean) + largest error].
 * @param mean - the mean forecast; `from` < `end` ≤ mean.length.
 */
export function forecastDistributionPeak(
  mean: readonly number[],
  from: number,
  end: number,
  law: HeldOutErrorLaw,
): number {
  const steps = end - from;
  let meanPeak = Number.NEGATIVE_INFINITY;
  for (let h = from; h < end; h += 1) meanPeak = Math.max(meanPeak, mean[h] as number);
  const rho = law.lag1Autocorrelation;
  const effectiveSteps = Math.max(1, (steps * (1 - rho)) / (1 + rho));
  // Σ_h log F(x − mean(h)) at the median of the maximum.
  const target = (Math.log(0.5) * steps) / effectiveSteps;
  const { errors, cumulativeShare } = law;
  const logShare = cumulativeShare.map(Math.log);
  const logProbability = (x: number): number => {
    let sum = 0;
    for (let h = from; h < end; h += 1) {
      const rank = lastAtOrBelow(errors, x - (mean[h] as number));
      if (rank < 0) return Number.NEGATIVE_INFINITY;
      sum += logShare[rank] as number;
    }
    return sum;
  };
  let low = meanPeak + (errors[0] as number);
  let high = meanPeak + (errors[errors.length - 1] as number);
  // Invariant: logProbability(high) ≥ target (at the top every share is 1, the sum 0).
  for (let i = 0; i < MAX_BISECTIONS && high - low > 1e-12 * (Math.abs(high) + Math.abs(low)); i += 1) {
    const middle = 0.5 * (low + high);
    if (logProbability(middle) >= target) high = middle;
    else low = middle;
  }
  return high;
}

/** Index of the last of the ascending `errors` at or below `x`; −1 when all are above it. */
function lastAtOrBelow(errors: Float64Array, x: number): number {
  if (x < (errors[0] as number)) return -1;
  let low = 0;
  let high = errors.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((errors[middle] as number) <= x) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** Lag-1 autocorrelation of the errors around their pooled mean, pairs within a row only; in [0, MAX_AUTOCORRELATION]. */
function lag1Autocorrelation(rows: readonly (readonly number[])[]): number {
  let sum = 0;
  let count = 0;
  for (const row of rows)
    for (const e of row)
      if (Number.isFinite(e)) {
        sum += e;
        count += 1;
      }
  const centre = count > 0 ? sum / count : 0;
  let covariance = 0;
  let variance = 0;
  for (const row of rows) {
    row.forEach((e, h) => {
      if (!Number.isFinite(e)) return;
      variance += (e - centre) ** 2;
      const previous = row[h - 1];
      if (h > 0 && previous !== undefined && Number.isFinite(previous))
        covariance += (e - centre) * (previous - centre);
    });
  }
  if (!(variance > 0)) return 0;
  return Math.min(MAX_AUTOCORRELATION, Math.max(0, covariance / variance));
}
