import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  DescribePoliciesCommand,
} from '@aws-sdk/client-auto-scaling';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { ENV } from '../../../shared/contracts/env';
import { sqsRecord } from '../../helpers/lambda-events';

const context = {
  functionName: 'test',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

const asg = mockClient(AutoScalingClient);
const sqs = mockClient(SQSClient);
const dynamoDb = mockClient(DynamoDBClient);

beforeAll(() => {
  process.env[ENV.config] = JSON.stringify({ groups: { tag: { key: 'prescale:enabled', value: 'true' } } });
  process.env[ENV.stateTableName] = 'state';
  process.env[ENV.deployment] = 'Prescale';
  process.env[ENV.groupQueueUrl] = 'https://sqs.eu-west-1.amazonaws.com/123456789012/work';
  process.env[ENV.killSwitchParameterName] = '/prescale/kill';
});

describe('dispatch-scaling-run handler', () => {
  it('queues one message per enrolled group for the scheduled tick', async () => {
    asg.on(DescribeAutoScalingGroupsCommand).resolves({
      AutoScalingGroups: [
        {
          AutoScalingGroupName: 'web',
          MinSize: 1,
          MaxSize: 5,
          DesiredCapacity: 1,
          DefaultCooldown: 300,
          AvailabilityZones: ['a'],
          HealthCheckType: 'EC2',
          CreatedTime: new Date(),
        },
      ],
    });
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    // The group's last run was at 09:50: older than two 5-minute intervals before the 10:05 tick.
    dynamoDb.on(GetItemCommand).resolves({
      Item: {
        pk: { S: 'GROUP#web' },
        sk: { S: 'STATE' },
        state: {
          M: {
            planningQuantile: { N: '0.9' },
            updatedAtMs: { N: String(Date.parse('2026-03-01T09:50:00Z')) },
          },
        },
      },
    });
    const { handler } = await import('../../../functions/dispatch-scaling-run/handler');
    const result = await handler({ scheduledTime: '2026-03-01T10:07:31Z' }, context);
    expect(result).toEqual({
      tickMs: Date.parse('2026-03-01T10:05:00Z'),
      enrolledGroups: 1,
      enqueued: 1,
      failedToEnqueue: [],
      staleGroups: ['web'],
    });
    expect(sqs).toHaveReceivedCommandWith(SendMessageBatchCommand, {
      QueueUrl: process.env[ENV.groupQueueUrl],
      Entries: [
        {
          Id: '0',
          MessageBody: JSON.stringify({ groupName: 'web', tickMs: Date.parse('2026-03-01T10:05:00Z') }),
        },
      ],
    });
    // The dispatcher only lists the groups; the workers read their policies and refreshes.
    expect(asg).not.toHaveReceivedCommand(DescribePoliciesCommand);
    expect(asg).not.toHaveReceivedCommand(DescribeInstanceRefreshesCommand);
  });

  it('rejects an event with a bad scheduled time, naming the field', async () => {
    const { handler } = await import('../../../functions/dispatch-scaling-run/handler');
    await expect(handler({ scheduledTime: 'tomorrow' }, context)).rejects.toThrow(
      /scheduledTime: .*received "tomorrow"/,
    );
  });
});

describe('scale-groups handler', () => {
  it('fails only the malformed messages so SQS sends them to the dead-letter queue', async () => {
    asg.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
    const { handler } = await import('../../../functions/scale-groups/handler');
    const result = await handler(
      {
        Records: [sqsRecord('m1', 'not json'), sqsRecord('m2', JSON.stringify({ groupName: '', tickMs: 1 }))],
      },
      context,
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }, { itemIdentifier: 'm2' }] });
  });
});
