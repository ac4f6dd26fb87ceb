import * as z from 'zod';

/**
 * The scheduled event that starts a scaling-loop tick (EventBridge Scheduler input). Strict: a
 * misspelt `scheduleTime` is refused by name, not dropped for a tick on the wall clock.
 */
export const dispatchScalingRunEventSchema = z.strictObject({
  /** `<aws.scheduler.scheduled-time>`: the tick a retried delivery belongs to. */
  scheduledTime: z.iso.datetime({ offset: true }).optional(),
});

/** One SQS message body: one group for one tick. */
export const groupWorkItemSchema = z.object({
  groupName: z.string().min(1),
  tickMs: z.number().int().nonnegative(),
});

export type DispatchScalingRunEvent = z.output<typeof dispatchScalingRunEventSchema>;
