import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import * as z from 'zod';

/*
 * The events Lambda delivers to Prescale's event-driven handlers are Powertools parser's schemas
 * of the AWS event shapes narrowed to what each handler accepts, one module per event family so
 * that a function bundles (and builds at init) only the schemas of the events it receives. The
 * payloads inside (an EventBridge `detail`, an SQS `body`) are validated where a bad one has its
 * own outcome: a `detail` by the use case, which sends it to the dead-letter queue with its
 * reason; a `body` per record, which fails only that message.
 */

/** An EventBridge event from `source` with `detail-type`; its `detail` is left to the use case. */
export function eventBridgeEventSchema<S extends string, T extends string>(source: S, detailType: T) {
  return EventBridgeSchema.extend({ source: z.literal(source), 'detail-type': z.literal(detailType) });
}
