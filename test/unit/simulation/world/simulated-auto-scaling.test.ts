import { seededRandom } from '../../../../shared/simulation/seeded-random';
import { SimulatedAutoScaling } from '../../../../shared/simulation/world/simulated-auto-scaling';
import { MINUTE, START, autoScalingWorld as world } from '../../../helpers/simulated-auto-scaling-world';
import { webGroupSpec as spec } from '../../../helpers/web-group-spec';

type Described = {
  AutoScalingGroups: { Instances: { LifecycleState: string }[]; DesiredCapacity: number; MinSize: number }[];
  NextToken?: string;
};

describe('SimulatedAutoScaling', () => {
  it('keeps launched instances Pending for the launch delay, then InService, then ready after warmup', () => {
    const { asg, runTo } = world();
    asg.updateAutoScalingGroup({ AutoScalingGroupName: 'web', DesiredCapacity: 4 });
    expect(asg.counts('web')).toMatchObject({ pending: 2, inService: 2, ready: 2 });
    runTo(START + 119_000);
    expect(asg.counts('web')).toMatchObject({ pending: 2, inService: 2 });
    runTo(START + 120_000);
    expect(asg.counts('web')).toMatchObject({ pending: 0, inService: 4, ready: 2, warming: 2 });
    runTo(START + 180_000);
    expect(asg.counts('web')).toMatchObject({ inService: 4, ready: 4, warming: 0 });
  });

  it('records launch activities with start, end and the AWS description', () => {
    const { asg, runTo } = world();
    asg.updateAutoScalingGroup({ AutoScalingGroupName: 'web', DesiredCapacity: 3 });
    runTo(START + 5 * MINUTE);
    const out = asg.describeScalingActivities({ AutoScalingGroupName: 'web' }) as {
      Activities: { Description: string; StatusCode: string; StartTime: Date; EndTime: Date }[];
    };
    const launch = out.Activities.find((a) => a.Description.startsWith('Launching a new EC2 instance: i-'));
    expect(launch?.StatusCode).toBe('Successful');
    expect((launch?.EndTime.getTime() ?? 0) - (launch?.StartTime.getTime() ?? 0)).toBe(120_000);
  });

  it('draws seeded launch jitter within the configured bound', () => {
    const { asg, runTo } = world({ launchJitterSeconds: 60 });
    asg.updateAutoScalingGroup({ AutoScalingGroupName: 'web', DesiredCapacity: 8 });
    runTo(START + 10 * MINUTE);
    const out = asg.describeScalingActivities({ AutoScalingGroupName: 'web' }) as {
      Activities: { StartTime: Date; EndTime: Date }[];
    };
    const durations = out.Activities.map((a) => (a.EndTime.getTime() - a.StartTime.getTime()) / 1000);
    expect(Math.min(...durations)).toBeGreaterThanOrEqual(120);
    expect(Math.max(...durations)).toBeLessThanOrEqual(180);
    expect(new Set(durations).size).toBeGreaterThan(1);
  });

  it('validates Min ≤ Desired ≤ Max like AWS and moves desired into new bounds', () => {
    const { asg } = world();
    expect(() => asg.updateAutoScalingGroup({ AutoScalingGroupName: 'web', DesiredCapacity: 11 })).toThrow(
      expect.objectContaining({
        name: 'ValidationError',
        message: 'Desired capacity:11 must be between the specified min size:1 and max size:10',
      }),
    );
    expect(() => asg.updateAutoScalingGroup({ AutoScalingGroupName: 'web', MinSize: 5, MaxSize: 3 })).toThrow(
      expect.objectContaining({
        name: 'ValidationError',
        message: 'Max bound, 3, must be greater than or equal to min bound, 5',
      }),
    );
    expect(() => asg.updateAutoScalingGroup({ AutoScalingGroupName: 'nope', MinSize: 1 })).toThrow(
      expect.objectContaining({ name: 'ValidationError' }),
    );
    asg.updateAutoScalingGroup({ AutoScalingGroupName: 'web', MinSize: 5 });
    expect(asg.counts('web')).toMatchObject({ minSize: 5, desiredCapacity: 5, pending: 3 });
  });

  it('keeps the launch template version an update names, $Latest and $Default as aliases', () => {
    const { asg } = world();
    const version = () =>
      (
        asg.describeAutoScalingGroups({ AutoScalingGroupNames: ['web'] }) as {
          AutoScalingGroups: { LaunchTemplate: { Version: string } }[];
        }
      ).AutoScalingGroups[0]?.LaunchTemplate.Version;
    const lt = (Version?: string) => ({
      AutoScalingGroupName: 'web',
      LaunchTemplate: { LaunchTemplateId: 'lt-web', ...(Version ? { Version } : {}) },
    });
    expect(version()).toBe('1');
    asg.updateAutoScalingGroup(lt('$Latest'));
    expect(version()).toBe('$Latest');
    asg.updateAutoScalingGroup(lt('3'));
    expect(version()).toBe('3');
    // No Version: "The default value is $Default" (LaunchTemplateSpecification).
    asg.updateAutoScalingGroup(lt());
    expect(version()).toBe('$Default');
    // An update that names no launch template leaves it as it is.
    asg.updateAutoScalingGroup({ AutoScalingGroupName: 'web', DesiredCapacity: 2 });
    expect(version()).toBe('$Default');
    for (const bad of ['latest', '0', '$LATEST'])
      expect(() => asg.updateAutoScalingGroup(lt(bad))).toThrow(
        expect.objectContaining({ name: 'ValidationError' }),
      );
    expect(version()).toBe('$Default');
  });

  it('changes nothing on an update that changes the launch template with sizes it refuses', () => {
    const { asg } = world();
    const described = () =>
      (
        asg.describeAutoScalingGroups({ AutoScalingGroupNames: ['web'] }) as {
          AutoScalingGroups: { LaunchTemplate: { Version: string }; MinSize: number; MaxSize: number }[];
        }
      ).AutoScalingGroups[0];
    const before = described();
    expect(() =>
      asg.updateAutoScalingGroup({
        AutoScalingGroupName: 'web',
        LaunchTemplate: { LaunchTemplateId: 'lt-web', Version: '3' },
        MinSize: 5,
        MaxSize: 3,
      }),
    ).toThrow(expect.objectContaining({ name: 'ValidationError' }));
    expect(described()).toEqual(before);
  });

  it('terminates pending instances first on scale-in', () => {
    const { asg } = world();
    asg.updateAutoScalingGroup({ AutoScalingGroupName: 'web', DesiredCapacity: 5 });
    asg.updateAutoScalingGroup({ AutoScalingGroupName: 'web', DesiredCapacity: 3 });
    expect(asg.counts('web')).toMatchObject({ pending: 1, inService: 2 });
  });

  it('fires a one-time scheduled action on time and then forgets it', () => {
    const { asg, runTo } = world();
    asg.putScheduledUpdateGroupAction({
      AutoScalingGroupName: 'web',
      ScheduledActionName: 'morning',
      StartTime: new Date(START + 30 * MINUTE),
      MinSize: 4,
      DesiredCapacity: 4,
    });
    runTo(START + 29 * MINUTE);
    expect(asg.counts('web').desiredCapacity).toBe(2);
    runTo(START + 30 * MINUTE);
    expect(asg.counts('web')).toMatchObject({ desiredCapacity: 4, minSize: 4 });
    expect(
      (
        asg.describeScheduledActions({ AutoScalingGroupName: 'web' }) as {
          ScheduledUpdateGroupActions: unknown[];
        }
      ).ScheduledUpdateGroupActions,
    ).toHaveLength(0);
  });

  it('never fires an action due while ScheduledActions was suspended, as AWS skips it', () => {
    const { asg, runTo } = world();
    for (const [name, minutes] of [
      ['during', 5],
      ['after', 20],
    ] as const)
      asg.putScheduledUpdateGroupAction({
        AutoScalingGroupName: 'web',
        ScheduledActionName: name,
        StartTime: new Date(START + minutes * MINUTE),
        MinSize: name === 'during' ? 4 : 3,
      });
    asg.suspendProcesses({ AutoScalingGroupName: 'web', ScalingProcesses: ['ScheduledActions'] });
    runTo(START + 10 * MINUTE);
    asg.resumeProcesses({ AutoScalingGroupName: 'web', ScalingProcesses: ['ScheduledActions'] });
    runTo(START + 12 * MINUTE);
    expect(asg.counts('web').minSize).toBe(1);
    runTo(START + 20 * MINUTE);
    expect(asg.counts('web').minSize).toBe(3);
  });

  it('fires recurring actions on their cron minutes and deletes on request', () => {
    const { asg, runTo } = world();
    asg.putScheduledUpdateGroupAction({
      AutoScalingGroupName: 'web',
      ScheduledActionName: 'up',
      Recurrence: '0 8 * * 1-5',
      DesiredCapacity: 6,
    });
    asg.putScheduledUpdateGroupAction({
      AutoScalingGroupName: 'web',
      ScheduledActionName: 'down',
      Recurrence: '0 18 * * *',
      DesiredCapacity: 2,
    });
    runTo(START + 8 * 60 * MINUTE);
    expect(asg.counts('web').desiredCapacity).toBe(6);
    runTo(START + 18 * 60 * MINUTE);
    expect(asg.counts('web').desiredCapacity).toBe(2);
    asg.deleteScheduledAction({ AutoScalingGroupName: 'web', ScheduledActionName: 'up' });
    expect(() =>
      asg.deleteScheduledAction({ AutoScalingGroupName: 'web', ScheduledActionName: 'up' }),
    ).toThrow(/not found/);
    expect(() =>
      asg.putScheduledUpdateGroupAction({
        AutoScalingGroupName: 'web',
        ScheduledActionName: 'x',
        StartTime: new Date(0),
        DesiredCapacity: 1,
      }),
    ).toThrow(/in the past/);
  });

  it('runs a recurring action at its StartTime, then on its cron until its EndTime', () => {
    const { asg, runTo } = world();
    asg.putScheduledUpdateGroupAction({
      AutoScalingGroupName: 'web',
      ScheduledActionName: 'holiday',
      Recurrence: '0 8 * * *',
      StartTime: new Date(START + 2 * 60 * MINUTE), // off the cron
      EndTime: new Date(START + 30 * 60 * MINUTE),
      DesiredCapacity: 6,
    });
    runTo(START + 2 * 60 * MINUTE - MINUTE);
    expect(asg.counts('web').desiredCapacity).not.toBe(6);
    runTo(START + 2 * 60 * MINUTE);
    expect(asg.counts('web').desiredCapacity).toBe(6);
    asg.setDesiredCapacity({ AutoScalingGroupName: 'web', DesiredCapacity: 2 });
    runTo(START + 8 * 60 * MINUTE);
    expect(asg.counts('web').desiredCapacity).toBe(6);
    asg.setDesiredCapacity({ AutoScalingGroupName: 'web', DesiredCapacity: 2 });
    // The next 08:00 is past its EndTime.
    runTo(START + 32 * 60 * MINUTE);
    expect(asg.counts('web').desiredCapacity).toBe(2);
  });

  it('serves scale-out from the warm pool faster than a cold launch', () => {
    const { asg, runTo } = world({ warmPool: { minSize: 2, maxGroupPreparedCapacity: 2 } });
    expect(asg.counts('web').warmPoolPending).toBe(2);
    runTo(START + 3 * MINUTE);
    expect(asg.counts('web').warmPoolStopped).toBe(2);
    asg.updateAutoScalingGroup({ AutoScalingGroupName: 'web', DesiredCapacity: 4 });
    runTo(START + 3 * MINUTE + 20_000);
    expect(asg.counts('web')).toMatchObject({ inService: 4, pending: 0 });
    const groups = asg.describeAutoScalingGroups({ AutoScalingGroupNames: ['web'] }) as {
      AutoScalingGroups: { WarmPoolConfiguration: { MinSize: number } }[];
    };
    expect(groups.AutoScalingGroups[0]?.WarmPoolConfiguration.MinSize).toBe(2);
  });

  it('records a launch into the warm pool and a launch from it as AWS describes them', () => {
    const { asg, runTo } = world({ warmPool: { minSize: 1, maxGroupPreparedCapacity: 3 } });
    runTo(START + 3 * MINUTE);
    asg.updateAutoScalingGroup({ AutoScalingGroupName: 'web', DesiredCapacity: 3 });
    runTo(START + 6 * MINUTE);
    const out = asg.describeScalingActivities({ AutoScalingGroupName: 'web' }) as {
      Activities: { Description: string; StatusCode: string; StartTime: Date; EndTime?: Date }[];
    };
    const seconds = (a: { StartTime: Date; EndTime?: Date }) =>
      ((a.EndTime?.getTime() ?? Number.NaN) - a.StartTime.getTime()) / 1000;
    const into = out.Activities.filter((a) =>
      a.Description.startsWith('Launching a new EC2 instance into warm pool: i-'),
    );
    const from = out.Activities.filter((a) =>
      a.Description.startsWith('Launching a new EC2 instance from warm pool: i-'),
    );
    // The pool's one instance at creation, then its replacement once it was drawn.
    expect(into.map((a) => [a.StatusCode, seconds(a)])).toEqual([
      ['Successful', 120],
      ['Successful', 120],
    ]);
    expect(from.map((a) => [a.StatusCode, seconds(a)])).toEqual([['Successful', 20]]);
  });

  it('keeps MaxGroupPreparedCapacity when PutWarmPool omits it and removes it on -1, as AWS does', () => {
    const { asg } = world({ warmPool: { minSize: 1, maxGroupPreparedCapacity: 6 } });
    const prepared = () =>
      (
        asg.describeAutoScalingGroups({ AutoScalingGroupNames: ['web'] }) as {
          AutoScalingGroups: {
            WarmPoolConfiguration: { MinSize: number; MaxGroupPreparedCapacity?: number };
          }[];
        }
      ).AutoScalingGroups[0]?.WarmPoolConfiguration;
    asg.putWarmPool({ AutoScalingGroupName: 'web', MinSize: 3 });
    expect(prepared()).toMatchObject({ MinSize: 3, MaxGroupPreparedCapacity: 6 });
    asg.putWarmPool({ AutoScalingGroupName: 'web', MinSize: 3, MaxGroupPreparedCapacity: -1 });
    expect(prepared()?.MaxGroupPreparedCapacity).toBeUndefined();
  });

  it('refuses PutWarmPool while an instance refresh is in progress, as AWS does', () => {
    const { asg } = world({ warmPool: { minSize: 1 } });
    asg.startInstanceRefresh({ AutoScalingGroupName: 'web' });
    expect(() => asg.putWarmPool({ AutoScalingGroupName: 'web', MinSize: 3 })).toThrow(
      expect.objectContaining({ name: 'InstanceRefreshInProgressFault', Code: 'InstanceRefreshInProgress' }),
    );
  });

  it('filters by tag and pages with NextToken', () => {
    const asg = new SimulatedAutoScaling(seededRandom(1), START);
    for (let i = 0; i < 5; i += 1)
      asg.createGroup(spec({ name: `g${i}`, tags: { 'prescale:enabled': i % 2 === 0 ? 'true' : 'false' } }));
    const tagged = asg.describeAutoScalingGroups({
      Filters: [{ Name: 'tag:prescale:enabled', Values: ['true'] }],
    }) as Described;
    expect(tagged.AutoScalingGroups).toHaveLength(3);
    const first = asg.describeAutoScalingGroups({ MaxRecords: 2 }) as Described;
    expect(first.AutoScalingGroups).toHaveLength(2);
    const second = asg.describeAutoScalingGroups({
      MaxRecords: 2,
      NextToken: first.NextToken as string,
    }) as Described;
    expect(second.AutoScalingGroups).toHaveLength(2);
    expect(second.NextToken).toBeDefined();
  });

  it('leaves the instances out with IncludeInstances false, as AWS does, and keeps them by default', () => {
    // "When set to true (default), the response includes instance details" (API reference,
    // DescribeAutoScalingGroups): false excludes them, so a caller must not count on them then.
    const { asg } = world();
    const described = (IncludeInstances?: boolean) =>
      (
        asg.describeAutoScalingGroups({
          AutoScalingGroupNames: ['web'],
          ...(IncludeInstances !== undefined ? { IncludeInstances } : {}),
        }) as { AutoScalingGroups: Record<string, unknown>[] }
      ).AutoScalingGroups[0];
    expect(described(false)).not.toHaveProperty('Instances');
    expect(described(false)).toMatchObject({ AutoScalingGroupName: 'web', DesiredCapacity: 2 });
    expect(described()?.Instances).toHaveLength(2);
    expect(described(true)?.Instances).toHaveLength(2);
  });

  it('answers names it does not know with nothing and no error, as AWS does', () => {
    // "If you specify Auto Scaling group names, the output includes information for only the
    // specified Auto Scaling groups" (API reference): a misspelt or deleted name is left out.
    const asg = new SimulatedAutoScaling(seededRandom(1), START);
    asg.createGroup(spec({ name: 'web-production' }));
    const described = (names: string[]) =>
      (asg.describeAutoScalingGroups({ AutoScalingGroupNames: names }) as { AutoScalingGroups: unknown[] })
        .AutoScalingGroups;
    expect(described(['web-prod'])).toEqual([]);
    expect(described(['web-prod', 'web-production'])).toEqual([
      expect.objectContaining({ AutoScalingGroupName: 'web-production' }),
    ]);
  });
});
