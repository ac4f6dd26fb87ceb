import * as z from 'zod';

/** The scheduled event that starts a scaling-loop tick (EventBridge Scheduler input). */
export const dispatchScalingRunEventSchema = z.object({
  /** `<aws.scheduler.scheduled-time>`: the tick a retried delivery belongs to. */
  scheduledTime: z.iso.datetime({ offset: true }).optional(),
});

/** One SQS message body: one group for one tick. */
export const groupWorkItemSchema = z.object({
  groupName: z.string().min(1),
  tickMs: z.number().int().nonnegative(),
});

/** The SQS event delivered to the scale-groups worker (only the fields it reads). */
export const groupWorkEventSchema = z.object({
  Records: z
    .array(
      z.object({
        messageId: z.string().min(1),
        body: z.string(),
      }),
    )
    .min(1),
});

export type DispatchScalingRunEvent = z.output<typeof dispatchScalingRunEventSchema>;
export type GroupWorkEvent = z.output<typeof groupWorkEventSchema>;
