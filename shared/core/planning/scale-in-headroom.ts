import { slidingPeaks } from './window-peaks';

/** What `scaleInHeadroom` reads: the group's load history, its target and SLO, and the share it may miss. */
export interface ScaleInHeadroomInput {
  /** Load per metric step on a regular grid, oldest first; a non-finite value is a missing step. */
  readonly loadPerStep: readonly number[];
  readonly targetLoadPerInstance: number;
  /**
   * Load per instance above which the group's service level is missed. Only a group whose target
   * sits below it (a group that buys headroom below its SLO) has a choice to make.
   */
  readonly sloLoadPerInstance?: number;
  /** Share of the target (0–1] at which predictive scale-in serves its window's peak (`scaleInAheadTargetRatio`). */
  readonly targetRatio: number;
  /** Steps until capacity released now could be back in service (lead time plus a tick, ≥ 1). */
  readonly returnSteps: number;
  /** The window predictive scale-in reads its recent peak over, in metric steps (≥ 1). */
  readonly windowSteps: number;
  /**
   * Largest share (0–1) of the leaner releases whose next `returnSteps` needed the headroom at the
   * SLO: the group's SLO budget (the planning-quantile controller's `shortfallBudget`).
   */
  readonly maxRegretShare: number;
}

/** The share of the target predictive scale-in serves its peak at, and the history behind it. */
export interface ScaleInHeadroomChoice {
  /** `leanTargetRatio` when the backtest allows it, else the input's `targetRatio`. */
  readonly targetRatio: number;
  /**
   * The ratio that serves the peak at `targetRatio` × the SLO instead, capped at the target:
   * min(1, `targetRatio` × SLO / target). Equal to `targetRatio` when the SLO is not above the target.
   */
  readonly leanTargetRatio: number;
  /** History steps where the lean ratio kept fewer instances than `targetRatio` does. */
  readonly releases: number;
  /** Of those, the ones whose next `returnSteps` needed more than the lean ratio kept, at the SLO. */
  readonly regrets: number;
}

/**
 * Whether predictive scale-in's headroom below the target buys anything on this group. Scale-in
 * ahead keeps the newest window's peak at `targetRatio` × the target (0.9: the minutes above a
 * 5-minute mean), the top of target tracking's dead band. A group whose target sits below its SLO
 * already has the room between the two for those minutes; serving the peak at `targetRatio` × the
 * SLO instead (capped at the target, where the group's own policy scales in to) is the *lean* ratio.
 * Backtested on the group's own history: at every step, the lean ratio *releases* where it keeps
 * fewer instances for the window's peak than `targetRatio` does, and the release is *regretted*
 * where the load of the next `returnSteps` needs more than it kept at the SLO (up to what the
 * headroom kept: the headroom would have served it). The lean ratio is chosen when its regretted
 * share of releases is at most `maxRegretShare`; with no release, or no SLO above the target, the
 * headroom stays. Flat load whose steps stay within the SLO's room keeps nothing target tracking
 * would not; bursty load whose next steps reach past it keeps its headroom.
 * @throws RangeError on a non-positive target or SLO, a ratio or share outside its range, or a
 *   window or return below one step
 */
export function scaleInHeadroom(input: ScaleInHeadroomInput): ScaleInHeadroomChoice {
  validate(input);
  const { loadPerStep, targetLoadPerInstance: target, targetRatio, returnSteps, windowSteps } = input;
  const slo = input.sloLoadPerInstance;
  const leanTargetRatio =
    slo === undefined ? targetRatio : Math.max(targetRatio, Math.min(1, (targetRatio * slo) / target));
  if (slo === undefined || leanTargetRatio <= targetRatio) {
    return { targetRatio, leanTargetRatio: targetRatio, releases: 0, regrets: 0 };
  }
  const kept = (load: number, ratio: number) => Math.max(0, Math.ceil(load / (target * ratio) - 1e-9));
  const windowPeaks = slidingPeaks(loadPerStep, windowSteps);
  const returnPeaks = slidingPeaks(loadPerStep, returnSteps);
  let releases = 0;
  let regrets = 0;
  for (let t = 0; t + returnSteps < loadPerStep.length; t += 1) {
    const peak = windowPeaks[t] as number;
    // The next `returnSteps` steps after t are the window ending at t + returnSteps.
    const nextPeak = returnPeaks[t + returnSteps] as number;
    if (Number.isNaN(peak) || Number.isNaN(nextPeak)) continue;
    const headroom = kept(peak, targetRatio);
    const lean = kept(peak, leanTargetRatio);
    if (lean >= headroom) continue;
    releases += 1;
    if (Math.min(Math.ceil(nextPeak / slo - 1e-9), headroom) > lean) regrets += 1;
  }
  const chosen = releases > 0 && regrets <= input.maxRegretShare * releases ? leanTargetRatio : targetRatio;
  return { targetRatio: chosen, leanTargetRatio, releases, regrets };
}

/** @throws RangeError as `scaleInHeadroom` documents */
function validate(input: ScaleInHeadroomInput): void {
  const positive = (value: number | undefined) => value !== undefined && value > 0 && Number.isFinite(value);
  if (!positive(input.targetLoadPerInstance)) {
    throw new RangeError(
      `targetLoadPerInstance must be a positive number, got ${input.targetLoadPerInstance}`,
    );
  }
  if (input.sloLoadPerInstance !== undefined && !positive(input.sloLoadPerInstance)) {
    throw new RangeError(`sloLoadPerInstance must be a positive number, got ${input.sloLoadPerInstance}`);
  }
  if (!(input.targetRatio > 0 && input.targetRatio <= 1)) {
    throw new RangeError(`targetRatio must be in (0, 1], got ${input.targetRatio}`);
  }
  for (const [name, steps] of [
    ['returnSteps', input.returnSteps],
    ['windowSteps', input.windowSteps],
  ] as const) {
    if (!Number.isInteger(steps) || steps < 1)
      throw new RangeError(`${name} must be a whole number ≥ 1, got ${steps}`);
  }
  if (!(input.maxRegretShare >= 0 && input.maxRegretShare <= 1)) {
    throw new RangeError(`maxRegretShare must be in [0, 1], got ${input.maxRegretShare}`);
  }
}
