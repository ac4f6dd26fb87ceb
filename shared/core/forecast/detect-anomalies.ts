import { classifyAnomalies } from './classify-anomalies';
import { stableSorted } from './insertion-sort';
import { medianInPlace } from './median-in-place';
import { type SeasonPeriods, seasonPeriods } from './season-periods';
import type { Anomaly, AnomalyHandling, AnomalyReason, RegularSeries } from './types';

/** Tuning of {@link detectAnomalies}. */
export interface AnomalyOptions {
  /** Robust z-score above which a point is anomalous (a Gaussian exceeds 6σ about once in 10⁹ points). */
  readonly threshold: number;
  /** Most points replaced, as a fraction of the history; the highest |scores| are replaced first. */
  readonly maxFraction: number;
  /** Floor of the robust scale as a fraction of the residuals' standard deviation (quantised series have MAD ≈ 0). */
  readonly scaleFloorOfSd: number;
  /** Shortest run of unusual steps kept as a sustained excursion, in seconds (at least 2 steps). */
  readonly minSustainedSeconds: number;
  /** How far the same time on another day may drift and still count as a recurrence, in seconds. */
  readonly recurrenceToleranceSeconds: number;
  /** Most days back or forward a daily recurrence is looked for (weeks are looked for beyond it). */
  readonly maxRecurrenceDayLag: number;
  /** Fewest other days or weeks showing a similar excursion for a point to be recurring. */
  readonly minRecurrences: number;
  /** Significance level of the recurrence: the largest chance of that many coincidences without a pattern. */
  readonly maxRecurrenceChance: number;
}

/** Default anomaly tuning. */
export const DEFAULT_ANOMALY_OPTIONS: AnomalyOptions = {
  threshold: 6,
  maxFraction: 0.01,
  scaleFloorOfSd: 0.25,
  minSustainedSeconds: 900,
  recurrenceToleranceSeconds: 900,
  maxRecurrenceDayLag: 7,
  minRecurrences: 1,
  maxRecurrenceChance: 0.05,
};

/** A time window whose steps are never anomalies to replace (a known campaign). */
export interface ProtectedWindow {
  readonly startMs: number;
  readonly endMs: number;
}

/** Windows of known events and what to do with the unusual steps inside them. */
export interface AnomalyContext {
  /** Known campaign windows; a step at t with startMs ≤ t < endMs is inside. */
  readonly campaigns?: readonly ProtectedWindow[];
  /**
   * `keep` (default): campaign steps are demand and are never replaced. `replace`: every step in
   * a window is set to its seasonal expectation, for a campaign-free baseline (uplift learning).
   */
  readonly campaignSteps?: 'keep' | 'replace';
}

/** Anomalies found in a history and the history with the glitches replaced. */
export interface AnomalyDetection {
  /** The most extreme flagged points (at most the cap), in time order, each with `replaced` and its `reason`. */
  readonly anomalies: readonly Anomaly[];
  /** Every flagged point, in time order. */
  readonly flagged: readonly Anomaly[];
  /** History with each replaced anomaly set to its seasonal expectation (≥ 0); same length as the input. */
  readonly repaired: readonly number[];
  /** How many flagged points were replaced. */
  readonly replacedSteps: number;
  /** Replaced and kept counts per reason, the cap and whether it was reached. */
  readonly handling: AnomalyHandling;
}

const NO_KEPT: AnomalyHandling['keptSteps'] = {
  recurring: 0,
  sustained: 0,
  campaign: 0,
  trailing: 0,
  'over-cap': 0,
};

/**
 * Flags points whose seasonal residual is extreme on a robust scale, and replaces the glitches.
 *
 * Expectation of step t = moving average over one period (the local level; the window slides
 * inwards at the ends) + the median, over the history, of the detrended values at the same phase
 * of the period, leaving the step itself out — a week when five weeks are available, a day
 * when five days are (fewer cycles would let one outlier move the median). Residual = value − expectation; score =
 * (residual − median) / scale, scale = 1.4826·MAD of the residuals, floored at a fraction of
 * their standard deviation. Points with |score| > threshold are flagged.
 *
 * A flagged point is demand, kept in the fit, when it is inside a known campaign window, part
 * of a sustained or trailing run, or recurs near the same time on another day or week (see
 * {@link classifyAnomalies}). The rest are glitches, replaced by their expectation — at most
 * `maxFraction` of the history, the most extreme first; beyond that they are kept as `over-cap`
 * and `handling.capReached` says so. A replaced glitch's expectation is refitted without the
 * replaced steps (their level and phase medians left out): a glitch inside its own moving
 * average would lift its replacement by 1/period of itself (a 10⁷ sample in load near 200,
 * 5-minute steps, was "replaced" by 34,937). Scores and reasons are those of the first fit.
 * @param options - tuning, default {@link DEFAULT_ANOMALY_OPTIONS}.
 * @param context - known campaign windows, default none.
 */
