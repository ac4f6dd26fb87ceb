import type { CampaignActionInput } from '../contracts/campaign-events';
import type { StoredCampaign } from '../ports/campaign-store';

/** Why the schedule has nothing to do: an unknown campaign, or a pre-warm for one cancelled or over. */
export function campaignSkipReason(
  campaign: StoredCampaign | undefined,
  action: CampaignActionInput['action'],
  nowMs: number,
): string | undefined {
  if (!campaign) return 'the campaign is not known';
  if (action === 'prewarm' && campaign.status === 'cancelled') return 'the campaign was cancelled';
  if (action === 'prewarm' && campaign.endMs <= nowMs) return 'the campaign has ended';
  return undefined;
}
