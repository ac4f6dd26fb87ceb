/** Fewest finite loads in the window before it holds anything: fewer say nothing of its spread. */
export const MIN_HOLD_OBSERVATIONS = 3;

/**
 * The load the plan holds from the group's newest loads: their `quantile` (linear between order
 * statistics), or undefined with fewer than {@link MIN_HOLD_OBSERVATIONS} finite ones. On load that
 * swings every few minutes more than any forecast places, holding the last hour's high load costs
 * less for the same SLO minutes than target tracking's chase: the policy adds capacity after each
 * swing, when it has passed, then holds it through its low alarm (docs/BENCHMARKS.md, *Cost/SLO
 * frontier*, *The recent load held*). Pure.
 * @throws RangeError when `quantile` is outside (0, 1]
 */
export function recentLoadHold(loads: readonly number[], quantile: number): number | undefined {
  if (!(quantile > 0 && quantile <= 1)) throw new RangeError(`quantile must be in (0, 1], got ${quantile}`);
  const sorted = loads.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length < MIN_HOLD_OBSERVATIONS) return undefined;
  const position = quantile * (sorted.length - 1);
  const below = Math.floor(position);
  const low = sorted[below] as number;
  const high = sorted[Math.min(below + 1, sorted.length - 1)] as number;
  return low + (position - below) * (high - low);
}

/** Where the held load applies on the forecast's grid. */
export interface HeldStepsWindow {
  readonly forecastStartMs: number;
  /** Length of one forecast step, ms (> 0). */
  readonly stepMs: number;
  /** Steps starting before this instant are held (the next run's launches are in service after it). */
  readonly untilMs: number;
}

/**
 * `plannedLoad` with every step that starts before `window.untilMs` raised to at least `heldLoad`;
 * later steps are the forecast's, so a fall the forecast sees is still planned. Pure.
 */
export function holdRecentLoad(
  plannedLoad: readonly number[],
  heldLoad: number,
  window: HeldStepsWindow,
): number[] {
  return plannedLoad.map((load, step) =>
    window.forecastStartMs + step * window.stepMs < window.untilMs ? Math.max(load, heldLoad) : load,
  );
}
