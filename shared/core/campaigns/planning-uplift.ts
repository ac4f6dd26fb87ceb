import type { CampaignUplift } from '../forecast/types';

/**
 * The range of a learned factor: the range a sender's `expectedLoad.factor` is validated to
 * (`shared/contracts/campaign-events.ts`), so a learned factor is never trusted further than a
 * stated one. A window measured over a near-zero baseline (a group idling at a trickle, a
 * forecast that fell to almost nothing) reads as a ratio of thousands, which would raise every
 * later campaign of the kind to the groups' maximum; above 100 the measurement says the
 * baseline was too small to compare against, not how big the campaign was. The bottom bounds
 * what `removeCampaignUplift` divides the window's load by, for the reason the contract gives.
 */
export const LEARNED_FACTOR_RANGE = { min: 0.01, max: 100 } as const;

/** A factor brought into `LEARNED_FACTOR_RANGE`. */
export function boundedLearnedFactor(factor: number): number {
  return Math.min(LEARNED_FACTOR_RANGE.max, Math.max(LEARNED_FACTOR_RANGE.min, factor));
}

/** What past windows of one kind of campaign showed on a group: realised / forecast-without-it. */
export interface LearnedUplift {
  /** Median ratio over the windows. */
  readonly medianFactor: number;
  readonly minFactor: number;
  readonly maxFactor: number;
  /** Windows the ratios come from (≥ 1). */
  readonly windowCount: number;
}

/**
 * The uplift to plan with when a campaign gives no explicit size, from what its kind showed
 * before. Uncertainty is planned for, not averaged away: the largest ratio seen (the upper end
 * of the spread) is used, because under-provisioning a known event costs more than a few extra
 * instances for a bounded window. With one window, min = median = max. Never below 1: a kind whose
 * windows all read under the forecast (a newsletter that changed nothing, measured on a last step
 * CloudWatch had not completed) plans the forecast, not less; a campaign sized by its sender may
 * still say less. Never above `LEARNED_FACTOR_RANGE.max`, also for a factor stored before learning
 * was bounded (2026-12-06).
 */
export function planningUplift(learned: LearnedUplift): CampaignUplift {
  const factor = Math.max(1, learned.maxFactor, learned.medianFactor);
  return { kind: 'multiplier', factor: Math.min(LEARNED_FACTOR_RANGE.max, factor) };
}

/**
 * Pools what several groups learned about one kind, for a group that has no history of that
 * kind yet: the median of the groups' medians, the smallest minimum and the largest maximum.
 * Returns undefined for an empty list.
 */
export function poolLearnedUplifts(learned: readonly LearnedUplift[]): LearnedUplift | undefined {
  if (learned.length === 0) return undefined;
  const medians = learned.map((l) => l.medianFactor).sort((a, b) => a - b);
  const mid = medians.length >> 1;
  const medianFactor =
    medians.length % 2 === 1
      ? (medians[mid] as number)
      : 0.5 * ((medians[mid - 1] as number) + (medians[mid] as number));
  return {
    medianFactor,
    minFactor: Math.min(...learned.map((l) => l.minFactor)),
    maxFactor: Math.max(...learned.map((l) => l.maxFactor)),
    windowCount: learned.reduce((sum, l) => sum + l.windowCount, 0),
  };
}
