import type { SimulatedAutoScaling } from '../../../../shared/simulation/world/simulated-auto-scaling';
import { MINUTE, START, autoScalingWorld as world } from '../../../helpers/simulated-auto-scaling-world';

type Described = {
  AutoScalingGroups: {
    Instances: { InstanceId: string; ProtectedFromScaleIn: boolean; LaunchTemplate: { Version: string } }[];
  }[];
};
const instances = (asg: SimulatedAutoScaling) =>
  (asg.describeAutoScalingGroups({}) as Described).AutoScalingGroups[0]?.Instances ?? [];
const status = (asg: SimulatedAutoScaling) =>
  (
    asg.describeInstanceRefreshes({ AutoScalingGroupName: 'web' }) as {
      InstanceRefreshes: { Status: string; StatusReason?: string }[];
    }
  ).InstanceRefreshes[0];

/** Four instances in service, the first protected from scale in, then a refresh to version 2. */
function protectedFirst(preference?: 'Refresh' | 'Ignore' | 'Wait') {
  const built = world({ desiredCapacity: 4 });
  built.runTo(START + 5 * MINUTE);
  const [first] = instances(built.asg);
  built.asg.setInstanceProtection({
    AutoScalingGroupName: 'web',
    InstanceIds: [first?.InstanceId ?? ''],
    ProtectedFromScaleIn: true,
  });
  built.asg.startInstanceRefresh({
    AutoScalingGroupName: 'web',
    DesiredConfiguration: { LaunchTemplate: { Version: '2' } },
    Preferences: {
      MinHealthyPercentage: 75,
      InstanceWarmup: 60,
      ...(preference ? { ScaleInProtectedInstances: preference } : {}),
    },
  });
  return { ...built, protectedId: first?.InstanceId };
}

describe('SimulatedAutoScaling and instances protected from scale in', () => {
  it('reports the protection and keeps a protected instance through a scale-in', () => {
    const { asg, runTo } = world({ desiredCapacity: 3 });
    runTo(START + 5 * MINUTE);
    const ids = instances(asg).map((i) => i.InstanceId);
    asg.setInstanceProtection({ AutoScalingGroupName: 'web', InstanceIds: ids, ProtectedFromScaleIn: true });
    expect(instances(asg).every((i) => i.ProtectedFromScaleIn)).toBe(true);
    asg.setDesiredCapacity({ AutoScalingGroupName: 'web', DesiredCapacity: 1 });
    runTo(START + 10 * MINUTE);
    expect(instances(asg).map((i) => i.InstanceId)).toEqual(ids);
    expect(() =>
      asg.setInstanceProtection({
        AutoScalingGroupName: 'web',
        InstanceIds: ['i-0nope'],
        ProtectedFromScaleIn: true,
      }),
    ).toThrow(/not part of Auto Scaling group web/);
  });

  it('waits an hour for the protection to go under Wait (the default), then fails', () => {
    const { asg, runTo } = protectedFirst();
    runTo(START + 40 * MINUTE);
    expect(status(asg)).toMatchObject({
      Status: 'InProgress',
      StatusReason: expect.stringContaining('protected'),
    });
    runTo(START + 100 * MINUTE);
    expect(status(asg)).toMatchObject({
      Status: 'Failed',
      StatusReason: expect.stringContaining('after an hour'),
    });
  });

  it('leaves protected instances on the old version under Ignore, and succeeds', () => {
    const { asg, runTo, protectedId } = protectedFirst('Ignore');
    runTo(START + 40 * MINUTE);
    expect(status(asg)?.Status).toBe('Successful');
    const versions = Object.fromEntries(instances(asg).map((i) => [i.InstanceId, i.LaunchTemplate.Version]));
    expect(versions[protectedId ?? '']).toBe('1');
    expect(Object.values(versions).filter((v) => v === '2')).toHaveLength(3);
  });

  it('replaces protected instances too under Refresh', () => {
    const { asg, runTo, protectedId } = protectedFirst('Refresh');
    runTo(START + 40 * MINUTE);
    expect(status(asg)?.Status).toBe('Successful');
    expect(instances(asg).map((i) => i.InstanceId)).not.toContain(protectedId);
    expect(instances(asg).every((i) => i.LaunchTemplate.Version === '2')).toBe(true);
  });
});
