import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSRecord } from 'aws-lambda';
import { type GroupWorkEvent, groupWorkRecordSchema } from '../contracts/group-work-event';
import type { GroupWorkItem } from '../ports/group-work-queue';

/** An SQS message whose body is not a group work item: it can never succeed. */
export class MalformedGroupWorkItemError extends Error {
  override readonly name = 'MalformedGroupWorkItemError' as const;
  constructor(
    readonly messageId: string,
    message: string,
  ) {
    super(`message ${messageId}: ${message}`);
  }
}

/**
 * A group's run in this batch failed: its message is reported failed, and the queue's redrive
 * policy (one receive) moves it to the dead-letter queue; the next tick runs the group again.
 */
export class GroupRunFailedError extends Error {
  override readonly name = 'GroupRunFailedError' as const;
  constructor(
    readonly groupName: string,
    readonly tickMs: number,
  ) {
    super(`run of ${groupName} for tick ${tickMs} failed`);
  }
}

const itemKey = (item: { groupName: string; tickMs: number }) => `${item.groupName}#${item.tickMs}`;

/**
 * One SQS batch of group work: every record is parsed by `groupWorkRecordSchema` (Powertools'
 * SQS record with a JSON `groupWorkItemSchema` body), the valid items run together in one
 * `runItems` call (so the use case can
 * share one GetMetricData across the batch), and Powertools batch processing reports the messages
 * whose body is malformed or whose group's run failed as `batchItemFailures`, so only those go
 * back to the queue, which moves them to its dead-letter queue (one delivery: the next tick runs
 * the group again). An error thrown by `runItems` itself fails the invocation, and the whole
 * batch goes there.
 */
export async function processGroupWorkBatch(
  event: GroupWorkEvent,
  context: Context,
  runItems: (
    items: GroupWorkItem[],
  ) => Promise<readonly { readonly kind: string; readonly groupName: string; readonly tickMs?: number }[]>,
  logger: Logger,
): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> {
  const parsed = event.Records.map((record) => groupWorkRecordSchema.safeParse(record));
  const items = parsed.flatMap((p) => (p.success ? [p.data.body] : []));
  // Keyed by group and tick: one batch may hold a redelivered old tick and the new one.
  const failed = new Set(
    (await runItems(items))
      .filter((result) => result.kind === 'failed')
      .map((result) => itemKey({ groupName: result.groupName, tickMs: result.tickMs ?? Number.NaN })),
  );
  const byMessageId = new Map(event.Records.map((record, i) => [record.messageId, parsed[i]]));
  const processRecord = async (record: SQSRecord): Promise<void> => {
    const item = byMessageId.get(record.messageId);
    if (!item?.success) {
      logger.error('malformed group work item', { messageId: record.messageId, body: record.body });
      throw new MalformedGroupWorkItemError(record.messageId, item ? problemsOf(item.error) : 'unparsed');
    }
    const work = item.data.body;
    if (failed.has(itemKey(work))) throw new GroupRunFailedError(work.groupName, work.tickMs);
  };
  const response = await processPartialResponse(
    event as unknown as { Records: SQSRecord[] },
    processRecord,
    new BatchProcessor(EventType.SQS),
    // Every message failing is still a partial-batch answer: the malformed ones go to the DLQ.
    { context, throwOnFullBatchFailure: false },
  );
  return { batchItemFailures: response.batchItemFailures.map((f) => ({ itemIdentifier: f.itemIdentifier })) };
}

/** `body.groupName: expected …` per issue: which field, and what was expected. */
function problemsOf(error: { issues: readonly { path: PropertyKey[]; message: string }[] }): string {
  return error.issues.map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`).join('; ');
}
