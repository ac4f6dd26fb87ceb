import { normalQuantile } from './normal-quantile';
import type { PredictionInterval } from './types';

const GAUSSIAN_MAE_TO_SIGMA = Math.sqrt(Math.PI / 2);

/**
 * Prediction intervals calibrated on backtest errors (locally weighted split-conformal).
 *
 * For each horizon step h the error scale s(h) is the mean absolute backtest error over all
 * origins and the steps within ±w of h (w = H_b/12, at least 1), so a few origins still give a
 * stable, horizon-dependent width; beyond the backtest horizon s grows like √(h/H_b). Every
 * error is divided by its s(h); the pooled normalised errors give, for level L, the lower and
 * upper quantiles at (1 − L/100)/2 and (1 + L/100)/2 with the conformal finite-sample correction
 * (rank ⌈(N+1)q⌉, clamped to the sample). Each quantile is widened, if needed, to at least the
 * Gaussian one for the same mean absolute error (±z·√(π/2)): a few origins under-sample the tails,
 * and the selected model's backtest errors are optimistic (it was chosen for having small ones).
 * The interval is mean + q·s(h).
 *
 * Invariants: lower ≤ mean ≤ upper (the lower quantile is capped at 0, the upper floored at 0);
 * a wider level contains a narrower one (the quantile function is monotone); all values finite.
 * @param errors - rows of actual − forecast, one per backtest origin, equal lengths ≥ 1.
 * @param levels - sorted ascending, each in (0, 100).
 */
export function calibrateIntervals(
  mean: readonly number[],
  errors: readonly Float64Array[],
  levels: readonly number[],
): PredictionInterval[] {
  const backtestHorizon = errors[0]?.length ?? 0;
  const scale = errorScale(errors, backtestHorizon, mean);
  const pooled: number[] = [];
  for (const row of errors) {
    for (let h = 0; h < backtestHorizon; h += 1) pooled.push((row[h] as number) / (scale[h] as number));
  }
  pooled.sort((a, b) => a - b);
  const stepScale = mean.map((_, h) =>
    h < backtestHorizon
      ? (scale[h] as number)
      : (scale[backtestHorizon - 1] as number) * Math.sqrt((h + 1) / backtestHorizon),
  );
  return levels.map((levelPct) => {
    const q = levelPct / 100;
    // Never narrower than a Gaussian with the same mean absolute error (σ = √(π/2)·MAE).
    const gaussian = GAUSSIAN_MAE_TO_SIGMA * normalQuantile(0.5 + q / 2);
    const qLow = Math.min(-gaussian, conformalQuantile(pooled, (1 - q) / 2, 'lower'));
    const qHigh = Math.max(gaussian, conformalQuantile(pooled, (1 + q) / 2, 'upper'));
    return {
      levelPct,
      lower: mean.map((m, h) => m + qLow * (stepScale[h] as number)),
      upper: mean.map((m, h) => m + qHigh * (stepScale[h] as number)),
    };
  });
}

function errorScale(
  errors: readonly Float64Array[],
  backtestHorizon: number,
  mean: readonly number[],
): Float64Array {
  const absMean = new Float64Array(backtestHorizon);
  for (const row of errors)
    for (let h = 0; h < backtestHorizon; h += 1)
      absMean[h] = (absMean[h] as number) + Math.abs(row[h] as number);
  const prefix = new Float64Array(backtestHorizon + 1);
  for (let h = 0; h < backtestHorizon; h += 1) prefix[h + 1] = (prefix[h] as number) + (absMean[h] as number);
  const w = Math.max(1, Math.round(backtestHorizon / 12));
  let level = 0;
  for (const m of mean) level += Math.abs(m);
  level /= Math.max(1, mean.length);
  // Floor keeps scores finite when a series is perfectly predicted in the backtest.
  const floor = Math.max(1e-9, 1e-6 * level);
  const scale = new Float64Array(backtestHorizon);
  for (let h = 0; h < backtestHorizon; h += 1) {
    const lo = Math.max(0, h - w);
    const hi = Math.min(backtestHorizon, h + w + 1);
    const value =
      ((prefix[hi] as number) - (prefix[lo] as number)) / ((hi - lo) * Math.max(1, errors.length));
    scale[h] = Math.max(floor, value);
  }
  return scale;
}

/** Conservative empirical quantile: rank ⌈(N+1)p⌉ from the top for the upper tail, mirrored below. */
function conformalQuantile(sorted: readonly number[], p: number, tail: 'lower' | 'upper'): number {
  const n = sorted.length;
  if (n === 0) return 0;
  if (tail === 'upper') {
    const rank = Math.min(n, Math.ceil((n + 1) * p));
    return sorted[Math.max(0, rank - 1)] as number;
  }
  const rank = Math.min(n, Math.ceil((n + 1) * (1 - p)));
  return sorted[n - Math.max(1, rank)] as number;
}
