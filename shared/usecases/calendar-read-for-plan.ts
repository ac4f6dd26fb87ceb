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
 * window overlaps [fromMs, toMs), by start. The planner gets its calendar this way and so bundles
 * no DynamoDB client.
 * @throws CampaignsNotReadError (from `campaignsFor`) for a group or a time the read did not cover.
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
      return group.campaigns.filter((c) => onCalendarBetween(c, fromMs, toMs));
    },
  };
}
