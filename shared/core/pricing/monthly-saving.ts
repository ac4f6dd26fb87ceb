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
