import type { HeldOutPeakDay } from './held-out-peak-days';
import type { PeakBound, PeakCalibration } from './types';

/** Euler–Mascheroni constant, the mean of a standard Gumbel variable. */
const EULER_GAMMA = 0.5772156649015329;

/**
 * Calibrates the planning bound for daily peaks on held-out backtest days (weighted split-conformal
 * on a peak score, with an extreme-value floor).
 *
 * A per-step p90 path does not cover the day's peak: the peak is the largest of many noisy steps
 * and, on bursty load, comes at a time no model can tell. What a capacity plan needs is a per-step
 * bound that reaches the actual peak at the step where it happens. For each held-out day (see
 * `heldOutPeakDays`) the score is r = (actual peak − forecast at that step) / s, with
 * s = max(forecast at that step, `levelLoad`): errors grow with load above the average, but a
 * burst in a quiet hour is not smaller than one at an average hour, so the scale never drops
 * below the history's mean load (and a score never divides by a near-zero forecast). For each
 * probability p the uplift u(p) is the weighted conformal quantile of the scores (the new day's
 * own weight is added to the total, as in `calibrateIntervals`), and at least the p-quantile of a
 * Gumbel law with the scores' weighted mean and standard deviation: daily maxima follow an
 * extreme-value law, and with a handful of held-out days the empirical quantile cannot reach
 * beyond the largest one. With `history`, a second floor: the bound at the forecast's own peak,
 * mean + u·max(mean, `levelLoad`), reaches the p-quantile of a Gumbel law fitted to the history's
 * last daily maxima, and at least their split-conformal p-quantile (the ⌈p·(n + 1)⌉-th smallest of
 * the n maxima, the largest of them when that rank is beyond n): a Gumbel fit by moments on ≤ 7
 * maxima can fall below a peak the history already reached, while the order statistic keeps its
 * finite-sample guarantee when the days are exchangeable (with 7 maxima, p = 0.9 asks for the
 * largest). Held-out days are few (4 at 5-minute steps, and days of overlapping origins
 * repeat the same peak), so their spread understates how far a new day's peak can go; the last
 * whole days of history are more, and they need no model (when the selection picks a flat median
 * forecast on bursty load, the held-out scores are nearly the peaks themselves, with the spread of
 * a few of them). The uplift is never negative. The bound at step h is then
 * mean(h) + u(p)·max(mean(h), `levelLoad`) (see `planningLoad`).
 *
 * Invariants: u is non-decreasing in p and ≥ 0; the result is deterministic.
 * @param days - held-out peak days; with none, every uplift is 0.
 * @param probabilities - in (0.5, 1), any order; duplicates are merged.
 * @param levelLoad - the history's mean load (≥ 0; in `forecastDemand`, with replaced glitches repaired); the scale's floor.
 * @param history - the last daily maxima of the history and the forecast's first-day peak; optional.
 */
export function calibratePeakBound(
  days: readonly HeldOutPeakDay[],
  probabilities: readonly number[],
  levelLoad: number,
  history?: HistoryPeaks,
): PeakCalibration {
  const scores = peakScores(days, levelLoad);
  const moments = weightedMoments(scores);
  const historyUplift = (probability: number): number => {
    if (history === undefined || history.dailyMaxima.length < 2) return 0;
    const maxima = history.dailyMaxima.map((score) => ({ score, weight: 1 }));
    const m = weightedMoments(maxima);
    if (m === undefined) return 0;
    const peak = Math.max(
      gumbelQuantile(m, probability),
      conformalUpperOfMaxima(history.dailyMaxima, probability),
    );
    const forecastPeak = Math.max(0, history.forecastPeakLoad);
    return (peak - forecastPeak) / Math.max(forecastPeak, levelLoad, 1e-9);
  };
  const bounds: PeakBound[] = [...new Set(probabilities)]
    .filter((p) => p > 0.5 && p < 1)
    .sort((a, b) => a - b)
    .map((probability) => {
      if (scores.length === 0) return { probability, upliftRatio: 0 };
      const conformal = weightedConformalUpper(scores, probability);
      const gumbel = moments === undefined ? Number.NEGATIVE_INFINITY : gumbelQuantile(moments, probability);
      return { probability, upliftRatio: Math.max(0, conformal, gumbel, historyUplift(probability)) };
    });
  return {
    heldOutDays: scores.length,
    effectiveDays: effectiveCount(scores),
    levelLoad: Math.max(0, levelLoad),
    bounds,
  };
}

