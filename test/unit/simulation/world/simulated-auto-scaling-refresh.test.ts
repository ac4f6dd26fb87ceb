import type { SimulatedAutoScaling } from '../../../../shared/simulation/world/simulated-auto-scaling';
import { MINUTE, START, autoScalingWorld as world } from '../../../helpers/simulated-auto-scaling-world';

type Refreshes = {
  InstanceRefreshes: {
    Status: string;
    PercentageComplete: number;
    StatusReason?: string;
    RollbackDetails?: { RollbackReason: string };
  }[];
};
const status = (asg: SimulatedAutoScaling) =>
  (asg.describeInstanceRefreshes({ AutoScalingGroupName: 'web' }) as Refreshes).InstanceRefreshes[0];

describe('SimulatedAutoScaling instance refresh', () => {
  it('replaces no instance while Launch, Terminate or InstanceRefresh is suspended, and goes on once resumed', () => {
    for (const process of ['Launch', 'Terminate', 'InstanceRefresh']) {
      const { asg, runTo } = world({ desiredCapacity: 2 });
      asg.suspendProcesses({ AutoScalingGroupName: 'web', ScalingProcesses: [process] });
      asg.startInstanceRefresh({
        AutoScalingGroupName: 'web',
        DesiredConfiguration: { LaunchTemplate: { Version: '2' } },
      });
      runTo(START + 30 * MINUTE);
      expect(status(asg)).toMatchObject({ Status: 'InProgress', PercentageComplete: 0 });
      asg.resumeProcesses({ AutoScalingGroupName: 'web', ScalingProcesses: [process] });
      for (let t = START + 31 * MINUTE; t <= START + 60 * MINUTE; t += MINUTE) asg.advanceTo(t);
      expect(status(asg)).toMatchObject({ Status: 'Successful' });
    }
    // Others do not hold it.
    const { asg, runTo } = world({ desiredCapacity: 2 });
    asg.suspendProcesses({
      AutoScalingGroupName: 'web',
      ScalingProcesses: ['AZRebalance', 'ScheduledActions'],
    });
    asg.startInstanceRefresh({ AutoScalingGroupName: 'web' });
    runTo(START + 30 * MINUTE);
    expect(status(asg)?.Status).toBe('Successful');
  });

  it('suspends and resumes every process when none is named, and refuses one Auto Scaling does not have', () => {
    const { asg } = world();
    const suspended = () =>
      (
        asg.describeAutoScalingGroups({ AutoScalingGroupNames: ['web'] }) as {
          AutoScalingGroups: { SuspendedProcesses: { ProcessName: string }[] }[];
        }
      ).AutoScalingGroups[0]?.SuspendedProcesses.map((p) => p.ProcessName).sort();
    asg.suspendProcesses({ AutoScalingGroupName: 'web' });
    expect(suspended()).toEqual(
      [
        'AZRebalance',
        'AddToLoadBalancer',
        'AlarmNotification',
        'HealthCheck',
        'InstanceRefresh',
        'Launch',
        'ReplaceUnhealthy',
        'ScheduledActions',
        'Terminate',
      ].sort(),
    );
    asg.resumeProcesses({ AutoScalingGroupName: 'web', ScalingProcesses: ['Launch'] });
    expect(suspended()).not.toContain('Launch');
    asg.resumeProcesses({ AutoScalingGroupName: 'web' });
    expect(suspended()).toEqual([]);
    expect(() =>
      asg.suspendProcesses({ AutoScalingGroupName: 'web', ScalingProcesses: ['Refresh'] }),
    ).toThrow(
      expect.objectContaining({ name: 'ValidationError', message: expect.stringContaining('Refresh') }),
    );
  });

  it('replaces instances in batches that keep MinHealthyPercentage and succeeds', () => {
    const { asg, runTo } = world({ desiredCapacity: 4 });
    asg.startInstanceRefresh({
      AutoScalingGroupName: 'web',
      DesiredConfiguration: { LaunchTemplate: { Version: '2' } },
      Preferences: { MinHealthyPercentage: 75, InstanceWarmup: 60 },
    });
    expect(() => asg.startInstanceRefresh({ AutoScalingGroupName: 'web' })).toThrow(
      expect.objectContaining({ name: 'InstanceRefreshInProgressFault', Code: 'InstanceRefreshInProgress' }),
    );
    let minReady = Number.POSITIVE_INFINITY;
    for (let t = START; t <= START + 30 * MINUTE; t += MINUTE) {
      runTo(t);
      minReady = Math.min(minReady, asg.counts('web').ready);
    }
    expect(status(asg)).toMatchObject({ Status: 'Successful', PercentageComplete: 100 });
    expect(minReady).toBeGreaterThanOrEqual(3);
    const groups = asg.describeAutoScalingGroups({}) as {
      AutoScalingGroups: { Instances: { LaunchTemplate: { Version: string } }[] }[];
    };
    expect(groups.AutoScalingGroups[0]?.Instances.every((i) => i.LaunchTemplate.Version === '2')).toBe(true);
  });

  it('pauses at a checkpoint for the checkpoint delay', () => {
    const { asg, runTo } = world({ desiredCapacity: 4 });
    asg.startInstanceRefresh({
      AutoScalingGroupName: 'web',
      Preferences: { MinHealthyPercentage: 50, CheckpointPercentages: [50], CheckpointDelay: 3600 },
    });
    runTo(START + 10 * MINUTE);
    expect(status(asg)).toMatchObject({ Status: 'InProgress', PercentageComplete: 50 });
    expect(status(asg)?.StatusReason).toMatch(/checkpoint/);
    runTo(START + 50 * MINUTE);
    expect(status(asg)?.PercentageComplete).toBe(50);
    runTo(START + 80 * MINUTE);
    expect(status(asg)?.Status).toBe('Successful');
  });

  it('fails on unhealthy replacements and rolls back automatically', () => {
    const { asg, runTo } = world({ desiredCapacity: 3, unhealthyLaunchTemplateVersions: ['2'] });
    asg.startInstanceRefresh({
      AutoScalingGroupName: 'web',
      DesiredConfiguration: { LaunchTemplate: { Version: '2' } },
      Preferences: { MinHealthyPercentage: 66, AutoRollback: true },
    });
    runTo(START + 5 * MINUTE);
    expect(status(asg)?.Status).toBe('RollbackInProgress');
    expect(status(asg)?.RollbackDetails?.RollbackReason).toMatch(/failed to become healthy/);
    runTo(START + 30 * MINUTE);
    expect(status(asg)?.Status).toBe('RollbackSuccessful');
    expect(asg.counts('web')).toMatchObject({ ready: 3, inService: 3 });
  });

  it('fails a refresh to a version whose health checks fail from a given moment on', () => {
    const { asg, runTo } = world({ desiredCapacity: 2 });
    asg.failHealthChecksOf('web', '2');
    asg.startInstanceRefresh({
      AutoScalingGroupName: 'web',
      DesiredConfiguration: { LaunchTemplate: { Version: '2' } },
    });
    runTo(START + 5 * MINUTE);
    expect(status(asg)).toMatchObject({
      Status: 'Failed',
      StatusReason: expect.stringMatching(/version 2/),
    });
    expect(() => asg.failHealthChecksOf('nope', '2')).toThrow(/not found/);
  });

  it('fails, or rolls back, when a watched alarm goes into ALARM, at a checkpoint too', () => {
    const firing = new Set<string>();
    const start = (autoRollback: boolean) => {
      const w = world({ desiredCapacity: 4 });
      w.asg.watchAlarmsWith((names) => names.filter((n) => firing.has(n)));
      w.asg.startInstanceRefresh({
        AutoScalingGroupName: 'web',
        DesiredConfiguration: { LaunchTemplate: { Version: '2' } },
        Preferences: {
          MinHealthyPercentage: 50,
          AutoRollback: autoRollback,
          CheckpointPercentages: [50],
          AlarmSpecification: { Alarms: ['web-5xx'] },
        },
      });
      return w;
    };
    const rolling = start(true);
    rolling.runTo(START + 10 * MINUTE);
    expect(status(rolling.asg)).toMatchObject({
      Status: 'InProgress',
      StatusReason: expect.stringMatching(/checkpoint/),
      Preferences: { AlarmSpecification: { Alarms: ['web-5xx'] } },
    });
    firing.add('web-5xx');
    rolling.asg.advanceTo(START + 10 * MINUTE + 15_000);
    expect(status(rolling.asg)).toMatchObject({ Status: 'RollbackInProgress' });
    expect(status(rolling.asg)?.RollbackDetails?.RollbackReason).toMatch(/web-5xx in ALARM/);
    const failing = start(false);
    failing.runTo(START + MINUTE);
    expect(status(failing.asg)).toMatchObject({
      Status: 'Failed',
      StatusReason: expect.stringMatching(/web-5xx/),
    });
  });

  it('bakes for BakeTime after the last replacement, where an alarm or a rollback still undoes it', () => {
    const firing = new Set<string>();
    const start = () => {
      const w = world({ desiredCapacity: 2 });
      w.asg.watchAlarmsWith((names) => names.filter((n) => firing.has(n)));
      w.asg.startInstanceRefresh({
        AutoScalingGroupName: 'web',
        DesiredConfiguration: { LaunchTemplate: { Version: '2' } },
        Preferences: {
          MinHealthyPercentage: 50,
          AutoRollback: true,
          BakeTime: 3600,
          AlarmSpecification: { Alarms: ['web-5xx'] },
        },
      });
      return w;
    };
    const baked = start();
    baked.runTo(START + 20 * MINUTE);
    expect(status(baked.asg)).toMatchObject({
      Status: 'Baking',
      PercentageComplete: 100,
      Preferences: { BakeTime: 3600 },
    });
    expect(() => baked.asg.startInstanceRefresh({ AutoScalingGroupName: 'web' })).toThrow(
      expect.objectContaining({ Code: 'InstanceRefreshInProgress' }),
    );
    baked.runTo(START + 90 * MINUTE);
    expect(status(baked.asg)?.Status).toBe('Successful');

    const alarmed = start();
    alarmed.runTo(START + 20 * MINUTE);
    firing.add('web-5xx');
    alarmed.asg.advanceTo(START + 20 * MINUTE + 15_000);
    expect(status(alarmed.asg)).toMatchObject({ Status: 'RollbackInProgress' });
    expect(status(alarmed.asg)?.RollbackDetails?.RollbackReason).toMatch(/web-5xx in ALARM/);
    firing.clear();

    const rolledBack = start();
    rolledBack.runTo(START + 20 * MINUTE);
    rolledBack.asg.rollbackInstanceRefresh({ AutoScalingGroupName: 'web' });
    expect(status(rolledBack.asg)?.Status).toBe('RollbackInProgress');
  });

  it('refuses AutoRollback where Auto Scaling cannot roll back: no desired configuration, an alias or an SSM AMI to return to', () => {
    const start = (w: ReturnType<typeof world>, desired: boolean) => () =>
      w.asg.startInstanceRefresh({
        AutoScalingGroupName: 'web',
        ...(desired ? { DesiredConfiguration: { LaunchTemplate: { Version: '2' } } } : {}),
        Preferences: { AutoRollback: true },
      });
    const refused = (why: RegExp) =>
      expect.objectContaining({ name: 'ValidationError', message: expect.stringMatching(why) });
    expect(start(world(), false)).toThrow(refused(/no DesiredConfiguration/));
    expect(start(world({ launchTemplateVersion: '$Latest' }), true)).toThrow(refused(/version \$Latest/));
    const ssm = world();
    ssm.asg.readTemplatesWith((_, version) => ({
      ImageId: version === '1' ? 'resolve:ssm:/aws/service/al2023' : 'ami-1',
    }));
    expect(start(ssm, true)).toThrow(refused(/Systems Manager parameter/));
    const plain = world();
    plain.asg.readTemplatesWith(() => ({ ImageId: 'ami-0abc' }));
    expect(start(plain, true)()).toHaveProperty('InstanceRefreshId');
  });

  it('refuses RollbackInstanceRefresh as AWS does (IrreversibleInstanceRefresh) where it cannot undo the refresh', () => {
    const rollBack = (w: ReturnType<typeof world>, desired: boolean) => () => {
      w.asg.startInstanceRefresh({
        AutoScalingGroupName: 'web',
        ...(desired ? { DesiredConfiguration: { LaunchTemplate: { Version: '2' } } } : {}),
      });
      return w.asg.rollbackInstanceRefresh({ AutoScalingGroupName: 'web' });
    };
    const refused = (why: RegExp) =>
      expect.objectContaining({
        name: 'IrreversibleInstanceRefreshFault',
        message: expect.stringMatching(why),
      });
    expect(rollBack(world(), false)).toThrow(refused(/no DesiredConfiguration/));
    expect(rollBack(world({ launchTemplateVersion: '$Default' }), true)).toThrow(
      refused(/version \$Default/),
    );
    const ssm = world();
    ssm.asg.readTemplatesWith((_, version) => ({
      ImageId: version === '1' ? 'resolve:ssm:/aws/service/al2023' : 'ami-1',
    }));
    expect(rollBack(ssm, true)).toThrow(refused(/version 1 takes its AMI from a Systems Manager parameter/));
    // Refused, the refresh goes on as it was.
    expect(status(ssm.asg)?.Status).toBe('Pending');
    const plain = world();
    plain.asg.readTemplatesWith(() => ({ ImageId: 'ami-0abc' }));
    expect(rollBack(plain, true)()).toHaveProperty('InstanceRefreshId');
    expect(status(plain.asg)?.Status).toBe('RollbackInProgress');
  });

  it("launches a single-template group's instances as its launch template version's type, a mixed group's as its first override", () => {
    const types = ({ version }: { version: string }) => ({
      InstanceType: version === '2' ? 'c5.large' : 'm5.large',
    });
    const single = world({ desiredCapacity: 2 });
    single.asg.readTemplatesWith((_, version) => types({ version }));
    single.asg.startInstanceRefresh({
      AutoScalingGroupName: 'web',
      DesiredConfiguration: { LaunchTemplate: { Version: '2' } },
    });
    single.runTo(START + 30 * MINUTE);
    expect(single.asg.instanceType('web')).toBe('c5.large');
    const instances = (
      single.asg.describeAutoScalingGroups({ AutoScalingGroupNames: ['web'] }) as {
        AutoScalingGroups: { Instances: { InstanceType: string; LifecycleState: string }[] }[];
      }
    ).AutoScalingGroups[0]?.Instances.filter((i) => i.LifecycleState === 'InService');
    expect(new Set(instances?.map((i) => i.InstanceType))).toEqual(new Set(['c5.large']));
    const mixed = world({ mixedInstances: { instanceTypes: ['m6i.large', 'm5.large'] } });
    mixed.asg.readTemplatesWith((_, version) => types({ version }));
    expect(mixed.asg.instanceType('web')).toBe('m6i.large');
  });

  it('fails without rollback, and rolls back or cancels on request', () => {
    failedRefreshToVersion2();

    const rolled = world({ desiredCapacity: 2 });
    rolled.asg.startInstanceRefresh({
      AutoScalingGroupName: 'web',
      DesiredConfiguration: { LaunchTemplate: { Version: '2' } },
    });
    rolled.runTo(START + MINUTE);
    rolled.asg.rollbackInstanceRefresh({ AutoScalingGroupName: 'web' });
    rolled.runTo(START + 30 * MINUTE);
    expect(status(rolled.asg)?.Status).toBe('RollbackSuccessful');

    const cancelled = world({ desiredCapacity: 2 });
    cancelled.asg.startInstanceRefresh({ AutoScalingGroupName: 'web' });
    cancelled.asg.cancelInstanceRefresh({ AutoScalingGroupName: 'web' });
    cancelled.runTo(START + MINUTE);
    expect(status(cancelled.asg)?.Status).toBe('Cancelled');
    expect(() => cancelled.asg.cancelInstanceRefresh({ AutoScalingGroupName: 'web' })).toThrow(
      expect.objectContaining({ name: 'ActiveInstanceRefreshNotFoundFault' }),
    );
  });

  it('cancels a rollback in progress, as CancelInstanceRefresh does ("an instance refresh or rollback that is in progress")', () => {
    const { asg, runTo } = world({ desiredCapacity: 4 });
    asg.startInstanceRefresh({
      AutoScalingGroupName: 'web',
      DesiredConfiguration: { LaunchTemplate: { Version: '2' } },
    });
    runTo(START + 3 * MINUTE);
    asg.rollbackInstanceRefresh({ AutoScalingGroupName: 'web' });
    runTo(START + 4 * MINUTE);
    expect(status(asg)?.Status).toBe('RollbackInProgress');
    // Not ActiveInstanceRefreshNotFound: a rollback is active (an assumed answer, AWS documents none).
    expect(() => asg.rollbackInstanceRefresh({ AutoScalingGroupName: 'web' })).toThrow(
      expect.objectContaining({ name: 'ValidationError' }),
    );
    const refreshId = (
      asg.describeInstanceRefreshes({ AutoScalingGroupName: 'web' }) as {
        InstanceRefreshes: { InstanceRefreshId: string }[];
      }
    ).InstanceRefreshes[0]?.InstanceRefreshId;
    expect(asg.cancelInstanceRefresh({ AutoScalingGroupName: 'web' })).toEqual({
      InstanceRefreshId: refreshId,
    });
    expect(status(asg)?.Status).toBe('Cancelling');
    runTo(START + 5 * MINUTE);
    expect(status(asg)?.Status).toBe('Cancelled');
    const described = asg.describeAutoScalingGroups({ AutoScalingGroupNames: ['web'] }) as {
      AutoScalingGroups: { LaunchTemplate?: { Version?: string } }[];
    };
    // The refresh never succeeded: the group keeps its own launch template version.
    expect(described.AutoScalingGroups[0]?.LaunchTemplate?.Version).toBe('1');
    expect(() => asg.cancelInstanceRefresh({ AutoScalingGroupName: 'web' })).toThrow(
      expect.objectContaining({ name: 'ActiveInstanceRefreshNotFoundFault' }),
    );
  });

  describe("the group's own settings: changed by a desired configuration only once the refresh succeeds", () => {
    type Group = {
      LaunchTemplate?: { Version?: string };
      Instances: { LifecycleState: string; LaunchTemplate?: { Version?: string } }[];
    };
    const group = (asg: SimulatedAutoScaling) =>
      (asg.describeAutoScalingGroups({ AutoScalingGroupNames: ['web'] }) as { AutoScalingGroups: Group[] })
        .AutoScalingGroups[0] as Group;
    const versions = (asg: SimulatedAutoScaling) =>
      group(asg)
        .Instances.map((i) => i.LaunchTemplate?.Version)
        .sort();
    const toVersion2 = (asg: SimulatedAutoScaling) =>
      asg.startInstanceRefresh({
        AutoScalingGroupName: 'web',
        DesiredConfiguration: { LaunchTemplate: { Version: '2' } },
        Preferences: { CheckpointPercentages: [50, 100], CheckpointDelay: 3600 },
      });
    const NOT_AVAILABLE = /An active instance refresh with a desired configuration exists/;

    it('launches the desired configuration during the refresh while Describe keeps the group’s own', () => {
      const { asg, runTo } = world({ desiredCapacity: 2 });
      toVersion2(asg);
      runTo(START + 10 * MINUTE);
      expect(status(asg)?.Status).toBe('InProgress');
      expect(group(asg).LaunchTemplate?.Version).toBe('1');
      asg.updateAutoScalingGroup({ AutoScalingGroupName: 'web', MaxSize: 10, DesiredCapacity: 4 });
      expect(versions(asg).filter((v) => v === '2').length).toBeGreaterThanOrEqual(3);
    });

    it('refuses to change the launch template or mixed instances policy meanwhile, not the capacity', () => {
      const { asg, runTo } = world({ desiredCapacity: 2 });
      toVersion2(asg);
      runTo(START + MINUTE);
      for (const change of [
        { LaunchTemplate: { LaunchTemplateId: 'lt-web', Version: '3' } },
        { MixedInstancesPolicy: { LaunchTemplate: { LaunchTemplateSpecification: { Version: '3' } } } },
      ])
        expect(() => asg.updateAutoScalingGroup({ AutoScalingGroupName: 'web', ...change })).toThrow(
          expect.objectContaining({
            name: 'ValidationError',
            message: expect.stringMatching(NOT_AVAILABLE),
          }),
        );
      expect(() => asg.updateAutoScalingGroup({ AutoScalingGroupName: 'web', MinSize: 3 })).not.toThrow();
      asg.cancelInstanceRefresh({ AutoScalingGroupName: 'web' });
      runTo(START + 2 * MINUTE);
      asg.updateAutoScalingGroup({ AutoScalingGroupName: 'web', LaunchTemplate: { Version: '3' } });
      expect(group(asg).LaunchTemplate?.Version).toBe('3');
    });

    it('stays on its own version after a cancel: later launches use it', () => {
      const { asg, runTo } = world({ desiredCapacity: 2 });
      toVersion2(asg);
      runTo(START + 10 * MINUTE);
      asg.cancelInstanceRefresh({ AutoScalingGroupName: 'web' });
      runTo(START + 11 * MINUTE);
      expect(status(asg)?.Status).toBe('Cancelled');
      expect(group(asg).LaunchTemplate?.Version).toBe('1');
      const before = versions(asg);
      asg.updateAutoScalingGroup({ AutoScalingGroupName: 'web', MaxSize: 10, DesiredCapacity: 6 });
      const launched = [...versions(asg)];
      for (const v of before) launched.splice(launched.indexOf(v), 1);
      expect(launched).toEqual(['1', '1', '1', '1']);
    });

    it('stays on its own version after a failure without AutoRollback, and moves on success', () => {
      const failing = failedRefreshToVersion2();
      expect(group(failing.asg).LaunchTemplate?.Version).toBe('1');

      const succeeding = world({ desiredCapacity: 2 });
      succeeding.asg.startInstanceRefresh({
        AutoScalingGroupName: 'web',
        DesiredConfiguration: { LaunchTemplate: { Version: '2' } },
      });
      succeeding.runTo(START + 30 * MINUTE);
      expect(status(succeeding.asg)?.Status).toBe('Successful');
      expect(group(succeeding.asg).LaunchTemplate?.Version).toBe('2');
      expect(versions(succeeding.asg)).toEqual(['2', '2']);
    });

    it('keeps a group on $Default when the desired configuration names $Default, replacing every instance', () => {
      const { asg, runTo } = world({ desiredCapacity: 2, launchTemplateVersion: '$Default' });
      const before = group(asg).Instances.map((i) => (i as { InstanceId?: string }).InstanceId);
      asg.startInstanceRefresh({
        AutoScalingGroupName: 'web',
        DesiredConfiguration: { LaunchTemplate: { Version: '$Default' } },
      });
      runTo(START + 30 * MINUTE);
      expect(status(asg)?.Status).toBe('Successful');
      expect(group(asg).LaunchTemplate?.Version).toBe('$Default');
      const after = group(asg).Instances.map((i) => (i as { InstanceId?: string }).InstanceId);
      expect(after.filter((id) => before.includes(id))).toEqual([]);
    });

    it('lets a group be pointed elsewhere during a refresh without a desired configuration', () => {
      const { asg } = world({ desiredCapacity: 2 });
      asg.startInstanceRefresh({ AutoScalingGroupName: 'web' });
      asg.updateAutoScalingGroup({ AutoScalingGroupName: 'web', LaunchTemplate: { Version: '3' } });
      expect(group(asg).LaunchTemplate?.Version).toBe('3');
    });
  });
});

/** A two-instance group five minutes into a refresh to version 2, whose instances fail their health checks: Failed. */
function failedRefreshToVersion2() {
  const failing = world({ desiredCapacity: 2, unhealthyLaunchTemplateVersions: ['2'] });
  failing.asg.startInstanceRefresh({
    AutoScalingGroupName: 'web',
    DesiredConfiguration: { LaunchTemplate: { Version: '2' } },
  });
  failing.runTo(START + 5 * MINUTE);
  expect(status(failing.asg)?.Status).toBe('Failed');
  return failing;
}
