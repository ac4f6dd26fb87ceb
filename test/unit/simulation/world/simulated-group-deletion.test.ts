import { MINUTE, START, autoScalingWorld as world } from '../../../helpers/simulated-auto-scaling-world';

type Described = { AutoScalingGroups: { Status?: string; MinSize: number; Instances: unknown[] }[] };
const described = (asg: ReturnType<typeof world>['asg']) =>
  (asg.describeAutoScalingGroups({ AutoScalingGroupNames: ['web'] }) as Described).AutoScalingGroups[0];
const PENDING_DELETE = 'The AutoScaling group may not be modified while it is pending delete';

describe('SimulatedAutoScaling deleting a group', () => {
  it('refuses to delete a group with instances unless forced, changing nothing', () => {
    const { asg } = world();
    expect(() => asg.deleteAutoScalingGroup({ AutoScalingGroupName: 'web' })).toThrow(
      expect.objectContaining({ name: 'ResourceInUse' }),
    );
    expect(described(asg)).not.toHaveProperty('Status');
    expect(asg.isPendingDelete('web')).toBe(false);
  });

  it('reports a forced delete as "Delete in progress" and terminates the instances', () => {
    const { asg, runTo } = world({ minSize: 2, desiredCapacity: 2 });
    asg.deleteAutoScalingGroup({ AutoScalingGroupName: 'web', ForceDelete: true });
    runTo(START + MINUTE);
    expect(described(asg)).toMatchObject({ Status: 'Delete in progress', MinSize: 0, Instances: [] });
    expect(asg.isPendingDelete('web')).toBe(true);
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

  it('runs none of its scheduled actions once pending delete', () => {
    const { asg, runTo } = world({ minSize: 0, desiredCapacity: 0 });
    asg.putScheduledUpdateGroupAction({
      AutoScalingGroupName: 'web',
      ScheduledActionName: 'owner-morning',
      StartTime: new Date(START + 30 * MINUTE),
      MinSize: 4,
    });
    asg.deleteAutoScalingGroup({ AutoScalingGroupName: 'web' });
    runTo(START + 60 * MINUTE);
    expect(described(asg)).toMatchObject({ MinSize: 0, Instances: [] });
  });
});
