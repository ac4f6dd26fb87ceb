import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { DEAD_LETTER_MAX_MESSAGE_BYTES } from '../../shared/contracts/dead-letter-queue';

/**
 * A dead-letter queue as all of Prescale's are: encrypted (SSE-SQS), TLS only, and keeping each
 * message the SQS maximum of 14 days, so an operator can still read why something failed after a
 * long weekend, and each message up to SQS's 1 MiB so no rejected event is too large to keep.
 * cdk-nag's "has no DLQ of its own" (SQS3) is acknowledged with `deadLetterOf`.
 * @param deadLetterOf - what the queue is the dead-letter queue of, for the acknowledgement.
 */
export function deadLetterQueue(scope: Construct, id: string, deadLetterOf: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    maxMessageSizeBytes: DEAD_LETTER_MAX_MESSAGE_BYTES,
  });
  Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason: deadLetterOf });
  return queue;
}

/**
 * Messages sent to a dead-letter queue in each 5 minutes. Its backlog would be the wrong signal
 * where messages are kept 14 days: an alarm acts only on entering ALARM ("not performed again if
 * the condition persists"), so after a first message read but not deleted, every later rejection
 * (a campaign event before a sale, say) would notify no one. Lambda destinations, EventBridge and
 * Scheduler send their dead letters, which NumberOfMessagesSent counts; it does not count messages
 * SQS moves from a source queue: `newRedrivenDeadLettersMetric` counts those.
 */
export function newDeadLettersMetric(queue: sqs.IQueue): cloudwatch.IMetric {
  return queue.metricNumberOfMessagesSent({ period: Duration.minutes(5), statistic: 'Sum' });
}

/**
 * Messages SQS moved into a dead-letter queue from its source queue in each `period`, which
 * NumberOfMessagesSent does not count: the rise of its visible messages over the period before
 * (the period's Maximum), for the reason `newDeadLettersMetric` gives. SQS sends a queue's metrics
 * only while it is active (it held messages or was called in the last six hours), so an empty
 * queue has no datapoints: FILL makes them 0, and its first message a rise from 0. A message
 * deleted, or expired, in the period a new one arrives hides that one; a message read, in flight
 * for the queue's visibility timeout (30 s), lowers no Maximum of a period of minutes.
 */
export function newRedrivenDeadLettersMetric(queue: sqs.IQueue, period: Duration): cloudwatch.IMetric {
  return new cloudwatch.MathExpression({
    expression: 'DIFF(FILL(visible, 0))',
    usingMetrics: {
      visible: queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
    },
    label: 'Dead letters moved in',
    period,
  });
}
