import { minBacktestHistorySteps } from '../forecast/min-backtest-history';
import { seasonPeriods } from '../forecast/season-periods';
import { DEFAULT_LEVEL_CORRECTION, levelCorrectionFitEndMs } from './correct-forecast-level';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The group settings the scaling loop's model refit depends on. */
export interface ForecastFitSettings {
  /** Step of the history and forecast, in seconds (divides a day). */
  readonly stepSeconds: number;
  /** How often the model is refitted, in minutes (rounded up to whole steps). */
  readonly forecastRefreshMinutes: number;
  /** Whole days of history the model fits. */
  readonly historyDays: number;
  /** How far past the refresh interval's end the forecast must reach, in hours. */
  readonly horizonHours: number;
}

/** Where the scaling loop's current model refit reads history, and how far it forecasts. */
export interface ForecastFitWindow {
  /** The refresh interval, a whole number of steps, in ms. */
  readonly refreshMs: number;
  /** Start of the current refresh interval (the refit's time), epoch ms. */
  readonly refreshedAtMs: number;
  /** The fit reads history before this: `residualCount` steps before the refresh. */
  readonly fitEndMs: number;
  /** ... and from this: `historyDays` whole days before `fitEndMs`. */
  readonly historyStartMs: number;
  /** Steps forecast from `fitEndMs`: to `horizonHours` past the refresh interval's end. */
  readonly horizonSteps: number;
}

/**
 * The model window of the scaling loop's refit at `nowMs`.
 *
 * The model is refitted once per refresh interval and stops `residualCount` steps before the
 * refresh, so the refresh's own run can correct its level (`levelCorrectionFitEndMs`). Its history
 * is `historyDays` whole days ending there: the rolling-origin backtest counts whole days
 * (`minBacktestHistorySteps`), and a window anchored at the refresh instead was those steps short
 * of them (2 days gave 573 of the 576 steps two days are, below every seasonal model's minimum).
 * Every run of the interval gets the same window, so the same question (`warmForecastDemand`).
 * Pure.
 */
export function forecastFitWindow(settings: ForecastFitSettings, nowMs: number): ForecastFitWindow {
  const stepMs = settings.stepSeconds * 1000;
  const refreshMs = Math.ceil((settings.forecastRefreshMinutes * 60_000) / stepMs) * stepMs;
  const refreshedAtMs = Math.floor(nowMs / refreshMs) * refreshMs;
  const fitEndMs = levelCorrectionFitEndMs(refreshedAtMs, stepMs, DEFAULT_LEVEL_CORRECTION.residualCount);
  return {
    refreshMs,
    refreshedAtMs,
    fitEndMs,
    historyStartMs: fitEndMs - settings.historyDays * DAY_MS,
    horizonSteps: refitHorizonSteps(settings),
  };
}

/**
 * How far back the refit's history can start, in ms: `historyDays` before its fit end, which is
 * `residualCount` steps before a refresh that can be up to one refresh interval old (just before
 * the next). Pure.
 */
export function fitWindowReachMs(settings: Omit<ForecastFitSettings, 'horizonHours'>): number {
  const stepMs = settings.stepSeconds * 1000;
  const refreshMs = Math.ceil((settings.forecastRefreshMinutes * 60_000) / stepMs) * stepMs;
  return settings.historyDays * DAY_MS + refreshMs + DEFAULT_LEVEL_CORRECTION.residualCount * stepMs;
}

/**
 * Steps the refit forecasts from its fit end: the `residualCount` steps to the refresh, the
 * refresh interval, then `horizonHours`, so every run of the interval still sees a whole
 * `horizonHours` ahead. The same at every refresh.
 */
export function refitHorizonSteps(settings: Omit<ForecastFitSettings, 'historyDays'>): number {
  const stepMs = settings.stepSeconds * 1000;
  const refreshSteps = Math.ceil((settings.forecastRefreshMinutes * 60_000) / stepMs);
  return (
    Math.round((settings.horizonHours * HOUR_MS) / stepMs) +
    refreshSteps +
    DEFAULT_LEVEL_CORRECTION.residualCount
  );
}

/**
 * The fewest `historyDays` with which the loop's refit chooses its model by backtest at these
 * settings: `minBacktestHistorySteps` of the refit's horizon, in whole days. With fewer, every run
 * forecasts daily seasonal naive (or, under two days, the flat recent level), low-confidence and
 * unselected. 3 when the refit's horizon is at most a day, 4 beyond (the default 24 h horizon with
 * an hourly refresh at 5-minute steps asks 303 steps: 4).
 */
export function minHistoryDaysForBacktest(settings: Omit<ForecastFitSettings, 'historyDays'>): number {
  const { dailySteps } = seasonPeriods(settings.stepSeconds);
  return Math.ceil(minBacktestHistorySteps(refitHorizonSteps(settings), dailySteps) / dailySteps);
}
