import { HOURS_PER_MONTH } from './types';

/** Current and recommended cost per month (730 h) and the difference. */
export interface MonthlySaving {
  readonly currentMonthlyCostUsd: number;
  readonly recommendedMonthlyCostUsd: number;
  /** Positive when the recommendation is cheaper; negative when it costs more. */
  readonly monthlySavingUsd: number;
  /** Saving as a share of the current cost, 0–1 (negative when dearer); 0 when the current cost is 0. */
  readonly savingRatio: number;
}

/** The monthly saving of running at `recommendedHourlyCostUsd` instead of `currentHourlyCostUsd`. */
export function monthlySaving(currentHourlyCostUsd: number, recommendedHourlyCostUsd: number): MonthlySaving {
  const currentMonthlyCostUsd = round2(currentHourlyCostUsd * HOURS_PER_MONTH);
  const recommendedMonthlyCostUsd = round2(recommendedHourlyCostUsd * HOURS_PER_MONTH);
  const monthlySavingUsd = round2((currentHourlyCostUsd - recommendedHourlyCostUsd) * HOURS_PER_MONTH);
  return {
    currentMonthlyCostUsd,
    recommendedMonthlyCostUsd,
    monthlySavingUsd,
    savingRatio: currentHourlyCostUsd > 0 ? 1 - recommendedHourlyCostUsd / currentHourlyCostUsd : 0,
  };
}

function round2(usd: number): number {
  return Math.round(usd * 100) / 100;
}

/** The least saving worth changing a group's types for (`pricing.minSavingRatio`, `pricing.minMonthlySavingUsd`). */
export interface SavingThreshold {
  readonly minSavingRatio: number;
  readonly minMonthlySavingUsd: number;
}

/**
 * Why `saving` is too small to change the group for, or undefined when it is enough. A single-type
 * group's change replaces every instance, and near-equal prices (a Spot price's drift, a discount
 * rounding) would otherwise flip a group between two types day after day: a change must save at
 * least the share and the amount.
 */
export function savingShortfall(saving: MonthlySaving, threshold: SavingThreshold): string | undefined {
  if (!(saving.monthlySavingUsd > 0)) return 'the current configuration costs no more at the forecast peak';
  const percent = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;
  if (saving.savingRatio < threshold.minSavingRatio)
    return `it saves ${percent(saving.savingRatio)} of the group's cost ($${saving.monthlySavingUsd.toFixed(2)}/month), under pricing.minSavingRatio ${percent(threshold.minSavingRatio)}`;
  if (saving.monthlySavingUsd < threshold.minMonthlySavingUsd)
    return `it saves $${saving.monthlySavingUsd.toFixed(2)}/month, under pricing.minMonthlySavingUsd $${threshold.minMonthlySavingUsd.toFixed(2)}`;
  return undefined;
}
