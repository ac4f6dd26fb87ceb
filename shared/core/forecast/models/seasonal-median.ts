/**
 * Seasonal median. Each future step is the median of the history at the same time of day (or of
 * week) over the last K seasons, within ±w steps of that time: ŷ_{n+h} = median{ y_{n+h−k·m+j} :
 * k = 1..K, |j| ≤ w, index < n }, with m one day (K = 3) or one week (K = 4) of steps and
 * w = ⌊900 s / step⌋ (±15 minutes at sub-hourly steps, 0 at hourly and coarser steps). The daily
 * variant is level-adjusted: each past day's values are taken relative to that day's median and the
 * last day's median is added back, so a level that moved recently is followed. Three days, not a
 * week: a week of days mixes weekdays with weekend days, whose shape differs (on the NYC taxi
 * hold-out, seven days made the selected forecast 8 % worse; three days kept it within 1 %).
 * Assumes the seasonal shape is stable while single days are noisy or bursty: the median is the
 * forecast that minimises absolute error (the MASE and sMAPE the selection and M4 score), and one
 * unusual day cannot move it, unlike seasonal naive. Intervals: Gaussian with the spread of the
 * one-season differences y_t − y_{t−m} (as seasonal naive; the selection replaces them with
 * calibrated ones), growing with √k beyond the first season.
 * Minimum history: two days (daily) or two weeks (weekly).
 * Reference: the seasonal mean/median benchmarks, Hyndman & Athanasopoulos, FPP3 §5.2; Gneiting
 * (2011), Making and evaluating point forecasts, JASA 106 (the median is optimal for absolute error).
 */
import { InsufficientHistoryError } from '../errors';
import { INSERTION_SORT_MAX, insertionSort } from '../insertion-sort';
import { seasonSteps } from '../season-periods';
import type { FittedModel, ForecastModel, RegularSeries } from '../types';
import { repeatSeason } from './repeat-season';

/** Which season a seasonal median model takes its medians over. */
export type SeasonalMedianSeason = 'daily' | 'weekly';

const SEASONS_USED = { daily: 3, weekly: 4 } as const;
const WINDOW_SECONDS = 900;

/** Seasonal median model over the last days or weeks; see the file note for the equations. */
export function seasonalMedian(season: SeasonalMedianSeason): ForecastModel {
  const name = `seasonal-median-${season}`;
  const period = (stepSeconds: number): number => seasonSteps(season, stepSeconds);
  const minHistorySteps = (stepSeconds: number): number => 2 * period(stepSeconds);
  return {
    name,
    minHistorySteps,
    fit(series: RegularSeries): FittedModel {
      const y = series.values;
      const n = y.length;
      const min = minHistorySteps(series.stepSeconds);
      if (n < min) throw new InsufficientHistoryError(name, n, min);
      const m = period(series.stepSeconds);
      const window = Math.floor(WINDOW_SECONDS / series.stepSeconds);
      const profile = seasonProfile(y, n, m, window, SEASONS_USED[season], season === 'daily');
      // Spread of one-season differences, as seasonal naive; the selection calibrates its own intervals.
      return repeatSeason(name, y, profile);
    },
  };
}

/**
 * The next season's forecast from the first `end` values: per phase p, the median over the last
 * `seasons` seasons (as many as exist) and ±`window` steps; relative to each season's median plus
 * the last season's median when `levelAdjusted`.
 */
