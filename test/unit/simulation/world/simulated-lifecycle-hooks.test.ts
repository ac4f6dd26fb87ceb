import { SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';
import { publishedGroupMetric } from '../../../helpers/published-group-metric';
import { webGroupSpec } from '../../../helpers/web-group-spec';

const START = Date.UTC(2026, 0, 5);
const MINUTE = 60_000;
const asg = { AutoScalingGroupName: 'web' };

/** The lifecycle states DescribeAutoScalingGroups shows for the group, sorted. */
async function lifecycleStates(world: SimulatedWorld) {
  const out = (await world.answer('autoscaling', 'DescribeAutoScalingGroupsCommand', {
    AutoScalingGroupNames: ['web'],
  })) as { AutoScalingGroups: { Instances: { LifecycleState: string }[] }[] };
  return out.AutoScalingGroups[0]?.Instances.map((i) => i.LifecycleState).sort();
}

/** The group's CPUUtilization Average for the minute at `minuteMs`. */
const groupCpu = (world: SimulatedWorld, minuteMs: number) =>
  publishedGroupMetric(world, { namespace: 'AWS/EC2', metricName: 'CPUUtilization' }, minuteMs);

describe('SimulatedWorld, lifecycle hooks', () => {
  it('holds a booted instance Pending:Wait for its launch hook, its bootstrap CPU averaged into the group', async () => {
    const world = new SimulatedWorld({ startMs: START, seed: 1 });
    world.createGroup(webGroupSpec({ lifecycleHooks: { launchingSeconds: 300, launchingCpuPct: 30 } }));
    world.autoScaling.setDesiredCapacity({ ...asg, DesiredCapacity: 4 }, 'a test');
    world.advanceTo(START + MINUTE);
    expect(await lifecycleStates(world)).toEqual(['InService', 'InService', 'Pending', 'Pending']);
    // Booted after the 120 s launch delay, then waiting.
    world.advanceTo(START + 3 * MINUTE);
    expect(await lifecycleStates(world)).toEqual(['InService', 'InService', 'Pending:Wait', 'Pending:Wait']);
    expect(world.autoScaling.counts('web')).toMatchObject({ pending: 2, pendingWait: 2, inService: 2 });
    world.recordMinute('web', START + 3 * MINUTE, 100);
    // The two ready serve 100 (50 % each); the two waiting burn 30 % each on their bootstrap.
    expect(groupCpu(world, START + 3 * MINUTE)).toBe((100 + 2 * 30) / 4);
    world.advanceTo(START + 7 * MINUTE);
    expect(await lifecycleStates(world)).toEqual(['InService', 'InService', 'InService', 'InService']);
  });

  it('holds an instance scale-in takes Terminating:Wait for its termination hook, idle, then terminates it', async () => {
    const world = new SimulatedWorld({ startMs: START, seed: 1 });
    world.createGroup(webGroupSpec({ desiredCapacity: 4, lifecycleHooks: { terminatingSeconds: 120 } }));
    world.autoScaling.setDesiredCapacity({ ...asg, DesiredCapacity: 2 }, 'a test');
    expect(await lifecycleStates(world)).toEqual([
      'InService',
      'InService',
      'Terminating:Wait',
      'Terminating:Wait',
    ]);
    const activities = () =>
      (
        world.autoScaling.describeScalingActivities(asg) as {
          Activities: { Description: string; StatusCode: string }[];
        }
      ).Activities.filter((a) => a.Description.startsWith('Terminating')).map((a) => a.StatusCode);
    expect(activities()).toEqual(['MidLifecycleAction', 'MidLifecycleAction']);
    world.recordMinute('web', START, 200);
    // The ready two serve it all (100 % each); the waiting two idle at 0 %.
    expect(groupCpu(world, START)).toBe(50);
    world.advanceTo(START + 2 * MINUTE);
    expect(await lifecycleStates(world)).toEqual(['InService', 'InService']);
    expect(activities()).toEqual(['Successful', 'Successful']);
  });

  it('drains through the deregistration delay first, then waits for the termination hook', async () => {
    const world = new SimulatedWorld({ startMs: START, seed: 1 });
    world.createGroup(
      webGroupSpec({
        desiredCapacity: 3,
        deregistrationDelaySeconds: 60,
        lifecycleHooks: { terminatingSeconds: 60 },
      }),
    );
    world.autoScaling.setDesiredCapacity({ ...asg, DesiredCapacity: 2 }, 'a test');
    expect(await lifecycleStates(world)).toEqual(['InService', 'InService', 'Terminating']);
    world.advanceTo(START + MINUTE);
    expect(await lifecycleStates(world)).toEqual(['InService', 'InService', 'Terminating:Wait']);
    world.advanceTo(START + 2 * MINUTE);
    expect(await lifecycleStates(world)).toEqual(['InService', 'InService']);
  });
});

describe('lifecycle hooks or a drain beside a warm pool', () => {
  // AWS pauses a pool's launches and draws at the hooks and drains a reused instance; the pool's
  // paths model none of it, so the world refuses the pair rather than read warm starts too soon.
  it.each([
    ['a launch hook', { lifecycleHooks: { launchingSeconds: 300 } }],
    ['a termination hook', { lifecycleHooks: { terminatingSeconds: 120 } }],
    ['a deregistration delay', { deregistrationDelaySeconds: 300 }],
  ])('is refused at creation with %s', (_kind, extra) => {
    const world = new SimulatedWorld({ startMs: START, seed: 1 });
    expect(() =>
      world.createGroup(webGroupSpec({ ...extra, warmPool: { minSize: 2, maxGroupPreparedCapacity: 2 } })),
    ).toThrow(/warm pool beside lifecycle hooks or a deregistration delay is not modeled/);
  });

  it('is refused when PutWarmPool adds a pool to such a group', async () => {
    const world = new SimulatedWorld({ startMs: START, seed: 1 });
    world.createGroup(webGroupSpec({ deregistrationDelaySeconds: 300 }));
    await expect(world.answer('autoscaling', 'PutWarmPoolCommand', { ...asg, MinSize: 1 })).rejects.toThrow(
      /lifecycle hooks or a deregistration delay/,
    );
  });
});
