import { campaignWindows } from '../core/campaigns/campaign-windows';
import type { CampaignWindow } from '../core/forecast/types';
import type { CampaignCalendar } from '../ports/campaign-calendar';
import type { CampaignWindowsFn } from './group-forecaster';

/**
 * The scaling loop's `campaignsFor`: a group's active and upcoming campaigns from the calendar,
 * as forecast windows by the combination rule of `campaignWindows` (multipliers multiply, added
 * loads add, extra instances on top). Extra instances become load at the target load per instance
 * the loop resolved for the group (config defaults, its override, then its
 * `prescale:target-load-per-instance` tag), so they are exactly that many instances of its plan,
 * as the campaign's pre-warm counts them.
 */
export function campaignWindowsFor(calendar: CampaignCalendar): CampaignWindowsFn {
  return async (groupName, fromMs, toMs, targetLoadPerInstance): Promise<CampaignWindow[]> => {
    const campaigns = await calendar.campaignsFor(groupName, fromMs, toMs);
    if (campaigns.length === 0) return [];
    return campaignWindows(campaigns, targetLoadPerInstance);
  };
}
