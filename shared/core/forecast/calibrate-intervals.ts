import { adaptiveTailMass } from './adaptive-tail-mass';
import { normalQuantile } from './normal-quantile';
import { pooledScores } from './pooled-scores';
import type { PredictionInterval } from './types';

const GAUSSIAN_MAE_TO_SIGMA = Math.sqrt(Math.PI / 2);
/** Largest widening applied when the latest origin's errors exceed the calibration set's. */
export const MAX_RECENT_ERROR_INFLATION = 2;

/**
 * Prediction intervals calibrated on held-out backtest errors (recency-weighted, locally weighted
 * conformal; the lower side's level adapted per series on origins left out in turn).
 *
 * Each row of `errors` is one backtest origin; row k counts with weight wₖ (`originWeights`, all 1
 * when omitted). For each horizon step h the error scale s(h) is the weighted mean absolute error
 * over origins and the steps within ±w of h (w = H_b/12, at least 1), so the width follows the
 * horizon band; beyond the backtest horizon s grows like √(h/H_b). Each origin's errors are scored
 * against the scale of the *other* origins, s₋ₖ(h), as the next origin's errors will be against a
 * scale it did not shape: scoring a row against its own scale shrinks its outliers. A row whose
 * errors exceed the others' is scored against max(s₋ₖ(h), s(h)) instead, since its errors are in
 * the s(h) the scores are multiplied back by: after a level change the newest origin's errors
 * dominate s, and against the near-exact origins before it they scored in the millions. The scores
 * are pooled, each carrying its origin's weight; level L reads weighted conformal quantiles
 * (Barber et al. 2023: the new point's weight added to the total). The upper side reads them at
 * the nominal tail mass (1 − L/100)/2 and is kept at least as wide as a Gaussian with the same
 * mean absolute error (z·√(π/2)): the planner sizes capacity from it and few origins
 * under-sample the tail. The lower side has no such floor (load errors are right-skewed, and a
 * symmetric floor over-covered below); it reads them at the tail mass chosen per series by
 * {@link adaptiveTailMass}: the mass at which leaving each origin out in turn would have missed
 * (1 − L/100)/2 of its scores on (recency-)weighted average. With a single origin there is
 * nothing to leave out: its own scale, the nominal mass and the Gaussian floor on both sides.
 * Then s is multiplied by {@link recentErrorInflation} (≥ 1) when the latest origin's errors were larger
 * than the weighted average, so intervals widen as soon as a regime change shows up.
 * The interval is mean + q·s(h).
 *
 * Invariants: lower ≤ mean ≤ upper (the lower quantile is capped at 0, the upper floored at 0);
 * a wider level contains a narrower one (quantiles are made monotone over the sorted levels);
 * all values finite.
 * @param errors - rows of actual − forecast, one per backtest origin, oldest first, equal lengths ≥ 1.
 * @param levels - sorted ascending, each in (0, 100).
 * @param originWeights - weight (> 0) of each row; defaults to 1 for every row.
 */
export function calibrateIntervals(
  mean: readonly number[],
  errors: readonly Float64Array[],
  levels: readonly number[],
  originWeights?: readonly number[],
): PredictionInterval[] {
  const weights = errors.map((_, k) => positiveOr1(originWeights?.[k]));
  const backtestHorizon = errors[0]?.length ?? 0;
  const scale = errorScale(errors, weights, backtestHorizon, mean);
  const heldOut = errors.length >= 2;
  const scores = errors.map((row, k) => {
    const own = heldOut ? errorScale(without(errors, k), without(weights, k), backtestHorizon, mean) : scale;
    // Never below the scale the scores are multiplied back by: a row that dominates that scale
    // (the day a level changed, against origins that were near exact) would otherwise count its
    // errors twice, once in a score in the millions and again in s, a p90 of 10⁸ on a load of 100.
    return Float64Array.from(row, (e, h) => e / Math.max(own[h] as number, scale[h] as number));
  });
  const pool = pooledScores(scores, weights);
  const sortedRows = scores.map((row) => Float64Array.from(row).sort());
  const inflation = recentErrorInflation(errors, originWeights);
  const stepScale = mean.map(
    (_, h) =>
      inflation *
      (h < backtestHorizon
        ? (scale[h] as number)
        : (scale[backtestHorizon - 1] as number) * Math.sqrt((h + 1) / backtestHorizon)),
  );
  let innerLow = 0;
  let innerHigh = 0;
  return levels.map((levelPct) => {
    const nominalMass = (1 - levelPct / 100) / 2;
    // The upper side (both with one origin) is never narrower than a Gaussian with the same MAE.
    const gaussian = GAUSSIAN_MAE_TO_SIGMA * normalQuantile(1 - nominalMass);
    const lowMass = adaptiveTailMass(pool, sortedRows, weights, nominalMass, 'lower');
    const conformalLow = pool.quantile(lowMass);
    // Running min/max over the sorted levels keeps a wider level around a narrower one.
    innerLow = Math.min(innerLow, heldOut ? conformalLow : Math.min(conformalLow, -gaussian));
    innerHigh = Math.max(innerHigh, gaussian, pool.quantile(1 - nominalMass));
    const qLow = innerLow;
    const qHigh = innerHigh;
    return {
      levelPct,
      lower: mean.map((m, h) => m + qLow * (stepScale[h] as number)),
      upper: mean.map((m, h) => m + qHigh * (stepScale[h] as number)),
    };
  });
}

