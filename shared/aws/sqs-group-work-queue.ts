import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { GroupWorkItem, GroupWorkQueue } from '../ports/group-work-queue';
import { translateAwsError } from './translate-aws-error';

/** SendMessageBatch takes at most 10 entries. */
const BATCH = 10;

/** `GroupWorkQueue` on an SQS queue; one message per group and tick. */
export class SqsGroupWorkQueue implements GroupWorkQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(items: readonly GroupWorkItem[]): Promise<GroupWorkItem[]> {
    const failed: GroupWorkItem[] = [];
    for (let i = 0; i < items.length; i += BATCH) {
      const batch = items.slice(i, i + BATCH);
      try {
        const out = await this.client.send(
          new SendMessageBatchCommand({
            QueueUrl: this.queueUrl,
            Entries: batch.map((item, j) => ({ Id: String(j), MessageBody: JSON.stringify(item) })),
          }),
        );
        for (const f of out.Failed ?? []) {
          const item = batch[Number(f.Id)];
          if (item) failed.push(item);
        }
      } catch (error) {
        const translated = translateAwsError(error, 'SQS', 'SendMessageBatch');
        if (translated.name !== 'TransientDependencyError') throw translated;
        failed.push(...batch);
      }
    }
    return failed;
  }
}
