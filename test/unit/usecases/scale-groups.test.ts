import fc from 'fast-check';
import { RejectedRequestError, TransientDependencyError } from '../../../shared/ports/errors';
import type { MetricHistory } from '../../../shared/ports/metric-history';
import type { GroupSnapshot } from '../../../shared/ports/scaling-target';
import { type ForecastFn, scaleGroups } from '../../../shared/usecases/scale-groups';
import { groupSnapshot } from '../../fakes/fake-scaling-target';
import {
  scaleGroupsConfig as config,
  forecastOf,
  scaleGroupsItem as item,
  SCALE_GROUPS_NOW_MS as NOW,
  scaleGroupsSetup as setup,
} from '../../helpers/scale-groups-setup';

describe('scaleGroups', () => {
  it('fails only the group whose own history read is refused, and runs the rest of the batch', async () => {
    // CloudWatch refuses a whole GetMetricData call for one group's bad query.
    const twoGroups = () =>
      setup(
        [
          groupSnapshot({ name: 'web', minSize: 2, desiredCapacity: 2 }),
          groupSnapshot({ name: 'api', minSize: 2, desiredCapacity: 2 }),
        ],
        forecastOf(() => 100),
      );
    const { deps, stateStore } = twoGroups();
    const refusal = new RejectedRequestError(
      'CloudWatch',
      'GetMetricData',
      'the expression of group api is invalid',
    );
    const refusingApi = (fail: Error): MetricHistory => ({
      loadHistory: async (queries) => {
        if (queries.some((q) => q.groupName === 'api')) throw fail;
        return deps.metricHistory.loadHistory(queries);
      },
    });
    const results = await scaleGroups({ ...deps, metricHistory: refusingApi(refusal) }, config(), [
      item('web'),
      item('api'),
    ]);
    expect(results).toMatchObject([
      { kind: 'ran', groupName: 'web' },
      { kind: 'failed', groupName: 'api', error: refusal },
    ]);
    // The failed group's tick is given back, so a second delivery of its work runs it again.
    expect(
      await stateStore.claimRun('api', NOW, { nowMs: NOW, leaseUntilMs: NOW + 60_000, expiresAtMs: NOW + 1 }),
    ).toBe(true);
    // A failure that may pass (throttling) still fails the batch: nothing is read alone.
    const throttled = new TransientDependencyError('CloudWatch', 'GetMetricData');
    await expect(
      scaleGroups({ ...twoGroups().deps, metricHistory: refusingApi(throttled) }, config(), [
        item('web'),
        item('api'),
      ]),
    ).rejects.toThrow(throttled);
  });

  it('reports a group deleted between its read and its update as not found, not as a failure', async () => {
    const { deps, scalingTarget } = setup(
      [
        groupSnapshot({ name: 'web', minSize: 2, desiredCapacity: 2 }),
        groupSnapshot({ name: 'api', minSize: 2, desiredCapacity: 2 }),
      ],
      forecastOf((h) => (h >= 2 && h <= 5 ? 600 : 100)),
    );
    const update = scalingTarget.updateCapacity.bind(scalingTarget);
    // Auto Scaling answers the update "AutoScalingGroup name not found": the adapter's ResourceNotFoundError.
    scalingTarget.updateCapacity = async (groupName, change) => {
      if (groupName === 'web') scalingTarget.groups.delete('web');
      return update(groupName, change);
    };
    const results = await scaleGroups(deps, config(), [item('web'), item('api')]);
    expect(results).toMatchObject([
      { kind: 'not-found', groupName: 'web' },
      { kind: 'ran', groupName: 'api', outcome: { kind: 'applied' } },
    ]);
  });

  it('leaves a group whose enrolment tag was removed after the dispatch untouched, not failed', async () => {
    const enrolled = { prescale: 'on' };
    const { deps, scalingTarget, stateStore } = setup(
      [
        groupSnapshot({ name: 'web', minSize: 2, desiredCapacity: 2, tags: enrolled }),
        groupSnapshot({ name: 'api', minSize: 2, desiredCapacity: 2, tags: enrolled }),
      ],
      forecastOf(() => 600),
    );
    const byTag = config({ groups: { names: [], tag: { key: 'prescale', value: 'on' } } });
    // The user takes `web` out while its work waits in the queue.
    scalingTarget.groups.set('web', { ...(scalingTarget.groups.get('web') as GroupSnapshot), tags: {} });
    const results = await scaleGroups(deps, byTag, [item('web'), item('api')]);
    expect(results).toMatchObject([
      { kind: 'not-enrolled', groupName: 'web' },
      { kind: 'ran', groupName: 'api', outcome: { kind: 'applied' } },
    ]);
    expect(scalingTarget.groups.get('web')).toMatchObject({ minSize: 2, desiredCapacity: 2 });
    // Nothing claimed: the tick is not recorded as run for a group Prescale no longer manages.
    expect(
      await stateStore.claimRun('web', NOW, { nowMs: NOW, leaseUntilMs: NOW + 60_000, expiresAtMs: NOW + 1 }),
    ).toBe(true);
  });

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

  it('reports the launches that failed since the previous run, newest reason first, and none older', async () => {
    const { deps, scalingTarget } = setup(
      undefined,
      forecastOf(() => 100),
    );
    const shortage = 'InsufficientInstanceCapacity - We currently do not have sufficient m5.large capacity.';
    scalingTarget.launchFailures = [
      { atMs: NOW - 60_000, reason: shortage },
      { atMs: NOW - 4 * 60_000, reason: 'an older reason' },
      // Before the previous run (one 5-minute interval ago): that run reported it.
      { atMs: NOW - 5 * 60_000, reason: 'reported already' },
    ];
    const [result] = await scaleGroups(deps, config(), [item()]);
    expect(result).toMatchObject({ kind: 'ran', launchFailures: { count: 2, newestReason: shortage } });

    const quiet = setup(
      undefined,
      forecastOf(() => 100),
    );
    quiet.scalingTarget.launchFailures = [{ atMs: NOW - 6 * 60_000, reason: 'reported already' }];
    const [later] = await scaleGroups(quiet.deps, config(), [item()]);
    expect(later).toMatchObject({ kind: 'ran' });
    expect(later).not.toHaveProperty('launchFailures');
  });

  it('keeps each run record recordRetentionDays', async () => {
    const expiryOf = async (o: Parameters<typeof config>[0]) => {
      const { deps, stateStore } = setup(
        undefined,
        forecastOf(() => 100),
      );
      await scaleGroups(deps, config(o), [item()]);
      const record = stateStore.records.get('web')?.[0];
      return stateStore.recordExpiresAtMs.get(`web#${record?.tickMs}`);
    };
    expect(await expiryOf({})).toBe(NOW + 30 * 86_400_000);
    expect(await expiryOf({ recordRetentionDays: 7 })).toBe(NOW + 7 * 86_400_000);
  });

  it('plans a step whose spread passes maxPlanningRatio × the median at the median, and at its quantile under a higher ratio', async () => {
    // Median and newest load 100, every upper bound 300: the forecast cannot say when load comes.
    const wide: ForecastFn = (input) => {
      const forecast = forecastOf(() => 100)(input);
      return {
        ...forecast,
        intervals: forecast.intervals.map((i) => ({ ...i, upper: i.upper.map((u) => 3 * u) })),
      };
    };
    const plannedAt = async (maxPlanningRatio: number | undefined) => {
      const { deps, stateStore } = setup(undefined, wide);
      const defaults = { ...config().defaults, ...(maxPlanningRatio ? { maxPlanningRatio } : {}) };
      await scaleGroups(deps, config({ defaults }), [item()]);
      return stateStore.records.get('web')?.[0]?.plannedLoad[0];
    };
    expect(await plannedAt(undefined)).toBeCloseTo(100, 9);
    // Under a ratio of 4 the spread (300) places the step: the planning quantile stands, as with no cap.
    const uncapped = await plannedAt(1000);
    expect(uncapped).toBeGreaterThan(150);
    expect(await plannedAt(4)).toBeCloseTo(uncapped as number, 9);
  });

  it('forecasts horizonHours ahead', async () => {
    const horizonOf = async (horizonHours: number | undefined) => {
      const asked: number[] = [];
      const recording: ForecastFn = (input) => {
        asked.push(input.horizonSteps * input.stepSeconds);
        return forecastOf(() => 100)(input);
      };
      const { deps } = setup(undefined, recording);
      const defaults = { ...config().defaults, ...(horizonHours ? { horizonHours } : {}) };
      await scaleGroups(deps, config({ defaults }), [item()]);
      return asked;
    };
    // The forecast also covers the time to its next refresh, the same for both.
    const [byDefault] = await horizonOf(undefined);
    const [longer] = await horizonOf(36);
    expect(byDefault).toBeGreaterThanOrEqual(24 * 3600);
    expect((longer as number) - (byDefault as number)).toBe(12 * 3600);
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

  it('asks for campaigns from the start of the model’s history, so past windows are read as demand', async () => {
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
    // NOW is a refresh: the model's history is the 14 days up to 3 steps (15 minutes) before it.
    expect(asked).toEqual([[NOW - 15 * 60_000 - 14 * 86_400_000, NOW + 24 * 3_600_000]]);
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
