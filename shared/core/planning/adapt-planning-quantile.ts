import { MAX_PLANNING_QUANTILE } from '../forecast/forecast-levels';

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

/** Bounds, SLO budget and gain of the planning-quantile controller. */
export interface QuantileControllerSettings {
  readonly minQuantile: number;
  readonly maxQuantile: number;
  /**
   * Share of steps that may be under-provisioned (0–1), the SLO budget: the controller settles
   * where the shortfall rate equals it. Raising the quantile buys fewer shortfalls with instances;
   * with no shortfall it falls, so the floor gives way to the group's reactive policy.
   */
  readonly shortfallBudget: number;
  /** Quantile change per scored step: +gain·(1 − budget) on a shortfall, −gain·budget otherwise. */
  readonly gain: number;
}

export const DEFAULT_QUANTILE_CONTROLLER: QuantileControllerSettings = {
  minQuantile: 0.8,
  maxQuantile: MAX_PLANNING_QUANTILE,
  shortfallBudget: 0.02,
  gain: 0.02,
};

/** The controller's new quantile and the reason, for the log. */
export interface QuantileDecision {
  readonly quantile: number;
  readonly reason: string;
}

/**
 * An online quantile controller against an SLO budget, in the manner of adaptive conformal
 * inference (Gibbs & Candès, "Adaptive Conformal Inference Under Distribution Shift", NeurIPS
 * 2021): q ← q + gain · (shortfalls − budget · steps) over the steps scored since the last
 * update. Each step counts once, so a shortfall raises the quantile once rather than on every run
 * that still sees it; a shortfall moves it up (1 − budget)/budget times as far as a covered step
 * moves it down, so it rises fast and falls slowly, and the long-run shortfall rate tends to the
 * budget. The quantile always stays within the bounds.
 * @param score the steps scored since the previous update only.
 */
export function adaptPlanningQuantile(
  current: number,
  score: ProvisioningScore,
  settings: QuantileControllerSettings = DEFAULT_QUANTILE_CONTROLLER,
): QuantileDecision {
  const clamp = (q: number) => Math.min(settings.maxQuantile, Math.max(settings.minQuantile, q));
  const start = clamp(current);
  if (score.steps === 0) return { quantile: start, reason: 'kept: no new scored steps' };
  const excess = score.underProvisionedSteps - settings.shortfallBudget * score.steps;
  const quantile = clamp(start + settings.gain * excess);
  const moved = quantile > start ? 'raised' : quantile < start ? 'lowered' : 'kept';
  return {
    quantile,
    reason: `${moved}: under-provisioned on ${score.underProvisionedSteps} of ${score.steps} new steps (budget ${settings.shortfallBudget})`,
  };
}