/** The history's recent daily peaks, for the bound's second floor (see {@link calibratePeakBound}). */
export interface HistoryPeaks {
  /** Maximum load of each of the last whole days of history (≥ 2 for the floor to apply). */
  readonly dailyMaxima: readonly number[];
  /** The mean forecast's maximum over the first day of the horizon. */
  readonly forecastPeakLoad: number;
}

/**
 * Split-conformal upper p-quantile of exchangeable daily maxima: the ⌈p·(n + 1)⌉-th smallest of
 * the n maxima, the largest when that rank is beyond n.
 */
function conformalUpperOfMaxima(maxima: readonly number[], p: number): number {
  const sorted = [...maxima].sort((a, b) => a - b);
  const rank = Math.ceil(p * (sorted.length + 1));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

/** p-quantile of a Gumbel law with the given mean and standard deviation. */
function gumbelQuantile(moments: { mean: number; sd: number }, p: number): number {
  return moments.mean + moments.sd * (Math.sqrt(6) / Math.PI) * (-EULER_GAMMA - Math.log(-Math.log(p)));
}

/**
 * The held-out peak scores r = (actual peak − forecast at that step) / max(forecast at that step,
 * `levelLoad`) of {@link calibratePeakBound}, with their weights, finite and positive-weight only,
 * sorted ascending.
 */
export function peakScores(
  days: readonly HeldOutPeakDay[],
  levelLoad: number,
): { readonly score: number; readonly weight: number }[] {
  const floor = Math.max(levelLoad, 1e-9);
  return days
    .map((d) => ({
      score: (d.actualPeak - d.forecastAtActualPeak) / Math.max(d.forecastAtActualPeak, floor),
      weight: d.weight,
    }))
    .filter((s) => Number.isFinite(s.score) && s.weight > 0)
    .sort((a, b) => a.score - b.score);
}

/** Smallest score whose cumulative weight reaches p·(W + 1); the largest when the sample is too small. */
function weightedConformalUpper(
  sorted: readonly { readonly score: number; readonly weight: number }[],
  p: number,
): number {
  let total = 1;
  for (const s of sorted) total += s.weight;
  let cumulative = 0;
  for (const s of sorted) {
    cumulative += s.weight;
    if (cumulative >= p * total) return s.score;
  }
  return (sorted[sorted.length - 1] as { score: number }).score;
}

/** Weighted mean and (reliability-weighted, unbiased) standard deviation; undefined below 2 effective samples. */
function weightedMoments(
  samples: readonly { readonly score: number; readonly weight: number }[],
): { mean: number; sd: number } | undefined {
  let sum = 0;
  let squares = 0;
  let total = 0;
  for (const s of samples) {
    total += s.weight;
    squares += s.weight * s.weight;
    sum += s.weight * s.score;
  }
  if (!(total > 0) || effectiveCount(samples) < 2) return undefined;
  const mean = sum / total;
  let deviation = 0;
  for (const s of samples) deviation += s.weight * (s.score - mean) ** 2;
  const denominator = total - squares / total;
  return { mean, sd: denominator > 0 ? Math.sqrt(deviation / denominator) : 0 };
}

function effectiveCount(samples: readonly { readonly weight: number }[]): number {
  let sum = 0;
  let squares = 0;
  for (const s of samples) {
    sum += s.weight;
    squares += s.weight * s.weight;
  }
  return squares > 0 ? (sum * sum) / squares : 0;
}
