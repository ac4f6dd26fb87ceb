import fc from 'fast-check';
import { parseConfig } from '../../../shared/contracts/parse-config';
import { type UserConfigInput, userConfigSchema } from '../../../shared/contracts/user-config';
import type { LoadObservation } from '../../../shared/core/forecast/types';
import type { HistoryQuery, MetricHistory } from '../../../shared/ports/metric-history';
import { type ForecastFn, scaleGroups } from '../../../shared/usecases/scale-groups';
import { FakeScalingTarget, groupSnapshot } from '../../fakes/fake-scaling-target';
import { MemoryStateStore } from '../../fakes/memory-state-store';
import { demandForecast } from '../../helpers/demand-forecast';

const NOW = Date.UTC(2026, 2, 2, 12, 0);
const STEP_MS = 300_000;

const config = (o: Partial<UserConfigInput> = {}) =>
  parseConfig(
    userConfigSchema,
    {
      groups: { names: ['web', 'api'] },
      mode: 'forecast-and-scale',
      defaults: {
        targetLoadPerInstance: 60,
        floorCapacity: 2,
        maxChangePerTick: 50,
        defaultLeadTimeSeconds: 600,
      },
      ...o,
    },
    'test',
  );

/** A forecast whose upper quantiles all equal `load`, so the planned load is exactly `load`. */
function forecastOf(load: (step: number) => number): ForecastFn {
  return ({ horizonSteps, levels, history }) => {
    // One step after the newest observation, like forecastDemand; NOW without history.
    const last = history.length > 0 ? Math.max(...history.map((o) => o.timestampMs)) : NOW - STEP_MS;
    const mean = Array.from({ length: horizonSteps }, (_, h) => load(h));
    return demandForecast(
      mean,
      [...levels]
        .sort((a, b) => a - b)
        .map((levelPct) => ({ levelPct, lower: mean.map((m) => m * 0.9), upper: [...mean] })),
      { startMs: last + STEP_MS },
    );
  };
}

class FixedHistory implements MetricHistory {
  readonly queries: HistoryQuery[] = [];
  constructor(private readonly series: LoadObservation[] = [{ timestampMs: NOW - STEP_MS, value: 100 }]) {}
  async loadHistory(queries: readonly HistoryQuery[]) {
    this.queries.push(...queries);
    return new Map(queries.map((q) => [q.groupName, this.series]));
  }
}

function setup(
  groups = [groupSnapshot({ name: 'web', minSize: 2, desiredCapacity: 2 })],
  forecast = forecastOf(() => 100),
) {
  const scalingTarget = new FakeScalingTarget(groups);
  const stateStore = new MemoryStateStore();
  const metricHistory = new FixedHistory();
  let paused = false;
  const deps = {
    scalingTarget,
    stateStore,
    metricHistory,
    clock: { nowMs: () => NOW },
    forecast,
    isGloballyPaused: async () => paused,
  };
  return { deps, scalingTarget, stateStore, metricHistory, pause: () => (paused = true) };
}

const item = (groupName = 'web') => ({ groupName, tickMs: NOW });

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

