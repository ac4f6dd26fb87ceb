import type { LoadObservation } from '../../../shared/core/forecast/types';
import { type ForecastFn, scaleGroups } from '../../../shared/usecases/scale-groups';
import { FakeScalingTarget, groupSnapshot } from '../../fakes/fake-scaling-target';
import { MemoryStateStore } from '../../fakes/memory-state-store';
import { RecordingGroupOwnership } from '../../fakes/recording-group-ownership';
import {
  scaleGroupsConfig as config,
  FixedHistory,
  forecastOf,
  SCALE_GROUPS_NOW_MS as NOW,
  STEP_MS,
} from '../../helpers/scale-groups-setup';

describe('scaleGroups between model refreshes', () => {
  const at = NOW + 20 * 60_000;
  // Two days before the hourly refresh at NOW: flat 100, then a day drifting slowly upwards (a
  // persistent deviation from yesterday, so level corrections last); then 400 since the refresh.
  const day = 288;
  const history: LoadObservation[] = Array.from({ length: 2 * day + 4 }, (_, i) => ({
    timestampMs: NOW - 2 * day * STEP_MS + i * STEP_MS,
    value: i < day ? 100 : i < 2 * day ? 100 + (i - day) * 0.05 : 400,
  }));

  function run(refreshMinutes: number, nowMs = at, observed = history, modelLoad = (_step: number) => 100) {
    const scalingTarget = new FakeScalingTarget([
      groupSnapshot({ name: 'web', minSize: 2, desiredCapacity: 2 }),
    ]);
    const asked: { historyEndMs: number; horizonSteps: number }[] = [];
    const forecast: ForecastFn = (input) => {
      asked.push({
        historyEndMs: Math.max(...input.history.map((o) => o.timestampMs)),
        horizonSteps: input.horizonSteps,
      });
      return forecastOf(modelLoad)(input);
    };
    const deps = {
      scalingTarget,
      stateStore: new MemoryStateStore(),
      metricHistory: new FixedHistory(observed),
      clock: { nowMs: () => nowMs },
      forecast,
      isGloballyPaused: async () => false,
      groupOwnership: new RecordingGroupOwnership(),
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

  it('ramps into the current step from the load the steps the fit left out had, not from the model there', async () => {
    // The load has been 150 throughout; the refitted model (a seasonal copy of yesterday, say)
    // still holds 1,600 on the three steps between its fit end and the refresh. Those steps are
    // observed: planned from the model there, half its fall into now (15 instances) was bought for
    // a load needing 3.
    const flat = history.filter((o) => o.timestampMs < NOW).map((o) => ({ ...o, value: 150 }));
    const { run: done, scalingTarget } = run(60, NOW, flat, (h) => (h < 3 ? 1600 : 150));
    const [result] = await done;
    expect(result).toMatchObject({ kind: 'ran' });
    expect(scalingTarget.groups.get('web')?.minSize).toBe(3);
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
