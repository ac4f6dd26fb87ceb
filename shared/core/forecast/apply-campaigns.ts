import { InvalidCampaignError } from './errors';
import type { CampaignWindow, PredictionInterval } from './types';

/** A forecast's mean and intervals after campaign uplift, and which campaigns touched the horizon. */
export interface CampaignAdjusted {
  readonly mean: readonly number[];
  readonly intervals: readonly PredictionInterval[];
  readonly campaignsApplied: readonly string[];
}

/**
 * What one campaign does to the step [t, t + step), ramp included; undefined when the step lies
 * outside its window. A `multiplier` effect scales load by `factor`, an `added-load` effect adds
 * `load` (the result floored at 0).
 */
export type CampaignStepEffect =
  | { readonly kind: 'multiplier'; readonly factor: number }
  | { readonly kind: 'added-load'; readonly load: number };

/**
 * Applies known future events to a forecast, inside each window only.
 *
 * Step h stands for [t, t + step) with t = startMs + h·step; a campaign raises every step it
 * overlaps (see {@link campaignStepEffect}). A multiplier scales mean and both bounds by
 * 1 + (factor − 1)·r; added load shifts them by load·r. Both maps are monotone, so intervals stay
 * nested and lower ≤ mean ≤ upper. Campaigns apply in the order given. Steps outside every window
 * are returned unchanged.
 * @throws InvalidCampaignError for endMs ≤ startMs, a negative or non-finite ramp, a negative or
 * non-finite factor, or a non-finite added load.
 */
export function applyCampaigns(
  startMs: number,
  stepSeconds: number,
  mean: readonly number[],
  intervals: readonly PredictionInterval[],
  campaigns: readonly CampaignWindow[],
): CampaignAdjusted {
  const out = {
    mean: [...mean],
    lower: intervals.map((i) => [...i.lower]),
    upper: intervals.map((i) => [...i.upper]),
  };
  const applied: string[] = [];
  const stepMs = stepSeconds * 1000;
  for (const campaign of campaigns) {
    validateCampaign(campaign);
    let touched = false;
    for (let h = 0; h < mean.length; h += 1) {
      const effect = campaignStepEffect(campaign, startMs + h * stepMs, stepMs);
      if (effect === undefined) continue;
      touched = true;
      out.mean[h] = withEffect(out.mean[h] as number, effect);
      for (let i = 0; i < intervals.length; i += 1) {
        const lower = out.lower[i] as number[];
        const upper = out.upper[i] as number[];
        lower[h] = withEffect(lower[h] as number, effect);
        upper[h] = withEffect(upper[h] as number, effect);
      }
    }
    if (touched) applied.push(campaign.campaignId);
  }
  return {
    mean: out.mean,
    intervals: intervals.map((interval, i) => ({
      levelPct: interval.levelPct,
      lower: out.lower[i] as number[],
      upper: out.upper[i] as number[],
    })),
    campaignsApplied: applied,
  };
}

/**
 * The effect of `campaign` on the step [t, t + `stepMs`), or undefined when the step does not
 * overlap its window. A step starting inside the window is raised at its start, with ramp weight
 * r = min(1, (t − startMs) / rampUp) (1 when rampUpSeconds = 0), as the planner reads a step at its
 * start and serves a ramp's busiest minute from the next step (`rampPeakLoad`). A step the campaign
 * starts within is raised at the end of its part of the step, r = min(1, (min(t + step, endMs) −
 * startMs) / rampUp): its busiest minute is the campaign's, and an hourly step would otherwise
 * miss a campaign that starts past the hour, or one that starts and ends within it. The factor is
 * 1 + (factor − 1)·r, the added load load·r. Assumes a valid campaign ({@link validateCampaign}).
 */
export function campaignStepEffect(
  campaign: CampaignWindow,
  t: number,
  stepMs: number,
): CampaignStepEffect | undefined {
  if (t + stepMs <= campaign.startMs || t >= campaign.endMs) return undefined;
  const rampMs = campaign.rampUpSeconds * 1000;
  const at = t >= campaign.startMs ? t : Math.min(t + stepMs, campaign.endMs);
  const r = rampMs > 0 ? Math.min(1, (at - campaign.startMs) / rampMs) : 1;
  return campaign.uplift.kind === 'multiplier'
    ? { kind: 'multiplier', factor: 1 + (campaign.uplift.factor - 1) * r }
    : { kind: 'added-load', load: campaign.uplift.load * r };
}

function withEffect(value: number, effect: CampaignStepEffect): number {
  return effect.kind === 'multiplier' ? value * effect.factor : Math.max(0, value + effect.load);
}

/**
 * Throws unless `campaign` is well formed.
 * @throws InvalidCampaignError for endMs ≤ startMs, a negative or non-finite ramp, a negative or
 * non-finite factor, or a non-finite added load.
 */
export function validateCampaign(campaign: CampaignWindow): void {
  const { campaignId, startMs, endMs, rampUpSeconds, uplift } = campaign;
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || endMs <= startMs) {
    throw new InvalidCampaignError(
      campaignId,
      `window must have finite startMs < endMs; received ${startMs}..${endMs}`,
    );
  }
  if (!Number.isFinite(rampUpSeconds) || rampUpSeconds < 0) {
    throw new InvalidCampaignError(campaignId, `rampUpSeconds must be ≥ 0; received ${rampUpSeconds}`);
  }
  if (uplift.kind === 'multiplier' && (!Number.isFinite(uplift.factor) || uplift.factor < 0)) {
    throw new InvalidCampaignError(
      campaignId,
      `multiplier factor must be finite and ≥ 0; received ${uplift.factor}`,
    );
  }
  if (uplift.kind === 'added-load' && !Number.isFinite(uplift.load)) {
    throw new InvalidCampaignError(campaignId, `added load must be finite; received ${uplift.load}`);
  }
}
