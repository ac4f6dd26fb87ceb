import { userConfigSchema } from '../../../shared/contracts/user-config';
import type { HistoryQuery } from '../../../shared/ports/metric-history';
import { watchRefreshProgress } from '../../../shared/usecases/watch-refresh-progress';
import { FakeScalingTarget, groupSnapshot } from '../../fakes/fake-scaling-target';

const MINUTE = 60_000;
/** 30 s after the 12:00–12:05 step ended. */
const NOW = Date.UTC(2026, 0, 5, 12, 5, 30);
const ALB = {
  kind: 'alb-requests',
  targetGroupFullName: 'targetgroup/web-tg/73e2d6bc24d8a067',
  loadBalancerFullName: 'app/web-alb/50dc6c495c0c9188',
} as const;

async function windowRead(metric: object, targetLoadPerInstance: number): Promise<HistoryQuery | undefined> {
  const config = userConfigSchema.parse({
    groups: { names: ['web'] },
    defaults: { metric, targetLoadPerInstance },
  });
  const asked: HistoryQuery[] = [];
  const deps = {
    scalingTarget: new FakeScalingTarget([
      groupSnapshot({ name: 'web', desiredCapacity: 4, inServiceCapacity: 4 }),
    ]),
    metricHistory: {
      loadHistory: async (queries: readonly HistoryQuery[]) => {
        asked.push(...queries);
        return new Map();
      },
    },
    alarmStates: { alarmsInAlarm: async () => [] },
    clock: { nowMs: () => NOW },
  };
  const state = { plan: { groupName: 'web', alarmNames: [], preferences: { MinHealthyPercentage: 90 } } };
  await watchRefreshProgress(deps as never, config, state as never);
  return asked[0];
}

/**
 * One look at `nowMs` at a refresh under way on `web` (4 instances of 20), forecast at hourly steps
 * on `metric` at 36,000 an instance, its history answered by `answer`; the queries it asked.
 */
async function hourlyLook(
  metric: object,
  answer: (q: HistoryQuery) => { timestampMs: number; value: number }[],
  nowMs = Date.UTC(2026, 0, 5, 12, 10, 30),
) {
  const config = userConfigSchema.parse({
    groups: { names: ['web'] },
    defaults: { metric, stepSeconds: 3600, targetLoadPerInstance: 36_000 },
  });
  const asked: HistoryQuery[] = [];
  const deps = {
    scalingTarget: new FakeScalingTarget([
      groupSnapshot({ name: 'web', desiredCapacity: 4, inServiceCapacity: 4, maxSize: 20 }),
    ]),
    metricHistory: {
      loadHistory: async (queries: readonly HistoryQuery[]) => {
        asked.push(...queries);
        return new Map(queries.map((q) => [q.groupName, answer(q)]));
      },
    },
    alarmStates: { alarmsInAlarm: async () => [] },
    clock: { nowMs: () => nowMs },
  };
  const state = {
    plan: { groupName: 'web', alarmNames: [], preferences: { MinHealthyPercentage: 90 } },
    refresh: { InstanceRefreshId: 'r-1' },
    refreshStatus: {
      refreshes: [{ InstanceRefreshId: 'r-1', Status: 'InProgress', PercentageComplete: 40 }],
    },
    window: { refreshDeadlineMs: nowMs + 60 * MINUTE },
  };
  const result = await watchRefreshProgress(deps as never, config, state as never);
  return { asked, result };
}

describe('watchRefreshProgress', () => {
  it('reads a cumulative load only up to its last settled step', async () => {
    const query = await windowRead(ALB, 3000);
    expect(query?.endMs).toBe(NOW - 5 * MINUTE - 30_000);
    expect(query?.startMs).toBe(NOW - 20 * MINUTE - 30_000);
  });

  it('reads an averaged load up to the step that just ended', async () => {
    const query = await windowRead({ kind: 'cpu' }, 60);
    expect(query?.endMs).toBe(NOW - 30_000);
  });

  it('reads the latest load at 5-minute steps when its steps are hourly, a cumulative one in its hourly unit', async () => {
    // 12:35:30, a refresh under way: requests 1,000 a minute until 12:20, then 6,000 (a surge).
    const now = Date.UTC(2026, 0, 5, 12, 35, 30);
    const surgeMs = Date.UTC(2026, 0, 5, 12, 20);
    // Each step's Sum of its minutes' requests, as CloudWatch answers RequestCount at the query's period
    // (36,000 requests an hour an instance: 600 a minute).
    const requestSums = (q: HistoryQuery) => {
      const stepMs = q.stepSeconds * 1000;
      const steps = [];
      for (let t = q.startMs; t < q.endMs; t += stepMs) {
        let sum = 0;
        for (let m = t; m < t + stepMs; m += MINUTE) sum += m < surgeMs ? 1000 : 6000;
        steps.push({ timestampMs: t, value: sum });
      }
      return steps;
    };
    const { asked, result } = await hourlyLook(ALB, requestSums, now);
    // The newest settled 5-minute step (12:25–12:30), not the last whole hour (11:00–12:00, before
    // the surge): 30,000 requests, 360,000 an hour, ten instances' worth.
    expect(asked[0]).toMatchObject({ stepSeconds: 300, endMs: Date.UTC(2026, 0, 5, 12, 30) });
    expect(result).toMatchObject({
      verdict: 'needs-headroom',
      reason: expect.stringMatching(/^observed load 360000 /),
    });
  });

  it('reads a metric published once an hour at its hour, not one hourly datapoint as twelve 5-minute ones', async () => {
    // 144,000 requests each hour (4 instances' worth), published as one datapoint at the hour.
    const hourly = (q: HistoryQuery) => {
      const points = [];
      for (let t = Math.ceil(q.startMs / 3_600_000) * 3_600_000; t < q.endMs; t += 3_600_000)
        points.push({ timestampMs: t, value: 144_000 });
      return points;
    };
    const { asked, result } = await hourlyLook(ALB, hourly);
    expect(asked.map((q) => q.stepSeconds)).toEqual([300, 3600]);
    // The hour's 144,000 (4 instances' worth), not the one datapoint × 12 (48 instances' worth).
    expect(result).toMatchObject({ reason: expect.stringMatching(/^observed load 144000 /) });
  });

  it("reads an expression at the group's own step: its unit is the user's normalisation", async () => {
    const metric = {
      kind: 'expression',
      expression: "SUM(SEARCH('{AWS/ApplicationELB,TargetGroup} RequestCount', 'Sum', 300))/300",
    };
    const { asked } = await hourlyLook(metric, () => []);
    expect(asked.map((q) => q.stepSeconds)).toEqual([3600]);
  });

  it.each([
    ['gone', []],
    ['being deleted', [groupSnapshot({ name: 'web', desiredCapacity: 0, deleting: true })]],
  ])('ends the watch on a group %s, naming it, instead of failing into a rollback', async (_what, groups) => {
    const config = userConfigSchema.parse({ groups: { names: ['web'] } });
    const deps = {
      scalingTarget: new FakeScalingTarget(groups),
      metricHistory: { loadHistory: async () => new Map() },
      alarmStates: { alarmsInAlarm: async () => [] },
      clock: { nowMs: () => NOW },
    };
    const state = { plan: { groupName: 'web', targetVersion: '7', alarmNames: [] } };
    const Cause = 'Auto Scaling group web was deleted during the update to version 7';
    expect(await watchRefreshProgress(deps as never, config, state as never)).toEqual({
      verdict: 'group-deleted',
      reason: Cause,
      error: { Error: 'GroupDeletedDuringUpdate', Cause },
    });
  });
});
