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
 * refuses a question outside it). Each campaign is held once in `campaigns`, and each group lists
 * the positions of its own in it (`campaignIndexes`, by start): a campaign naming several groups
 * is one entry, not one per group. A campaign whose learned size differs between groups (each
 * group's own uplift of its kind) is one entry per size.
 */
export const planCalendarSchema = z
  .object({
    fromMs: z.number(),
    toMs: z.number(),
    campaigns: z.array(planCalendarCampaignSchema),
    groups: z.array(z.object({ groupName: z.string(), campaignIndexes: z.array(z.number().int().min(0)) })),
  })
  .superRefine((read, ctx) => {
    read.groups.forEach((group, g) => {
      group.campaignIndexes.forEach((index, i) => {
        if (index >= read.campaigns.length) {
          ctx.addIssue({
            code: 'custom',
            path: ['groups', g, 'campaignIndexes', i],
            message: `expected a position in campaigns (0 to ${read.campaigns.length - 1}); got ${index}`,
          });
        }
      });
    });
  });
export type PlanCalendarCampaign = z.output<typeof planCalendarCampaignSchema>;
export type PlanCalendar = z.output<typeof planCalendarSchema>;

/** Input of "Read campaign calendar": the raw execution input (the plan request as sent). */
export const readPlanCalendarEventSchema = z.object({ request: z.unknown() });
