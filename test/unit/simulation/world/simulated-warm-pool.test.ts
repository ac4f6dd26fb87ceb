import { MINUTE, START, autoScalingWorld as world } from '../../../helpers/simulated-auto-scaling-world';

type Activities = { Activities: { Description: string; StartTime: Date }[] };

describe('SimulatedAutoScaling warm pool', () => {
  it('replaces the warm pool too in an instance refresh, so scale-out after it still starts warm', () => {
    const { asg, runTo } = world({ warmPool: { minSize: 2, maxGroupPreparedCapacity: 2 } });
    runTo(START + 3 * MINUTE);
    expect(asg.counts('web').warmPoolStopped).toBe(2);
    asg.startInstanceRefresh({
      AutoScalingGroupName: 'web',
      DesiredConfiguration: { LaunchTemplate: { Version: '2' } },
    });
    runTo(START + 40 * MINUTE);
    const refreshes = asg.describeInstanceRefreshes({ AutoScalingGroupName: 'web' }) as {
      InstanceRefreshes: { Status: string }[];
    };
    expect(refreshes.InstanceRefreshes[0]?.Status).toBe('Successful');
    const scaledAt = START + 41 * MINUTE;
    runTo(scaledAt);
    asg.updateAutoScalingGroup({ AutoScalingGroupName: 'web', DesiredCapacity: 4 });
    const launches = (
      asg.describeScalingActivities({ AutoScalingGroupName: 'web' }) as Activities
    ).Activities.filter(
      (a) => a.StartTime.getTime() >= scaledAt && !a.Description.includes('into warm pool'),
    );
    expect(launches.map((a) => a.Description.replace(/i-\w+/, 'i-…'))).toEqual([
      'Launching a new EC2 instance from warm pool: i-…',
      'Launching a new EC2 instance from warm pool: i-…',
    ]);
  });
});
