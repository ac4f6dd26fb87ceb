import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { CAMPAIGN_ENV } from '../../../shared/contracts/campaign-events';
import { ENV } from '../../../shared/contracts/env';

const context = {
  functionName: 'receive-campaign-event',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

const sqs = mockClient(SQSClient);
const scheduler = mockClient(SchedulerClient);
const dynamo = mockClient(DynamoDBClient);
const asg = mockClient(AutoScalingClient);
const DLQ_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/campaign-dlq';

beforeAll(() => {
  process.env[ENV.config] = JSON.stringify({ groups: { names: ['web'] } });
  process.env[ENV.stateTableName] = 'state';
  process.env[ENV.deployment] = 'Prescale';
  process.env[ENV.schedulerGroupName] = 'prescale-campaigns';
  process.env[ENV.schedulerRoleArn] = 'arn:aws:iam::123456789012:role/scheduler';
  process.env[ENV.prewarmFunctionArn] = 'arn:aws:lambda:eu-west-1:123456789012:function:prewarm';
  process.env[CAMPAIGN_ENV.deadLetterQueueUrl] = DLQ_URL;
  process.env[CAMPAIGN_ENV.deadLetterQueueArn] = 'arn:aws:sqs:eu-west-1:123456789012:campaign-dlq';
});

describe('receive-campaign-event handler', () => {
  it('sends an invalid event to the DLQ with its reason and touches nothing else', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    const { handler } = await import('../../../functions/receive-campaign-event/handler');
    const event = {
      id: 'e-1',
      source: 'prescale',
      'detail-type': 'Campaign Scheduled',
      detail: {
        campaignId: 'bf',
        kind: 'sale',
        groups: { names: ['web'] },
        start: '2026-11-27T08:00:00',
        end: '2026-11-27T20:00:00Z',
      },
    };
    const result = await handler(event, context);
    const reason =
      'detail.start: expected an ISO 8601 date-time of a real day, with seconds and an offset ±hh:mm or Z, e.g. 2026-11-27T08:00:00+01:00 (a time without offset is ambiguous); received "2026-11-27T08:00:00"';
    expect(result).toEqual({ kind: 'rejected', reason });
    expect(sqs).toHaveReceivedCommandWith(SendMessageCommand, {
      QueueUrl: DLQ_URL,
      MessageBody: JSON.stringify({ reason, event }),
      MessageAttributes: { reason: { DataType: 'String', StringValue: reason } },
    });
    expect(dynamo.calls()).toHaveLength(0);
    expect(scheduler.calls()).toHaveLength(0);
    expect(asg.calls()).toHaveLength(0);
  });

  it('fails the invocation when the DLQ cannot be reached, so the Lambda failure destination keeps it', async () => {
    sqs.on(SendMessageCommand).rejects(
      Object.assign(new Error('slow down'), {
        name: 'RequestThrottled',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const { handler } = await import('../../../functions/receive-campaign-event/handler');
    await expect(handler({ id: 'e-2', source: 'prescale' }, context)).rejects.toThrow(
      'SQS SendMessage failed transiently; retry later',
    );
  });
});
