import { InvalidCampaignError } from './errors';
import type { CampaignWindow, PredictionInterval } from './types';

/** A forecast's mean and intervals after campaign uplift, and which campaigns touched the horizon. */
export interface CampaignAdjusted {
  readonly mean: readonly number[];
  readonly intervals: readonly PredictionInterval[];
  readonly campaignsApplied: readonly string[];
}

/**
 * Applies known future events to a forecast, inside each window only.
 *
 * Step h stands for [t, t + step) with t = startMs + h·step; a campaign raises every step it
 * overlaps. A step starting inside the window is raised at its start, with ramp weight
 * r = min(1, (t − startMs) / rampUp) (1 when rampUpSeconds = 0), as the planner reads a step at its
 * start and serves a ramp's busiest minute from the next step (`rampPeakLoad`). A step the campaign
 * starts within is raised at the end of its part of the step, r = min(1, (min(t + step, endMs) −
 * startMs) / rampUp): its busiest minute is the campaign's, and an hourly step would otherwise
 * miss a campaign that starts past the hour, or one that starts and ends within it. A multiplier
 * scales mean and both bounds by 1 + (factor − 1)·r; added load shifts them by load·r. Both maps
 * are monotone, so intervals stay nested and lower ≤ mean ≤ upper. Campaigns apply in the order
 * given. Steps outside every window are returned unchanged.
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
      const t = startMs + h * stepMs;
      if (t + stepMs <= campaign.startMs || t >= campaign.endMs) continue;
      touched = true;
      const rampMs = campaign.rampUpSeconds * 1000;
      const at = t >= campaign.startMs ? t : Math.min(t + stepMs, campaign.endMs);
      const r = rampMs > 0 ? Math.min(1, (at - campaign.startMs) / rampMs) : 1;
      const map =
        campaign.uplift.kind === 'multiplier'
          ? (
              (factor: number) => (v: number) =>
                v * factor
            )(1 + (campaign.uplift.factor - 1) * r)
          : (
              (added: number) => (v: number) =>
                Math.max(0, v + added)
            )(campaign.uplift.load * r);
      out.mean[h] = map(out.mean[h] as number);
      for (let i = 0; i < intervals.length; i += 1) {
        const lower = out.lower[i] as number[];
        const upper = out.upper[i] as number[];
        lower[h] = map(lower[h] as number);
        upper[h] = map(upper[h] as number);
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

function validateCampaign(campaign: CampaignWindow): void {
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
