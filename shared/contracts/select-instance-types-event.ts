import * as z from 'zod';

/**
 * The instance-type selector's event: run for some enrolled groups, or for all of them. The daily
 * schedule sends its scheduled time (`<aws.scheduler.scheduled-time>`), which every delivery of one
 * run repeats, so a retried or duplicated run creates no second launch template version. Strict:
 * an operator's misspelt `groupName` is refused by name, not read as "every enrolled group".
 */
export const selectInstanceTypesEventSchema = z.strictObject({
  groupNames: z.array(z.string().min(1).max(255)).max(100).optional(),
  scheduledTime: z.iso.datetime({ offset: true }).optional(),
});

export type SelectInstanceTypesEvent = z.output<typeof selectInstanceTypesEventSchema>;
