import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { ENV } from '../../../shared/contracts/env';

const context = {
  functionName: 'request-update-plan',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;
const sqs = mockClient(SQSClient);
const sfn = mockClient(SFNClient);
const DLQ_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/plan-dlq';
const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:UpdatePlans';

beforeAll(() => {
  process.env[ENV.config] = JSON.stringify({ groups: { names: ['web', 'api'] } });
  process.env[ENV.stateTableName] = 'state';
  process.env[ENV.deployment] = 'Prescale';
  process.env[ENV.updatePlanStateMachineArn] = MACHINE;
  process.env[ENV.updatePlanDeadLetterQueueUrl] = DLQ_URL;
});

/** An EventBridge event as Lambda receives it from a rule. */
const event = (detail: unknown) => ({
  version: '0',
  id: 'e-1',
  account: '123456789012',
  region: 'eu-west-1',
  resources: [],
  time: '2026-03-02T01:00:05Z',
  source: 'prescale',
  'detail-type': 'Rolling Update Plan Requested',
  detail,
});

describe('request-update-plan handler', () => {
  it('starts a named plan execution with the detail as input', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${MACHINE}:plan-1` });
    const { handler } = await import('../../../functions/request-update-plan/handler');
    const detail = { groups: [{ groupName: 'web', launchTemplateVersion: '7' }] };
    const result = await handler(event(detail), context);
    expect(result).toMatchObject({ kind: 'started' });
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: MACHINE,
      input: JSON.stringify(detail),
    });
  });

  it('sends an invalid request to the dead-letter queue with its reason, starting nothing', async () => {
    sfn.reset();
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    const { handler } = await import('../../../functions/request-update-plan/handler');
    const invalid = event({ groups: [{ groupName: 'web', launchTemplateVersion: '$Latest' }] });
    const result = (await handler(invalid, context)) as { kind: string; reason: string };
    expect(result.kind).toBe('rejected');
    expect(result.reason).toContain('groups.0.launchTemplateVersion');
    const sent = sqs.commandCalls(SendMessageCommand).map((call) => call.args[0].input);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.QueueUrl).toBe(DLQ_URL);
    expect(JSON.parse(sent[0]?.MessageBody ?? '')).toEqual({ reason: result.reason, event: invalid });
    expect(sfn.calls()).toHaveLength(0);
  });
});
