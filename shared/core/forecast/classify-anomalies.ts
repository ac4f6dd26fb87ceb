import type { AnomalyReason } from './types';

/** What {@link classifyAnomalies} needs besides the robust scores. */
export interface ClassifyInput {
  /** Robust z-score of every step's seasonal residual. */
  readonly scores: Float64Array;
  /** Seasonal residual of every step (value − expectation), in load units. */
  readonly residuals: Float64Array;
  /** Steps with |score| above the threshold, in time order. */
  readonly candidates: readonly number[];
  /** Score threshold; a run or a recurrence counts steps above half of it. */
  readonly threshold: number;
  /** 1 for steps inside a known campaign window. */
  readonly inCampaign: Uint8Array;
  readonly dailySteps: number;
  readonly weeklySteps: number;
  /** Shortest run of consecutive unusual steps that is a sustained excursion, not a glitch. */
  readonly minRunSteps: number;
  /** How far (± steps) the same time on another day may drift and still count as a recurrence. */
  readonly toleranceSteps: number;
  /** Most days back or forward a daily recurrence is looked for. */
  readonly maxDayLag: number;
  /** Fewest other days or weeks that must show the excursion for it to be recurring. */
  readonly minRecurrences: number;
  /** Largest chance of seeing that many recurrences on a series without a pattern (a significance level). */
  readonly maxChance: number;
}

/**
 * Gives each candidate the reason it is replaced (`glitch`) or kept in the fit:
 *
 * * `campaign` — inside a known campaign window.
 * * `trailing` — its run of unusual steps reaches the last step: possibly a shift in progress.
 * * `sustained` — its run (consecutive steps with the same sign, |score| above half the
 *   threshold and at least half its residual) lasts at least `minRunSteps`: a real excursion
 *   of demand, not a sample glitch.
 * * `recurring` — the series' own structure explains it: an excursion in the same direction and
 *   at least half its size happens on at least half of the other whole days (a daily burst whose
 *   time wanders), or within ±`toleranceSteps` of the same time on other days (up to
 *   `maxDayLag` away) or weeks more often than chance allows (a binomial test at `maxChance`).
 * * `glitch` — none of the above.
 *
 * The first matching reason wins, in that order. Pure and O(candidates · (lags · tolerance + days + run)).
 */
export function classifyAnomalies(input: ClassifyInput): AnomalyReason[] {
  const { scores, candidates, threshold } = input;
  const n = scores.length;
  const sortedResiduals = Float64Array.from(input.residuals).sort();
  const days = dailyExtremes(input.residuals, input.dailySteps);
  return candidates.map((t) => {
    if (input.inCampaign[t] === 1) return 'campaign';
    const run = runAround(input, t, threshold / 2);
    if (run.end === n - 1) return 'trailing';
    if (run.end - run.start + 1 >= input.minRunSteps) return 'sustained';
    if (onMostDays(days, input, t) || recurs(input, sortedResiduals, t)) return 'recurring';
    return 'glitch';
  });
}

/**
 * The run of consecutive steps around t that are part of the same excursion: same sign, |score|
 * above `level`, and a residual at least half of t's. A spike on top of a broader, milder
 * deviation (a weekend the daily profile does not fit) is not a run; a surge of similar size is.
 */
function runAround(input: ClassifyInput, t: number, level: number): { start: number; end: number } {
  const { scores, residuals } = input;
  const r = residuals[t] as number;
  const part = (i: number): boolean =>
    Math.abs(scores[i] as number) > level &&
    (r > 0 ? (residuals[i] as number) >= 0.5 * r : (residuals[i] as number) <= 0.5 * r);
  let start = t;
  while (start > 0 && part(start - 1)) start -= 1;
  let end = t;
  while (end + 1 < scores.length && part(end + 1)) end += 1;
  return { start, end };
}

/**
 * True when a same-sign residual of at least half the size sits near the same time on more other
 * days or weeks than chance allows: with q the share of all steps that are that unusual, a window
 * of 2·tolerance + 1 steps holds one by chance with p = 1 − (1 − q)^(2·tolerance+1); the point
 * recurs when at least `minRecurrences` lags show one and the binomial chance of seeing that many
 * among the lags examined is at most `maxChance`. On a spiky series, where such excursions are
 * common everywhere, a coincidence on another day is not evidence of a pattern.
 */
