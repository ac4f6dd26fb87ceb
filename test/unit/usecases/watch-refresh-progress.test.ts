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
