import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { CampaignDeadLetters } from '../ports/campaign-dead-letters';
import { translateAwsError } from './translate-aws-error';

/** SQS message attributes hold strings; a reason is cut to this length there (the body has it whole). */
const MAX_ATTRIBUTE_CHARS = 1024;

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
          MessageBody: JSON.stringify({ reason, event }),
          MessageAttributes: {
            reason: { DataType: 'String', StringValue: reason.slice(0, MAX_ATTRIBUTE_CHARS) || 'unknown' },
          },
        }),
      );
    } catch (error) {
      throw translateAwsError(error, 'SQS', 'SendMessage');
    }
  }
}
