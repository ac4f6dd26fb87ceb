import {
  AutoScalingClient,
  BatchDeleteScheduledActionCommand,
  DeleteTagsCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  DescribePoliciesCommand,
  DescribeScheduledActionsCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { DynamoDBClient, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
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
const ssm = mockClient(SSMClient);

beforeAll(() => {
  process.env[ENV.config] = JSON.stringify({
    groups: { tag: { key: 'prescale:enabled', value: 'true' } },
    mode: 'forecast-and-scale',
  });
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
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: '/prescale/kill', Value: 'running' } });
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
      // Enrolled by tag alone: no name to miss.
      namedGroupsNotFound: [],
      enqueued: 1,
      failedToEnqueue: [],
      staleGroups: ['web'],
      // The groups it owns are asked for as those enrolled are: here `web` alone, still enrolled.
      takenOut: [],
      dependenciesLeftOut: [],
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

  it("fails, for Lambda to retry the tick, when SQS refuses a group's work item twice", async () => {
    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [],
      Failed: [{ Id: '0', SenderFault: false, Code: 'InternalError', Message: 'try again' }],
    });
    const { handler } = await import('../../../functions/dispatch-scaling-run/handler');
    await expect(handler({ scheduledTime: '2026-03-01T10:07:31Z' }, context)).rejects.toMatchObject({
      name: 'GroupsNotQueuedError',
      message: expect.stringContaining('sent twice: web'),
    });
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 2);
  });

  it('gives back a group it owns that is no longer enrolled: look-ahead, own MinSize, then its tag', async () => {
    const group = (name: string, minSize: number, tags: { Key: string; Value: string }[]) => ({
      AutoScalingGroupName: name,
      MinSize: minSize,
      MaxSize: 10,
      DesiredCapacity: minSize,
      DefaultCooldown: 300,
      AvailabilityZones: ['a'],
      HealthCheckType: 'EC2',
      CreatedTime: new Date(),
      Tags: tags.map((t) => ({ ...t, ResourceId: name, ResourceType: 'auto-scaling-group' })),
    });
    asg.reset();
    asg.on(DescribeAutoScalingGroupsCommand).resolves({
      AutoScalingGroups: [group('web', 1, [{ Key: 'prescale:enabled', Value: 'true' }])],
    });
    asg
      .on(DescribeAutoScalingGroupsCommand, {
        Filters: [{ Name: 'tag:prescale:deployment', Values: ['Prescale'] }],
      })
      .resolves({
        AutoScalingGroups: [
          group('web', 1, [{ Key: 'prescale:deployment', Value: 'Prescale' }]),
          group('old', 6, [{ Key: 'prescale:deployment', Value: 'Prescale' }]),
        ],
      });
    asg.on(DescribeScheduledActionsCommand).resolves({
      ScheduledUpdateGroupActions: [
        {
          ScheduledActionName: 'prescale-20260301T1100Z',
          StartTime: new Date('2026-03-01T11:00:00Z'),
          MinSize: 6,
        },
        { ScheduledActionName: 'nightly', Recurrence: '0 22 * * *', MinSize: 1 },
      ],
    });
    asg.on(BatchDeleteScheduledActionCommand).resolves({ FailedScheduledActions: [] });
    asg.on(DescribeInstanceRefreshesCommand).resolves({ InstanceRefreshes: [] });
    asg.on(UpdateAutoScalingGroupCommand).resolves({});
    asg.on(DeleteTagsCommand).resolves({});
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: '/prescale/kill', Value: 'running' } });
    dynamoDb.reset();
    dynamoDb.on(GetItemCommand).resolves({});
    // Its campaign windows and left releases: none (DynamoDB answers a Query that matches nothing so).
    dynamoDb.on(QueryCommand).resolves({ Items: [], Count: 0, ScannedCount: 0 });
    dynamoDb.on(GetItemCommand, { Key: { pk: { S: 'GROUP#old' }, sk: { S: 'STATE' } } }).resolves({
      Item: {
        pk: { S: 'GROUP#old' },
        sk: { S: 'STATE' },
        state: { M: { planningQuantile: { N: '0.9' }, userMinSize: { N: '2' }, updatedAtMs: { N: '0' } } },
      },
    });
    const { handler } = await import('../../../functions/dispatch-scaling-run/handler');
    const result = await handler({ scheduledTime: '2026-03-01T10:07:31Z' }, context);
    expect(result).toMatchObject({
      enrolledGroups: 1,
      // The owner's nightly action (MinSize 1, run at 22:00) holds now, not the 2 first seen.
      takenOut: [{ kind: 'released', groupName: 'old', removedActions: 1, restored: { minSize: 1 } }],
    });
    expect(asg).toHaveReceivedCommandWith(BatchDeleteScheduledActionCommand, {
      AutoScalingGroupName: 'old',
      ScheduledActionNames: ['prescale-20260301T1100Z'],
    });
    expect(asg).toHaveReceivedCommandWith(UpdateAutoScalingGroupCommand, {
      AutoScalingGroupName: 'old',
      MinSize: 1,
    });
    expect(asg).toHaveReceivedCommandWith(DeleteTagsCommand, {
      Tags: [{ ResourceId: 'old', ResourceType: 'auto-scaling-group', Key: 'prescale:deployment' }],
    });
    expect(asg).not.toHaveReceivedCommandWith(UpdateAutoScalingGroupCommand, { AutoScalingGroupName: 'web' });
    // A refresh is read for the group given back alone, not for those still enrolled.
    expect(asg).toHaveReceivedCommandTimes(DescribeInstanceRefreshesCommand, 1);
    expect(asg).toHaveReceivedCommandWith(DescribeInstanceRefreshesCommand, { AutoScalingGroupName: 'old' });
  });

  it('rejects a misspelt scheduled time, naming the key, instead of dispatching on the wall clock', async () => {
    const { handler } = await import('../../../functions/dispatch-scaling-run/handler');
    const sentBefore = sqs.commandCalls(SendMessageBatchCommand).length;
    await expect(handler({ scheduleTime: '2026-03-01T10:07:31Z' }, context)).rejects.toThrow(
      /Unrecognized key: "scheduleTime"/,
    );
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(sentBefore);
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