export function detectAnomalies(
  series: RegularSeries,
  options: AnomalyOptions = DEFAULT_ANOMALY_OPTIONS,
  context: AnomalyContext = {},
): AnomalyDetection {
  const y = series.values;
  const n = y.length;
  const capSteps = Math.max(1, Math.floor(options.maxFraction * n));
  const none = { anomalies: [], flagged: [], repaired: [...y], replacedSteps: 0 };
  const emptyHandling = {
    flaggedSteps: 0,
    replacedSteps: 0,
    keptSteps: NO_KEPT,
    capSteps,
    capReached: false,
  };
  if (n < 8) return { ...none, handling: emptyHandling };
  const periods = seasonPeriods(series.stepSeconds);
  const inCampaign = campaignMask(series, context.campaigns ?? []);
  const { model, repaired } = fitExpectation(series, periods, inCampaign, options, context);
  if (!(model.scale > 0)) return { ...none, repaired, handling: emptyHandling };
  const scores = Float64Array.from(model.residual, (r) => (r - model.center) / model.scale);
  const candidates: number[] = [];
  for (let t = 0; t < n; t += 1) if (Math.abs(scores[t] as number) > options.threshold) candidates.push(t);
  const stepSeconds = series.stepSeconds;
  const reasons = classifyAnomalies({
    scores,
    residuals: model.residual,
    candidates,
    threshold: options.threshold,
    inCampaign,
    dailySteps: periods.dailySteps,
    weeklySteps: periods.weeklySteps,
    minRunSteps: Math.max(2, Math.ceil(options.minSustainedSeconds / stepSeconds)),
    toleranceSteps: Math.round(options.recurrenceToleranceSeconds / stepSeconds),
    maxDayLag: options.maxRecurrenceDayLag,
    minRecurrences: options.minRecurrences,
    maxChance: options.maxRecurrenceChance,
  });
  const flagging = flagCandidates(series, { scores, candidates, reasons }, model, capSteps, repaired);
  if (flagging.replacedSteps > 0) repairWithoutReplaced(repaired, flagging.replacedMask, periods, options);
  const anomalies = mostExtreme(flagging.flagged, candidates, scores, capSteps);
  const handling: AnomalyHandling = {
    flaggedSteps: candidates.length,
    replacedSteps: flagging.replacedSteps,
    keptSteps: flagging.kept,
    capSteps,
    capReached: flagging.glitchSteps > capSteps,
  };
  return { anomalies, flagged: flagging.flagged, repaired, replacedSteps: flagging.replacedSteps, handling };
}

/** A history's seasonal fit: expectation per step, residuals, their centre and robust scale. */
interface SeasonalFit {
  readonly expected: Float64Array;
  readonly residual: Float64Array;
  readonly center: number;
  readonly scale: number;
}

/**
 * The history's seasonal fit and a copy of the history to repair; with `campaignSteps: 'replace'`
 * the copy's campaign steps are already set to their expectation.
 */
function fitExpectation(
  series: RegularSeries,
  periods: SeasonPeriods,
  inCampaign: Uint8Array,
  options: AnomalyOptions,
  context: AnomalyContext,
): { model: SeasonalFit; repaired: number[] } {
  const y = series.values;
  const n = y.length;
  const decompose = (values: readonly number[]) =>
    seasonalResiduals(values, periods.dailySteps, periods.weeklySteps, options.scaleFloorOfSd);
  let model = decompose(y);
  const repaired = [...y];
  if (context.campaignSteps === 'replace' && inCampaign.includes(1)) {
    // The campaign itself lifts the moving level around it: refit once without it.
    for (let t = 0; t < n; t += 1)
      if (inCampaign[t] === 1) repaired[t] = Math.max(0, model.expected[t] as number);
    model = decompose(repaired);
    for (let t = 0; t < n; t += 1)
      if (inCampaign[t] === 1) repaired[t] = Math.max(0, model.expected[t] as number);
  }
  return { model, repaired };
}

