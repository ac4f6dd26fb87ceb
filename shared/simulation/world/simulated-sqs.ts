import { createHash } from 'node:crypto';
import { SimulatedAwsError } from './simulated-aws-error';

/** A message sent to a simulated SQS queue and not yet delivered. */
export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly sentAtMs: number;
  receiveCount: number;
}

/** A message's size as SQS counts it: the body and each attribute's name, type and value, in UTF-8. */
/**
 * "A message can include only XML, JSON, and unformatted text. The following Unicode characters
 * are allowed: #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF. If you
 * send any characters not included in the list, your request will be rejected" (SendMessage); a
 * String attribute's value has the same restrictions (MessageAttributeValue). A lone surrogate is
 * none of them.
 */
const NOT_ALLOWED = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** @throws SimulatedAwsError InvalidParameterValue when the text has a character SQS refuses. */
function checkCharacters(text: string, where: string): void {
  const bad = NOT_ALLOWED.exec(text)?.[0];
  if (bad === undefined) return;
  const code = (bad.codePointAt(0) ?? 0).toString(16).toUpperCase();
  throw new SimulatedAwsError(
    'InvalidParameterValue',
    `Invalid binary character '#x${code}' was found in the ${where}, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF`,
  );
}

function messageBytes(
  body: string,
  attributes: Record<string, { DataType?: string; StringValue?: string }> | undefined,
): number {
  let bytes = Buffer.byteLength(body, 'utf8');
  for (const [name, a] of Object.entries(attributes ?? {}))
    bytes += Buffer.byteLength(name + (a.DataType ?? '') + (a.StringValue ?? ''), 'utf8');
  return bytes;
}

/**
 * "The maximum total payload size (i.e., the sum of all a batch's individual message lengths) is
 * also 256 KB (262,144 bytes)" (SendMessageBatch); queues that take 1 MiB messages take 1 MiB
 * batches, so this refuses at least what SQS refuses.
 */
const MAX_BATCH_BYTES = 262_144;

/**
 * The simulated SQS queues of one world: SendMessage and SendMessageBatch with SQS's batch
 * checks and errors; the driver drains each queue and delivers its messages to a worker.
 */
export class SimulatedSqs {
  private readonly queues = new Map<string, QueuedMessage[]>();
  private readonly maxMessageBytes = new Map<string, number>();
  private messageCounter = 0;

  constructor(private readonly region: string) {}

  /**
   * Creates a queue and returns its URL. `maximumMessageSize` is the queue's MaximumMessageSize
   * (bytes; 262,144 unless the queue sets it, as queues created before SQS took 1 MiB messages).
   */
  createQueue(name: string, maximumMessageSize = 262_144): string {
    const url = `https://sqs.${this.region}.amazonaws.com/123456789012/${name}`;
    this.queues.set(url, []);
    this.maxMessageBytes.set(url, maximumMessageSize);
    return url;
  }

  /** Removes and returns the queue's messages. */
  drainQueue(url: string): QueuedMessage[] {
    const messages = this.queues.get(url) ?? [];
    this.queues.set(url, []);
    return messages;
  }

  /** Puts messages back, each received once more. */
  requeue(url: string, messages: readonly QueuedMessage[]): void {
    this.queues.get(url)?.push(...messages.map((m) => ({ ...m, receiveCount: m.receiveCount + 1 })));
  }

  /** Answers SendMessageBatch: 1–10 entries with distinct ids, 256 KiB in all; an empty body fails its entry only. */
  sendMessageBatch(
    input: { QueueUrl?: string; Entries?: { Id?: string; MessageBody?: string }[] },
    nowMs: number,
  ): unknown {
    const queue = this.queue(input.QueueUrl);
    const entries = input.Entries ?? [];
    if (entries.length === 0)
      throw new SimulatedAwsError('EmptyBatchRequest', 'The batch request does not contain any entries.');
    if (entries.length > 10)
      throw new SimulatedAwsError(
        'TooManyEntriesInBatchRequest',
        `Maximum number of entries per request are 10. You have sent ${entries.length}.`,
      );
    const totalBytes = entries.reduce((n, e) => n + messageBytes(e.MessageBody ?? '', undefined), 0);
    if (totalBytes > MAX_BATCH_BYTES) {
      throw new SimulatedAwsError(
        'BatchRequestTooLong',
        `The length of all the messages put together is ${totalBytes} bytes, more than the limit of ${MAX_BATCH_BYTES}.`,
      );
    }
    if (new Set(entries.map((e) => e.Id)).size !== entries.length) {
      throw new SimulatedAwsError(
        'BatchEntryIdsNotDistinct',
        'Two or more batch entries in the request have the same Id.',
      );
    }
    const Successful: unknown[] = [];
    const Failed: unknown[] = [];
    for (const e of entries) {
      if (!e.MessageBody) {
        Failed.push({
          Id: e.Id,
          SenderFault: true,
          Code: 'InvalidParameterValue',
          Message: 'The message body must not be empty.',
        });
        continue;
      }
      try {
        checkCharacters(e.MessageBody, 'message body');
      } catch (error) {
        Failed.push({
          Id: e.Id,
          SenderFault: true,
          Code: 'InvalidParameterValue',
          Message: (error as Error).message,
        });
        continue;
      }
      Successful.push({ Id: e.Id, ...this.enqueue(queue, e.MessageBody, nowMs) });
    }
    return { Successful, Failed };
  }

  /** Answers SendMessage; the body and its attributes must fit the queue's MaximumMessageSize. */
  sendMessage(
    input: {
      QueueUrl?: string;
      MessageBody?: string;
      MessageAttributes?: Record<string, { DataType?: string; StringValue?: string }>;
    },
    nowMs: number,
  ): unknown {
    const queue = this.queue(input.QueueUrl);
    if (!input.MessageBody)
      throw new SimulatedAwsError('InvalidParameterValue', 'The message body must not be empty.');
    checkCharacters(input.MessageBody, 'message body');
    for (const [name, a] of Object.entries(input.MessageAttributes ?? {}))
      checkCharacters(a.StringValue ?? '', `message attribute ${name}`);
    const max = this.maxMessageBytes.get(input.QueueUrl as string) ?? 262_144;
    const size = messageBytes(input.MessageBody, input.MessageAttributes);
    if (size > max) {
      throw new SimulatedAwsError(
        'InvalidParameterValue',
        `One or more parameters are invalid. Reason: Message must be shorter than ${max} bytes.`,
      );
    }
    return this.enqueue(queue, input.MessageBody, nowMs);
  }

  private queue(url: string | undefined): QueuedMessage[] {
    const queue = url ? this.queues.get(url) : undefined;
    if (!queue) throw new SimulatedAwsError('QueueDoesNotExist', 'The specified queue does not exist.');
    return queue;
  }

  private enqueue(queue: QueuedMessage[], body: string, nowMs: number) {
    this.messageCounter += 1;
    const messageId = `b5a1e000-0000-4000-8000-${this.messageCounter.toString(16).padStart(12, '0')}`;
    queue.push({ messageId, body, sentAtMs: nowMs, receiveCount: 0 });
    return { MessageId: messageId, MD5OfMessageBody: createHash('md5').update(body).digest('hex') };
  }
}
