/**
 * Bounds the load planned per step by what the forecast can actually place. Where the planning
 * quantile exceeds `maxRatio` × the larger of the forecast median and the current load, the
 * forecast is saying it cannot tell *when* load comes (on/off or bursty load): pre-provisioning
 * for it, even capped, holds a burst-sized fleet most of the time, while the group's reactive
 * policy serves such bursts at a fraction of the cost. Such a step is planned at the smaller of the
 * median and the current load only (a floor the reactive policy would hold anyway), so Prescale
 * falls back to reactive behaviour there instead of over-provisioning. At or below the ratio the
 * plan is unchanged, so predictable load keeps its full quantile.
 *
 * The test may read a different band than the plan (`spreadLoad`, e.g. a fixed upper quantile):
 * whether the forecast can place a step is a property of its spread, not of the quantile the
 * feedback controller happens to plan at, so a low planning quantile must not turn the fallback
 * off where the forecast cannot tell when load comes. Pure.
 * @param plannedLoad load at the planning quantile per step (≥ 0).
 * @param medianLoad forecast median per step, same length.
 * @param currentLoad the newest observed load (≥ 0), or undefined when it is not known (no history,
 *   or one that stopped hours ago): the step's median then stands in for it, the best guess of the
 *   load now, so an old peak neither lifts the bound nor an old trough plans the step at nothing.
 * @param spreadLoad load compared with the ratio per step, same length. @default plannedLoad
 * @throws RangeError when `maxRatio` < 1 or the arrays differ in length.
 */
export function capPlannedLoad(
  plannedLoad: readonly number[],
  medianLoad: readonly number[],
  currentLoad: number | undefined,
  maxRatio: number,
  spreadLoad: readonly number[] = plannedLoad,
): number[] {
  if (!(maxRatio >= 1)) throw new RangeError(`maxRatio must be ≥ 1, got ${maxRatio}`);
  if (plannedLoad.length !== medianLoad.length || spreadLoad.length !== plannedLoad.length) {
    throw new RangeError(
      `plannedLoad, medianLoad and spreadLoad must be equally long, got ${plannedLoad.length}, ${medianLoad.length} and ${spreadLoad.length}`,
    );
  }
  const known = currentLoad !== undefined && Number.isFinite(currentLoad);
  return plannedLoad.map((load, i) => {
    const median = medianLoad[i] as number;
    const spread = spreadLoad[i] as number;
    const now = known ? Math.max(0, currentLoad) : median;
    return Math.max(load, spread) > maxRatio * Math.max(median, now) ? Math.min(load, median, now) : load;
  });
}
