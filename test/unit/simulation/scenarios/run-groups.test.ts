import { type GroupsScenario, runGroups } from '../../../../shared/simulation/scenarios/run-groups';
import type { SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';

const START = Date.UTC(2024, 0, 8);
const MINUTE = 60_000;

/** Two groups on a steady load, a day of history, then 20 evaluated minutes. */
const scenario = (metricDelayMinutes?: number): GroupsScenario => ({
  groups: ['web', 'api'].map((name) => ({ name, loadAt: () => 120, minSize: 1, maxSize: 10 })),
  historyStartMs: START - 24 * 60 * MINUTE,
  evalStartMs: START,
  evalEndMs: START + 20 * MINUTE,
  targetLoadPerInstance: 60,
  instanceType: 'm5.large',
  launchDelaySeconds: 120,
  launchJitterSeconds: 0,
  warmupSeconds: 60,
  seed: 1,
  ...(metricDelayMinutes !== undefined ? { metricDelayMinutes } : {}),
});

/** The minute offsets from START of the group's `GroupInServiceInstances` that CloudWatch returns at the run's end. */
async function inServiceMinutes(built: GroupsScenario, group: string): Promise<number[]> {
  let world: SimulatedWorld | undefined;
  await runGroups(built, {
    policy: 'reactive',
    beforeRun: async (w) => {
      world = w;
    },
  });
  if (!world) throw new Error('runGroups never built its world');
  const nowMs = world.clock.nowMs();
  const out = world.cloudWatch.getMetricData(
    {
      MetricDataQueries: [
        {
          Id: 'n',
          MetricStat: {
            Metric: {
              Namespace: 'AWS/AutoScaling',
              MetricName: 'GroupInServiceInstances',
              Dimensions: [{ Name: 'AutoScalingGroupName', Value: group }],
            },
            Period: 60,
            Stat: 'Average',
          },
        },
      ],
      StartTime: new Date(START),
      EndTime: new Date(nowMs + MINUTE),
      ScanBy: 'TimestampAscending',
    },
    nowMs,
  ) as { MetricDataResults: { Timestamps: Date[] }[] };
  return (out.MetricDataResults[0]?.Timestamps ?? []).map((t) => (t.getTime() - START) / MINUTE);
}

describe('runGroups', () => {
  it('runs every group in a world whose CloudWatch is as late as the scenario says, and on time by default', async () => {
    for (const group of ['web', 'api']) {
      const onTime = await inServiceMinutes(scenario(), group);
      const late = await inServiceMinutes(scenario(2), group);
      // Auto Scaling's group metrics come whole or not at all: the two newest minutes are not in yet.
      expect(late).toEqual(onTime.slice(0, -2));
      // The run ends at 19:00, its last minute still under way: 18 is the newest whole one.
      expect(onTime.at(-1)).toBe(18);
    }
  });
});
