import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * A dead-letter queue as all of Prescale's are: encrypted (SSE-SQS), TLS only, and keeping each
 * message the SQS maximum of 14 days, so an operator can still read why something failed after a
 * long weekend. cdk-nag's "has no DLQ of its own" (SQS3) is acknowledged with `deadLetterOf`.
 * @param deadLetterOf - what the queue is the dead-letter queue of, for the acknowledgement.
 */
export function deadLetterQueue(scope: Construct, id: string, deadLetterOf: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason: deadLetterOf });
  return queue;
}
