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
import {
  CloudFormationClient,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  type StackStatus,
} from '@aws-sdk/client-cloudformation';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { ENV } from '../../../shared/contracts/env';
import { customResourceEvent } from '../../helpers/lambda-events';

const context = {
  functionName: 'test',
  awsRequestId: 'req-1',
  logStreamName: 'stream',
  // The deployed remover's whole timeout (infra/constructs/look-ahead-cleanup.ts).
  getRemainingTimeInMillis: () => 900_000,
} as unknown as Context;
const asg = mockClient(AutoScalingClient);
const dynamoDb = mockClient(DynamoDBClient);
const cloudFormation = mockClient(CloudFormationClient);
const STACK_ID = customResourceEvent('Delete').StackId;
const CLEANUP_TYPE = 'Custom::LookAheadCleanup';

/** The stack as CloudFormation's DescribeStacks and ListStackResources answer (API reference shapes). */
function stackIs(status: StackStatus, cleanups: { id: string; status: string }[]) {
  cloudFormation.on(DescribeStacksCommand, { StackName: STACK_ID }).resolves({
    Stacks: [{ StackId: STACK_ID, StackName: 'prescale', CreationTime: new Date(), StackStatus: status }],
  });
  // Two pages: the other copy is on the second, so a reader of one page only would miss it.
  cloudFormation
    .on(ListStackResourcesCommand, { StackName: STACK_ID })
    .resolves({
      StackResourceSummaries: [
        {
          LogicalResourceId: 'StateTable',
          PhysicalResourceId: 'prescale-state',
          ResourceType: 'AWS::DynamoDB::Table',
          LastUpdatedTimestamp: new Date(),
          ResourceStatus: 'CREATE_COMPLETE',
        },
      ],
      NextToken: 'page-2',
    })
    .on(ListStackResourcesCommand, { StackName: STACK_ID, NextToken: 'page-2' })
    .resolves({
      StackResourceSummaries: cleanups.map((c) => ({
        LogicalResourceId: c.id,
        PhysicalResourceId: 'prescale-look-ahead-cleanup',
        ResourceType: CLEANUP_TYPE,
        LastUpdatedTimestamp: new Date(),
        ResourceStatus: c.status as 'CREATE_COMPLETE',
      })),
    });
}

beforeAll(() => {
  process.env[ENV.config] = JSON.stringify({ groups: { names: ['web'] } });
  process.env[ENV.stateTableName] = 'state';
  process.env[ENV.deployment] = 'Prescale';
});

