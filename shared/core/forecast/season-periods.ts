import { InvalidStepError } from './errors';

/** Seasonal periods of a series, in steps. */
export interface SeasonPeriods {
  /** Steps per day (24 for hourly, 288 for 5-minute); 1 when the step is a day or longer. */
  readonly dailySteps: number;
  /** Steps per week (168 for hourly, 2016 for 5-minute). */
  readonly weeklySteps: number;
}

/**
 * Whether `stepSeconds` is in [1, 86400] and a day is a whole number of such steps. A step that
 * does not divide the day would put the same time of day at a different phase every day: every
 * seasonal model and the anomaly detector's same-phase medians would compare the wrong steps.
 */
export function dividesDay(stepSeconds: number): boolean {
  return (
    Number.isFinite(stepSeconds) && stepSeconds >= 1 && stepSeconds <= 86_400 && 86_400 % stepSeconds === 0
  );
}

/**
 * The daily and weekly seasonal periods, in steps, for a step length in seconds.
 * @throws InvalidStepError unless the step divides a day ({@link dividesDay}).
 */
export function seasonPeriods(stepSeconds: number): SeasonPeriods {
  if (!dividesDay(stepSeconds)) throw new InvalidStepError(stepSeconds);
  return { dailySteps: 86_400 / stepSeconds, weeklySteps: (7 * 86_400) / stepSeconds };
}

/** Steps in one season of the given kind, for a step length in seconds. */
export function seasonSteps(season: 'daily' | 'weekly', stepSeconds: number): number {
  const p = seasonPeriods(stepSeconds);
  return season === 'daily' ? p.dailySteps : p.weeklySteps;
}