function seasonProfile(
  y: readonly number[],
  end: number,
  m: number,
  window: number,
  seasons: number,
  levelAdjusted: boolean,
): Float64Array {
  const used = Math.max(1, Math.min(seasons, Math.floor(end / m)));
  const levels = new Float64Array(used + 1);
  if (levelAdjusted) {
    for (let k = 1; k <= used; k += 1)
      levels[k] = median(Float64Array.from(y.slice(end - k * m, end - (k - 1) * m)));
  }
  const base = levelAdjusted ? (levels[1] as number) : 0;
  const sliding = slidingProfile(y, end, m, window, used, levels, base);
  if (sliding !== undefined) return sliding;
  const profile = new Float64Array(m);
  const buffer = new Float64Array(used * (2 * window + 1));
  for (let p = 0; p < m; p += 1) {
    let count = 0;
    for (let k = 1; k <= used; k += 1) {
      const centre = end - k * m + p;
      for (let j = -window; j <= window; j += 1) {
        const t = centre + j;
        if (t >= 0 && t < end) {
          buffer[count] = (y[t] as number) - (levels[k] as number);
          count += 1;
        }
      }
    }
    profile[p] = base + median(buffer.subarray(0, count));
  }
  return profile;
}

/**
 * `seasonProfile`'s phases from one sorted window slid along the season: phase p + 1's values are
 * phase p's less the step leaving each season's window and plus the step entering it, so each
 * phase moves `used` values in and out of a short sorted list instead of sorting its
 * `used`·(2·window + 1) values again. The list holds the same values as the phase's buffer
 * (each y_t − level_k computed once, as there), kept in the typed-array sort's order (−0 before
 * +0), so its middle values, and the median, are the very ones sorting the buffer gives.
 * Undefined when a value or level is not finite (∞ − ∞ is NaN, which the buffer's sort places).
 */
function slidingProfile(
  y: readonly number[],
  end: number,
  m: number,
  window: number,
  used: number,
  levels: Float64Array,
  base: number,
): Float64Array | undefined {
  for (let k = 0; k <= used; k += 1) if (!Number.isFinite(levels[k] as number)) return undefined;
  for (let t = Math.max(0, end - used * m - window); t < end; t += 1)
    if (!Number.isFinite(y[t] as number)) return undefined;
  const sorted = new Float64Array(used * (2 * window + 1));
  let size = 0;
  const insert = (x: number): void => {
    let i = size;
    for (; i > 0 && before(x, sorted[i - 1] as number); i -= 1) sorted[i] = sorted[i - 1] as number;
    sorted[i] = x;
    size += 1;
  };
  const remove = (x: number): void => {
    let i = 0;
    while (i < size && !Object.is(sorted[i], x)) i += 1;
    for (; i + 1 < size; i += 1) sorted[i] = sorted[i + 1] as number;
    size -= 1;
  };
  for (let k = 1; k <= used; k += 1) {
    const centre = end - k * m;
    for (let t = Math.max(0, centre - window); t <= centre + window && t < end; t += 1)
      insert((y[t] as number) - (levels[k] as number));
  }
  const profile = new Float64Array(m);
  for (let p = 0; p < m; p += 1) {
    if (p > 0) {
      for (let k = 1; k <= used; k += 1) {
        const centre = end - k * m + p;
        const leaving = centre - 1 - window;
        if (leaving >= 0 && leaving < end) remove((y[leaving] as number) - (levels[k] as number));
        const entering = centre + window;
        if (entering >= 0 && entering < end) insert((y[entering] as number) - (levels[k] as number));
      }
    }
    const mid = size >> 1;
    profile[p] =
      base +
      (size % 2 === 1
        ? (sorted[mid] as number)
        : 0.5 * ((sorted[mid - 1] as number) + (sorted[mid] as number)));
  }
  return profile;
}

/** a before b in the typed-array sort's order of NaN-free values (−0 before +0). */
function before(a: number, b: number): boolean {
  return a < b || (a === 0 && b === 0 && 1 / a < 1 / b);
}

/** Median of a non-empty typed array (sorted in place: typed arrays sort numerically). */
function median(values: Float64Array): number {
  if (values.length > INSERTION_SORT_MAX || !insertionSort(values)) values.sort();
  const mid = values.length >> 1;
  return values.length % 2 === 1
    ? (values[mid] as number)
    : 0.5 * ((values[mid - 1] as number) + (values[mid] as number));
}