/**
 * Every candidate as an anomaly with its reason. Glitches beyond the cap are kept as `over-cap`:
 * the most extreme are replaced first (ties: earliest), in `repaired`, by their expectation (≥ 0).
 */
function flagCandidates(
  series: RegularSeries,
  found: {
    readonly scores: Float64Array;
    readonly candidates: readonly number[];
    readonly reasons: readonly AnomalyReason[];
  },
  model: SeasonalFit,
  capSteps: number,
  repaired: number[],
): {
  flagged: Anomaly[];
  kept: AnomalyHandling['keptSteps'];
  replacedSteps: number;
  replacedMask: Uint8Array;
  glitchSteps: number;
} {
  const { scores, candidates, reasons } = found;
  const glitches = candidates
    .filter((_, i) => reasons[i] === 'glitch')
    .sort((a, b) => Math.abs(scores[b] as number) - Math.abs(scores[a] as number) || a - b);
  const replace = new Set(glitches.slice(0, capSteps));
  const replacedMask = new Uint8Array(series.values.length);
  for (const t of replace) replacedMask[t] = 1;
  const kept: Record<Exclude<AnomalyReason, 'glitch'>, number> = { ...NO_KEPT };
  const stepMs = series.stepSeconds * 1000;
  const flagged: Anomaly[] = candidates.map((t, i) => {
    const classified = reasons[i] as AnomalyReason;
    const replaced = replace.has(t);
    const reason: AnomalyReason = classified === 'glitch' && !replaced ? 'over-cap' : classified;
    if (replaced) repaired[t] = Math.max(0, model.expected[t] as number);
    else if (reason !== 'glitch') kept[reason] += 1;
    return {
      timestampMs: series.startMs + t * stepMs,
      value: series.values[t] as number,
      score: scores[t] as number,
      replaced,
      reason,
    };
  });
  return { flagged, kept, replacedSteps: replace.size, replacedMask, glitchSteps: glitches.length };
}

/**
 * Sets each replaced step of `repaired` (its mask entry 1) to its expectation (≥ 0) under the
 * seasonal fit of `repaired` without the replaced steps, in place.
 */
function repairWithoutReplaced(
  repaired: number[],
  replacedMask: Uint8Array,
  periods: SeasonPeriods,
  options: AnomalyOptions,
): void {
  const { expected } = seasonalResiduals(
    repaired,
    periods.dailySteps,
    periods.weeklySteps,
    options.scaleFloorOfSd,
    replacedMask,
  );
  for (let t = 0; t < repaired.length; t += 1) {
    if (replacedMask[t] === 1) repaired[t] = Math.max(0, expected[t] as number);
  }
}

/**
 * The most extreme flagged points, at most `capSteps`, in time order (a spiky series can flag
 * thousands and the forecast result must stay small); `handling` counts them all.
 */
function mostExtreme(
  flagged: readonly Anomaly[],
  candidates: readonly number[],
  scores: Float64Array,
  capSteps: number,
): Anomaly[] {
  const listed = new Set(
    candidates
      .map((t, i) => ({ t, i }))
      .sort((a, b) => Math.abs(scores[b.t] as number) - Math.abs(scores[a.t] as number) || a.t - b.t)
      .slice(0, capSteps)
      .map(({ i }) => i),
  );
  return flagged.filter((_, i) => listed.has(i));
}

/**
 * Seasonal expectation (level + same-phase median + residual centre), residuals and their robust
 * scale. Steps whose `skip` entry is 1 are left out of the level, the phase medians, the centre and
 * the scale; their expectation is still given, from the other steps (the plain phase median).
 */
