import { JSONStringified } from '@aws-lambda-powertools/parser/helpers';
import { SqsRecordSchema, SqsSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
import type * as z from 'zod';
import { groupWorkItemSchema } from './scaling-events';

/**
 * The SQS event delivered to the scale-groups worker. Each body is parsed per record
 * (`groupWorkRecordSchema`), so a bad message fails only itself, not its batch.
 */
export const groupWorkEventSchema = SqsSchema;

/** One SQS record of group work, its body a JSON `groupWorkItemSchema`. */
export const groupWorkRecordSchema = SqsRecordSchema.extend({ body: JSONStringified(groupWorkItemSchema) });

export type GroupWorkEvent = z.output<typeof groupWorkEventSchema>;
