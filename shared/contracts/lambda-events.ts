import { JSONStringified } from '@aws-lambda-powertools/parser/helpers';
import {
  CloudFormationCustomResourceCreateSchema,
  CloudFormationCustomResourceDeleteSchema,
  CloudFormationCustomResourceUpdateSchema,
} from '@aws-lambda-powertools/parser/schemas/cloudformation-custom-resource';
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import { SqsRecordSchema, SqsSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
import * as z from 'zod';
import { ROLLING_UPDATE_REQUESTED } from './rolling-update';
import { groupWorkItemSchema } from './scaling-events';
import { ROLLING_UPDATE_PLAN_CANCEL_REQUESTED, ROLLING_UPDATE_PLAN_REQUESTED } from './update-plan';

/**
 * The events Lambda delivers to Prescale's event-driven handlers, as Powertools parser's schemas
 * of the AWS event shapes (`EventBridgeSchema`, `SqsSchema`, `SqsRecordSchema`) narrowed to what
 * each handler accepts. The payloads inside (an EventBridge `detail`, an SQS `body`) are
 * validated where a bad one has its own outcome: a `detail` by the use case, which sends it to the
 * dead-letter queue with its reason; a `body` per record, which fails only that message.
 */

/** An EventBridge event from `source` with `detail-type`; its `detail` is left to the use case. */
export function eventBridgeEventSchema<S extends string, T extends string>(source: S, detailType: T) {
  return EventBridgeSchema.extend({ source: z.literal(source), 'detail-type': z.literal(detailType) });
}

/** The event of the rolling-update starter (`Rolling Update Requested`). */
export const rollingUpdateRequestedEventSchema = eventBridgeEventSchema(
  ROLLING_UPDATE_REQUESTED.source,
  ROLLING_UPDATE_REQUESTED.detailType,
);

/** The event of the plan starter (`Rolling Update Plan Requested`). */
export const updatePlanRequestedEventSchema = eventBridgeEventSchema(
  ROLLING_UPDATE_PLAN_REQUESTED.source,
  ROLLING_UPDATE_PLAN_REQUESTED.detailType,
);

/** The event of the plan canceller (`Rolling Update Plan Cancel Requested`). */
export const updatePlanCancelRequestedEventSchema = eventBridgeEventSchema(
  ROLLING_UPDATE_PLAN_CANCEL_REQUESTED.source,
  ROLLING_UPDATE_PLAN_CANCEL_REQUESTED.detailType,
);

/** The SQS event delivered to the scale-groups worker; each body is parsed per record. */
export const groupWorkEventSchema = SqsSchema;

/** One SQS record of group work, its body a JSON `groupWorkItemSchema`. */
export const groupWorkRecordSchema = SqsRecordSchema.extend({ body: JSONStringified(groupWorkItemSchema) });

/**
 * The CloudFormation custom-resource request as the CDK Provider framework passes it to an
 * `onEvent` handler; updates and deletes name the resource's physical id.
 */
export const customResourceEventSchema = z.discriminatedUnion('RequestType', [
  CloudFormationCustomResourceCreateSchema,
  CloudFormationCustomResourceUpdateSchema.extend({ PhysicalResourceId: z.string().min(1) }),
  CloudFormationCustomResourceDeleteSchema.extend({ PhysicalResourceId: z.string().min(1) }),
]);

export type GroupWorkEvent = z.output<typeof groupWorkEventSchema>;
