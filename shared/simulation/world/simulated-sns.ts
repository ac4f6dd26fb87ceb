import { SimulatedAwsError } from './simulated-aws-error';

/** A message published to a simulated topic. */
export interface PublishedMessage {
  readonly messageId: string;
  readonly subject?: string;
  readonly message: string;
  readonly publishedAtMs: number;
}

/** SNS's limit on a message: 256 KiB (Publish, API reference). */
const MAX_MESSAGE_BYTES = 262_144;

/**
 * The simulated SNS topics of one world, as far as Prescale publishes: `Publish` to a topic that
 * exists, refused as SNS refuses it (API reference, Publish): `NotFound` for an unknown topic,
 * `InvalidParameter` for an empty or over-256-KiB message or a subject longer than 100
 * characters, not ASCII-printable, or with a line break. Published messages are kept per topic.
 */
export class SimulatedSns {
  private readonly topics = new Map<string, PublishedMessage[]>();
  private counter = 0;

  /** Creates a topic by ARN (the deployment's, read from its template). */
  createTopic(topicArn: string): void {
    if (!this.topics.has(topicArn)) this.topics.set(topicArn, []);
  }

  /** The messages published to a topic, oldest first. */
  published(topicArn: string): readonly PublishedMessage[] {
    return this.topics.get(topicArn) ?? [];
  }

  publish(input: { TopicArn?: string; Message?: string; Subject?: string }, nowMs: number): unknown {
    const messages = input.TopicArn === undefined ? undefined : this.topics.get(input.TopicArn);
    if (!messages) throw new SimulatedAwsError('NotFound', 'Topic does not exist', 404);
    const message = input.Message ?? '';
    if (message.length === 0)
      throw new SimulatedAwsError('InvalidParameter', 'Invalid parameter: Empty message');
    if (Buffer.byteLength(message, 'utf8') > MAX_MESSAGE_BYTES)
      throw new SimulatedAwsError('InvalidParameter', 'Invalid parameter: Message too long');
    const subject = input.Subject;
    if (
      subject !== undefined &&
      (subject.length === 0 || subject.length > 100 || !/^[\x20-\x7e]+$/.test(subject))
    )
      throw new SimulatedAwsError(
        'InvalidParameter',
        'Invalid parameter: Subject must be 1–100 printable ASCII characters without line breaks',
      );
    this.counter += 1;
    const messageId = `00000000-0000-4000-8000-${this.counter.toString(16).padStart(12, '0')}`;
    messages.push({
      messageId,
      message,
      publishedAtMs: nowMs,
      ...(subject !== undefined ? { subject } : {}),
    });
    return { MessageId: messageId };
  }
}
