import { MAX_PLANNING_QUANTILE } from '../../../shared/core/forecast/forecast-levels';
import type { MetricHistory } from '../../../shared/ports/metric-history';
import { STEP_SETTLE_MS } from '../../../shared/usecases/history-query';
import { scaleGroups } from '../../../shared/usecases/scale-groups';
import { groupSnapshot } from '../../fakes/fake-scaling-target';
import type { MemoryStateStore } from '../../fakes/memory-state-store';
import {
  scaleGroupsConfig as config,
  FixedHistory,
  scaleGroupsItem as item,
  SCALE_GROUPS_NOW_MS as NOW,
  STEP_MS,
  scaleGroupsSetup as setup,
} from '../../helpers/scale-groups-setup';

/**
 * Two hours of past runs that planned for 100 while the load was 200 on 2 instances of target 60:
 * under-provisioned at every step.
 */
async function recordShortfalls(
  deps: { metricHistory: MetricHistory },
  stateStore: MemoryStateStore,
): Promise<void> {
  const past = Array.from({ length: 24 }, (_, i) => NOW - (24 - i) * STEP_MS);
  for (const tickMs of past) {
    await stateStore.putRunRecord(
      {
        groupName: 'web',
        tickMs,
        mode: 'forecast-and-scale',
        forecastStartMs: tickMs,
        stepSeconds: 300,
        plannedLoad: [100],
        medianLoad: [90],
        planningQuantile: 0.9,
        plannedCapacity: [2],
        models: ['fake'],
        outcome: { kind: 'unchanged', reason: 'test' },
      },
      NOW + 1e9,
    );
  }
  deps.metricHistory = new FixedHistory(past.map((t) => ({ timestampMs: t, value: 200 })));
}

