import { campaignStepEffect, validateCampaign } from './apply-campaigns';
import type { CampaignWindow, RegularSeries } from './types';

/** A history with the uplift of known campaigns taken out, and which of its steps they touch. */
export interface CampaignFreeHistory {
  /** The series on the same grid, each step a campaign overlaps set to its load without it. */
  readonly series: RegularSeries;
  /** 1 where some campaign window overlaps the step (as `applyCampaigns` counts overlap), else 0. */
  readonly inCampaign: Uint8Array;
}

/**
 * The history as it would have been without the known campaigns, for the models to fit.
 *
 * `forecastDemand` raises its forecast inside each window (`applyCampaigns`); a history whose
 * steps inside a window still carry the uplift teaches the models the raised level, and the
 * forecast of a campaign already running then carries it twice. So each step a campaign overlaps
 * is mapped back through the effect `applyCampaigns` would give that step (`campaignStepEffect`,
 * ramp included): divided by the multiplier, or lowered by the added load (floored at 0).
 * Campaigns are undone in the reverse of the order `applyCampaigns` applies them. A multiplier of
 * 0 (or one so small that the division overflows) leaves the step as observed: the load without
 * the campaign cannot be read from it. A `headroom` window (extra instances, no load) leaves its
 * steps as observed too, but marks them. Steps outside every window are unchanged.
 * @throws InvalidCampaignError for a malformed campaign (as `applyCampaigns`).
 */
export function removeCampaignUplift(
  series: RegularSeries,
  campaigns: readonly CampaignWindow[],
): CampaignFreeHistory {
  const n = series.values.length;
  const inCampaign = new Uint8Array(n);
  if (campaigns.length === 0) return { series, inCampaign };
  const values = [...series.values];
  const stepMs = series.stepSeconds * 1000;
  for (let c = campaigns.length - 1; c >= 0; c -= 1) {
    const campaign = campaigns[c] as CampaignWindow;
    validateCampaign(campaign);
    // Only the steps that can overlap the window: the one it starts within up to the one it ends in.
    const first = Math.max(0, Math.floor((campaign.startMs - series.startMs) / stepMs));
    const end = Math.min(n, Math.ceil((campaign.endMs - series.startMs) / stepMs));
    for (let t = first; t < end; t += 1) {
      const effect = campaignStepEffect(campaign, series.startMs + t * stepMs, stepMs);
      if (effect === undefined) continue;
      inCampaign[t] = 1;
      if (campaign.headroom === true) continue;
      const v = values[t] as number;
      const without = effect.kind === 'added-load' ? Math.max(0, v - effect.load) : v / effect.factor;
      if (Number.isFinite(without)) values[t] = without;
    }
  }
  return { series: { ...series, values }, inCampaign };
}