describe('scaleGroups', () => {
  it('has capacity in service a lead time before a predicted peak', async () => {
    // Peak of 600 (10 instances at 60 each) starting 15 minutes out; lead time 10 minutes.
    const { deps, scalingTarget } = setup(
      undefined,
      forecastOf((h) => (h >= 2 && h <= 5 ? 600 : 100)),
    );
    const [result] = await scaleGroups(deps, config(), [item()]);
    expect(result).toMatchObject({ kind: 'ran', outcome: { kind: 'applied' } });
    expect(scalingTarget.groups.get('web')).toMatchObject({ minSize: 10, desiredCapacity: 10 });
  });

  it('plans for the daily-peak bound the forecast carries when the group plans for daily peaks', async () => {
    // Mean and per-step p90 of 100; the peak bound adds 0.5 × max(mean, level) at p = 0.9: 150,
    // 3 instances at 60, within the planning cap (2 × the median).
    const flat: ForecastFn = (input) => ({
      ...forecastOf(() => 100)(input),
      peakCalibration: {
        heldOutDays: 4,
        effectiveDays: 4,
        levelLoad: 80,
        bounds: [{ probability: 0.9, upliftRatio: 0.5 }],
      },
    });
    const { deps, stateStore } = setup(undefined, flat);
    const base = config().defaults;
    await scaleGroups(
      deps,
      config({ defaults: { ...base, planForDailyPeaks: true, planningQuantile: 0.9 } }),
      [item()],
    );
    const record = stateStore.records.get('web')?.[0];
    expect(record?.planningQuantile).toBe(0.9);
    expect(record?.plannedLoad[0]).toBeCloseTo(150, 9);
    expect(record?.plannedCapacity[0]).toBe(3);
    // Off (the default), the per-step quantile alone: 100, 2 instances.
    const off = setup(undefined, flat);
    await scaleGroups(off.deps, config(), [item()]);
    expect(off.stateStore.records.get('web')?.[0]?.plannedLoad[0]).toBeCloseTo(100, 9);
  });

  it('bounds the warm pool by the room left under MaxSize and restates the rest of the pool', async () => {
    const warmPool = {
      minSize: 5,
      maxGroupPreparedCapacity: 30,
      poolState: 'Hibernated',
      reuseOnScaleIn: true,
    };
    const { deps, scalingTarget } = setup(
      [groupSnapshot({ name: 'web', minSize: 2, maxSize: 12, desiredCapacity: 2, warmPool })],
      forecastOf(() => 3000),
    );
    await scaleGroups(deps, config(), [item()]);
    const group = scalingTarget.groups.get('web');
    expect(group).toMatchObject({ maxSize: 12, desiredCapacity: 12 });
    expect(scalingTarget.warmPoolUpdates).toEqual([{ groupName: 'web', minSize: 0, current: warmPool }]);
  });

  it('leaves a default warm pool (no prepared-capacity cap) alone: it already holds all the room', async () => {
    // A MinSize Prescale would move (its floor here is 0: the forecast's p99 is the plan's load).
    const warmPool = { minSize: 3, poolState: 'Stopped', reuseOnScaleIn: false };
    const { deps, scalingTarget } = setup(
      [groupSnapshot({ name: 'web', minSize: 2, maxSize: 40, desiredCapacity: 2, warmPool })],
      forecastOf(() => 600),
    );
    await scaleGroups(deps, config(), [item()]);
    expect(scalingTarget.groups.get('web')?.desiredCapacity).toBeGreaterThan(2);
    expect(scalingTarget.warmPoolUpdates).toEqual([]);
    // Capped below the room, the same plan sizes the pool (between the plan and the forecast's p99).
    const capped = setup(
      [
        groupSnapshot({
          name: 'web',
          minSize: 2,
          maxSize: 40,
          desiredCapacity: 2,
          warmPool: { ...warmPool, maxGroupPreparedCapacity: 12 },
        }),
      ],
      forecastOf(() => 600),
    );
    await scaleGroups(capped.deps, config(), [item()]);
    expect(capped.scalingTarget.warmPoolUpdates.map((u) => u.minSize)).toEqual([0]);
  });

  it('changes nothing in forecast-only mode but records the plan', async () => {
    const { deps, scalingTarget, stateStore } = setup(
      undefined,
      forecastOf(() => 900),
    );
    const [result] = await scaleGroups(deps, config({ mode: 'forecast-only' }), [item()]);
    expect(result).toMatchObject({ kind: 'ran', outcome: { kind: 'held', reason: 'forecast-only mode' } });
    expect(scalingTarget.updates).toHaveLength(0);
    expect(stateStore.records.get('web')?.[0]?.plannedCapacity[0]).toBe(15);
  });

  it('records the anomaly handling (cap reached) and the daily peaks in the run', async () => {
    const keptSteps = { recurring: 1, sustained: 2, campaign: 0, trailing: 0, 'over-cap': 3 };
    const capped: ForecastFn = (input) => ({
      ...forecastOf(() => 100)(input),
      anomalyHandling: { flaggedSteps: 46, replacedSteps: 40, keptSteps, capSteps: 40, capReached: true },
      dailyPeaks: [
        {
          startMs: NOW,
          endMs: NOW + 86_400_000,
          peakLoad: 150,
          peakAtMs: NOW + 3_600_000,
          peakToMeanRatio: 1.5,
        },
      ],
    });
    const { deps, stateStore } = setup(undefined, capped);
    await scaleGroups(deps, config(), [item()]);
    expect(stateStore.records.get('web')?.[0]?.anomalies).toEqual({
      replacedSteps: 40,
      keptSteps: 6,
      capReached: true,
    });
    expect(stateStore.records.get('web')?.[0]?.dailyPeaks).toEqual([
      { startMs: NOW, peakLoad: 150, peakAtMs: NOW + 3_600_000 },
    ]);
  });

  it('asks for campaigns from the start of the history, so past windows are kept as demand', async () => {
    const { deps } = setup();
    const asked: [number, number][] = [];
    const withCampaigns = {
      ...deps,
      campaignsFor: async (_group: string, fromMs: number, toMs: number) => {
        asked.push([fromMs, toMs]);
        return [];
      },
    };
    await scaleGroups(withCampaigns, config(), [item()]);
    expect(asked).toEqual([[NOW - 14 * 86_400_000, NOW + 24 * 3_600_000]]);
  });

  it.each([
    ['paused by tag', { tags: { 'prescale:paused': 'true' } }, 'paused by tag'],
    ['refreshing', { instanceRefreshInProgress: true }, 'instance refresh'],
    ['suspended', { suspendedProcesses: ['Launch'] }, 'Launch'],
  ])('leaves a %s group untouched', async (_name, overrides, reason) => {
    const { deps, scalingTarget } = setup(
      [groupSnapshot({ name: 'web', ...overrides })],
      forecastOf(() => 900),
    );
    const [result] = await scaleGroups(deps, config(), [item()]);
    expect(result).toMatchObject({ kind: 'ran', outcome: { kind: 'held' } });
    expect(result?.kind === 'ran' && result.outcome.reason).toContain(reason);
    expect(scalingTarget.updates).toHaveLength(0);
  });

  it('holds a group whose lock a rolling update holds, and every group under the kill switch', async () => {
    const { deps, scalingTarget, stateStore, pause } = setup(
      undefined,
      forecastOf(() => 900),
    );
    await stateStore.acquireLock({
      groupName: 'web',
      holder: 'rolling-update:web:7',
      acquiredAtMs: NOW,
      expiresAtMs: NOW + 3600_000,
    });
    const [locked] = await scaleGroups(deps, config(), [item()]);
    expect(locked?.kind === 'ran' && locked.outcome.reason).toContain('rolling-update:web:7');
    await stateStore.releaseLock('web', 'rolling-update:web:7');
    pause();
    const [paused] = await scaleGroups(deps, config(), [{ groupName: 'web', tickMs: NOW + 1 }]);
    expect(paused?.kind === 'ran' && paused.outcome.reason).toContain('kill switch');
    expect(scalingTarget.updates).toHaveLength(0);
  });

  it('applies a run delivered twice only once', async () => {
    const { deps, scalingTarget } = setup(
      undefined,
      forecastOf(() => 900),
    );
    await scaleGroups(deps, config(), [item()]);
    const [again] = await scaleGroups(deps, config(), [item()]);
    expect(again).toEqual({ kind: 'duplicate', groupName: 'web' });
    expect(scalingTarget.updates).toHaveLength(1);
  });

  it('records what a dry run would set and sets nothing', async () => {
    const { deps, scalingTarget } = setup(
      undefined,
      forecastOf(() => 900),
    );
    const [result] = await scaleGroups(deps, config({ dryRun: true }), [item()]);
    expect(result).toMatchObject({
      outcome: { kind: 'dry-run', wouldSet: { minSize: 15, desiredCapacity: 15 } },
    });
    expect(scalingTarget.updates).toHaveLength(0);
  });

  it('keeps going when one group fails, and reports the unknown one', async () => {
    const groups = [groupSnapshot({ name: 'web' }), groupSnapshot({ name: 'api' })];
    const { deps } = setup(
      groups,
      forecastOf(() => 100),
    );
    const failing = {
      ...deps,
      forecast: ((input) => {
        if (input.history.length > 0 && failing.calls++ === 0) throw new Error('model exploded');
        return forecastOf(() => 100)(input);
      }) as ForecastFn,
      calls: 0,
    };
    const results = await scaleGroups(failing, config(), [item('web'), item('api'), item('gone')]);
    expect(results.map((r) => `${r.groupName}:${r.kind}`).sort()).toEqual([
      'api:ran',
      'gone:not-found',
      'web:failed',
    ]);
  });

  it('raises the planning quantile after past plans fell short of actual load', async () => {
    const { deps, stateStore } = setup();
    await recordShortfalls(deps, stateStore);
    const [result] = await scaleGroups(deps, config(), [item()]);
    expect(result).toMatchObject({ kind: 'ran', planningQuantile: 0.99 });
    expect(result?.kind === 'ran' && result.quantileReason).toContain('under-provisioned on 24 of 24');
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
    // Next run: the load of the first run's step arrived (200 on 2 instances of target 60).
    deps.clock = { nowMs: () => secondTickMs };
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

  it('keeps applied capacity within [floor, max] and the per-run change for any forecast', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ min: 0, max: 5000, noNaN: true }), { minLength: 300, maxLength: 300 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 8 }),
        async (loads, startMin, maxChange) => {
          const maxSize = 25;
          const min = Math.min(Math.max(startMin, 2), maxSize);
          const { deps, scalingTarget } = setup(
            [groupSnapshot({ name: 'web', minSize: min, desiredCapacity: min, maxSize })],
            forecastOf((h) => loads[h] ?? 0),
          );
          await scaleGroups(
            deps,
            config({ defaults: { floorCapacity: 2, maxChangePerTick: maxChange, scaleInPerTick: 1 } }),
            [item()],
          );
          const g = scalingTarget.groups.get('web');
          expect(g?.minSize).toBeGreaterThanOrEqual(2);
          expect(g?.desiredCapacity).toBeLessThanOrEqual(maxSize);
          expect(g?.maxSize).toBe(maxSize);
          expect(Math.abs((g?.minSize ?? 0) - min)).toBeLessThanOrEqual(maxChange);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('scaleGroups between model refreshes', () => {
  const at = NOW + 20 * 60_000;
  // Two days before the hourly refresh at NOW: flat 100, then a day drifting slowly upwards (a
  // persistent deviation from yesterday, so level corrections last); then 400 since the refresh.
  const day = 288;
  const history: LoadObservation[] = Array.from({ length: 2 * day + 4 }, (_, i) => ({
    timestampMs: NOW - 2 * day * STEP_MS + i * STEP_MS,
    value: i < day ? 100 : i < 2 * day ? 100 + (i - day) * 0.05 : 400,
  }));

  function run(refreshMinutes: number, nowMs = at, observed = history) {
    const scalingTarget = new FakeScalingTarget([
      groupSnapshot({ name: 'web', minSize: 2, desiredCapacity: 2 }),
    ]);
    const asked: { historyEndMs: number; horizonSteps: number }[] = [];
    const forecast: ForecastFn = (input) => {
      asked.push({
        historyEndMs: Math.max(...input.history.map((o) => o.timestampMs)),
        horizonSteps: input.horizonSteps,
      });
      return forecastOf(() => 100)(input);
    };
    const deps = {
      scalingTarget,
      stateStore: new MemoryStateStore(),
      metricHistory: new FixedHistory(observed),
      clock: { nowMs: () => nowMs },
      forecast,
      isGloballyPaused: async () => false,
    };
    return {
      run: scaleGroups(
        deps,
        config({ defaults: { ...config().defaults, forecastRefreshMinutes: refreshMinutes } }),
        [{ groupName: 'web', tickMs: nowMs }],
      ),
      asked,
      scalingTarget,
    };
  }

  it('fits the model on the history up to three steps before the last refresh, for a horizon past the next one', async () => {
    const { run: done, asked } = run(60);
    await done;
    // The fit ends the level correction's three residuals before the refresh, and the horizon
    // covers those steps too.
    expect(asked).toEqual([{ historyEndMs: NOW - 4 * STEP_MS, horizonSteps: 24 * 12 + 12 + 3 }]);
  });

  it('corrects the level at the refresh itself from the steps the fit left out', async () => {
    // The run at the refresh: the load rose to 400 over the last three steps before it, which the
    // model (forecasting 100) has not seen; uncorrected, the floor would stay at 100 / 60 → 2.
    const rising = history
      .filter((o) => o.timestampMs < NOW)
      .map((o) => (o.timestampMs >= NOW - 3 * STEP_MS ? { ...o, value: 400 } : o));
    const { run: done, scalingTarget, asked } = run(60, NOW, rising);
    const [result] = await done;
    expect(result).toMatchObject({ kind: 'ran' });
    expect(asked[0]?.historyEndMs).toBe(NOW - 4 * STEP_MS);
    expect(scalingTarget.groups.get('web')?.minSize).toBeGreaterThanOrEqual(7);
  });

  it('leaves a level the newest steps confirm unchanged at the refresh', async () => {
    const { run: done, scalingTarget } = run(
      60,
      NOW,
      history
        .filter((o) => o.timestampMs < NOW - day * STEP_MS)
        .map((o) => ({ ...o, timestampMs: o.timestampMs + day * STEP_MS })),
    );
    await done;
    // Flat 100 throughout: the forecast (100) is confirmed, 100 / 60 → 2 instances.
    expect(scalingTarget.groups.get('web')?.minSize).toBe(2);
  });

  it('corrects the forecast level from the observations since the refresh', async () => {
    const { run: done, scalingTarget } = run(60);
    const [result] = await done;
    // Forecast 100, observed 400 since the refresh: the plan follows the observed level (400 / 60 → 7).
    expect(result).toMatchObject({ kind: 'ran' });
    expect(scalingTarget.groups.get('web')?.minSize).toBeGreaterThanOrEqual(7);
  });
});
