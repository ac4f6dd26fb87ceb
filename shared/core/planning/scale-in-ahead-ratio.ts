/** What `scaleInAheadRatio` reads: the group's target, its SLO and the configured headroom. */
export interface ScaleInAheadRatioInput {
  /** Load per instance the group plans for and its policy tracks (the target). */
  readonly targetLoadPerInstance: number;
  /**
   * Load per instance above which a minute misses the group's service level, when the user set one.
   * @default targetLoadPerInstance
   */
  readonly sloLoadPerInstance?: number;
  /** Configured share (0–1] of the service level at which predictive scale-in serves the recent peak. */
  readonly targetRatio: number;
}

/**
 * The share of the target (0–1] at which predictive scale-in serves the recent peak load. The
 * headroom `targetRatio` leaves is there for the minutes above a metric period's average, and what
 * those minutes can miss is the service level: so the peak is served at `targetRatio` × the
 * service level (the SLO when it is above the target, else the target), and never above the target
 * itself (target tracking scales in to ceil(load / target), no lower). At or above the SLO, or
 * without one, the answer is `targetRatio`; below it, a group already keeps the headroom between its
 * target and its SLO, and predictive scale-in stops adding the same headroom again on top of it:
 * at a 50 % target with a 60 % SLO and 0.9, the peak is served at 50 (ratio 1) rather than 45.
 * @throws RangeError on a non-positive target or SLO, or a ratio outside (0, 1]
 */
export function scaleInAheadRatio(input: ScaleInAheadRatioInput): number {
  const { targetLoadPerInstance: target, sloLoadPerInstance: slo, targetRatio } = input;
  if (!(target > 0 && Number.isFinite(target))) {
    throw new RangeError(`targetLoadPerInstance must be a positive number, got ${target}`);
  }
  if (slo !== undefined && !(slo > 0 && Number.isFinite(slo))) {
    throw new RangeError(`sloLoadPerInstance must be a positive number, got ${slo}`);
  }
  if (!(targetRatio > 0 && targetRatio <= 1)) {
    throw new RangeError(`targetRatio must be in (0, 1], got ${targetRatio}`);
  }
  if (slo === undefined || slo <= target) return targetRatio;
  return Math.min(1, (targetRatio * slo) / target);
}
