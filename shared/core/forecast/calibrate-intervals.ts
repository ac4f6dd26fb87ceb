import { normalQuantile } from './normal-quantile';
import type { PredictionInterval } from './types';

const GAUSSIAN_MAE_TO_SIGMA = Math.sqrt(Math.PI / 2);
/** Largest widening applied when the latest origin's errors exceed the calibration set's. */
export const MAX_RECENT_ERROR_INFLATION = 2;

/**
 * Prediction intervals calibrated on held-out backtest errors (recency-weighted, locally weighted
 * split-conformal).
 *
 * Each row of `errors` is one backtest origin; row k counts with weight wₖ (`originWeights`, all 1
 * when omitted). For each horizon step h the error scale s(h) is the weighted mean absolute error
 * over origins and the steps within ±w of h (w = H_b/12, at least 1), so the width follows the
 * horizon band; beyond the backtest horizon s grows like √(h/H_b). Every error is divided by its
 * s(h) and carries its origin's weight; level L takes the weighted conformal quantiles at
 * (1 ∓ L/100)/2 (Tibshirani et al. 2019; Barber et al. 2023: the new point's own weight is added
 * to the total, the finite-sample correction). Each quantile is widened, if needed, to at least the
 * Gaussian one for the same mean absolute error (±z·√(π/2)): a few origins under-sample the tails.
 * Then s is multiplied by {@link recentErrorInflation} (≥ 1) when the latest origin's errors were
 * larger than the weighted average, so intervals widen as soon as a regime change shows up.
 * The interval is mean + q·s(h).
 *
 * Invariants: lower ≤ mean ≤ upper (the lower quantile is capped at 0, the upper floored at 0);
 * a wider level contains a narrower one (the quantile function is monotone); all values finite.
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
  const pooled: { score: number; weight: number }[] = [];
  errors.forEach((row, k) => {
    for (let h = 0; h < backtestHorizon; h += 1)
      pooled.push({ score: (row[h] as number) / (scale[h] as number), weight: weights[k] as number });
  });
  pooled.sort((a, b) => a.score - b.score);
  const inflation = recentErrorInflation(errors, originWeights);
  const stepScale = mean.map(
    (_, h) =>
      inflation *
      (h < backtestHorizon
        ? (scale[h] as number)
        : (scale[backtestHorizon - 1] as number) * Math.sqrt((h + 1) / backtestHorizon)),
  );
  return levels.map((levelPct) => {
    const q = levelPct / 100;
    // Never narrower than a Gaussian with the same mean absolute error (σ = √(π/2)·MAE).
    const gaussian = GAUSSIAN_MAE_TO_SIGMA * normalQuantile(0.5 + q / 2);
    const qLow = Math.min(-gaussian, weightedConformalQuantile(pooled, (1 - q) / 2));
    const qHigh = Math.max(gaussian, weightedConformalQuantile(pooled, (1 + q) / 2));
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

/**
 * Weighted conformal quantile at probability p of scores sorted ascending: the smallest score
 * whose cumulative weight reaches p·(W + 1) for p ≥ 0.5, where the 1 is the new point's weight
 * (so the largest score is returned when the sample is too small); mirrored for p < 0.5.
 */
function weightedConformalQuantile(
  sorted: readonly { readonly score: number; readonly weight: number }[],
  p: number,
): number {
  const n = sorted.length;
  if (n === 0) return 0;
  let total = 1;
  for (const s of sorted) total += s.weight;
  if (p >= 0.5) {
    const target = p * total;
    let cumulative = 0;
    for (const s of sorted) {
      cumulative += s.weight;
      if (cumulative >= target) return s.score;
    }
    return (sorted[n - 1] as { score: number }).score;
  }
  const target = (1 - p) * total;
  let cumulative = 0;
  for (let i = n - 1; i >= 0; i -= 1) {
    const s = sorted[i] as { score: number; weight: number };
    cumulative += s.weight;
    if (cumulative >= target) return s.score;
  }
  return (sorted[0] as { score: number }).score;
}
