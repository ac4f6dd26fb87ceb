/** How past plans fared against the load that arrived. */
export interface ProvisioningScore {
  /** Steps scored. */
  readonly steps: number;
  /** Steps where actual load exceeded planned capacity × target load per instance. */
  readonly underProvisionedSteps: number;
  /** Share of steps where actual load was below the forecast median (0–1). */
  readonly belowMedianRatio: number;
  /** Share of steps where actual load fell inside the planned quantile (0–1). */
  readonly withinPlannedQuantileRatio: number;
}

/** Bounds and gains of the planning-quantile controller. */
export interface QuantileControllerSettings {
  readonly minQuantile: number;
  readonly maxQuantile: number;
  /** Raise per under-provisioned share; a fast reaction to shortfalls. */
  readonly raiseStep: number;
  /** Lowering per run of sustained over-provisioning; deliberately much slower. */
  readonly lowerStep: number;
  /** Fewest scored steps before the controller moves at all. */
  readonly minScoredSteps: number;
}

export const DEFAULT_QUANTILE_CONTROLLER: QuantileControllerSettings = {
  minQuantile: 0.8,
  maxQuantile: 0.99,
  raiseStep: 0.02,
  lowerStep: 0.005,
  minScoredSteps: 12,
};

/** The controller's new quantile and the reason, for the log. */
export interface QuantileDecision {
  readonly quantile: number;
  readonly reason: string;
}

/**
 * An asymmetric online controller (additive increase on shortfall, slow decrease on sustained
 * slack, like TCP's AIMD turned around): under-provisioning costs SLO minutes, over-provisioning
 * only money, so it raises fast and lowers slowly. The quantile always stays within the bounds.
 */
export function adaptPlanningQuantile(
  current: number,
  score: ProvisioningScore,
  settings: QuantileControllerSettings = DEFAULT_QUANTILE_CONTROLLER,
): QuantileDecision {
  const clamp = (q: number) => Math.min(settings.maxQuantile, Math.max(settings.minQuantile, q));
  const start = clamp(current);
  if (score.steps < settings.minScoredSteps) {
    return { quantile: start, reason: `kept: only ${score.steps} scored steps` };
  }
  const underShare = score.underProvisionedSteps / score.steps;
  if (score.underProvisionedSteps > 0) {
    const next = clamp(start + settings.raiseStep * Math.max(1, Math.round(underShare * 10)));
    return {
      quantile: next,
      reason: `raised: under-provisioned on ${score.underProvisionedSteps} of ${score.steps} steps`,
    };
  }
  // No shortfall and the load mostly below the median: the plan carries more slack than needed.
  if (score.belowMedianRatio >= 0.5 && score.withinPlannedQuantileRatio >= 0.95) {
    return { quantile: clamp(start - settings.lowerStep), reason: 'lowered: sustained over-provisioning' };
  }
  return { quantile: start, reason: 'kept: provisioning on target' };
}