describe('scaleGroups adapting the planning quantile', () => {
  it('raises the planning quantile after past plans fell short of actual load', async () => {
    const { deps, stateStore } = setup();
    await recordShortfalls(deps, stateStore);
    const [result] = await scaleGroups(deps, config(), [item()]);
    expect(result).toMatchObject({ kind: 'ran', planningQuantile: 0.99 });
    // The step ending at this run's tick waits for the next run: its metrics may not all be in.
    expect(result?.kind === 'ran' && result.quantileReason).toContain('under-provisioned on 23 of 23');
  });

  it('starts a group’s first run where its history says: the lower bound for load its floor always covered', async () => {
    const { deps } = setup();
    // A day of load at 100 a step: 2 instances of target 60 covered every step at any quantile.
    deps.metricHistory = new FixedHistory(
      Array.from({ length: 288 }, (_, i) => ({ timestampMs: NOW - (288 - i) * STEP_MS, value: 100 })),
    );
    const [result] = await scaleGroups(deps, config(), [item()]);
    expect(result).toMatchObject({ kind: 'ran', planningQuantile: 0.55 });
    expect(result?.kind === 'ran' && result.quantileReason).toContain(
      'started at 0.55 from the history (short on 0.0 % of 285 replayed steps)',
    );
    // Off: the configured start.
    const off = setup();
    off.deps.metricHistory = deps.metricHistory;
    const [plain] = await scaleGroups(
      off.deps,
      config({ defaults: { ...config().defaults, planningQuantileSeedDays: 0 } }),
      [item()],
    );
    expect(plain).toMatchObject({ kind: 'ran', planningQuantile: 0.6 });
  });

  it('keeps the planning quantile under the group’s prescale:planning-quantile-max tag after shortfalls', async () => {
    const { deps, stateStore } = setup([
      groupSnapshot({
        name: 'web',
        minSize: 2,
        desiredCapacity: 2,
        tags: { 'prescale:planning-quantile-max': '0.7' },
      }),
    ]);
    await recordShortfalls(deps, stateStore);
    const [result] = await scaleGroups(deps, config(), [item()]);
    expect(result).toMatchObject({ kind: 'ran', planningQuantile: 0.7 });
  });

  it('reports a prescale:planning-quantile-max above what the forecast gives and plans at the configured bound after shortfalls', async () => {
    // 0.995 lies above the forecast's widest interval (98 %): taken, the group short of capacity
    // would fail to plan on every run until its shortfalls aged out.
    const { deps, stateStore } = setup([
      groupSnapshot({
        name: 'web',
        minSize: 2,
        desiredCapacity: 2,
        tags: { 'prescale:planning-quantile-max': '0.995' },
      }),
    ]);
    await recordShortfalls(deps, stateStore);
    const [result] = await scaleGroups(deps, config(), [item()]);
    expect(result).toMatchObject({ kind: 'ran', planningQuantile: MAX_PLANNING_QUANTILE });
    expect(result?.kind === 'ran' && result.outcome.reason).toContain(
      'ignored tag prescale:planning-quantile-max=0.995 (expected a number above 0.5 and at most 0.99',
    );
  });

  it('plans a group whose override starts and bounds it at the highest quantile the forecast gives', async () => {
    const { deps, stateStore } = setup();
    await recordShortfalls(deps, stateStore);
    const atCap = config({
      groupOverrides: {
        web: { planningQuantile: MAX_PLANNING_QUANTILE, planningQuantileMax: MAX_PLANNING_QUANTILE },
      },
    });
    const [result] = await scaleGroups(deps, atCap, [item()]);
    expect(result).toMatchObject({ kind: 'ran', planningQuantile: MAX_PLANNING_QUANTILE });
  });

  it('keeps the planning quantile within the bounds the group’s override configures', async () => {
    const bounded = (override: Record<string, number>) =>
      config({ groupOverrides: { web: { planningQuantile: 0.65, ...override } } });
    const short = setup();
    await recordShortfalls(short.deps, short.stateStore);
    const [capped] = await scaleGroups(short.deps, bounded({ planningQuantileMax: 0.75 }), [item()]);
    expect(capped).toMatchObject({ kind: 'ran', planningQuantile: 0.75 });
    // Load its floor always covered: the seed walks to the lower bound, and no further.
    const covered = setup();
    covered.deps.metricHistory = new FixedHistory(
      Array.from({ length: 288 }, (_, i) => ({ timestampMs: NOW - (288 - i) * STEP_MS, value: 100 })),
    );
    const [floored] = await scaleGroups(covered.deps, bounded({ planningQuantileMin: 0.62 }), [item()]);
    expect(floored).toMatchObject({ kind: 'ran', planningQuantile: 0.62 });
  });

  it('scores the step a past run left in the group state once its load arrives, without reading run records back', async () => {
    const { deps, stateStore } = setup();
    const firstTickMs = NOW + STEP_MS;
    const secondTickMs = firstTickMs + STEP_MS;
    // First run: history up to the step before its tick, so its forecast starts at its tick.
    deps.clock = { nowMs: () => firstTickMs };
    deps.metricHistory = new FixedHistory([{ timestampMs: NOW, value: 100 }]);
    await scaleGroups(deps, config(), [{ groupName: 'web', tickMs: firstTickMs }]);
    expect(stateStore.states.get('web')?.unscoredSteps).toEqual([
      { startMs: firstTickMs, endMs: secondTickMs, plannedLoad: 100, medianLoad: 100, plannedCapacity: 2 },
    ]);
    // Next run, late enough for CloudWatch to hold all of the first run's step: its load arrived
    // (200 on 2 instances of target 60).
    deps.clock = { nowMs: () => secondTickMs + STEP_SETTLE_MS };
    deps.metricHistory = new FixedHistory([
      { timestampMs: NOW, value: 100 },
      { timestampMs: firstTickMs, value: 200 },
    ]);
    const recordReads = jest.spyOn(stateStore, 'recentRunRecords');
    const [result] = await scaleGroups(deps, config(), [{ groupName: 'web', tickMs: secondTickMs }]);
    expect(recordReads).not.toHaveBeenCalled();
    expect(result?.kind === 'ran' && result.quantileReason).toContain('under-provisioned on 1 of 1');
    expect(result).toMatchObject({ forecastAbsError: 100 });
    // Scored once: only the new run's own step is left, and scoring resumes after the scored one.
    expect(stateStore.states.get('web')).toMatchObject({
      scoredUntilMs: secondTickMs,
      unscoredSteps: [expect.objectContaining({ startMs: secondTickMs })],
    });
  });
});
