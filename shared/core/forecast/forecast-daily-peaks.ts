import { peakScores } from './calibrate-peak-bound';
import { forecastDistributionPeak, type HeldOutErrorLaw } from './forecast-distribution-peak';
import type { HeldOutPeakDay } from './held-out-peak-days';
import type { DailyPeakForecast } from './types';

/** Most past days whose peaks inform a daily-peak forecast. */
export const PEAK_RATIO_DAYS = 7;
/** Age in days at which a past day's maximum counts half as much as yesterday's (estimate 4). */
export const PEAK_HALF_LIFE_DAYS = 2;

/**
 * Forecasts the peak of each day of the horizon (consecutive windows of `dailySteps` from the
 * first forecast step; a last window shorter than half a day is left out).
 *
 * The peak of the mean forecast is not a forecast of the peak: the mean averages out the noise
 * and bursts that make a day's maximum, so on bursty load it under-shoots by half or more. The
 * day's peak here is the weighted median of up to seven estimates, the first four from the last ≤ 7 whole
 * days of history, each cut at the same time of day as the forecast's first step:
 * 1. the window's mean forecast load × those days' median peak-to-mean ratio (max / mean): level,
 *    trend and weekly shape from the selected model, burstiness from the series;
 * 2. the median of those days' maxima: right when bursts have a stable size and the mean swings
 *    with how many there were;
 * 3. the last day's maximum (seasonal naive of the peak);
 * 4. the recency-weighted median of those maxima (half weight at {@link PEAK_HALF_LIFE_DAYS}
 *    days): between 2 and 3, follows a change of burst size within days;
 * 5. with held-out backtest days (`heldOutDays`): the window's mean forecast maximum plus the
 *    weighted median of (actual peak − forecast peak) on those days: the selected model's own
 *    level and shape, with its peak bias learned where it did not see the outcome;
 * 6. with held-out days: the day's maximum of the planning bound at p = 0.5, mean(h) +
 *    u·max(mean(h), history mean), u ≥ 0 the weighted median of the held-out peak scores of
 *    `calibratePeakBound` ((actual peak − forecast at its step) / scale). Estimate 1 reads the
 *    forecast as a mean level, which a median model's forecast is not (it sits below the mean on
 *    bursty load); 5 and 6 measure the miss on the selection's own held-out forecasts, so they hold
 *    whatever kind of level the selected model produces, 6 in proportion to load, 5 in load units;
 * 7. with the held-out errors' law (`errorLaw`): the median of the day's maximum of mean(h) + ε(h),
 *    ε drawn from the selection's held-out errors, neighbouring steps counted as partly the same
 *    draw (`forecastDistributionPeak`): the peak of the forecast distribution, where 5 and 6 add
 *    one day-level miss to the mean's peak.
 * Each estimate is capped at the largest load of the history, or at the mean forecast's maximum
 * when that is higher: 1, 5 and 6 extrapolate a ratio or a held-out miss (one learned across a
 * change of regime, or on a near-zero level) into peaks the series never reached, and only the
 * model's own path is evidence for a new high. The peak is the weighted median of the estimates
 * (see `balancedMedian`): 2–4 read the history, 1 and 5–7 the selected model's forecast, and the
 * model's together weigh no more than the history's three, so a forecast that is off as a whole
 * (every model estimate low) cannot outvote the history; with equal weights it is the plain median.
 * No single estimate wins everywhere (the model's level matters on weekly load, yesterday's peak
 * after a change of regime). It is never
 * below the mean forecast's own maximum. The time is the step where the mean forecast peaks.
 * With no whole day of history the peak is the mean forecast's maximum.
 * @param history - cleaned, unrepaired history (real peaks included); its last step is just before `startMs`.
 * @param mean - the final mean forecast (campaigns applied), one value per step from `startMs`.
 * @param heldOutDays - the selection's held-out backtest days (see `heldOutPeakDays`); may be empty.
 * @param errorLaw - the law of the selection's held-out errors (see `heldOutErrorLaw`); optional.
 */
export function forecastDailyPeaks(
  history: readonly number[],
  mean: readonly number[],
  startMs: number,
  stepSeconds: number,
  dailySteps: number,
  heldOutDays: readonly HeldOutPeakDay[] = [],
  errorLaw?: HeldOutErrorLaw,
): DailyPeakForecast[] {
  const { ratio, maxima, recentMaximum, peakBias, levelLoad, historyPeak, medianScore } = peakEvidence(
    history,
    dailySteps,
    heldOutDays,
  );
  const stepMs = stepSeconds * 1000;
  const days: DailyPeakForecast[] = [];
  for (let from = 0; from < mean.length; from += dailySteps) {
    const end = Math.min(mean.length, from + dailySteps);
    if (end - from < dailySteps / 2) break;
    let at = from;
    let sum = 0;
    for (let h = from; h < end; h += 1) {
      sum += mean[h] as number;
      if ((mean[h] as number) > (mean[at] as number)) at = h;
    }
    const meanLoad = sum / (end - from);
    const meanPeak = mean[at] as number;
    const fromModel = [meanLoad * ratio];
    if (peakBias !== undefined) fromModel.push(meanPeak + peakBias);
    if (medianScore !== undefined) fromModel.push(meanPeak + medianScore * Math.max(meanPeak, levelLoad));
    if (errorLaw !== undefined && maxima.length > 0)
      fromModel.push(forecastDistributionPeak(mean, from, end, errorLaw));
    const fromHistory = [median(maxima), maxima[0] as number, recentMaximum];
    // No estimate beyond the largest load the history reached unless the mean forecast goes there.
    const ceiling = Math.max(meanPeak, historyPeak);
    days.push({
      startMs: startMs + from * stepMs,
      endMs: startMs + end * stepMs,
      peakLoad:
        maxima.length > 0 ? Math.max(meanPeak, balancedMedian(fromHistory, fromModel, ceiling)) : meanPeak,
      peakAtMs: startMs + at * stepMs,
      peakToMeanRatio: ratio,
    });
  }
  return days;
}

