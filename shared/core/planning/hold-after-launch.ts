/** What `holdsAfterLaunch` reads: the group's target and SLO, and its newest launches. */
export interface HoldAfterLaunchInput {
  /** Load per instance the group plans for and its policy tracks (the target). */
  readonly targetLoadPerInstance: number;
  /** Load per instance above which a minute misses the group's service level, when the user set one. */
  readonly sloLoadPerInstance?: number;
  /** Start times of the group's recent launches, epoch ms, in any order. */
  readonly launchStartsMs: readonly number[];
  readonly nowMs: number;
  /** How long the group's own policy holds capacity after a fall (its low alarm), ms. */
  readonly holdMs: number;
}

/**
 * Whether predictive scale-in should read its recent peak over the policy's whole hold (its
 * longest window) instead of its learned one: for a group run below its SLO (target under
 * `sloLoadPerInstance`), while a launch started within the hold. Such a group pays for headroom
 * to miss fewer minutes, and capacity launched within the hold was launched because the load
 * needed it: the burst's tail or the next burst of a cluster comes back before a release could
 * (a launch takes a lead time), which is what target tracking's own 15-minute hold protects. A
 * fall with no launch within the hold is still released at once. At or above the SLO, or
 * without one, never: there the prompt release is what makes Prescale cheaper than target
 * tracking at the same target (docs/BENCHMARKS.md, Cost/SLO frontier).
 * @throws RangeError on a non-positive target, SLO or hold
 */
export function holdsAfterLaunch(input: HoldAfterLaunchInput): boolean {
  const { targetLoadPerInstance: target, sloLoadPerInstance: slo, holdMs } = input;
  if (!(target > 0 && Number.isFinite(target))) {
    throw new RangeError(`targetLoadPerInstance must be a positive number, got ${target}`);
  }
  if (slo !== undefined && !(slo > 0 && Number.isFinite(slo))) {
    throw new RangeError(`sloLoadPerInstance must be a positive number, got ${slo}`);
  }
  if (!(holdMs > 0 && Number.isFinite(holdMs))) {
    throw new RangeError(`holdMs must be a positive number, got ${holdMs}`);
  }
  if (slo === undefined || slo <= target) return false;
  return input.launchStartsMs.some((startMs) => startMs > input.nowMs - holdMs && startMs <= input.nowMs);
}
