import { MetricInputError } from './errors';

/*
 * Forecast accuracy metrics as the M4 competition defines them (see shared/data/m4-hourly/README.md).
 * All functions are pure; arrays are aligned step by step and must have equal lengths
 * (otherwise they throw MetricInputError).
 */

/** Forecast accuracy metrics, grouped so callers import one name. */
export const metrics = {
  smape,
  maseScale,
  mase,
  msis,
  coverage,
  owa,
} as const;

/**
 * Symmetric MAPE in percent: mean over steps of 200·|y − ŷ| / (|y| + |ŷ|). A step where both are 0
 * contributes 0 (a perfect forecast of zero load).
 */
export function smape(actual: readonly number[], forecast: readonly number[]): number {
  assertSameLength(actual, forecast);
  let sum = 0;
  for (let i = 0; i < actual.length; i += 1) {
    const y = actual[i] as number;
    const f = forecast[i] as number;
    const denominator = Math.abs(y) + Math.abs(f);
    sum += denominator === 0 ? 0 : (200 * Math.abs(y - f)) / denominator;
  }
  return sum / actual.length;
}

/**
 * MASE scale: in-sample mean absolute error of the seasonal naive forecast with period
 * `seasonSteps`, i.e. (1/(n−m))·Σ_{t>m} |y_t − y_{t−m}|. Returns NaN when n ≤ m.
 */
export function maseScale(insample: ArrayLike<number>, seasonSteps: number): number {
  const n = insample.length;
  if (n <= seasonSteps) return Number.NaN;
  let sum = 0;
  for (let t = seasonSteps; t < n; t += 1)
    sum += Math.abs((insample[t] as number) - (insample[t - seasonSteps] as number));
  return sum / (n - seasonSteps);
}

/** Mean absolute scaled error: out-of-sample MAE divided by {@link maseScale} of the in-sample data. */
export function mase(
  insample: ArrayLike<number>,
  actual: readonly number[],
  forecast: readonly number[],
  seasonSteps: number,
): number {
  assertSameLength(actual, forecast);
  let sum = 0;
  for (let i = 0; i < actual.length; i += 1) sum += Math.abs((actual[i] as number) - (forecast[i] as number));
  return sum / actual.length / maseScale(insample, seasonSteps);
}

/**
 * Mean scaled interval score (M4) for a central interval of `levelPct` %: mean over steps of
 * (U − L) + (2/a)(L − y)·1{y < L} + (2/a)(y − U)·1{y > U}, with a = 1 − level/100, divided by
 * {@link maseScale}.
 */
export function msis(
  insample: ArrayLike<number>,
  actual: readonly number[],
  lower: readonly number[],
  upper: readonly number[],
  levelPct: number,
  seasonSteps: number,
): number {
  assertSameLength(actual, lower);
  assertSameLength(actual, upper);
  const alpha = 1 - levelPct / 100;
  let sum = 0;
  for (let i = 0; i < actual.length; i += 1) {
    const y = actual[i] as number;
    const l = lower[i] as number;
    const u = upper[i] as number;
    sum += u - l + (y < l ? (2 / alpha) * (l - y) : 0) + (y > u ? (2 / alpha) * (y - u) : 0);
  }
  return sum / actual.length / maseScale(insample, seasonSteps);
}

/** Fraction (0–1) of steps whose actual value lies inside [lower, upper], bounds included. */
export function coverage(
  actual: readonly number[],
  lower: readonly number[],
  upper: readonly number[],
): number {
  assertSameLength(actual, lower);
  assertSameLength(actual, upper);
  let inside = 0;
  for (let i = 0; i < actual.length; i += 1) {
    const y = actual[i] as number;
    if (y >= (lower[i] as number) && y <= (upper[i] as number)) inside += 1;
  }
  return inside / actual.length;
}

/**
 * M4 overall weighted average: ½·(sMAPE/sMAPE_Naive2 + MASE/MASE_Naive2) on aggregate
 * (mean-over-series) values, each rounded to 3 decimals first as the organisers did.
 */
export function owa(smapeValue: number, maseValue: number, naive2Smape: number, naive2Mase: number): number {
  const r = (x: number): number => Math.round(x * 1000) / 1000;
  return 0.5 * (r(smapeValue) / r(naive2Smape) + r(maseValue) / r(naive2Mase));
}

function assertSameLength(a: readonly number[], b: readonly number[]): void {
  if (a.length !== b.length || a.length === 0) {
    throw new MetricInputError(a.length, b.length);
  }
}
