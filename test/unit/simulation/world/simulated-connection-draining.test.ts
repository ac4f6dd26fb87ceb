import { SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';
import { publishedGroupMetric } from '../../../helpers/published-group-metric';
import { webGroupSpec } from '../../../helpers/web-group-spec';

const START = Date.UTC(2026, 0, 5);
const asg = { AutoScalingGroupName: 'web' };

/** A group of 4 ready instances scaled in to 2 at START, with `deregistrationDelaySeconds`. */
function scaledIn(deregistrationDelaySeconds?: number) {
  const world = new SimulatedWorld({ startMs: START, seed: 1 });
  world.createGroup(webGroupSpec({ desiredCapacity: 4, deregistrationDelaySeconds }));
  world.autoScaling.setDesiredCapacity({ ...asg, DesiredCapacity: 2 }, 'a test');
  return world;
}

/** The value a minute's metric was published with: a 60 s Average over that minute. */
const published = (world: SimulatedWorld, namespace: string, metricName: string, minuteMs: number) =>
  publishedGroupMetric(world, { namespace, metricName }, minuteMs);

describe('SimulatedWorld, scale-in through a deregistration delay', () => {
  it('keeps the instances it lets go Terminating and reporting CPU for the delay, then terminates them', async () => {
    const world = scaledIn(300);
    const lifecycle = async () => {
      const out = (await world.answer('autoscaling', 'DescribeAutoScalingGroupsCommand', {
        AutoScalingGroupNames: ['web'],
      })) as { AutoScalingGroups: { Instances: { LifecycleState: string }[] }[] };
      return out.AutoScalingGroups[0]?.Instances.map((i) => i.LifecycleState).sort();
    };
    expect(await lifecycle()).toEqual(['InService', 'InService', 'Terminating', 'Terminating']);
    expect(world.autoScaling.counts('web')).toMatchObject({
      inService: 2,
      terminating: 2,
      drainingInstances: 2,
    });
    world.recordMinute('web', START, 200);
    // The drained instances still finish their connections: 200 over 4 instances' worth of work.
    expect(published(world, 'AWS/EC2', 'CPUUtilization', START)).toBe(50);
    expect(published(world, 'AWS/AutoScaling', 'GroupInServiceInstances', START)).toBe(2);
    expect(published(world, 'AWS/AutoScaling', 'GroupTerminatingInstances', START)).toBe(2);
    expect(published(world, 'AWS/AutoScaling', 'GroupTotalInstances', START)).toBe(4);

    // Halfway, their connections are half done: the ready two serve the rest.
    world.advanceTo(START + 150_000);
    expect(world.autoScaling.counts('web').drainingInstances).toBeCloseTo(1, 9);
    world.recordMinute('web', START + 150_000, 300);
    expect(published(world, 'AWS/EC2', 'CPUUtilization', START + 150_000)).toBeCloseTo(300 / 4, 9);

    world.advanceTo(START + 300_000);
    expect(await lifecycle()).toEqual(['InService', 'InService']);
    expect(world.autoScaling.counts('web')).toMatchObject({ inService: 2, terminating: 0 });
    const activities = world.autoScaling.describeScalingActivities(asg) as {
      Activities: { Description: string; StatusCode: string; StartTime: Date; EndTime?: Date }[];
    };
    const terminations = activities.Activities.filter((a) => a.Description.startsWith('Terminating'));
    expect(terminations).toHaveLength(2);
    for (const a of terminations) {
      expect(a).toMatchObject({
        StatusCode: 'Successful',
        StartTime: new Date(START),
        EndTime: new Date(START + 300_000),
      });
    }
  });

  it('shows its activity WaitingForELBConnectionDraining while it drains', () => {
    const world = scaledIn(300);
    const activities = world.autoScaling.describeScalingActivities(asg) as {
      Activities: { StatusCode: string }[];
    };
    expect(
      activities.Activities.filter((a) => a.StatusCode === 'WaitingForELBConnectionDraining'),
    ).toHaveLength(2);
  });

  it('terminates at once without a deregistration delay, as before', () => {
    const world = scaledIn();
    expect(world.autoScaling.counts('web')).toMatchObject({
      inService: 2,
      terminating: 0,
      drainingInstances: 0,
    });
    world.recordMinute('web', START, 200);
    expect(published(world, 'AWS/EC2', 'CPUUtilization', START)).toBe(100);
  });
});
