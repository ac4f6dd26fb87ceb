import { applyCampaigns } from './apply-campaigns';
import { calibrateIntervals, effectiveOrigins, recentErrorInflation } from './calibrate-intervals';
import { calibratePeakBound } from './calibrate-peak-bound';
import { cleanSeries } from './clean-series';
import { DEFAULT_ANOMALY_OPTIONS, detectAnomalies } from './detect-anomalies';
import { endLevelShift } from './end-level-shift';
import { forecastDailyPeaks, recentDailyMaxima } from './forecast-daily-peaks';
import { heldOutErrorLaw } from './forecast-distribution-peak';
import { type HeldOutPeakDay, heldOutPeakDays } from './held-out-peak-days';
import { removeCampaignUplift } from './remove-campaign-uplift';
import { seasonPeriods } from './season-periods';
import { type SelectedForecast, selectForecast } from './select-forecast';
import type {
  Anomaly,
  CampaignWindow,
  DemandForecast,
  LoadObservation,
  PredictionInterval,
  RegularSeries,
} from './types';
import { validateRequest } from './validate-request';

/** Input of {@link forecastDemand}. */
export interface ForecastDemandInput {
  /** Raw load observations; may be unsorted, duplicated, gappy, NaN or negative (cleaned and reported). */
  readonly history: readonly LoadObservation[];
  /** Step of the cleaned series and of the forecast, in seconds (60, 300 or 3600 typically). */
  readonly stepSeconds: number;
  /** Number of future steps to forecast; a positive integer. */
  readonly horizonSteps: number;
  /** Central interval coverages in percent, each in (0, 100); duplicates are merged. */
  readonly levels: readonly number[];
  /**
   * Known events: applied to the forecast inside their windows only. Steps of the history inside a
   * window are demand, never replaced as anomalies, and read without the uplift the window would
   * give them (`removeCampaignUplift`), so a campaign already running is applied once.
   */
  readonly campaigns?: readonly CampaignWindow[];
}

/**
 * Forecasts a group's load for the next `horizonSteps` steps with calibrated intervals.
 *
 * Pipeline: {@link cleanSeries} → {@link removeCampaignUplift} (history steps inside a campaign
 * window mapped back to their load without it, as the forecast gets the uplift from
 * {@link applyCampaigns}) → {@link detectAnomalies} (isolated glitches replaced by their
 * seasonal expectation before fitting; recurring, sustained and campaign peaks kept, all counted
 * in `anomalyHandling`) → {@link selectForecast} (recency-weighted rolling-origin backtest picks a
 * model or a combination, a guard moves it towards seasonal naive when it lost recently; a
 * low-confidence fallback covers short histories) → {@link calibrateIntervals} (weighted conformal
 * on held-out backtest errors, measured against the history with the replaced glitches repaired
 * and the kept anomalies as observed, widened after large recent errors; fallback forecasts keep
 * model-based intervals, and `calibration` is then absent) → load floored at 0 and intervals made
 * nested → {@link applyCampaigns} → {@link forecastDailyPeaks} (the peak of each day of the
 * horizon, from the unrepaired history without campaign uplift, the final mean and the held-out
 * backtest days) and {@link calibratePeakBound} (the daily-peak planning bound `planningLoad`
 * reads; absent for fallbacks, like `calibration`).
 *
 * Invariants: `mean` and every bound have `horizonSteps` finite values ≥ 0; intervals are sorted by
 * level ascending; lower ≤ mean ≤ upper and a wider level contains a narrower one at every step;
 * `startMs` is one step after the last cleaned history step. Deterministic: same input, same output.
 * @throws InvalidHorizonError when `horizonSteps` is not a positive integer.
 * @throws InvalidLevelError when a level is outside (0, 100).
 * @throws InvalidStepError when `stepSeconds` is outside [1, 86400] or does not divide a day.
 * @throws EmptySeriesError when `history` is empty.
 * @throws NoUsableDataError when no finite, non-negative observation remains.
 * @throws InvalidCampaignError when a campaign window is malformed.
 */