beforeEach(() => {
  asg.reset();
  dynamoDb.reset();
  cloudFormation.reset();
  // The stack is being deleted, with this resource.
  stackIs('DELETE_IN_PROGRESS', [{ id: 'LookAheadCleanup', status: 'DELETE_IN_PROGRESS' }]);
  // No scaling run holds a group, and no state is recorded.
  dynamoDb.on(GetItemCommand).resolves({});
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
  // No group carries this deployment's tag: none to give back.
  asg
    .on(DescribeAutoScalingGroupsCommand, {
      Filters: [{ Name: 'tag:prescale:deployment', Values: ['Prescale'] }],
    })
    .resolves({ AutoScalingGroups: [] });
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

describe('remove-look-ahead handler', () => {
  it("deletes the prescale- actions of enrolled groups on stack deletion, and no one else's", async () => {
    asg.on(BatchDeleteScheduledActionCommand).resolves({ FailedScheduledActions: [] });
    const { handler } = await import('../../../functions/remove-look-ahead/handler');
    await expect(handler(customResourceEvent('Delete'), context)).resolves.toEqual({
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
    await expect(handler(customResourceEvent('Delete'), context)).rejects.toThrow(
      /could not clean up web \(/,
    );
  });

  it('starts no group in its last minute: fails the deletion naming each left and why, having changed none', async () => {
    asg.on(BatchDeleteScheduledActionCommand).resolves({ FailedScheduledActions: [] });
    const { handler } = await import('../../../functions/remove-look-ahead/handler');
    const lastMinute = { ...context, getRemainingTimeInMillis: () => 59_000 } as Context;
    await expect(handler(customResourceEvent('Delete'), lastMinute)).rejects.toThrow(
      /could not clean up web \(not started: the remover stopped 60 s before its timeout to answer CloudFormation; delete the stack again/,
    );
    expect(asg).toHaveReceivedCommandTimes(DescribeScheduledActionsCommand, 0);
    expect(asg).toHaveReceivedCommandTimes(BatchDeleteScheduledActionCommand, 0);
  });

  it('fails the deletion naming a group a scaling run holds to the end of the time it may wait, having read its claim every few seconds and changed it not', async () => {
    asg.on(BatchDeleteScheduledActionCommand).resolves({ FailedScheduledActions: [] });
    // The wait's sleeps and clock on Jest's timers: none really waited.
    jest.useFakeTimers({ now: Date.UTC(2026, 11, 7, 12) });
    try {
      // The deleted worker's run claimed `web` with a lease longer than the remover's whole timeout.
      const leaseUntilMs = Date.now() + 20 * 60_000;
      const claimKey = { Key: marshall({ pk: 'GROUP#web', sk: 'CLAIM' }) };
      dynamoDb
        .on(GetItemCommand, claimKey)
        .resolves({ Item: marshall({ pk: 'GROUP#web', sk: 'CLAIM', tickMs: 1, done: false, leaseUntilMs }) });
      const { handler } = await import('../../../functions/remove-look-ahead/handler');
      const removal = handler(customResourceEvent('Delete'), context);
      const failed = expect(removal).rejects.toThrow(/could not clean up web \(a scaling run still holds it/);
      await jest.advanceTimersByTimeAsync(15 * 60_000);
      await failed;
      // Waited to two minutes before its one-minute reserve (900 − 60 − 120 s), reading every 5 s.
      expect(dynamoDb.commandCalls(GetItemCommand, claimKey).length).toBeGreaterThanOrEqual(720 / 5);
      expect(asg).toHaveReceivedCommandTimes(BatchDeleteScheduledActionCommand, 0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('removes nothing when a renamed construct leaves its old copy while the new one serves the deployment', async () => {
    stackIs('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', [
      { id: 'LookAheadCleanup', status: 'DELETE_IN_PROGRESS' },
      { id: 'RenamedLookAheadCleanup', status: 'CREATE_COMPLETE' },
    ]);
    asg.on(BatchDeleteScheduledActionCommand).resolves({ FailedScheduledActions: [] });
    const { handler } = await import('../../../functions/remove-look-ahead/handler');
    await expect(handler(customResourceEvent('Delete'), context)).resolves.toEqual({
      PhysicalResourceId: 'prescale-look-ahead-cleanup',
    });
    expect(asg).toHaveReceivedCommandTimes(BatchDeleteScheduledActionCommand, 0);
    expect(asg).toHaveReceivedCommandTimes(UpdateAutoScalingGroupCommand, 0);
    expect(asg).toHaveReceivedCommandTimes(DeleteTagsCommand, 0);
  });

  it("removes nothing when a failed update's rollback deletes the copy it created", async () => {
    stackIs('UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', [
      { id: 'LookAheadCleanup', status: 'DELETE_IN_PROGRESS' },
      { id: 'ScalerLookAheadCleanup', status: 'UPDATE_COMPLETE' },
    ]);
    const { handler } = await import('../../../functions/remove-look-ahead/handler');
    await handler(customResourceEvent('Delete'), context);
    expect(asg).toHaveReceivedCommandTimes(BatchDeleteScheduledActionCommand, 0);
  });

  it('uninstalls when an update takes the scaler out of the stack (no other cleanup resource left)', async () => {
    stackIs('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', [
      { id: 'LookAheadCleanup', status: 'DELETE_IN_PROGRESS' },
    ]);
    asg.on(BatchDeleteScheduledActionCommand).resolves({ FailedScheduledActions: [] });
    const { handler } = await import('../../../functions/remove-look-ahead/handler');
    await handler(customResourceEvent('Delete'), context);
    expect(asg).toHaveReceivedCommandWith(BatchDeleteScheduledActionCommand, {
      AutoScalingGroupName: 'web',
      ScheduledActionNames: ['prescale-next'],
    });
  });

  it('fails the Delete having removed nothing when its stack cannot be read', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: cloudformation:DescribeStacks'), {
        name: 'AccessDenied',
        $metadata: { httpStatusCode: 403, attempts: 1 },
      }),
    );
    asg.on(BatchDeleteScheduledActionCommand).resolves({ FailedScheduledActions: [] });
    const { handler } = await import('../../../functions/remove-look-ahead/handler');
    await expect(handler(customResourceEvent('Delete'), context)).rejects.toThrow(
      /could not read stack arn:aws:cloudformation:eu-west-1:123456789012:stack\/prescale\/.*AccessDenied.*nothing was removed/,
    );
    expect(asg).toHaveReceivedCommandTimes(DescribeScheduledActionsCommand, 0);
    expect(asg).toHaveReceivedCommandTimes(BatchDeleteScheduledActionCommand, 0);
  });

  it('keeps the physical id an update names, so CloudFormation never deletes the resource as replaced', async () => {
    const { handler } = await import('../../../functions/remove-look-ahead/handler');
    const update = { ...customResourceEvent('Update'), PhysicalResourceId: 'id-from-an-earlier-release' };
    await expect(handler(update, context)).resolves.toEqual({
      PhysicalResourceId: 'id-from-an-earlier-release',
    });
    expect(cloudFormation).toHaveReceivedCommandTimes(DescribeStacksCommand, 0);
  });

  it('does nothing on create and update', async () => {
    const { handler } = await import('../../../functions/remove-look-ahead/handler');
    await handler(customResourceEvent('Create'), context);
    await handler(customResourceEvent('Update'), context);
    expect(asg).toHaveReceivedCommandTimes(DescribeScheduledActionsCommand, 0);
  });

  it('refuses a delete without its physical resource id, naming the field, before deleting anything', async () => {
    const { handler } = await import('../../../functions/remove-look-ahead/handler');
    const { PhysicalResourceId: _, ...withoutId } = customResourceEvent('Delete') as Record<string, unknown>;
    await expect(handler(withoutId, context)).rejects.toThrow(/PhysicalResourceId/);
    expect(asg).toHaveReceivedCommandTimes(DescribeScheduledActionsCommand, 0);
  });
});
