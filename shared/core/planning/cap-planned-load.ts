/**
 * Caps the load planned per step at `maxRatio` × the larger of the forecast median and the
 * current load. A planning quantile far above both is the forecast saying it cannot tell when load
 * comes (on/off or bursty load); pre-provisioning for it would hold a burst-sized fleet all the
 * time, while the group's reactive policy serves such bursts at a fraction of the cost. Below the
 * cap the plan is unchanged, so predictable load keeps its full quantile. Pure.
 * @param plannedLoad load at the planning quantile per step (≥ 0).
 * @param medianLoad forecast median per step, same length.
 * @param currentLoad the newest observed load (≥ 0), or undefined when none.
 * @throws RangeError when `maxRatio` < 1 or the arrays differ in length.
 */
export function capPlannedLoad(
  plannedLoad: readonly number[],
  medianLoad: readonly number[],
  currentLoad: number | undefined,
  maxRatio: number,
): number[] {
  if (!(maxRatio >= 1)) throw new RangeError(`maxRatio must be ≥ 1, got ${maxRatio}`);
  if (plannedLoad.length !== medianLoad.length) {
    throw new RangeError(
      `plannedLoad and medianLoad must be equally long, got ${plannedLoad.length} and ${medianLoad.length}`,
    );
  }
  const now = currentLoad !== undefined && Number.isFinite(currentLoad) ? Math.max(0, currentLoad) : 0;
  return plannedLoad.map((load, i) => Math.min(load, maxRatio * Math.max(medianLoad[i] as number, now)));
}
