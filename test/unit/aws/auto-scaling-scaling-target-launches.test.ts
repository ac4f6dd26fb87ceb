import { AutoScalingClient, DescribeScalingActivitiesCommand } from '@aws-sdk/client-auto-scaling';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { AutoScalingScalingTarget } from '../../../shared/aws/auto-scaling-scaling-target';

const asg = mockClient(AutoScalingClient);
const target = new AutoScalingScalingTarget(asg as unknown as AutoScalingClient);

beforeEach(() => {
  asg.reset();
});

describe('AutoScalingScalingTarget recent launches', () => {
  it('leaves out launches into the warm pool (they add no capacity) and marks those out of it as warm starts', async () => {
    asg.on(DescribeScalingActivitiesCommand).resolves({
      Activities: [
        {
          ActivityId: 'b2',
          AutoScalingGroupName: 'web',
          Cause: 'x',
          Description: 'Launching a new EC2 instance into warm pool: i-0ea10fdc59a07df6e',
          StartTime: new Date('2026-01-01T10:00:36Z'),
          EndTime: new Date('2026-01-01T10:04:56Z'),
          StatusCode: 'Successful',
          Progress: 100,
        },
        {
          ActivityId: 'b1',
          AutoScalingGroupName: 'web',
          Cause: 'x',
          Description: 'Launching a new EC2 instance from warm pool: i-0789abc',
          StartTime: new Date('2026-01-01T10:00:00Z'),
          EndTime: new Date('2026-01-01T10:00:36Z'),
          StatusCode: 'Successful',
          Progress: 100,
        },
        {
          ActivityId: 'a1',
          AutoScalingGroupName: 'web',
          Cause: 'x',
          Description: 'Launching a new EC2 instance: i-0456def',
          StartTime: new Date('2026-01-01T09:50:00Z'),
          EndTime: new Date('2026-01-01T09:54:20Z'),
          StatusCode: 'Successful',
          Progress: 100,
        },
      ],
    });
    expect((await target.recentLaunches('web', 10)).launches).toEqual([
      {
        startMs: Date.parse('2026-01-01T10:00:00Z'),
        endMs: Date.parse('2026-01-01T10:00:36Z'),
        instanceId: 'i-0789abc',
        fromWarmPool: true,
      },
      {
        startMs: Date.parse('2026-01-01T09:50:00Z'),
        endMs: Date.parse('2026-01-01T09:54:20Z'),
        instanceId: 'i-0456def',
      },
    ]);
  });

  it('reads past the pool launches to the same window of the group activities', async () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 10, minute));
    const activity = (id: string, description: string, minute: number) => ({
      ActivityId: id,
      AutoScalingGroupName: 'web',
      Cause: 'x',
      Description: description,
      StartTime: at(minute),
      EndTime: at(minute + 1),
      StatusCode: 'Successful' as const,
    });
    const intoPool = (minute: number) =>
      activity(`p${minute}`, `Launching a new EC2 instance into warm pool: i-0${minute}`, minute);
    asg
      .on(DescribeScalingActivitiesCommand)
      .resolvesOnce({
        Activities: [
          intoPool(59),
          activity('l1', 'Launching a new EC2 instance from warm pool: i-01', 58),
          intoPool(57),
          activity('t1', 'Terminating EC2 instance: i-0a', 56),
          intoPool(55),
          intoPool(54),
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        Activities: [
          intoPool(53),
          activity('l2', 'Launching a new EC2 instance: i-02', 52),
          activity('t2', 'Terminating EC2 instance: i-0b', 51),
          activity('t3', 'Terminating EC2 instance: i-0c', 50),
          activity('t4', 'Terminating EC2 instance: i-0d', 49),
          activity('l3', 'Launching a new EC2 instance: i-03', 48),
        ],
        NextToken: 'page-3',
      });
    // Three launches asked for: a window of six of the group's own activities (l1, t1, l2, t2, t3, t4).
    const { launches } = await target.recentLaunches('web', 3);
    expect(launches.map((l) => l.instanceId)).toEqual(['i-01', 'i-02']);
    expect(asg).toHaveReceivedCommandTimes(DescribeScalingActivitiesCommand, 2);
    expect(asg.commandCalls(DescribeScalingActivitiesCommand)[1]?.args[0].input).toEqual({
      AutoScalingGroupName: 'web',
      MaxRecords: 6,
      NextToken: 'page-2',
    });
  });

  it('reads one page for a group without a warm pool', async () => {
    asg.on(DescribeScalingActivitiesCommand).resolves({
      Activities: [
        {
          ActivityId: 'a1',
          AutoScalingGroupName: 'web',
          Cause: 'x',
          Description: 'Terminating EC2 instance: i-0a',
          StartTime: new Date('2026-01-01T10:00:00Z'),
          EndTime: new Date('2026-01-01T10:01:00Z'),
          StatusCode: 'Successful',
        },
        {
          ActivityId: 'a2',
          AutoScalingGroupName: 'web',
          Cause: 'x',
          Description: 'Launching a new EC2 instance: i-01',
          StartTime: new Date('2026-01-01T09:55:00Z'),
          EndTime: new Date('2026-01-01T09:57:00Z'),
          StatusCode: 'Successful',
        },
      ],
      NextToken: 'page-2',
    });
    expect((await target.recentLaunches('web', 1)).launches.map((l) => l.instanceId)).toEqual(['i-01']);
    expect(asg).toHaveReceivedCommandTimes(DescribeScalingActivitiesCommand, 1);
  });

  it('reads completed launches from the scaling activities', async () => {
    asg.on(DescribeScalingActivitiesCommand).resolves({
      Activities: [
        {
          ActivityId: 'a1',
          AutoScalingGroupName: 'web',
          Cause: 'At 2026-01-01T10:00:00Z a user request update of AutoScalingGroup constraints...',
          Description: 'Launching a new EC2 instance: i-0123',
          StartTime: new Date('2026-01-01T10:00:05Z'),
          EndTime: new Date('2026-01-01T10:02:05Z'),
          StatusCode: 'Successful',
          Progress: 100,
        },
        {
          ActivityId: 'a3',
          AutoScalingGroupName: 'web',
          Cause: 'x',
          Description: 'Launching a new EC2 instance from warm pool: i-0789abc',
          StartTime: new Date('2026-01-01T09:30:00Z'),
          EndTime: new Date('2026-01-01T09:30:40Z'),
          StatusCode: 'Successful',
          Progress: 100,
        },
        {
          ActivityId: 'a2',
          AutoScalingGroupName: 'web',
          Cause: 'x',
          Description: 'Terminating EC2 instance: i-0456',
          StartTime: new Date('2026-01-01T09:00:00Z'),
          EndTime: new Date('2026-01-01T09:01:00Z'),
          StatusCode: 'Successful',
        },
      ],
    });
    expect((await target.recentLaunches('web', 10)).launches).toEqual([
      {
        startMs: Date.parse('2026-01-01T10:00:05Z'),
        endMs: Date.parse('2026-01-01T10:02:05Z'),
        instanceId: 'i-0123',
      },
      {
        startMs: Date.parse('2026-01-01T09:30:00Z'),
        endMs: Date.parse('2026-01-01T09:30:40Z'),
        instanceId: 'i-0789abc',
        fromWarmPool: true,
      },
    ]);
  });

  it('reads the launches that failed, newest first, with the reason Auto Scaling gives', async () => {
    // The shape of a failed launch in DescribeScalingActivities (Auto Scaling user guide,
    // "Troubleshoot Amazon EC2 Auto Scaling: EC2 instance launch failures").
    const failed = (id: string, minute: number, reason: string) => ({
      ActivityId: id,
      AutoScalingGroupName: 'web',
      Cause:
        'At 2026-01-01T10:00:00Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 2 to 3.',
      Description: `Launching a new EC2 instance.  Status Reason: ${reason}`,
      StartTime: new Date(Date.UTC(2026, 0, 1, 10, minute)),
      EndTime: new Date(Date.UTC(2026, 0, 1, 10, minute)),
      StatusCode: 'Failed' as const,
      StatusMessage: reason,
      Progress: 100,
    });
    const shortage =
      'Could not launch On-Demand Instances. InsufficientInstanceCapacity - We currently do not have sufficient m5.large capacity in the Availability Zone you requested (us-east-1a). Launching EC2 instance failed.';
    asg.on(DescribeScalingActivitiesCommand).resolves({
      Activities: [
        failed('f2', 9, shortage),
        {
          ActivityId: 'a1',
          AutoScalingGroupName: 'web',
          Cause: 'x',
          Description: 'Launching a new EC2 instance: i-0123',
          StartTime: new Date('2026-01-01T10:05:00Z'),
          EndTime: new Date('2026-01-01T10:07:00Z'),
          StatusCode: 'Successful',
        },
        failed(
          'f1',
          2,
          "The image id '[ami-0123456789abcdef0]' does not exist. Launching EC2 instance failed.",
        ),
      ],
    });
    const { launches, failures } = await target.recentLaunches('web', 10);
    expect(launches.map((l) => l.instanceId)).toEqual(['i-0123']);
    expect(failures).toEqual([
      { atMs: Date.UTC(2026, 0, 1, 10, 9), reason: shortage },
      {
        atMs: Date.UTC(2026, 0, 1, 10, 2),
        reason: "The image id '[ami-0123456789abcdef0]' does not exist. Launching EC2 instance failed.",
      },
    ]);
  });
});
