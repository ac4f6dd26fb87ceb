import * as z from 'zod';

/**
 * The update plan's campaign calendar: what "Read campaign calendar" (Lambda
 * `read-plan-calendar`) read from the state table before "Compute plan", which forecasts with it
 * and so bundles no DynamoDB client. See docs/rolling-updates.md, "Update plans".
 */

const upliftSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('multiplier'), factor: z.number() }),
  z.object({ kind: z.literal('added-load'), load: z.number() }),
]);

/**
 * One campaign on a group's calendar, its size resolved (a `CalendarCampaign` without what the
 * plan's forecast does not read: the learned spread behind its uplift and its pre-warm marks).
 * Times in epoch ms.
 */
export const planCalendarCampaignSchema = z.object({
  campaignId: z.string(),
  kind: z.string(),
  version: z.number(),
  startMs: z.number(),
  endMs: z.number(),
  rampUpSeconds: z.number(),
  extraInstances: z.number(),
  uplift: upliftSchema.optional(),
  upliftSource: z.enum(['explicit', 'learned', 'none']),
});

/**
 * The campaigns of every group the plan request names whose calendar window overlaps
 * [fromMs, toMs) (epoch ms): wide enough for every forecast the plan makes (`calendarReadForPlan`
 * refuses a question outside it).
 */
export const planCalendarSchema = z.object({
  fromMs: z.number(),
  toMs: z.number(),
  groups: z.array(z.object({ groupName: z.string(), campaigns: z.array(planCalendarCampaignSchema) })),
});
export type PlanCalendar = z.output<typeof planCalendarSchema>;

/** Input of "Read campaign calendar": the raw execution input (the plan request as sent). */
export const readPlanCalendarEventSchema = z.object({ request: z.unknown() });
