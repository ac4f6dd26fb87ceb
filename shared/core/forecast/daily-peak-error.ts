import { MetricInputError } from './errors';

/** How one day's forecast peak compared with the day's actual peak. */
export interface DailyPeakComparison {
  /** Actual peak load of the day, and the step (0-based within the day) where it happened (first if tied). */
  readonly actualPeak: number;
  readonly actualPeakStep: number;
  /** Peak of the point forecast over the same day, and its step. */
  readonly forecastPeak: number;
  readonly forecastPeakStep: number;
  /** forecastPeak − actualPeak, in load units (negative: the forecast under-shot the peak). */
  readonly peakError: number;
  /** |forecastPeakStep − actualPeakStep|, in steps. */
  readonly timingErrorSteps: number;
  /** Upper planning bound at the actual peak's step, when one was given. */
  readonly upperAtPeak?: number;
  /** True when that bound is at or above the actual peak. */
  readonly upperCoversPeak?: boolean;
}

/**
 * Compares the daily peaks of a forecast with the actual ones. The aligned arrays are cut into
 * consecutive days of `stepsPerDay` steps from index 0 (the first day starts at the forecast's
 * first step); a trailing partial day shorter than half a day is left out.
 *
 * Peak value error is forecast peak − actual peak; timing error is the distance between the two
 * peak steps. With `upper` (e.g. the p90 planning bound) it also says whether the bound at the
 * step of the actual peak reaches that peak: the question a capacity plan must answer.
 * @throws MetricInputError when the arrays are empty or differ in length.
 * @throws InvalidStepsPerDayError when `stepsPerDay` is not a positive integer.
 */
export function dailyPeakErrors(
  actual: readonly number[],
  forecast: readonly number[],
  stepsPerDay: number,
  upper?: readonly number[],
): DailyPeakComparison[] {
  if (actual.length === 0 || actual.length !== forecast.length) {
    throw new MetricInputError(actual.length, forecast.length);
  }
  if (upper !== undefined && upper.length !== actual.length)
    throw new MetricInputError(actual.length, upper.length);
  if (!Number.isInteger(stepsPerDay) || stepsPerDay < 1) throw new InvalidStepsPerDayError(stepsPerDay);
  const days: DailyPeakComparison[] = [];
  for (let start = 0; start < actual.length; start += stepsPerDay) {
    const end = Math.min(actual.length, start + stepsPerDay);
    if (end - start < stepsPerDay / 2) break;
    const a = argMax(actual, start, end);
    const f = argMax(forecast, start, end);
    const actualPeak = actual[a] as number;
    const forecastPeak = forecast[f] as number;
    const upperAtPeak = upper?.[a];
    days.push({
      actualPeak,
      actualPeakStep: a - start,
      forecastPeak,
      forecastPeakStep: f - start,
      peakError: forecastPeak - actualPeak,
      timingErrorSteps: Math.abs(f - a),
      ...(upperAtPeak !== undefined ? { upperAtPeak, upperCoversPeak: upperAtPeak >= actualPeak } : {}),
    });
  }
  return days;
}

/** `stepsPerDay` was not a positive integer. */
export class InvalidStepsPerDayError extends Error {
  override readonly name = 'InvalidStepsPerDayError' as const;
  constructor(readonly stepsPerDay: number) {
    super(`stepsPerDay must be a positive integer, received ${stepsPerDay}`);
  }
}

function argMax(values: readonly number[], start: number, end: number): number {
  let best = start;
  for (let i = start + 1; i < end; i += 1) if ((values[i] as number) > (values[best] as number)) best = i;
  return best;
}
