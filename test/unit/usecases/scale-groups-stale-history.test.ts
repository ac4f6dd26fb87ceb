import { FakeScalingTarget, groupSnapshot } from '../../fakes/fake-scaling-target';
import { runFlatForecast as run } from '../../helpers/flat-forecast-run';

const HOUR_MS = 3_600_000;

/** A day of 5-minute load at 120, flat. */
const QUIET_DAY = Array.from({ length: 288 }, () => 120);

/** A group its target tracking sized for load ten times what its history last showed. */
const TRACKED_GROUP = {
  name: 'web',
  minSize: 1,
  desiredCapacity: 12,
  inServiceCapacity: 12,
  hasScalingPolicies: true,
};

/** A group Prescale alone sizes, at 12. */
const UNTRACKED_GROUP = { name: 'web', minSize: 12, desiredCapacity: 12, inServiceCapacity: 12 };

describe('scaleGroups on a history that stopped hours before now', () => {
  it("does not scale in ahead of the group's policy on a peak six hours old, and says why", async () => {
    const fresh = await run({ forecastLoad: 120, actual: QUIET_DAY, group: TRACKED_GROUP });
    // Fresh history at 120 does show 12 is too many: the release the guard must leave alone.
    expect(fresh.result?.kind === 'ran' && fresh.result.outcome).toMatchObject({
      after: { desiredCapacity: 3 },
    });
    // Two steps missing (CloudWatch late) is still fresh.
    const late = await run({
      forecastLoad: 120,
      actual: QUIET_DAY,
      historyEndsBeforeNowMs: 10 * 60_000,
      group: TRACKED_GROUP,
    });
    expect(late.result?.kind === 'ran' && late.result.outcome).toMatchObject({
      after: { desiredCapacity: 3 },
    });
    expect(late.result?.kind === 'ran' && late.result.staleHistory).toBeUndefined();
    const stale = await run({
      forecastLoad: 120,
      actual: QUIET_DAY,
      historyEndsBeforeNowMs: 6 * HOUR_MS,
      group: TRACKED_GROUP,
    });
    // The forecast's floor still rises (MinSize 1 → 2); DesiredCapacity stays.
    expect(stale.result?.kind === 'ran' && stale.result.outcome).toMatchObject({
      after: { minSize: 2, desiredCapacity: 12 },
      reason: expect.stringContaining(
        'load history stale: its newest datapoint ended 360 min before the newest step',
      ),
    });
    expect(stale.result?.kind === 'ran' && stale.result.staleHistory).toMatchObject({ ageMinutes: 360 });
    // The newest datapoint is six hours old: not published as the load now (ActualLoad).
    expect(fresh.result).toMatchObject({ kind: 'ran', actualLoad: 120 });
    expect(stale.result?.kind === 'ran' && 'actualLoad' in stale.result).toBe(false);
  });

  it('plans a step the forecast cannot place at its median, not lifted by a peak six hours old', async () => {
    // The history ended on a peak of 600; the forecast's median now is 60, its upper bands 600.
    const peakEnded = [...QUIET_DAY.slice(0, -1), 600];
    const group = { name: 'web', minSize: 1, desiredCapacity: 1, inServiceCapacity: 1 };
    const fresh = await run({ forecastLoad: 60, forecastUpperLoad: 600, actual: peakEnded, group });
    // Fresh, the load now is 600: it lifts the bound, the plan keeps its quantile (168: 3 instances).
    expect(fresh.result).toMatchObject({ kind: 'ran', plannedCapacity: 3 });
    expect(fresh.result?.kind === 'ran' && fresh.result.forecastPlannedNow).toBeGreaterThan(150);
    const stale = await run({
      forecastLoad: 60,
      forecastUpperLoad: 600,
      actual: peakEnded,
      historyEndsBeforeNowMs: 6 * HOUR_MS,
      group,
    });
    expect(stale.result).toMatchObject({ kind: 'ran', forecastPlannedNow: 60, plannedCapacity: 1 });
  });

  it('does not lower the floor of a group without policies on a forecast from its stale history', async () => {
    const stale = await run({
      forecastLoad: 120,
      actual: QUIET_DAY,
      historyEndsBeforeNowMs: 6 * HOUR_MS,
      group: UNTRACKED_GROUP,
      defaults: { scaleInPerTick: 20 },
    });
    expect(stale.result?.kind === 'ran' && stale.result.outcome).toMatchObject({
      kind: 'unchanged',
      reason: expect.stringContaining('kept MinSize 12 (planned 2), DesiredCapacity 12 (planned 2)'),
    });
    // A day and more old, too.
    const older = await run({
      forecastLoad: 600,
      actual: QUIET_DAY,
      historyEndsBeforeNowMs: 30 * HOUR_MS,
      group: UNTRACKED_GROUP,
      defaults: { scaleInPerTick: 20 },
    });
    expect(older.result?.kind === 'ran' && older.result.outcome).toMatchObject({ kind: 'unchanged' });
  });

  it('does not lower the warm pool it sizes on a forecast from its stale history', async () => {
    const pooled = () =>
      new FakeScalingTarget([
        groupSnapshot({
          ...UNTRACKED_GROUP,
          maxSize: 40,
          warmPool: { minSize: 5, maxGroupPreparedCapacity: 30, poolState: 'Stopped' },
        }),
      ]);
    // Fresh, the same forecast empties the pool: the release the guard must leave alone.
    const fresh = pooled();
    await run({ forecastLoad: 120, actual: QUIET_DAY, scalingTarget: fresh });
    expect(fresh.warmPoolUpdates.map((u) => u.minSize)).toEqual([0]);
    const stale = pooled();
    await run({
      forecastLoad: 120,
      actual: QUIET_DAY,
      historyEndsBeforeNowMs: 6 * HOUR_MS,
      scalingTarget: stale,
    });
    expect(stale.warmPoolUpdates).toEqual([]);
  });

  it('still raises capacity the forecast needs on a stale history', async () => {
    const stale = await run({
      forecastLoad: 1200,
      actual: QUIET_DAY,
      historyEndsBeforeNowMs: 6 * HOUR_MS,
      group: UNTRACKED_GROUP,
    });
    expect(stale.result?.kind === 'ran' && stale.result.outcome).toMatchObject({
      after: { minSize: 20, desiredCapacity: 20 },
    });
  });

  it("names metrics collection when a cpu group's collection is off", async () => {
    const stale = await run({
      forecastLoad: 120,
      actual: QUIET_DAY,
      historyEndsBeforeNowMs: 6 * HOUR_MS,
      group: { ...TRACKED_GROUP, collectedGroupMetrics: [] },
    });
    expect(stale.result?.kind === 'ran' && stale.result.staleHistory?.reason).toContain(
      'aws autoscaling enable-metrics-collection --auto-scaling-group-name web',
    );
  });
});