function seasonalResiduals(
  y: readonly number[],
  dailySteps: number,
  weeklySteps: number,
  scaleFloorOfSd: number,
  skip: Uint8Array = new Uint8Array(y.length),
): SeasonalFit {
  const n = y.length;
  // At least 5 cycles per phase, so a leave-one-out median of ≥ 4 values ignores one outlier.
  const period = n >= 5 * weeklySteps ? weeklySteps : n >= 5 * dailySteps ? dailySteps : 1;
  // The level is averaged over one full seasonal period, so the profile below sees the whole cycle.
  const width = period > 1 ? period : Math.min(dailySteps, Math.max(3, Math.floor(n / 4)));
  const trend = movingAverage(y, width, skip);
  const detrended = new Float64Array(n);
  for (let t = 0; t < n; t += 1) detrended[t] = (y[t] as number) - (trend[t] as number);
  // Seasonal expectation of each step: median of the other steps at the same phase (leave-one-out,
  // so with few cycles a point is not its own median and the residual scale is not understated).
  const seasonal = new Float64Array(n);
  if (period > 1) {
    const bucket: number[] = [];
    for (let phase = 0; phase < period; phase += 1) {
      bucket.length = 0;
      for (let t = phase; t < n; t += period) if (skip[t] !== 1) bucket.push(detrended[t] as number);
      const sorted = stableSorted(bucket);
      for (let t = phase, i = 0; t < n; t += period) {
        if (skip[t] === 1) {
          seasonal[t] = medianOfSorted(sorted);
        } else {
          seasonal[t] = leaveOneOutMedian(sorted, sorted.indexOf(bucket[i] as number));
          i += 1;
        }
      }
    }
  }
  const residual = new Float64Array(n);
  for (let t = 0; t < n; t += 1) residual[t] = (detrended[t] as number) - (seasonal[t] as number);
  const kept = residual.filter((_, t) => skip[t] !== 1);
  const center = medianInPlace(Float64Array.from(kept));
  const deviations = kept.map((r) => Math.abs(r - center));
  let squares = 0;
  for (const r of kept) squares += (r - center) ** 2;
  const scale = Math.max(
    1.4826 * medianInPlace(deviations),
    scaleFloorOfSd * Math.sqrt(squares / Math.max(1, kept.length)),
  );
  const expected = new Float64Array(n);
  for (let t = 0; t < n; t += 1) expected[t] = (trend[t] as number) + (seasonal[t] as number) + center;
  return { expected, residual, center, scale };
}

function campaignMask(series: RegularSeries, windows: readonly ProtectedWindow[]): Uint8Array {
  const n = series.values.length;
  const mask = new Uint8Array(n);
  const stepMs = series.stepSeconds * 1000;
  for (const w of windows) {
    const first = Math.max(0, Math.ceil((w.startMs - series.startMs) / stepMs));
    const end = Math.min(n, Math.ceil((w.endMs - series.startMs) / stepMs));
    for (let t = first; t < end; t += 1) mask[t] = 1;
  }
  return mask;
}

/**
 * Moving average of `width` steps, centred where possible; near the ends the window slides
 * inwards instead of shrinking, so it always spans a whole cycle and the daily shape cancels.
 * Steps whose `skip` entry is 1 are left out of every window's mean (a window of skipped steps
 * only takes them all).
 */
function movingAverage(y: readonly number[], width: number, skip: Uint8Array): Float64Array {
  const n = y.length;
  const w = Math.min(width, n);
  const all = new Float64Array(n + 1);
  const kept = new Float64Array(n + 1);
  const count = new Float64Array(n + 1);
  for (let t = 0; t < n; t += 1) {
    const v = y[t] as number;
    const use = skip[t] === 1 ? 0 : 1;
    all[t + 1] = (all[t] as number) + v;
    kept[t + 1] = (kept[t] as number) + use * v;
    count[t + 1] = (count[t] as number) + use;
  }
  const half = Math.floor(w / 2);
  const out = new Float64Array(n);
  for (let t = 0; t < n; t += 1) {
    const lo = Math.min(Math.max(0, t - half), n - w);
    const c = (count[lo + w] as number) - (count[lo] as number);
    out[t] =
      c > 0
        ? ((kept[lo + w] as number) - (kept[lo] as number)) / c
        : ((all[lo + w] as number) - (all[lo] as number)) / w;
  }
  return out;
}

/** Median of `sorted` (0 when empty). */
function medianOfSorted(sorted: readonly number[]): number {
  const k = sorted.length;
  if (k === 0) return 0;
  return k % 2 === 1
    ? (sorted[(k - 1) / 2] as number)
    : 0.5 * ((sorted[k / 2 - 1] as number) + (sorted[k / 2] as number));
}

/** Median of `sorted` without the element at `skip` (the lone element's own value when k = 1). */
function leaveOneOutMedian(sorted: readonly number[], skip: number): number {
  const k = sorted.length - 1;
  if (k <= 0) return sorted[0] ?? 0;
  return k % 2 === 1
    ? skipping(sorted, skip, (k - 1) / 2)
    : 0.5 * (skipping(sorted, skip, k / 2 - 1) + skipping(sorted, skip, k / 2));
}

/** Element i of `sorted` with the element at `skip` removed (a function, not a per-call closure). */
function skipping(sorted: readonly number[], skip: number, i: number): number {
  return sorted[i < skip ? i : i + 1] as number;
}
