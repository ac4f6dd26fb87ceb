import { type BacktestCandidate, type BacktestFrame, bestCandidate } from './backtest-candidates';
import { guardAgainstSeasonalNaive } from './guard-seasonal-naive';

/**
 * Backtest errors of the whole selection procedure, each measured on an origin the selection did
 * not see: for origin k, the candidate (and seasonal-naive guard) is chosen on the other origins,
 * leaving out k's neighbours too when their scoring windows overlap k's and at least two origins
 * remain; the row is actual − that candidate's forecast at k. These are the errors of a forecast
 * chosen without knowing its own outcome, as the live forecast is, so intervals calibrated on them
 * do not inherit the winner's optimism (the winner of a backtest has small errors on it by
 * construction). With a single origin there is nothing to hold out and the row is in-sample.
 * @param actual - history the errors are measured against (cleaned; only the replaced glitches repaired).
 * @returns one row per origin, each as long as the backtest horizon.
 */
export function heldOutErrors(
  candidates: readonly BacktestCandidate[],
  naive: BacktestCandidate,
  frame: BacktestFrame,
  actual: readonly number[],
): Float64Array[] {
  const { origins } = frame;
  const horizon = candidates[0]?.backtest[0]?.length ?? 0;
  return origins.map((origin, k) => {
    const apart = (j: number): boolean => j !== k && Math.abs((origins[j] as number) - origin) >= horizon;
    const disjoint = origins.filter((_, j) => apart(j)).length;
    const include =
      disjoint >= 2 ? apart : origins.length > 1 ? (j: number) => j !== k : (_j: number) => true;
    const chosen = bestCandidate(candidates, frame.weights, include);
    const guarded = guardAgainstSeasonalNaive(chosen, naive, frame, include).candidate;
    const predicted = guarded.backtest[k] as readonly number[];
    const row = new Float64Array(horizon);
    for (let h = 0; h < horizon; h += 1) row[h] = (actual[origin + h] as number) - (predicted[h] as number);
    return row;
  });
}
