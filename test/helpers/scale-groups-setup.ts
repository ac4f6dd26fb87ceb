import { parseConfig } from '../../shared/contracts/parse-config';
import { type UserConfigInput, userConfigSchema } from '../../shared/contracts/user-config';
import type { LoadObservation } from '../../shared/core/forecast/types';
import type { HistoryQuery, MetricHistory } from '../../shared/ports/metric-history';
import type { ForecastFn } from '../../shared/usecases/scale-groups';
import { FakeScalingTarget, groupSnapshot } from '../fakes/fake-scaling-target';
import { MemoryStateStore } from '../fakes/memory-state-store';
import { RecordingGroupOwnership } from '../fakes/recording-group-ownership';
import { demandForecast } from './demand-forecast';

/** The `scaleGroups` tests' clock: a Monday noon, UTC. */
export const SCALE_GROUPS_NOW_MS = Date.UTC(2026, 2, 2, 12, 0);
/** One 5-minute metric step. */
export const STEP_MS = 300_000;

/**
 * Groups `web` and `api` enrolled by name in forecast-and-scale mode: target 60, floor 2, raises of
 * up to 50 a run, a 10-minute lead time, with `o` on top.
 */
export const scaleGroupsConfig = (o: Partial<UserConfigInput> = {}) =>
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
export function forecastOf(load: (step: number) => number): ForecastFn {
  return ({ horizonSteps, levels, history }) => {
    // One step after the newest observation, like forecastDemand; NOW without history.
    const last =
      history.length > 0 ? Math.max(...history.map((o) => o.timestampMs)) : SCALE_GROUPS_NOW_MS - STEP_MS;
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

/** A metric history answering every query with the same series, and keeping the queries asked. */
export class FixedHistory implements MetricHistory {
  readonly queries: HistoryQuery[] = [];
  /**
   * @param series the history every query gets; by default a live load of 100: one step at 100,
   * the newest step the query asks for, so a run later on the clock finds it as fresh.
   */
  constructor(private readonly series?: LoadObservation[]) {}
  async loadHistory(queries: readonly HistoryQuery[]) {
    this.queries.push(...queries);
    return new Map(
      queries.map((q) => [q.groupName, this.series ?? [{ timestampMs: q.endMs - STEP_MS, value: 100 }]]),
    );
  }
}

/**
 * `scaleGroups` deps over fakes: the groups given (by default `web` at MinSize 2, 2 desired), one
 * step of history at 100, the forecast given, and a kill switch `pause` turns on.
 */
export function scaleGroupsSetup(
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
    clock: { nowMs: () => SCALE_GROUPS_NOW_MS },
    forecast,
    isGloballyPaused: async () => paused,
    groupOwnership: new RecordingGroupOwnership({ target: scalingTarget }),
  };
  return {
    deps,
    scalingTarget,
    stateStore,
    metricHistory,
    groupOwnership: deps.groupOwnership,
    pause: () => (paused = true),
  };
}

/** The work item of one group's run at the tests' clock. */
export const scaleGroupsItem = (groupName = 'web') => ({ groupName, tickMs: SCALE_GROUPS_NOW_MS });

/** The work item of `web`'s run `tick` five-minute runs after the tests' clock. */
export const scaleGroupsRun = (tick: number) => ({
  groupName: 'web',
  tickMs: SCALE_GROUPS_NOW_MS + tick * 300_000,
});

/**
 * `scaleGroupsConfig` for a group without scaling policies at a target of 60, floor 2, allowed 5
 * over its MaxSize, changing as much as it needs per run.
 */
export const scaleGroupsRaiseConfig = () =>
  scaleGroupsConfig({
    defaults: {
      targetLoadPerInstance: 60,
      floorCapacity: 2,
      maxChangePerTick: 50,
      defaultLeadTimeSeconds: 600,
      maxRaiseOverMaxSize: 5,
    },
  });

/** A forecast of 720 (12 instances at 60) for the next 14 steps, then 100: a peak an hour away. */
export const peakWithinTheHour = () => forecastOf((step) => (step < 14 ? 720 : 100));

/**
 * `web` alone at target 60, floor 2, up to 20 a run, with a look-ahead of `lookAheadHours` and
 * `maxRaiseOverMaxSize` over its MaxSize.
 */
export const webLookAheadConfig = (lookAheadHours: number, maxRaiseOverMaxSize: number) =>
  scaleGroupsConfig({
    groups: { names: ['web'] },
    defaults: {
      floorCapacity: 2,
      targetLoadPerInstance: 60,
      maxChangePerTick: 20,
      defaultLeadTimeSeconds: 600,
      maxRaiseOverMaxSize,
    },
    lookAhead: { hours: lookAheadHours },
  });
