import { parseConfig } from '../../shared/contracts/parse-config';
import { type UserConfigInput, userConfigSchema } from '../../shared/contracts/user-config';
import type { LoadObservation } from '../../shared/core/forecast/types';
import type { HistoryQuery, MetricHistory } from '../../shared/ports/metric-history';
import type { LaunchActivity, ScalingTarget } from '../../shared/ports/scaling-target';
import { type ForecastFn, scaleGroups } from '../../shared/usecases/scale-groups';
import { FakeScalingTarget, groupSnapshot } from '../fakes/fake-scaling-target';
import { MemoryStateStore } from '../fakes/memory-state-store';
import { RecordingGroupOwnership } from '../fakes/recording-group-ownership';
import { demandForecast } from './demand-forecast';

/** The run's clock: every history step ends before it. */
export const FLAT_RUN_NOW = Date.UTC(2026, 2, 2, 12, 0);
const STEP_MS = 300_000;

type Defaults = Partial<NonNullable<UserConfigInput['defaults']>>;

const config = (defaults: Defaults = {}, mode: UserConfigInput['mode'] = 'forecast-and-scale') =>
  parseConfig(
    userConfigSchema,
    {
      groups: { names: ['web'] },
      mode,
      defaults: {
        targetLoadPerInstance: 60,
        floorCapacity: 1,
        maxChangePerTick: 50,
        defaultLeadTimeSeconds: 300,
        ...defaults,
      },
    },
    'test',
  );

/**
 * A forecast whose every quantile is `load`: flat, or per step (a profile, its last value held
 * to the horizon's end); with `upperLoad`, every upper bound is that (when above the median).
 */
const flatForecast =
  (load: number | readonly number[], upperLoad?: number): ForecastFn =>
  ({ horizonSteps, levels, history }) => {
    const last = history.reduce((m, o) => Math.max(m, o.timestampMs), FLAT_RUN_NOW - STEP_MS);
    const at = (step: number) =>
      typeof load === 'number' ? load : (load[Math.min(step, load.length - 1)] as number);
    const mean = Array.from({ length: horizonSteps }, (_, step) => at(step));
    const upper = mean.map((m) => Math.max(m, upperLoad ?? m));
    return demandForecast(
      mean,
      levels.map((levelPct) => ({ levelPct, lower: [...mean], upper: [...upper] })),
      { startMs: last + STEP_MS },
    );
  };

/**
 * `values` as the group's 5-minute load history, the newest step ending `endsBeforeNowMs` before
 * the run's clock (at it by default).
 */
const history = (values: readonly number[], endsBeforeNowMs = 0): MetricHistory => ({
  async loadHistory(queries: readonly HistoryQuery[]) {
    const series: LoadObservation[] = values.map((value, i) => ({
      timestampMs: FLAT_RUN_NOW - endsBeforeNowMs - (values.length - i) * STEP_MS,
      value,
    }));
    return new Map(queries.map((q) => [q.groupName, series]));
  },
});

/**
 * One `scaleGroups` run of group `web` (forecast-and-scale, target 60, floor 1) with a flat
 * forecast of `forecastLoad`, the load history `actual` and, optionally, the group's shape, its
 * recent launches, other configuration defaults and the mode.
 */
export async function runFlatForecast(options: {
  /** The forecast: one load for every step, or a per-step profile (its last value held). */
  forecastLoad: number | readonly number[];
  /** Every interval's upper bound (a forecast that cannot place its load); the median's by default. */
  forecastUpperLoad?: number;
  actual: readonly number[];
  /** How long before the run's clock the history's newest step ends (a publisher that stopped); 0 by default. */
  historyEndsBeforeNowMs?: number;
  group?: Parameters<typeof groupSnapshot>[0];
  defaults?: Defaults;
  launches?: readonly LaunchActivity[];
  mode?: UserConfigInput['mode'];
  /** Another `ScalingTarget` holding group `web` (then `group` and `launches` are not used). */
  scalingTarget?: ScalingTarget;
}) {
  const fake = new FakeScalingTarget([
    groupSnapshot(options.group ?? { name: 'web', minSize: 1, desiredCapacity: 1, inServiceCapacity: 1 }),
  ]);
  fake.launches = [...(options.launches ?? [])];
  const scalingTarget = options.scalingTarget ?? fake;
  const [result] = await scaleGroups(
    {
      scalingTarget,
      stateStore: new MemoryStateStore(),
      metricHistory: history(options.actual, options.historyEndsBeforeNowMs),
      clock: { nowMs: () => FLAT_RUN_NOW },
      forecast: flatForecast(options.forecastLoad, options.forecastUpperLoad),
      isGloballyPaused: async () => false,
      groupOwnership: new RecordingGroupOwnership(),
    },
    config(options.defaults, options.mode),
    [{ groupName: 'web', tickMs: FLAT_RUN_NOW }],
  );
  return { result };
}