export function forecastDemand(input: ForecastDemandInput): DemandForecast {
  const { horizonSteps, stepSeconds } = input;
  const levels = validateRequest({ horizonSteps, levels: input.levels });
  const campaigns = input.campaigns ?? [];
  const cleaned = cleanSeries(input.history, stepSeconds);
  // applyCampaigns puts each uplift on the forecast; the history the models learn must not carry it too.
  const { series, inCampaign } = removeCampaignUplift(cleaned.series, campaigns);
  // Campaign windows in the history are demand: their steps are never replaced.
  const detection = detectAnomalies(series, DEFAULT_ANOMALY_OPTIONS, { campaigns });
  const repaired: RegularSeries = { ...series, values: detection.repaired };
  // Held-out errors are measured against the history with only the replaced glitches repaired: a
  // kept anomaly (recurring, sustained, trailing, campaign, over-cap) is demand and widens the
  // intervals; a replaced one is, by the detector's own judgement, not (one 10⁵ sample a day back
  // in load near 160 made p90 over twice the mean for 102 of 303 steps). Outside the replaced
  // steps `repaired` is the cleaned history.
  const selected = finiteSelection(repaired, horizonSteps, levels);
  const periods = seasonPeriods(stepSeconds);
  const { dailySteps } = periods;
  // A step change in the newest half hour is in neither the models nor the calibration: re-centre.
  const levelShift = endLevelShift(series.values, selected.mean, periods, inCampaign);
  const mean = selected.mean.map((m) => Math.max(0, m + levelShift));
  const calibrated = selected.backtestErrors.length > 0;
  const raw = calibrated
    ? calibrateIntervals(mean, selected.backtestErrors, levels, selected.originWeights)
    : selected.modelForecast.intervals;
  const intervals = nestIntervals(mean, raw);
  const startMs = series.startMs + series.values.length * stepSeconds * 1000;
  const adjusted = applyCampaigns(startMs, stepSeconds, mean, intervals, campaigns);
  const { peakDays, errorLaw } = heldOutPeaks(selected, series.values, repaired.values, dailySteps);
  return {
    startMs,
    stepSeconds,
    mean: adjusted.mean,
    intervals: adjusted.intervals,
    selection: selected.selection,
    cleaning: cleaned.report,
    anomalies: asObserved(detection.anomalies, cleaned.series, inCampaign),
    anomalyHandling: detection.handling,
    campaignsApplied: adjusted.campaignsApplied,
    ...(calibrated
      ? calibrationOf(selected, repaired.values, levels, adjusted.mean, peakDays, dailySteps)
      : {}),
    dailyPeaks: forecastDailyPeaks(
      series.values,
      adjusted.mean,
      startMs,
      stepSeconds,
      dailySteps,
      peakDays,
      errorLaw,
    ),
  };
}

/**
 * What the daily-peak figures read from the backtest: the held-out peak days, from the repaired
 * history the held-out errors were measured against (a glitch the detector replaced is not a peak
 * to plan for), and the error law of the point peak's seventh estimate, from the errors against
 * the unrepaired history, as the point peak's history estimates read it (measured on NAB: with
 * the replaced glitches out of the law too, the peak MAE ratio went 0.803 → 0.898).
 */
function heldOutPeaks(
  selected: Pick<SelectedForecast, 'backtestErrors' | 'backtestOrigins' | 'originWeights'>,
  unrepaired: readonly number[],
  repaired: readonly number[],
  dailySteps: number,
) {
  const { backtestErrors, backtestOrigins, originWeights } = selected;
  const unrepairedErrors = backtestErrors.map((row, k) => {
    const origin = backtestOrigins[k] as number;
    // actual − forecast moves by exactly what the repair changed: the replaced steps only.
    return row.map((e, h) => e + (unrepaired[origin + h] as number) - (repaired[origin + h] as number));
  });
  return {
    peakDays: heldOutPeakDays(repaired, backtestErrors, backtestOrigins, originWeights, dailySteps),
    errorLaw: heldOutErrorLaw(unrepaired, unrepairedErrors, backtestOrigins, originWeights),
  };
}

