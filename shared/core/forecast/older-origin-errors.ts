import type { BacktestCandidate } from './backtest-candidates';
import type { RegularSeries } from './types';

/**
 * Most origins older than the selection's backtest whose errors extend the calibration set. Each
 * costs one fit per distinct model of the chosen forecast.
 */
export const OLDER_CALIBRATION_ORIGINS = 4;

/**
 * Errors of the chosen forecast at origins older than every origin the selection scored, so the
 * calibration set remembers more than the few days the selection looks at (a level shift a week
 * ago still widens today's intervals, with its recency weight). The selection never saw these
 * origins, so the errors are out of sample like the held-out ones. Origins are spaced one backtest
 * horizon apart (disjoint scoring windows) going back from `earliestOrigin`, while every member
 * model's minimum history fits and at most `count` of them.
 * @param series - the history the models are fitted on (anomaly-repaired).
 * @param actual - the history the errors are measured against (cleaned, not repaired).
 * @returns the origins (ascending) and one error row (actual − forecast) per origin.
 */
export function olderOriginErrors(
  chosen: BacktestCandidate,
  series: RegularSeries,
  actual: readonly number[],
  earliestOrigin: number,
  backtestHorizon: number,
  count: number = OLDER_CALIBRATION_ORIGINS,
): { readonly origins: number[]; readonly rows: Float64Array[] } {
  const minHistory = Math.max(...chosen.members.map((m) => m.minHistorySteps(series.stepSeconds)));
  const origins: number[] = [];
  for (let k = 1; k <= count; k += 1) {
    const origin = earliestOrigin - k * backtestHorizon;
    if (origin < minHistory) break;
    origins.unshift(origin);
  }
  const rows = origins.map((origin) => {
    const prefix = { ...series, values: series.values.slice(0, origin) };
    const fitted = new Map<string, readonly number[]>();
    const forecasts = chosen.members.map((model) => {
      const known = fitted.get(model.name);
      if (known !== undefined) return known;
      const mean = model.fit(prefix).forecast({ horizonSteps: backtestHorizon, levels: [] }).mean;
      fitted.set(model.name, mean);
      return mean;
    });
    const predicted = chosen.combine(forecasts);
    const row = new Float64Array(backtestHorizon);
    for (let h = 0; h < backtestHorizon; h += 1)
      row[h] = (actual[origin + h] as number) - (predicted[h] as number);
    return row;
  });
  return { origins, rows };
}
