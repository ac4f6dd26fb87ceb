import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { CampaignDeadLetters } from '../ports/campaign-dead-letters';
import { translateAwsError } from './translate-aws-error';

/** SQS message attributes hold strings; a reason is cut to this length there (the body has it whole). */
const MAX_ATTRIBUTE_CHARS = 1024;

/** What SQS refuses in a message or a String attribute (SendMessage): lone surrogates among them. */
const NOT_SQS_TEXT = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** The reason as an attribute SQS takes: cut between characters, what it refuses replaced by U+FFFD. */
function attributeText(reason: string): string {
  return Array.from(reason).slice(0, MAX_ATTRIBUTE_CHARS).join('').replace(NOT_SQS_TEXT, '\uFFFD');
}

/**
 * The body as JSON SQS takes: JSON.stringify escapes control characters and lone surrogates, and
 * U+FFFE and U+FFFF are escaped here too, so the event is kept exactly as received.
 */
function bodyText(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\uFFFE\uFFFF]/g,
    (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16)}`,
  );
}

/**
 * `CampaignDeadLetters` on an SQS queue: one message per rejected event, its body
 * `{ reason, event }` with the event exactly as received, and the reason also as the message
 * attribute `reason` (visible in the console without opening the body).
 */
export class SqsCampaignDeadLetters implements CampaignDeadLetters {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async reject(event: unknown, reason: string): Promise<void> {
    try {
      await this.client.send(
        new SendMessageCommand({
          QueueUrl: this.queueUrl,
          MessageBody: bodyText({ reason, event }),
          MessageAttributes: {
            reason: { DataType: 'String', StringValue: attributeText(reason) || 'unknown' },
          },
        }),
      );
    } catch (error) {
      throw translateAwsError(error, 'SQS', 'SendMessage');
    }
  }
}