/**
 * The anomalies with the load observed at their step: detection ran on the history without the
 * campaigns' uplift, and a report should show what the metric said.
 */
function asObserved(
  anomalies: readonly Anomaly[],
  observed: RegularSeries,
  inCampaign: Uint8Array,
): readonly Anomaly[] {
  const stepMs = observed.stepSeconds * 1000;
  return anomalies.map((a) => {
    const t = Math.round((a.timestampMs - observed.startMs) / stepMs);
    return inCampaign[t] === 1 ? { ...a, value: observed.values[t] as number } : a;
  });
}

/** The selected forecast, or the fallback when the selection's mean is not finite everywhere. */
function finiteSelection(
  repaired: RegularSeries,
  horizonSteps: number,
  levels: readonly number[],
): SelectedForecast {
  const selected = selectForecast(repaired, repaired.values, horizonSteps, levels);
  if (selected.mean.every(Number.isFinite)) return selected;
  return selectForecast(repaired, repaired.values, horizonSteps, levels, { forceFallback: true });
}

/**
 * The interval calibration's diagnostics and the daily-peak planning bound of a forecast whose
 * intervals were calibrated on backtest errors. The bound's history floor reads the daily maxima
 * of the repaired history, and its level load is that history's mean: one replaced glitch would
 * otherwise set it for a week (a 10⁷ sample in load near 160 made the level 2,645).
 */
function calibrationOf(
  selected: SelectedForecast,
  repaired: readonly number[],
  levels: readonly number[],
  mean: readonly number[],
  peakDays: readonly HeldOutPeakDay[],
  dailySteps: number,
): Pick<DemandForecast, 'calibration' | 'peakCalibration'> {
  return {
    calibration: {
      origins: selected.backtestErrors.length,
      effectiveOrigins: effectiveOrigins(selected.originWeights),
      recentErrorInflation: recentErrorInflation(selected.backtestErrors, selected.originWeights),
    },
    peakCalibration: calibratePeakBound(peakDays, upperProbabilities(levels), meanOf(repaired), {
      dailyMaxima: recentDailyMaxima(repaired, dailySteps),
      forecastPeakLoad: Math.max(0, ...mean.slice(0, dailySteps)),
    }),
  };
}

/** The upper-side probability of each central level, (1 + L/100)/2. */
function upperProbabilities(levels: readonly number[]): number[] {
  return levels.map((levelPct) => (1 + levelPct / 100) / 2);
}

function meanOf(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return values.length > 0 ? sum / values.length : 0;
}

/**
 * Floors bounds at 0 and enforces lower ≤ mean ≤ upper and nesting across levels (sorted
 * ascending), replacing any non-finite bound by the mean or the neighbouring level's bound.
 */
function nestIntervals(
  mean: readonly number[],
  intervals: readonly PredictionInterval[],
): PredictionInterval[] {
  const sorted = [...intervals].sort((a, b) => a.levelPct - b.levelPct);
  let innerLower = [...mean];
  let innerUpper = [...mean];
  return sorted.map((interval) => {
    const lower = mean.map((_, h) => {
      const v = interval.lower[h] as number;
      const inner = innerLower[h] as number;
      return Math.max(0, Number.isFinite(v) ? Math.min(v, inner) : inner);
    });
    const upper = mean.map((_, h) => {
      const v = interval.upper[h] as number;
      const inner = innerUpper[h] as number;
      return Number.isFinite(v) ? Math.max(v, inner) : inner;
    });
    innerLower = lower;
    innerUpper = upper;
    return { levelPct: interval.levelPct, lower, upper };
  });
}
