/** Whole days of history every backtest origin needs before it (a seasonal model fits on them). */
export const BACKTEST_MIN_PRIOR_DAYS = 2;
/** Longest backtest horizon, in days: a longer forecast is scored on its first two days. */
export const BACKTEST_MAX_HORIZON_DAYS = 2;

/** The backtest horizon H_b = min(H, {@link BACKTEST_MAX_HORIZON_DAYS} days), in steps. */
export function backtestHorizonSteps(horizonSteps: number, dailySteps: number): number {
  return Math.min(horizonSteps, BACKTEST_MAX_HORIZON_DAYS * dailySteps);
}

/**
 * The fewest history steps for which `selectForecast` backtests at all, so that its choice of
 * model is not a fallback: the last origin sits at n − H_b and needs
 * {@link BACKTEST_MIN_PRIOR_DAYS} days before it, so n ≥ 2 days + H_b. Below it the forecast is
 * daily seasonal naive (two days of history) or the flat recent level, flagged low-confidence.
 * @param horizonSteps - the forecast's horizon, in steps (≥ 1).
 * @param dailySteps - steps per day (see `seasonPeriods`).
 */
export function minBacktestHistorySteps(horizonSteps: number, dailySteps: number): number {
  return BACKTEST_MIN_PRIOR_DAYS * dailySteps + backtestHorizonSteps(horizonSteps, dailySteps);
}
