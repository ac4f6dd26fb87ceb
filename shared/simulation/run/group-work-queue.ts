import { GROUP_WORK_DELIVERY } from '../../contracts/group-work-delivery';
import type { QueuedMessage } from '../world/simulated-sqs';
import type { SimulatedWorld } from '../world/simulated-world';

/** The work queue's name, in its URL and ARN. */
export const GROUP_WORK_QUEUE_NAME = 'prescale-group-work';

/** The SQS event Lambda's event source mapping delivers to the worker. */
export type GroupWorkSqsEvent = ReturnType<typeof sqsEvent>;

/** What delivering one tick's queued work did. */
export interface GroupWorkDelivered {
  readonly delivered: number;
  /** The records of each SQS event the worker was invoked with, in order. */
  readonly batchSizes: readonly number[];
  readonly failedItems: number;
  /** Failed messages past the work queue's maxReceiveCount: moved to its dead-letter queue. */
  readonly deadLettered: number;
}

/**
 * Prescale's work queue in a simulated world, delivered as the deployed event source mapping and
 * redrive policy do (`GROUP_WORK_DELIVERY`): SQS events of at most its batch size; a message the
 * worker reports in `batchItemFailures`, or of a failed invocation, returns to the queue until its
 * maxReceiveCount-th receive (with the deployed count of one: never), then moves to the
 * dead-letter queue.
 */
export class GroupWorkQueue {
  readonly url: string;
  private readonly deadLetterQueue: QueuedMessage[] = [];

  constructor(private readonly world: SimulatedWorld) {
    this.url = world.createQueue(GROUP_WORK_QUEUE_NAME);
  }

  /**
   * Delivers every queued message to `invoke`, one SQS event per batch; `invoke` resolves to the
   * ids the worker reported failed and throws when the invocation failed (the whole batch then
   * fails; its error goes to `handlerErrors`).
   */
  async deliver(
    invoke: (event: GroupWorkSqsEvent, batchIndex: number) => Promise<ReadonlySet<string>>,
    handlerErrors: string[],
  ): Promise<GroupWorkDelivered> {
    const messages = this.world.drainQueue(this.url);
    const failed: QueuedMessage[] = [];
    const batchSizes: number[] = [];
    for (let i = 0; i < messages.length; i += GROUP_WORK_DELIVERY.batchSize) {
      const batch = messages.slice(i, i + GROUP_WORK_DELIVERY.batchSize);
      batchSizes.push(batch.length);
      try {
        const failedIds = await invoke(sqsEvent(batch, this.world.clock.nowMs()), batchSizes.length - 1);
        failed.push(...batch.filter((m) => failedIds.has(m.messageId)));
      } catch (error) {
        handlerErrors.push(`worker: ${(error as Error).name}: ${(error as Error).message}`);
        failed.push(...batch);
      }
    }
    // The redrive policy: a message received maxReceiveCount times moves to the dead-letter queue.
    const past = (m: QueuedMessage) => m.receiveCount + 1 >= GROUP_WORK_DELIVERY.maxReceiveCount;
    this.world.requeue(
      this.url,
      failed.filter((m) => !past(m)),
    );
    const deadLettered = failed.filter(past);
    this.deadLetterQueue.push(...deadLettered);
    return {
      delivered: messages.length,
      batchSizes,
      failedItems: failed.length,
      deadLettered: deadLettered.length,
    };
  }

  /** The group work the dead-letter queue holds, oldest first, with the receives it took. */
  deadLetters(): { readonly messageId: string; readonly body: string; readonly receiveCount: number }[] {
    return this.deadLetterQueue.map((m) => ({
      messageId: m.messageId,
      body: m.body,
      receiveCount: m.receiveCount + 1,
    }));
  }
}

/** The SQS event Lambda's event source mapping delivers for `messages`, received at `receivedAtMs`. */
function sqsEvent(messages: readonly QueuedMessage[], receivedAtMs: number) {
  return {
    Records: messages.map((m) => ({
      messageId: m.messageId,
      receiptHandle: `receipt-${m.messageId}`,
      body: m.body,
      attributes: {
        ApproximateReceiveCount: String(m.receiveCount + 1),
        SentTimestamp: String(m.sentAtMs),
        SenderId: 'AIDASIMULATION',
        ApproximateFirstReceiveTimestamp: String(receivedAtMs),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:us-east-1:123456789012:${GROUP_WORK_QUEUE_NAME}`,
      awsRegion: 'us-east-1',
    })),
  };
}