function recurs(input: ClassifyInput, sortedResiduals: Float64Array, t: number): boolean {
  const { residuals, dailySteps, weeklySteps, toleranceSteps, maxDayLag } = input;
  const n = residuals.length;
  const r = residuals[t] as number;
  const bar = 0.5 * r;
  const similar = (i: number): boolean =>
    r > 0 ? (residuals[i] as number) >= bar : (residuals[i] as number) <= bar;
  const lags: number[] = [];
  if (dailySteps > 1) for (let d = 1; d <= maxDayLag; d += 1) lags.push(d * dailySteps, -d * dailySteps);
  if (weeklySteps > dailySteps) {
    for (let w = 1; w * weeklySteps < n; w += 1) {
      if (w * 7 > maxDayLag) lags.push(w * weeklySteps, -w * weeklySteps);
    }
  }
  let examined = 0;
  let seen = 0;
  for (const lag of lags) {
    const from = Math.max(0, t + lag - toleranceSteps);
    const to = Math.min(n - 1, t + lag + toleranceSteps);
    if (from > to) continue;
    examined += 1;
    for (let i = from; i <= to; i += 1) {
      if (similar(i)) {
        seen += 1;
        break;
      }
    }
  }
  if (seen < input.minRecurrences) return false;
  // Steps as unusual as `bar` in the same direction, the point itself left out.
  const asUnusual =
    r > 0
      ? n - lowerBound(sortedResiduals, bar) - 1
      : lowerBound(sortedResiduals, bar + Number.EPSILON * Math.abs(bar)) - 1;
  const q = Math.max(0, asUnusual) / Math.max(1, n - 1);
  const p = 1 - (1 - q) ** (2 * toleranceSteps + 1);
  return binomialTail(examined, seen, p) <= input.maxChance;
}

/** Largest and smallest residual of each whole day (days counted from the first step). */
function dailyExtremes(
  residuals: Float64Array,
  dailySteps: number,
): { max: Float64Array; min: Float64Array } {
  const count = dailySteps > 1 ? Math.floor(residuals.length / dailySteps) : 0;
  const max = new Float64Array(count).fill(Number.NEGATIVE_INFINITY);
  const min = new Float64Array(count).fill(Number.POSITIVE_INFINITY);
  for (let d = 0; d < count; d += 1) {
    for (let i = d * dailySteps; i < (d + 1) * dailySteps; i += 1) {
      const v = residuals[i] as number;
      if (v > (max[d] as number)) max[d] = v;
      if (v < (min[d] as number)) min[d] = v;
    }
  }
  return { max, min };
}

/**
 * True when an excursion of at least half the size, in the same direction, happens on at least
 * half of the other whole days (at any time): a daily burst whose time wanders is still part of
 * the series' normal day, not a glitch. Needs at least four other days.
 */
function onMostDays(
  days: { max: Float64Array; min: Float64Array },
  input: ClassifyInput,
  t: number,
): boolean {
  const count = days.max.length;
  const own = Math.floor(t / input.dailySteps);
  const others = own < count ? count - 1 : count;
  if (others < 4) return false;
  const r = input.residuals[t] as number;
  let seen = 0;
  for (let d = 0; d < count; d += 1) {
    if (d === own) continue;
    if (r > 0 ? (days.max[d] as number) >= 0.5 * r : (days.min[d] as number) <= 0.5 * r) seen += 1;
  }
  return 2 * seen >= others;
}

/** First index i with sorted[i] ≥ x. */
function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** P(X ≥ k) for X ~ Binomial(trials, p). */
function binomialTail(trials: number, k: number, p: number): number {
  if (k <= 0) return 1;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  let term = (1 - p) ** trials;
  let below = 0;
  for (let j = 0; j < k; j += 1) {
    below += term;
    term *= ((trials - j) / (j + 1)) * (p / (1 - p));
  }
  return Math.max(0, 1 - below);
}
