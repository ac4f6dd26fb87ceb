import {
  AutoScalingClient,
  BatchDeleteScheduledActionCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  DescribePoliciesCommand,
  DescribeScheduledActionsCommand,
} from '@aws-sdk/client-auto-scaling';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { ENV } from '../../../shared/contracts/env';

const context = {
  functionName: 'test',
  awsRequestId: 'req-1',
  logStreamName: 'stream',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;
const asg = mockClient(AutoScalingClient);

beforeAll(() => {
  process.env[ENV.config] = JSON.stringify({ groups: { names: ['web'] } });
  process.env[ENV.stateTableName] = 'state';
});

beforeEach(() => {
  asg.reset();
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
  asg.on(DescribeScheduledActionsCommand).resolves({
    ScheduledUpdateGroupActions: [
      {
        AutoScalingGroupName: 'web',
        ScheduledActionName: 'prescale-next',
        StartTime: new Date(),
        MinSize: 3,
      },
      { AutoScalingGroupName: 'web', ScheduledActionName: 'nightly', Recurrence: '0 22 * * *', MinSize: 1 },
    ],
  });
});

/** A CloudFormation custom-resource request (the shape of the CloudFormation User Guide's examples). */
const event = (RequestType: string) => ({
  RequestType,
  ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:provider',
  ResponseURL:
    'https://cloudformation-custom-resource-response-euwest1.s3-eu-west-1.amazonaws.com/arn%3Aaws%3Acloudformation',
  StackId:
    'arn:aws:cloudformation:eu-west-1:123456789012:stack/prescale/5b918d10-cd98-11ea-90d5-0a9cd3354c10',
  RequestId: 'unique-id-for-this-request',
  LogicalResourceId: 'LookAheadCleanup',
  ResourceType: 'Custom::LookAheadCleanup',
  ResourceProperties: { ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:provider' },
  ...(RequestType === 'Create' ? {} : { PhysicalResourceId: 'prescale-look-ahead-cleanup' }),
  ...(RequestType === 'Update' ? { OldResourceProperties: {} } : {}),
});

describe('remove-look-ahead handler', () => {
  it("deletes the prescale- actions of enrolled groups on stack deletion, and no one else's", async () => {
    asg.on(BatchDeleteScheduledActionCommand).resolves({ FailedScheduledActions: [] });
    const { handler } = await import('../../../functions/remove-look-ahead/handler');
    await expect(handler(event('Delete'), context)).resolves.toEqual({
      PhysicalResourceId: 'prescale-look-ahead-cleanup',
    });
    expect(asg).toHaveReceivedCommandWith(BatchDeleteScheduledActionCommand, {
      AutoScalingGroupName: 'web',
      ScheduledActionNames: ['prescale-next'],
    });
    // Only the names of the groups: its role may describe nothing else (docs/SECURITY.md).
    expect(asg).toHaveReceivedCommandTimes(DescribePoliciesCommand, 0);
    expect(asg).toHaveReceivedCommandTimes(DescribeInstanceRefreshesCommand, 0);
  });

  it('fails the deletion naming the group when Auto Scaling refuses', async () => {
    asg.on(BatchDeleteScheduledActionCommand).resolves({
      FailedScheduledActions: [
        { ScheduledActionName: 'prescale-next', ErrorCode: 'AccessDenied', ErrorMessage: 'denied' },
      ],
    });
    const { handler } = await import('../../../functions/remove-look-ahead/handler');
    await expect(handler(event('Delete'), context)).rejects.toThrow(/prescale- scheduled actions of web/);
  });

  it('does nothing on create and update', async () => {
    const { handler } = await import('../../../functions/remove-look-ahead/handler');
    await handler(event('Create'), context);
    await handler(event('Update'), context);
    expect(asg).toHaveReceivedCommandTimes(DescribeScheduledActionsCommand, 0);
  });

  it('refuses a delete without its physical resource id, naming the field, before deleting anything', async () => {
    const { handler } = await import('../../../functions/remove-look-ahead/handler');
    const { PhysicalResourceId: _, ...withoutId } = event('Delete') as Record<string, unknown>;
    await expect(handler(withoutId, context)).rejects.toThrow(/PhysicalResourceId/);
    expect(asg).toHaveReceivedCommandTimes(DescribeScheduledActionsCommand, 0);
  });
});
