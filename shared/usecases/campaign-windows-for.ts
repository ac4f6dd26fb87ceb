import type { UserConfig } from '../contracts/user-config';
import { campaignWindows } from '../core/campaigns/campaign-windows';
import type { CampaignWindow } from '../core/forecast/types';
import type { CampaignCalendar } from '../ports/campaign-calendar';
import { resolveGroupSettings } from './resolve-group-settings';

/**
 * The scaling loop's `campaignsFor`: a group's active and upcoming campaigns from the calendar,
 * as forecast windows by the combination rule of `campaignWindows` (multipliers multiply, added
 * loads add, extra instances on top). Extra instances become load at the group's configured
 * target load per instance (config defaults and overrides; a `prescale:target-load-per-instance`
 * tag is not visible here).
 */
export function campaignWindowsFor(
  calendar: CampaignCalendar,
  config: UserConfig,
): (groupName: string, fromMs: number, toMs: number) => Promise<CampaignWindow[]> {
  return async (groupName, fromMs, toMs) => {
    const campaigns = await calendar.campaignsFor(groupName, fromMs, toMs);
    if (campaigns.length === 0) return [];
    const { settings } = resolveGroupSettings(config, groupName, {});
    return campaignWindows(campaigns, settings.targetLoadPerInstance);
  };
}
