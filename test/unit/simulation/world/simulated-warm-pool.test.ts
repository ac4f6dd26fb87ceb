import { MINUTE, START, autoScalingWorld as world } from '../../../helpers/simulated-auto-scaling-world';

type Activities = { Activities: { Description: string; Cause: string; StartTime: Date }[] };

describe('SimulatedAutoScaling warm pool', () => {
  it('lists the pool’s instances in DescribeWarmPool with their states: right after a draw the refills are Warmed:Pending, which WarmPoolSize counts too', () => {
    const { asg, runTo } = world({ warmPool: { minSize: 2, maxGroupPreparedCapacity: 2 } });
    runTo(START + 3 * MINUTE);
    const states = () =>
      (
        asg.describeWarmPool({ AutoScalingGroupName: 'web' }) as {
          Instances: { LifecycleState: string }[];
        }
      ).Instances.map((i) => i.LifecycleState);
    const warmPoolSize = () =>
      (
        asg.describeAutoScalingGroups({ AutoScalingGroupNames: ['web'] }) as {
          AutoScalingGroups: { WarmPoolSize: number }[];
        }
      ).AutoScalingGroups[0]?.WarmPoolSize;
    expect(states()).toEqual(['Warmed:Stopped', 'Warmed:Stopped']);
    asg.updateAutoScalingGroup({ AutoScalingGroupName: 'web', DesiredCapacity: 4 });
    expect(states()).toEqual(['Warmed:Pending', 'Warmed:Pending']);
    expect(warmPoolSize()).toBe(2);
    runTo(START + 10 * MINUTE);
    expect(states()).toEqual(['Warmed:Stopped', 'Warmed:Stopped']);
  });

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

  it('draws pool instances of an older launch template version as they are after a version change without a refresh, and refills with the new one', () => {
    const { asg, runTo } = world({ warmPool: { minSize: 2, maxGroupPreparedCapacity: 2 } });
    runTo(START + 3 * MINUTE);
    asg.updateAutoScalingGroup({ AutoScalingGroupName: 'web', LaunchTemplate: { Version: '2' } });
    const scaledAt = START + 4 * MINUTE;
    asg.advanceTo(scaledAt);
    asg.updateAutoScalingGroup({ AutoScalingGroupName: 'web', DesiredCapacity: 4 });
    const activities = (asg.describeScalingActivities({ AutoScalingGroupName: 'web' }) as Activities)
      .Activities;
    const ids = (pattern: RegExp) =>
      activities
        .filter((a) => a.StartTime.getTime() >= scaledAt)
        .flatMap((a) => a.Description.match(pattern)?.[1] ?? []);
    const drawn = ids(/from warm pool: (i-\w+)/);
    expect(drawn).toHaveLength(2);
    const refill = ids(/into warm pool: (i-\w+)/);
    const versions = (instanceIds: string[]) =>
      (
        asg.describeAutoScalingInstances({ InstanceIds: instanceIds }) as {
          AutoScalingInstances: { LaunchTemplate: { Version: string } }[];
        }
      ).AutoScalingInstances.map((i) => i.LaunchTemplate.Version);
    // "existing instances are not affected": drawn as launched, version 1; the new ones are version 2.
    expect(versions(drawn)).toEqual(['1', '1']);
    expect(versions(refill)).toEqual(['2', '2']);
  });

  it("replaces instances in a refresh with its target version only, never with the pool's older ones", () => {
    const { asg, runTo } = world({ warmPool: { minSize: 2, maxGroupPreparedCapacity: 2 } });
    runTo(START + 3 * MINUTE);
    asg.startInstanceRefresh({
      AutoScalingGroupName: 'web',
      DesiredConfiguration: { LaunchTemplate: { Version: '2' } },
    });
    // On from where the refresh started (`runTo` replays from START).
    for (let t = START + 3 * MINUTE; t <= START + 40 * MINUTE; t += MINUTE / 4) asg.advanceTo(t);
    const byRefresh = (
      asg.describeScalingActivities({ AutoScalingGroupName: 'web' }) as Activities
    ).Activities.filter((a) => /instance refresh \S+ replacing instances\./.test(a.Cause));
    const ids = (pattern: RegExp) => byRefresh.flatMap((a) => a.Description.match(pattern)?.[1] ?? []);
    const replacements = ids(/^Launching a new EC2 instance(?: from warm pool)?: (i-\w+)/);
    const replaced = ids(/^Terminating EC2 instance: (i-\w+)/);
    expect(replacements.length).toBeGreaterThan(0);
    // A replacement drawn from the pool's version 1 would be stale at once, replaced in turn.
    expect(replaced.filter((id) => replacements.includes(id))).toEqual([]);
  });

  it('ends a refresh of a group without a warm pool once its instances are replaced, processes suspended or not', () => {
    const { asg, runTo } = world();
    asg.startInstanceRefresh({
      AutoScalingGroupName: 'web',
      DesiredConfiguration: { LaunchTemplate: { Version: '2' } },
    });
    const status = () =>
      (
        asg.describeInstanceRefreshes({ AutoScalingGroupName: 'web' }) as {
          InstanceRefreshes: { Status: string }[];
        }
      ).InstanceRefreshes[0]?.Status;
    // Its last replacement in flight: Launch suspended now holds no further launch, and needs none.
    runTo(START + 4 * MINUTE);
    expect(status()).toBe('InProgress');
    asg.suspendProcesses({ AutoScalingGroupName: 'web', ScalingProcesses: ['Launch'] });
    runTo(START + 40 * MINUTE);
    expect(status()).toBe('Successful');
  });

  it('keeps a Running pool running and a Hibernated one hibernated, as PoolState sets, and draws on either', () => {
    for (const poolState of ['Running', 'Hibernated']) {
      const { asg, runTo } = world({ warmPool: { minSize: 2, maxGroupPreparedCapacity: 2 } });
      asg.putWarmPool({ AutoScalingGroupName: 'web', MinSize: 2, PoolState: poolState });
      runTo(START + 3 * MINUTE);
      const pooled = (
        asg.describeScalingActivities({ AutoScalingGroupName: 'web' }) as Activities
      ).Activities.flatMap((a) => a.Description.match(/into warm pool: (i-\w+)/)?.[1] ?? []);
      const states = (
        asg.describeAutoScalingInstances({ InstanceIds: pooled }) as {
          AutoScalingInstances: { LifecycleState: string }[];
        }
      ).AutoScalingInstances.map((i) => i.LifecycleState);
      expect(states).toEqual([`Warmed:${poolState}`, `Warmed:${poolState}`]);
      // A running pool instance is billed as one in service; a hibernated one, as a stopped one, its volumes only.
      expect(asg.counts('web')).toMatchObject(
        poolState === 'Running'
          ? { warmPoolRunning: 2, warmPoolStopped: 0 }
          : { warmPoolRunning: 0, warmPoolStopped: 2 },
      );
      asg.updateAutoScalingGroup({ AutoScalingGroupName: 'web', DesiredCapacity: 4 });
      runTo(START + 3 * MINUTE + 20_000);
      expect(asg.counts('web')).toMatchObject({ inService: 4, pending: 0 });
    }
  });

  it('gives an omitted MinSize and PoolState their documented defaults (0, Stopped) and keeps an omitted MaxGroupPreparedCapacity, as PutWarmPool does', () => {
    const { asg } = world({ warmPool: { minSize: 0, maxGroupPreparedCapacity: 4 } });
    const pool = () =>
      (
        asg.describeWarmPool({ AutoScalingGroupName: 'web' }) as {
          WarmPoolConfiguration: { MinSize: number; MaxGroupPreparedCapacity?: number; PoolState: string };
        }
      ).WarmPoolConfiguration;
    asg.putWarmPool({ AutoScalingGroupName: 'web', MinSize: 2, PoolState: 'Running' });
    expect(pool()).toMatchObject({ MinSize: 2, MaxGroupPreparedCapacity: 4, PoolState: 'Running' });
    asg.putWarmPool({ AutoScalingGroupName: 'web', MinSize: 3 });
    expect(pool()).toMatchObject({ MinSize: 3, MaxGroupPreparedCapacity: 4, PoolState: 'Stopped' });
    asg.putWarmPool({ AutoScalingGroupName: 'web', PoolState: 'Hibernated' });
    expect(pool()).toMatchObject({ MinSize: 0, MaxGroupPreparedCapacity: 4, PoolState: 'Hibernated' });
  });

  it('returns scaled-in instances to the pool under ReuseOnScaleIn, and reports the policy, as AWS does', () => {
    const { asg, runTo } = world({
      desiredCapacity: 4,
      warmPool: { minSize: 0, maxGroupPreparedCapacity: 4 },
    });
    asg.putWarmPool({
      AutoScalingGroupName: 'web',
      MinSize: 0,
      InstanceReusePolicy: { ReuseOnScaleIn: true },
    });
    const pool = () =>
      (
        asg.describeAutoScalingGroups({ AutoScalingGroupNames: ['web'] }) as {
          AutoScalingGroups: {
            WarmPoolConfiguration: { InstanceReusePolicy?: { ReuseOnScaleIn: boolean } };
          }[];
        }
      ).AutoScalingGroups[0]?.WarmPoolConfiguration;
    expect(pool()?.InstanceReusePolicy).toEqual({ ReuseOnScaleIn: true });
    runTo(START + 3 * MINUTE);
    asg.updateAutoScalingGroup({ AutoScalingGroupName: 'web', DesiredCapacity: 2 });
    runTo(START + 6 * MINUTE);
    const activities = (asg.describeScalingActivities({ AutoScalingGroupName: 'web' }) as Activities)
      .Activities;
    expect(activities.filter((a) => a.Description.startsWith('Terminating'))).toEqual([]);
    expect(activities.filter((a) => a.Description.includes('into warm pool'))).toEqual([]);
    expect(asg.counts('web')).toMatchObject({ inService: 2, warmPoolStopped: 2 });
    // PutWarmPool without the policy gives the default back: scale-in terminates.
    asg.putWarmPool({ AutoScalingGroupName: 'web', MinSize: 0 });
    expect(pool()?.InstanceReusePolicy).toBeUndefined();
  });

  it('describes each pool instance in DescribeWarmPool as AWS’s Instance type, with the launch template it was launched from', () => {
    const { asg, runTo } = world({ warmPool: { minSize: 2, maxGroupPreparedCapacity: 2 } });
    runTo(START + 3 * MINUTE);
    const pool = asg.describeWarmPool({ AutoScalingGroupName: 'web' }) as { Instances: unknown[] };
    const group = (
      asg.describeAutoScalingGroups({ AutoScalingGroupNames: ['web'] }) as {
        AutoScalingGroups: { LaunchTemplate: { LaunchTemplateId: string } }[];
      }
    ).AutoScalingGroups[0];
    expect(pool.Instances).toHaveLength(2);
    for (const instance of pool.Instances) {
      expect(instance).toEqual({
        InstanceId: expect.stringMatching(/^i-/),
        InstanceType: 'm5.large',
        AvailabilityZone: expect.any(String),
        LifecycleState: 'Warmed:Stopped',
        HealthStatus: 'Healthy',
        LaunchTemplate: {
          LaunchTemplateId: group?.LaunchTemplate.LaunchTemplateId,
          LaunchTemplateName: 'web-lt',
          Version: '1',
        },
        ProtectedFromScaleIn: false,
      });
    }
  });

  it('refuses a DescribeWarmPool MaxRecords above 50, AWS’s maximum, instead of cutting the page short', () => {
    const { asg, runTo } = world({ warmPool: { minSize: 2, maxGroupPreparedCapacity: 2 } });
    runTo(START + 3 * MINUTE);
    for (const MaxRecords of [51, 100, 0]) {
      expect(() => asg.describeWarmPool({ AutoScalingGroupName: 'web', MaxRecords })).toThrow(
        expect.objectContaining({ name: 'ValidationError' }),
      );
    }
    const page = asg.describeWarmPool({ AutoScalingGroupName: 'web', MaxRecords: 50 }) as {
      Instances: unknown[];
    };
    expect(page.Instances).toHaveLength(2);
  });

  it('pages a pool of more than 50 instances with NextToken, 50 a page unless asked for fewer', () => {
    const { asg, runTo } = world({ maxSize: 122, warmPool: { minSize: 0 } });
    runTo(START + 3 * MINUTE);
    const pages = (MaxRecords?: number) => {
      const sizes: number[] = [];
      let NextToken: string | undefined;
      do {
        const out = asg.describeWarmPool({
          AutoScalingGroupName: 'web',
          ...(MaxRecords !== undefined ? { MaxRecords } : {}),
          ...(NextToken ? { NextToken } : {}),
        }) as { Instances: unknown[]; NextToken?: string };
        sizes.push(out.Instances.length);
        NextToken = out.NextToken;
      } while (NextToken);
      return sizes;
    };
    // MaxSize 122 − desired 2: a pool of 120.
    expect(pages()).toEqual([50, 50, 20]);
    expect(pages(40)).toEqual([40, 40, 40]);
  });
});