/**
 * How much wider than the calibration set the latest origin's errors were: the latest row's mean
 * absolute error over the weighted mean of every row's, clamped to [1, {@link MAX_RECENT_ERROR_INFLATION}].
 * 1 with fewer than two rows.
 */
export function recentErrorInflation(
  errors: readonly Float64Array[],
  originWeights?: readonly number[],
): number {
  if (errors.length < 2) return 1;
  let total = 0;
  let weight = 0;
  let latest = 0;
  errors.forEach((row, k) => {
    let sum = 0;
    for (const e of row) sum += Math.abs(e);
    const mae = sum / Math.max(1, row.length);
    const w = positiveOr1(originWeights?.[k]);
    total += w * mae;
    weight += w;
    latest = mae;
  });
  const average = total / weight;
  if (!(average > 0) || !Number.isFinite(latest)) return 1;
  return Math.min(MAX_RECENT_ERROR_INFLATION, Math.max(1, latest / average));
}

/** Effective number of origins of a weighting, (Σw)²/Σw² (equal weights give the count). */
export function effectiveOrigins(originWeights: readonly number[]): number {
  let sum = 0;
  let squares = 0;
  for (const w of originWeights) {
    sum += w;
    squares += w * w;
  }
  return squares > 0 ? (sum * sum) / squares : 0;
}

function positiveOr1(w: number | undefined): number {
  return w !== undefined && w > 0 && Number.isFinite(w) ? w : 1;
}

function errorScale(
  errors: readonly Float64Array[],
  weights: readonly number[],
  backtestHorizon: number,
  mean: readonly number[],
): Float64Array {
  const absMean = new Float64Array(backtestHorizon);
  let weightSum = 0;
  errors.forEach((row, k) => {
    const w = weights[k] as number;
    weightSum += w;
    for (let h = 0; h < backtestHorizon; h += 1)
      absMean[h] = (absMean[h] as number) + w * Math.abs(row[h] as number);
  });
  const prefix = new Float64Array(backtestHorizon + 1);
  for (let h = 0; h < backtestHorizon; h += 1) prefix[h + 1] = (prefix[h] as number) + (absMean[h] as number);
  const window = Math.max(1, Math.round(backtestHorizon / 12));
  let level = 0;
  for (const m of mean) level += Math.abs(m);
  level /= Math.max(1, mean.length);
  // Floor keeps scores finite when a series is perfectly predicted in the backtest.
  const floor = Math.max(1e-9, 1e-6 * level);
  const scale = new Float64Array(backtestHorizon);
  for (let h = 0; h < backtestHorizon; h += 1) {
    const lo = Math.max(0, h - window);
    const hi = Math.min(backtestHorizon, h + window + 1);
    const value =
      ((prefix[hi] as number) - (prefix[lo] as number)) / ((hi - lo) * Math.max(1e-300, weightSum));
    scale[h] = Math.max(floor, Number.isFinite(value) ? value : floor);
  }
  return scale;
}

function without<T>(items: readonly T[], k: number): T[] {
  return items.filter((_, j) => j !== k);
}
