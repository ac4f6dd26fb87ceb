import { seasonPeriods } from './season-periods';
import type { Anomaly, RegularSeries } from './types';

/** Tuning of {@link detectAnomalies}. */
export interface AnomalyOptions {
  /** Robust z-score above which a point is anomalous (a Gaussian exceeds 6σ about once in 10⁹ points). */
  readonly threshold: number;
  /** Most points flagged, as a fraction of the history; the highest |scores| are kept. */
  readonly maxFraction: number;
  /** Floor of the robust scale as a fraction of the residuals' standard deviation (quantised series have MAD ≈ 0). */
  readonly scaleFloorOfSd: number;
}

/** Default anomaly tuning. */
export const DEFAULT_ANOMALY_OPTIONS: AnomalyOptions = {
  threshold: 6,
  maxFraction: 0.01,
  scaleFloorOfSd: 0.25,
};

/** Anomalies found in a history and the history with them replaced. */
export interface AnomalyDetection {
  readonly anomalies: readonly Anomaly[];
  /** History with each replaced anomaly set to its seasonal expectation (≥ 0); same length as the input. */
  readonly repaired: readonly number[];
  /** How many anomalies were replaced (a trailing run touching the end is kept: it may be a real shift). */
  readonly replacedSteps: number;
}

/**
 * Flags points whose seasonal residual is extreme on a robust scale, and replaces them.
 *
 * Expectation of step t = moving average over one period (the local level; the window slides
 * inwards at the ends) + the median, over the history, of the detrended values at the same phase
 * of the period, leaving the step itself out — a week when five weeks are available, a day
 * when five days are (fewer cycles would let one outlier move the median). Residual = value − expectation; score =
 * (residual − median) / scale, scale = 1.4826·MAD of the residuals, floored at a fraction of
 * their standard deviation. Points with |score| > threshold are anomalies, at most a fixed
 * fraction of the history (the most extreme kept). They are replaced by the expectation
 * before fitting, except a run of anomalies that reaches the last step: that may be a level shift
 * in progress, and hiding it would under-forecast.
 * @param options - tuning, default {@link DEFAULT_ANOMALY_OPTIONS}.
 */
export function detectAnomalies(
  series: RegularSeries,
  options: AnomalyOptions = DEFAULT_ANOMALY_OPTIONS,
): AnomalyDetection {
  const { threshold, maxFraction, scaleFloorOfSd } = options;
  const y = series.values;
  const n = y.length;
  const { dailySteps, weeklySteps } = seasonPeriods(series.stepSeconds);
  if (n < 8) return { anomalies: [], repaired: [...y], replacedSteps: 0 };
  // At least 5 cycles per phase, so a leave-one-out median of ≥ 4 values ignores one outlier.
  const period = n >= 5 * weeklySteps ? weeklySteps : n >= 5 * dailySteps ? dailySteps : 1;
  // The level is averaged over one full seasonal period, so the profile below sees the whole cycle.
  const trend = movingAverage(y, period > 1 ? period : Math.min(dailySteps, Math.max(3, Math.floor(n / 4))));
  const detrended = new Float64Array(n);
  for (let t = 0; t < n; t += 1) detrended[t] = (y[t] as number) - (trend[t] as number);
  // Seasonal expectation of each step: median of the other steps at the same phase (leave-one-out,
  // so with few cycles a point is not its own median and the residual scale is not understated).
  const expected = new Float64Array(n);
  if (period > 1) {
    const bucket: number[] = [];
    for (let phase = 0; phase < period; phase += 1) {
      bucket.length = 0;
      for (let t = phase; t < n; t += period) bucket.push(detrended[t] as number);
      const sorted = [...bucket].sort((x, z) => x - z);
      for (let t = phase, i = 0; t < n; t += period, i += 1) {
        expected[t] = leaveOneOutMedian(sorted, sorted.indexOf(bucket[i] as number));
      }
    }
  }
  const residual = new Float64Array(n);
  for (let t = 0; t < n; t += 1) residual[t] = (detrended[t] as number) - (expected[t] as number);
  const sorted = Float64Array.from(residual).sort();
  const center = quantileSorted(sorted, 0.5);
  const deviations = Float64Array.from(residual, (r) => Math.abs(r - center)).sort();
  let squares = 0;
  for (const r of residual) squares += (r - center) ** 2;
  const scale = Math.max(1.4826 * quantileSorted(deviations, 0.5), scaleFloorOfSd * Math.sqrt(squares / n));
  const repaired = [...y];
  if (!(scale > 0)) return { anomalies: [], repaired, replacedSteps: 0 };
  const stepMs = series.stepSeconds * 1000;
  const candidates: number[] = [];
  for (let t = 0; t < n; t += 1) {
    if (Math.abs(((residual[t] as number) - center) / scale) > threshold) candidates.push(t);
  }
  const limit = Math.max(1, Math.floor(maxFraction * n));
  const score = (t: number): number => ((residual[t] as number) - center) / scale;
  // Keep the most extreme (ties: earliest), then report in time order.
  const kept = candidates
    .sort((a, b) => Math.abs(score(b)) - Math.abs(score(a)) || a - b)
    .slice(0, limit)
    .sort((a, b) => a - b);
  const flagged = new Uint8Array(n);
  const anomalies: Anomaly[] = kept.map((t) => {
    flagged[t] = 1;
    return { timestampMs: series.startMs + t * stepMs, value: y[t] as number, score: score(t) };
  });
  let trailing = n;
  while (trailing > 0 && flagged[trailing - 1] === 1) trailing -= 1;
  let replacedSteps = 0;
  for (let t = 0; t < trailing; t += 1) {
    if (flagged[t] === 1) {
      repaired[t] = Math.max(0, (trend[t] as number) + (expected[t] as number) + center);
      replacedSteps += 1;
    }
  }
  return { anomalies, repaired, replacedSteps };
}

/**
 * Moving average of `width` steps, centred where possible; near the ends the window slides
 * inwards instead of shrinking, so it always spans a whole cycle and the daily shape cancels.
 */
function movingAverage(y: readonly number[], width: number): Float64Array {
  const n = y.length;
  const w = Math.min(width, n);
  const prefix = new Float64Array(n + 1);
  for (let t = 0; t < n; t += 1) prefix[t + 1] = (prefix[t] as number) + (y[t] as number);
  const half = Math.floor(w / 2);
  const out = new Float64Array(n);
  for (let t = 0; t < n; t += 1) {
    const lo = Math.min(Math.max(0, t - half), n - w);
    out[t] = ((prefix[lo + w] as number) - (prefix[lo] as number)) / w;
  }
  return out;
}

/** Median of `sorted` without the element at `skip` (the lone element's own value when k = 1). */
function leaveOneOutMedian(sorted: readonly number[], skip: number): number {
  const k = sorted.length - 1;
  if (k <= 0) return sorted[0] ?? 0;
  const at = (i: number): number => sorted[i < skip ? i : i + 1] as number;
  return k % 2 === 1 ? at((k - 1) / 2) : 0.5 * (at(k / 2 - 1) + at(k / 2));
}

function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const position = q * (n - 1);
  const lo = Math.floor(position);
  const hi = Math.min(n - 1, lo + 1);
  const w = position - lo;
  return (sorted[lo] as number) * (1 - w) + (sorted[hi] as number) * w;
}
