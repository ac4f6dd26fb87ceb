import {
  AutoScalingClient,
  BatchDeleteScheduledActionCommand,
  BatchPutScheduledUpdateGroupActionCommand,
  DescribeScheduledActionsCommand,
} from '@aws-sdk/client-auto-scaling';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { AutoScalingScheduledCapacity } from '../../../shared/aws/auto-scaling-scheduled-capacity';
import { RejectedRequestError, TransientDependencyError } from '../../../shared/ports/errors';

const asg = mockClient(AutoScalingClient);
const scheduled = new AutoScalingScheduledCapacity(asg as unknown as AutoScalingClient);
const T = Date.UTC(2026, 10, 29, 14);

const planned = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    name: `prescale-${i}`,
    startMs: T + i * 3_600_000,
    minSize: 2 + i,
  }));

beforeEach(() => asg.reset());

describe('AutoScalingScheduledCapacity', () => {
  it('reads every page of the group scheduled actions', async () => {
    // Shapes from the ScheduledUpdateGroupAction data type of the Amazon EC2 Auto Scaling API reference.
    asg
      .on(DescribeScheduledActionsCommand)
      .resolvesOnce({
        ScheduledUpdateGroupActions: [
          {
            AutoScalingGroupName: 'web',
            ScheduledActionName: 'prescale-20261129T1400Z',
            ScheduledActionARN:
              'arn:aws:autoscaling:eu-west-1:123456789012:scheduledUpdateGroupAction:1a:autoScalingGroupName/web:scheduledActionName/prescale-20261129T1400Z',
            Time: new Date(T),
            StartTime: new Date(T),
            MinSize: 4,
          },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        ScheduledUpdateGroupActions: [
          {
            AutoScalingGroupName: 'web',
            ScheduledActionName: 'nightly',
            Recurrence: '0 22 * * *',
            StartTime: new Date(T + 8 * 3_600_000),
            EndTime: new Date(T + 30 * 24 * 3_600_000),
            MinSize: 1,
            MaxSize: 10,
            TimeZone: 'Europe/Paris',
          },
        ],
      });
    const actions = await scheduled.scheduledActions('web');
    expect(actions).toEqual([
      { name: 'prescale-20261129T1400Z', startMs: T, minSize: 4 },
      {
        name: 'nightly',
        startMs: T + 8 * 3_600_000,
        recurrence: '0 22 * * *',
        timeZone: 'Europe/Paris',
        endMs: T + 30 * 24 * 3_600_000,
        minSize: 1,
        maxSize: 10,
      },
    ]);
    expect(asg).toHaveReceivedNthCommandWith(2, DescribeScheduledActionsCommand, {
      AutoScalingGroupName: 'web',
      MaxRecords: 100,
      NextToken: 'page-2',
    });
  });

  it('puts actions in batches of at most 50, as UTC start times', async () => {
    asg.on(BatchPutScheduledUpdateGroupActionCommand).resolves({ FailedScheduledUpdateGroupActions: [] });
    await scheduled.putScheduledActions('web', [
      ...planned(60),
      { name: 'd', startMs: T, minSize: 3, desiredCapacity: 3 },
    ]);
    const calls = asg.commandCalls(BatchPutScheduledUpdateGroupActionCommand);
    expect(calls.map((c) => c.args[0].input.ScheduledUpdateGroupActions?.length)).toEqual([50, 11]);
    expect(calls[0]?.args[0].input.ScheduledUpdateGroupActions?.[1]).toEqual({
      ScheduledActionName: 'prescale-1',
      StartTime: new Date(T + 3_600_000),
      MinSize: 3,
    });
    expect(calls[1]?.args[0].input.ScheduledUpdateGroupActions?.at(-1)).toMatchObject({ DesiredCapacity: 3 });
  });

  it('fails with the refused action named when a batch answer lists failures', async () => {
    asg.on(BatchPutScheduledUpdateGroupActionCommand).resolves({
      FailedScheduledUpdateGroupActions: [
        { ScheduledActionName: 'prescale-0', ErrorCode: 'LimitExceeded', ErrorMessage: 'too many actions' },
      ],
    });
    const error = await scheduled.putScheduledActions('web', planned(2)).catch((e) => e);
    expect(error).toBeInstanceOf(RejectedRequestError);
    expect(error.message).toMatch(/prescale-0: LimitExceeded: too many actions/);
  });

  it('deletes in batches and ignores names that are already gone', async () => {
    asg.on(BatchDeleteScheduledActionCommand).resolves({
      FailedScheduledActions: [
        {
          ScheduledActionName: 'prescale-3',
          ErrorCode: 'ValidationError',
          ErrorMessage: 'Scheduled action name not found - prescale-3',
        },
      ],
    });
    await scheduled.deleteScheduledActions(
      'web',
      planned(51).map((a) => a.name),
    );
    expect(asg).toHaveReceivedCommandTimes(BatchDeleteScheduledActionCommand, 2);
  });

  it('translates throttling into TransientDependencyError', async () => {
    asg
      .on(BatchDeleteScheduledActionCommand)
      .rejects(
        Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } }),
      );
    await expect(scheduled.deleteScheduledActions('web', ['prescale-1'])).rejects.toBeInstanceOf(
      TransientDependencyError,
    );
  });
});
