/**
 * Interval levels (%) every group's forecast is asked for: dense enough that any planning quantile
 * in [0.8, MAX_PLANNING_QUANTILE] interpolates between neighbours (below 0.75, down to the
 * controller's 0.55 floor, it interpolates between the mean and the 50 % interval's upper bound),
 * and shared so upstream forecasts carry the levels their downstream groups plan with.
 */
export const FORECAST_LEVELS_PCT = [50, 60, 70, 76, 80, 84, 86, 88, 90, 92, 94, 96, 98] as const;

/** The widest level of `FORECAST_LEVELS_PCT` (%). */
export const WIDEST_FORECAST_LEVEL_PCT = Math.max(...FORECAST_LEVELS_PCT);

/**
 * The highest load quantile a forecast at `FORECAST_LEVELS_PCT` gives (`forecastQuantile`: the
 * upper bound of its widest central interval, (1 + 98 %) / 2 = 0.99), and so the most a planning
 * quantile may be: `planningQuantile`, `planningQuantileMin` and `planningQuantileMax` (setting and
 * `prescale:planning-quantile-max` tag) are refused above it, since a run planning higher would
 * fail on every tick.
 */
export const MAX_PLANNING_QUANTILE = (1 + WIDEST_FORECAST_LEVEL_PCT / 100) / 2;
