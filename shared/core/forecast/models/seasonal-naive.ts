/**
 * Seasonal naive. Each future step repeats the value observed one season earlier:
 * ŷ_{n+h} = y_{n+h−m·k}, k = ⌈h/m⌉, with m one day (daily) or one week (weekly) of steps.
 * Assumes the pattern of the last season persists; no trend. Intervals: the one-season differences
 * y_t − y_{t−m} are taken as i.i.d. zero-mean noise with spread σ, so step h has σ·√k.
 * Minimum history: two seasons (daily) or one week plus one day (weekly).
 * Reference: Hyndman & Athanasopoulos, Forecasting: Principles and Practice (3rd ed.), §5.2.
 */
import { InsufficientHistoryError } from '../errors';
import { seasonPeriods, seasonSteps } from '../season-periods';
import type { FittedModel, ForecastModel, RegularSeries } from '../types';
import { repeatSeason } from './repeat-season';

/** Which season a seasonal naive model repeats. */
export type SeasonalNaiveSeason = 'daily' | 'weekly';

/** Seasonal naive model repeating the last day or the last week; see the file note for the equations. */
export function seasonalNaive(season: SeasonalNaiveSeason): ForecastModel {
  const name = `seasonal-naive-${season}`;
  const period = (stepSeconds: number): number => seasonSteps(season, stepSeconds);
  const minHistorySteps = (stepSeconds: number): number => {
    const p = seasonPeriods(stepSeconds);
    return season === 'daily' ? 2 * p.dailySteps : p.weeklySteps + p.dailySteps;
  };
  return {
    name,
    minHistorySteps,
    fit(series: RegularSeries): FittedModel {
      const y = series.values;
      const n = y.length;
      const min = minHistorySteps(series.stepSeconds);
      if (n < min) throw new InsufficientHistoryError(name, n, min);
      return repeatSeason(name, y, y.slice(n - period(series.stepSeconds)));
    },
  };
}
