import { dailyPeakErrors } from '../../core/forecast/daily-peak-error';

/** Accuracy of one policy's forecasts against the load that arrived. */
export interface ForecastAccuracy {
  /** Mean absolute error, in load units (percent of one instance). */
  readonly mae: number;
  /** MAE relative to the mean actual load, %. */
  readonly maePct: number;
  /** MAE divided by the MAE of the daily seasonal-naive forecast on the same actuals. */
  readonly mase: number;
  /** Pairs scored. */
  readonly points: number;
}

/** A forecast value and the actual value it claimed, at one instant. */
export interface ForecastPair {
  readonly timestampMs: number;
  readonly forecast: number;
  readonly actual: number;
}

/**
 * MAE and MASE of forecast pairs. The MASE scale is the mean |y_t − y_{t−season}| of the actual
 * series `actualByTime` (the seasonal-naive in-sample error, Hyndman & Koehler 2006), so a MASE
 * below 1 beats "same time yesterday". Returns undefined with no pairs.
 */
export function forecastAccuracy(
  pairs: readonly ForecastPair[],
  actualByTime: ReadonlyMap<number, number>,
  seasonMs: number,
): ForecastAccuracy | undefined {
  if (pairs.length === 0) return undefined;
  let abs = 0;
  let actualSum = 0;
  for (const p of pairs) {
    abs += Math.abs(p.forecast - p.actual);
    actualSum += p.actual;
  }
  const mae = abs / pairs.length;
  let naive = 0;
  let naiveCount = 0;
  for (const [t, y] of actualByTime) {
    const back = actualByTime.get(t - seasonMs);
    if (back !== undefined) {
      naive += Math.abs(y - back);
      naiveCount += 1;
    }
  }
  const scale = naiveCount > 0 ? naive / naiveCount : Number.NaN;
  const meanActual = actualSum / pairs.length;
  return {
    mae,
    maePct: meanActual > 0 ? (100 * mae) / meanActual : Number.NaN,
    mase: scale > 0 ? mae / scale : Number.NaN,
    points: pairs.length,
  };
}

/** How well a policy's day-ahead forecasts caught each day's peak. */
export interface DailyPeakAccuracy {
  /** Days scored. */
  readonly days: number;
  /** Mean |forecast daily peak − actual daily peak|, load units (the forecaster's daily peak, else the p50's maximum). */
  readonly peakMae: number;
  /** The same for "yesterday's peak" (the daily seasonal-naive forecast). */
  readonly naivePeakMae: number;
  /** peakMae / naivePeakMae (below 1 beats seasonal naive). */
  readonly peakMaeRatio: number;
  /** Mean hours between the forecast and the actual peak. */
  readonly timingErrorHours: number;
  /** Share (0–1) of days whose planned load at the actual peak's step reached that peak. */
  readonly plannedCoversPeak: number;
}

/** One day as a policy saw it ahead of time, step by step, and what arrived. */
export interface ForecastDay {
  readonly median: readonly number[];
  /** The forecaster's own peak for the day, when it gives one; else the median's maximum is used. */
  readonly peakLoad?: number;
  readonly planned: readonly number[];
  readonly actual: readonly number[];
  /** The same steps one day earlier (the seasonal-naive forecast). */
  readonly dayBefore: readonly number[];
  readonly stepSeconds: number;
}

/**
 * Daily-peak accuracy of day-ahead forecasts (see `dailyPeakErrors`): peak value error against
 * seasonal naive's, timing error, and how often the planned load covered the actual peak.
 * Returns undefined with no days.
 */
export function dailyPeakAccuracy(days: readonly ForecastDay[]): DailyPeakAccuracy | undefined {
  const scored = days.filter((d) => d.actual.length > 0);
  if (scored.length === 0) return undefined;
  let abs = 0;
  let naiveAbs = 0;
  let timingHours = 0;
  let covered = 0;
  for (const d of scored) {
    const n = d.actual.length;
    const [day] = dailyPeakErrors(d.actual, d.median, n, d.planned);
    const [naive] = dailyPeakErrors(d.actual, d.dayBefore, n);
    if (day === undefined || naive === undefined) continue;
    abs += Math.abs(d.peakLoad !== undefined ? d.peakLoad - day.actualPeak : day.peakError);
    naiveAbs += Math.abs(naive.peakError);
    timingHours += (day.timingErrorSteps * d.stepSeconds) / 3600;
    if (day.upperCoversPeak) covered += 1;
  }
  const count = scored.length;
  return {
    days: count,
    peakMae: abs / count,
    naivePeakMae: naiveAbs / count,
    peakMaeRatio: naiveAbs > 0 ? abs / naiveAbs : Number.NaN,
    timingErrorHours: timingHours / count,
    plannedCoversPeak: covered / count,
  };
}
