import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  atExpression,
  EventBridgeSchedulerCampaignScheduler,
} from '../../../shared/aws/event-bridge-scheduler-campaign-scheduler';
import { SqsCampaignDeadLetters } from '../../../shared/aws/sqs-campaign-dead-letters';
import { RejectedRequestError, TransientDependencyError } from '../../../shared/ports/errors';

const awsError = (name: string, status: number) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

describe('EventBridgeSchedulerCampaignScheduler', () => {
  const mock = mockClient(SchedulerClient);
  const target = {
    groupName: 'prescale-campaigns',
    functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:prewarm',
    roleArn: 'arn:aws:iam::123456789012:role/scheduler',
    deadLetterQueueArn: 'arn:aws:sqs:eu-west-1:123456789012:campaign-dlq',
  };
  const scheduler = new EventBridgeSchedulerCampaignScheduler(mock as unknown as SchedulerClient, target);
  const at = Date.UTC(2026, 10, 27, 6, 54, 0, 750);
  const expected = {
    Name: 'bf-2026.prewarm',
    GroupName: 'prescale-campaigns',
    Description: 'Prescale campaign bf-2026: prewarm',
    ScheduleExpression: 'at(2026-11-27T06:54:00)',
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    State: 'ENABLED',
    Target: {
      Arn: target.functionArn,
      RoleArn: target.roleArn,
      Input: JSON.stringify({ campaignId: 'bf-2026', action: 'prewarm' }),
      RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 3600 },
      DeadLetterConfig: { Arn: target.deadLetterQueueArn },
    },
  };
  beforeEach(() => mock.reset());

  it('formats at() in UTC to the second', () => {
    expect(atExpression(at)).toBe('at(2026-11-27T06:54:00)');
  });

  it('creates a one-time schedule that deletes itself and invokes the pre-warm with the campaign', async () => {
    mock.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:s' });
    await scheduler.scheduleAction('bf-2026', 'prewarm', at);
    expect(mock).toHaveReceivedCommandTimes(CreateScheduleCommand, 1);
    expect(mock.commandCalls(CreateScheduleCommand)[0]?.args[0].input).toEqual(expected);
    expect(mock).not.toHaveReceivedCommand(UpdateScheduleCommand);
  });

  it('moves a schedule that exists with UpdateSchedule and the whole new definition', async () => {
    mock.on(CreateScheduleCommand).rejects(awsError('ConflictException', 409));
    mock.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn:s' });
    await scheduler.scheduleAction('bf-2026', 'prewarm', at + 3_600_000);
    expect(mock.commandCalls(UpdateScheduleCommand)[0]?.args[0].input).toEqual({
      ...expected,
      ScheduleExpression: 'at(2026-11-27T07:54:00)',
    });
  });

  it('creates the schedule again when it fired and deleted itself between the conflict and the update', async () => {
    mock
      .on(CreateScheduleCommand)
      .rejectsOnce(awsError('ConflictException', 409))
      .resolves({ ScheduleArn: 'arn:s' });
    mock.on(UpdateScheduleCommand).rejects(awsError('ResourceNotFoundException', 404));
    await scheduler.scheduleAction('bf-2026', 'prewarm', at);
    expect(mock).toHaveReceivedCommandTimes(CreateScheduleCommand, 2);
    expect(mock.commandCalls(CreateScheduleCommand)[1]?.args[0].input).toEqual(expected);
  });

  it('deletes a schedule and ignores one that is gone already', async () => {
    mock.on(DeleteScheduleCommand).resolvesOnce({}).rejectsOnce(awsError('ResourceNotFoundException', 404));
    await scheduler.cancelAction('bf-2026', 'release');
    await scheduler.cancelAction('bf-2026', 'release');
    expect(mock.commandCalls(DeleteScheduleCommand)[0]?.args[0].input).toEqual(
      expect.objectContaining({ Name: 'bf-2026.release', GroupName: 'prescale-campaigns' }),
    );
    expect(mock).toHaveReceivedCommandTimes(DeleteScheduleCommand, 2);
  });

  it('translates throttling to a transient error and validation to a rejection', async () => {
    mock.on(CreateScheduleCommand).rejects(awsError('ThrottlingException', 400));
    await expect(scheduler.scheduleAction('c', 'release', at)).rejects.toBeInstanceOf(
      TransientDependencyError,
    );
    mock.reset();
    mock.on(CreateScheduleCommand).rejects(awsError('ValidationException', 400));
    await expect(scheduler.scheduleAction('c', 'release', at)).rejects.toBeInstanceOf(RejectedRequestError);
    mock.on(DeleteScheduleCommand).rejects(awsError('AccessDeniedException', 403));
    await expect(scheduler.cancelAction('c', 'release')).rejects.toBeInstanceOf(RejectedRequestError);
  });
});

describe('SqsCampaignDeadLetters', () => {
  const sqs = mockClient(SQSClient);
  const dlq = new SqsCampaignDeadLetters(sqs as unknown as SQSClient, 'https://sqs/campaign-dlq');
  beforeEach(() => sqs.reset());

  it('sends the event as received with the reason in the body and as an attribute', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm' });
    const event = { id: 'e', detail: { campaignId: 'x' } };
    await dlq.reject(event, 'detail.start: expected …');
    expect(sqs).toHaveReceivedCommandWith(SendMessageCommand, {
      QueueUrl: 'https://sqs/campaign-dlq',
      MessageBody: JSON.stringify({ reason: 'detail.start: expected …', event }),
      MessageAttributes: { reason: { DataType: 'String', StringValue: 'detail.start: expected …' } },
    });
  });

  it('sends only characters SQS takes, the event kept exactly as received, its reason cut between characters', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm' });
    const event = { detail: { kind: `Black Friday ${'🎉'.repeat(600)}`, note: 'a\uFFFFb\uD800c' } };
    // A reason cut inside a surrogate pair, as a naive slice would leave it.
    await dlq.reject(event, `detail.kind: expected a kind; received ${'🎉'.repeat(1200)}\uD83C`);
    const input = sqs.commandCalls(SendMessageCommand)[0]?.args[0].input;
    const sqsText = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
    expect(input?.MessageBody).toMatch(sqsText);
    expect(JSON.parse(input?.MessageBody ?? '{}').event).toEqual(event);
    const attribute = input?.MessageAttributes?.reason?.StringValue ?? '';
    expect(attribute).toMatch(sqsText);
    expect(Array.from(attribute)).toHaveLength(1024);
  });

  it('raises a transient error when SQS is throttling', async () => {
    sqs.on(SendMessageCommand).rejects(awsError('RequestThrottled', 400));
    await expect(dlq.reject({}, 'r')).rejects.toBeInstanceOf(TransientDependencyError);
  });
});