/**
 * What the history and the held-out days say about peaks: the median peak-to-mean ratio of the
 * recent days, their maxima (newest first) and recency-weighted median, the held-out peak bias
 * and score, the history's level and its highest load.
 */
function peakEvidence(
  history: readonly number[],
  dailySteps: number,
  heldOutDays: readonly HeldOutPeakDay[],
) {
  const ratios: number[] = [];
  const maxima = recentDailyMaxima(history, dailySteps);
  maxima.forEach((max, i) => {
    const from = history.length - (i + 1) * dailySteps;
    let sum = 0;
    for (let t = from; t < from + dailySteps; t += 1) sum += history[t] as number;
    if (sum > 0) ratios.push((max * dailySteps) / sum);
  });
  const ratio = ratios.length > 0 ? median(ratios) : 1;
  const recentMaximum = weightedMedian(
    maxima.map((value, k) => ({ value, weight: 0.5 ** (k / PEAK_HALF_LIFE_DAYS) })),
  );
  const peakBias =
    heldOutDays.length > 0
      ? weightedMedian(heldOutDays.map((d) => ({ value: d.actualPeak - d.forecastPeak, weight: d.weight })))
      : undefined;
  const levelLoad = meanOf(history);
  const historyPeak = maxOf(history);
  const scores = peakScores(heldOutDays, levelLoad);
  const medianScore =
    scores.length > 0
      ? Math.max(0, weightedMedian(scores.map((s) => ({ value: s.score, weight: s.weight }))))
      : undefined;
  return { ratio, maxima, recentMaximum, peakBias, levelLoad, historyPeak, medianScore };
}

/**
 * Maximum of each of the last ≤ {@link PEAK_RATIO_DAYS} whole days of `history`, newest first,
 * each day a window of `dailySteps` ending where the previous one starts (the last at the end).
 */
export function recentDailyMaxima(history: readonly number[], dailySteps: number): number[] {
  const maxima: number[] = [];
  for (let k = 1; k <= PEAK_RATIO_DAYS && k * dailySteps <= history.length; k += 1) {
    const from = history.length - k * dailySteps;
    let max = 0;
    for (let t = from; t < from + dailySteps; t += 1) max = Math.max(max, history[t] as number);
    maxima.push(max);
  }
  return maxima;
}

/**
 * Weighted median of the estimates, each capped at `ceiling`: every history estimate weighs 1,
 * the model's together never more than the history's (each min(1, |history| / |model|)), so a
 * model whose whole forecast is off cannot outvote the history. The median interpolates between
 * the values whose centred cumulative weight shares straddle ½, so with equal weights it is the
 * plain median (the mean of the middle two for an even count).
 */
function balancedMedian(
  fromHistory: readonly number[],
  fromModel: readonly number[],
  ceiling: number,
): number {
  const modelWeight = Math.min(1, fromHistory.length / Math.max(1, fromModel.length));
  const items = [
    ...fromHistory.map((value) => ({ value: Math.min(ceiling, value), weight: 1 })),
    ...fromModel.map((value) => ({ value: Math.min(ceiling, value), weight: modelWeight })),
  ].sort((a, b) => a.value - b.value);
  let total = 0;
  for (const item of items) total += item.weight;
  let cumulative = 0;
  let previous: { value: number; position: number } | undefined;
  for (const item of items) {
    const position = (cumulative + item.weight / 2) / total;
    cumulative += item.weight;
    if (position >= 0.5) {
      if (previous === undefined) return item.value;
      const t = (0.5 - previous.position) / (position - previous.position);
      return previous.value + t * (item.value - previous.value);
    }
    previous = { value: item.value, position };
  }
  return previous?.value ?? 0;
}

function meanOf(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return values.length > 0 ? sum / values.length : 0;
}

function maxOf(values: readonly number[]): number {
  let max = 0;
  for (const v of values) max = Math.max(max, v);
  return max;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : 0.5 * ((s[mid - 1] as number) + (s[mid] as number));
}

/** The first value (ascending) whose cumulative weight reaches half the total; 0 for no values. */
function weightedMedian(items: readonly { readonly value: number; readonly weight: number }[]): number {
  const sorted = [...items].sort((a, b) => a.value - b.value);
  let total = 0;
  for (const item of sorted) total += item.weight;
  let cumulative = 0;
  for (const item of sorted) {
    cumulative += item.weight;
    if (cumulative >= total / 2) return item.value;
  }
  return 0;
}
