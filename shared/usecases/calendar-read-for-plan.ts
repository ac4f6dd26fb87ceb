import type { PlanCalendar } from '../contracts/plan-calendar';
import {
  type CalendarCampaign,
  type CampaignCalendar,
  CampaignsNotReadError,
} from '../ports/campaign-calendar';
import { onCalendarBetween } from '../ports/campaign-store';

/**
 * The campaign calendar as "Read campaign calendar" read it before "Compute plan" ran
 * (`readPlanCalendar`), answering as the state table's calendar would: a group's campaigns whose
 * window overlaps [fromMs, toMs), by start, each taken from the read's one copy of it. The planner gets its calendar this way and so bundles
 * no DynamoDB client.
 * @throws CampaignsNotReadError (from `campaignsFor`) for a group or a time the read did not cover.
 * @throws RangeError (from `campaignsFor`) for a group listing a campaign the read does not hold
 * (`planCalendarSchema` refuses such a read).
 */
export function calendarReadForPlan(read: PlanCalendar): CampaignCalendar {
  return {
    campaignsFor: async (groupName, fromMs, toMs): Promise<CalendarCampaign[]> => {
      const group = read.groups.find((g) => g.groupName === groupName);
      if (!group || fromMs < read.fromMs || toMs > read.toMs) {
        throw new CampaignsNotReadError(
          groupName,
          { fromMs, toMs },
          { fromMs: read.fromMs, toMs: read.toMs, groupRead: group !== undefined },
        );
      }
      return group.campaignIndexes
        .map((index): CalendarCampaign => {
          const campaign = read.campaigns[index];
          if (campaign === undefined) {
            throw new RangeError(
              `the campaign calendar read lists campaign ${index} for ${groupName}; expected a position in its ${read.campaigns.length} campaign(s)`,
            );
          }
          return campaign;
        })
        .filter((c) => onCalendarBetween(c, fromMs, toMs));
    },
  };
}
