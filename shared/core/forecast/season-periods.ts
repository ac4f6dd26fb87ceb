/** Seasonal periods of a series, in steps. */
export interface SeasonPeriods {
  /** Steps per day (24 for hourly, 288 for 5-minute); 1 when the step is a day or longer. */
  readonly dailySteps: number;
  /** Steps per week (168 for hourly, 2016 for 5-minute). */
  readonly weeklySteps: number;
}

/**
 * The daily and weekly seasonal periods, in steps, for a step length in seconds.
 * Periods are rounded to whole steps and are at least 1.
 */
export function seasonPeriods(stepSeconds: number): SeasonPeriods {
  const dailySteps = Math.max(1, Math.round(86_400 / stepSeconds));
  const weeklySteps = Math.max(1, Math.round((7 * 86_400) / stepSeconds));
  return { dailySteps, weeklySteps };
}

/** Steps in one season of the given kind, for a step length in seconds. */
export function seasonSteps(season: 'daily' | 'weekly', stepSeconds: number): number {
  const p = seasonPeriods(stepSeconds);
  return season === 'daily' ? p.dailySteps : p.weeklySteps;
}
