import { MINUTE, START, autoScalingWorld as world } from '../../../helpers/simulated-auto-scaling-world';
import { webGroupSpec } from '../../../helpers/web-group-spec';

type Described = { AutoScalingGroups: { Status?: string; MinSize: number; Instances: unknown[] }[] };
const described = (asg: ReturnType<typeof world>['asg']) =>
  (asg.describeAutoScalingGroups({ AutoScalingGroupNames: ['web'] }) as Described).AutoScalingGroups[0];
const PENDING_DELETE = 'The AutoScaling group may not be modified while it is pending delete';

describe('SimulatedAutoScaling deleting a group', () => {
  it('refuses to delete a group with instances unless forced, changing nothing', () => {
    const { asg } = world();
    expect(() => asg.deleteAutoScalingGroup({ AutoScalingGroupName: 'web' })).toThrow(
      expect.objectContaining({ name: 'ResourceInUseFault', Code: 'ResourceInUse' }),
    );
    expect(described(asg)).not.toHaveProperty('Status');
    expect(asg.isPendingDelete('web')).toBe(false);
  });

  it('reports a forced delete as "Delete in progress" and terminates the instances', () => {
    const { asg } = world({ minSize: 2, desiredCapacity: 2 });
    asg.deleteAutoScalingGroup({ AutoScalingGroupName: 'web', ForceDelete: true });
    expect(described(asg)).toMatchObject({ Status: 'Delete in progress', MinSize: 0, Instances: [] });
    expect(asg.isPendingDelete('web')).toBe(true);
  });

  it('removes the group once its instances are gone: no longer listed, and every call naming it is refused', () => {
    const { asg, runTo } = world({ minSize: 2, desiredCapacity: 2 });
    asg.deleteAutoScalingGroup({ AutoScalingGroupName: 'web', ForceDelete: true });
    runTo(START + MINUTE);
    expect(asg.exists('web')).toBe(false);
    expect(asg.describeAutoScalingGroups({ AutoScalingGroupNames: ['web'] })).toEqual({
      AutoScalingGroups: [],
    });
    expect(asg.describeAutoScalingGroups({})).toEqual({ AutoScalingGroups: [] });
    const web = { AutoScalingGroupName: 'web' };
    const tag = [{ ResourceId: 'web', ResourceType: 'auto-scaling-group', Key: 'k', Value: 'v' }];
    // Each call's own text, as AWS has answered it (docs/evaluation.md lists where each was seen).
    const answers: [() => unknown, string][] = [
      [
        () => asg.deleteAutoScalingGroup({ ...web, ForceDelete: true }),
        "AutoScalingGroup name not found - AutoScalingGroup 'web' not found",
      ],
      [() => asg.updateAutoScalingGroup({ ...web, MinSize: 1 }), 'AutoScalingGroup name not found - null'],
      [
        () => asg.setDesiredCapacity({ ...web, DesiredCapacity: 0 }),
        'AutoScalingGroup name not found - null',
      ],
      [
        () => asg.batchPutScheduledUpdateGroupAction({ ...web, ScheduledUpdateGroupActions: [] }),
        'AutoScalingGroup name not found - null',
      ],
      [
        () => asg.putWarmPool({ ...web, MinSize: 1 }),
        'AutoScalingGroup name not found - No such Auto Scaling group: web',
      ],
      [() => asg.describeWarmPool(web), 'AutoScalingGroup name not found - No such Auto Scaling group: web'],
      [
        () => asg.createOrUpdateTags({ Tags: tag }),
        'AutoScalingGroup not found - AutoScaling Group web not found',
      ],
      [() => asg.deleteTags({ Tags: tag }), 'AutoScalingGroup not found - AutoScaling Group web not found'],
      [
        () => asg.describeScheduledActions(web),
        'AutoScalingGroup name not found - AutoScalingGroup web not found',
      ],
      [
        () => asg.describeInstanceRefreshes(web),
        'AutoScalingGroup name not found - AutoScalingGroup web not found',
      ],
      [() => asg.describePolicies(web), 'AutoScalingGroup name not found - AutoScalingGroup web not found'],
      [
        () => asg.startInstanceRefresh(web),
        'AutoScalingGroup name not found - AutoScalingGroup web not found',
      ],
    ];
    for (const [call, message] of answers)
      expect(call).toThrow(expect.objectContaining({ name: 'ValidationError', message }));
    // Its activities are not listed, and asking for them is no error (AWS keeps them for IncludeDeletedGroups).
    expect(asg.describeScalingActivities(web)).toMatchObject({ Activities: [] });
  });

  it('deletes the warm pool with the group, instead of refilling it forever', () => {
    const { asg, runTo } = world({
      minSize: 1,
      desiredCapacity: 1,
      warmPool: { minSize: 2, maxGroupPreparedCapacity: 1 },
    });
    runTo(START + 30 * MINUTE);
    expect(asg.counts('web').warmPoolStopped).toBe(2);
    asg.deleteAutoScalingGroup({ AutoScalingGroupName: 'web', ForceDelete: true });
    expect(described(asg)).not.toHaveProperty('WarmPoolConfiguration');
    runTo(START + 60 * MINUTE);
    expect(asg.exists('web')).toBe(false);
  });

  describe('a forced delete takes every instance, whatever would hold one back from a scale-in', () => {
    const forced = (hold: (asg: ReturnType<typeof world>['asg'], ids: string[]) => void) => {
      const { asg, runTo } = world({ minSize: 2, desiredCapacity: 2 });
      runTo(START + 10 * MINUTE);
      const ids = (
        asg.describeAutoScalingGroups({ AutoScalingGroupNames: ['web'] }) as {
          AutoScalingGroups: { Instances: { InstanceId: string }[] }[];
        }
      ).AutoScalingGroups[0]?.Instances.map((i) => i.InstanceId);
      expect(ids).toHaveLength(2);
      hold(asg, ids ?? []);
      asg.deleteAutoScalingGroup({ AutoScalingGroupName: 'web', ForceDelete: true });
      runTo(START + 20 * MINUTE);
      return asg;
    };

    it('scale-in protection', () => {
      const asg = forced((a, ids) =>
        a.setInstanceProtection({
          AutoScalingGroupName: 'web',
          InstanceIds: ids,
          ProtectedFromScaleIn: true,
        }),
      );
      expect(asg.exists('web')).toBe(false);
    });

    it('a suspended Terminate process', () => {
      const asg = forced((a) =>
        a.suspendProcesses({ AutoScalingGroupName: 'web', ScalingProcesses: ['Terminate'] }),
      );
      expect(asg.exists('web')).toBe(false);
    });

    it('a refresh keeping instances until their replacements are healthy', () => {
      const asg = forced((a) => {
        a.startInstanceRefresh({
          AutoScalingGroupName: 'web',
          Preferences: { MinHealthyPercentage: 100, MaxHealthyPercentage: 150 },
        });
        a.advanceTo(START + 11 * MINUTE);
      });
      expect(asg.exists('web')).toBe(false);
    });
  });

  it('keeps the name free for a new group once the old one is gone', () => {
    const { asg, runTo } = world();
    asg.deleteAutoScalingGroup({ AutoScalingGroupName: 'web', ForceDelete: true });
    runTo(START + MINUTE);
    asg.createGroup(webGroupSpec({ minSize: 1, desiredCapacity: 1 }));
    expect(described(asg)).not.toHaveProperty('Status');
    expect(described(asg)?.Instances).toHaveLength(1);
  });

  it('refuses every change to a group pending delete, with the ValidationError AWS answers', () => {
    const { asg } = world();
    asg.deleteAutoScalingGroup({ AutoScalingGroupName: 'web', ForceDelete: true });
    const refused = expect.objectContaining({ name: 'ValidationError', message: PENDING_DELETE });
    const web = { AutoScalingGroupName: 'web' };
    const tag = {
      ResourceId: 'web',
      ResourceType: 'auto-scaling-group',
      Key: 'prescale:deployment',
      Value: 'P',
    };
    for (const change of [
      () => asg.updateAutoScalingGroup({ ...web, MinSize: 3, MaxSize: 10 }),
      () => asg.setDesiredCapacity({ ...web, DesiredCapacity: 0 }),
      () =>
        asg.batchPutScheduledUpdateGroupAction({
          ...web,
          ScheduledUpdateGroupActions: [
            { ScheduledActionName: 'prescale-next', StartTime: new Date(START + 60 * MINUTE), MinSize: 2 },
          ],
        }),
      () => asg.batchDeleteScheduledAction({ ...web, ScheduledActionNames: ['prescale-next'] }),
      () => asg.putWarmPool({ ...web, MinSize: 1 }),
      () => asg.createOrUpdateTags({ Tags: [tag] }),
      () => asg.deleteTags({ Tags: [tag] }),
      () => asg.suspendProcesses({ ...web, ScalingProcesses: ['Launch'] }),
      () => asg.startInstanceRefresh(web),
    ])
      expect(change).toThrow(refused);
    // Reading it still answers, and a second delete is a no-op.
    expect(described(asg)?.Status).toBe('Delete in progress');
    expect(() => asg.deleteAutoScalingGroup({ ...web, ForceDelete: true })).not.toThrow();
  });

  it('runs none of its scheduled actions once pending delete: the group goes with them', () => {
    const { asg } = world({ minSize: 0, desiredCapacity: 0 });
    asg.putScheduledUpdateGroupAction({
      AutoScalingGroupName: 'web',
      ScheduledActionName: 'owner-morning',
      StartTime: new Date(START + MINUTE),
      MinSize: 4,
      MaxSize: 10,
    });
    asg.deleteAutoScalingGroup({ AutoScalingGroupName: 'web' });
    // Run, it would launch 4 instances into the group, and the group would stay.
    for (let t = START + MINUTE; t <= START + 60 * MINUTE; t += MINUTE) asg.advanceTo(t);
    expect(asg.exists('web')).toBe(false);
  });
});
