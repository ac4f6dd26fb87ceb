import type { UserConfig } from '../contracts/user-config';
import type { LoadObservation } from '../core/forecast/types';
import type { Clock } from '../ports/clock';
import type { GroupSnapshot, ScalingTarget } from '../ports/scaling-target';
import type { GroupState, StateStore } from '../ports/state-store';
import type { GroupForecast } from './group-forecaster';
import { type GroupLaunches, groupLaunches } from './group-launches';
import { groupQuantileSeed, type ScoredPastPlans, scorePastPlans } from './group-planning-quantile';
import { type LoadGrid, loadGrid } from './load-grid';
import { withOperatorsMaxSize } from './max-size-raise';
import { type ResolvedGroupSettings, resolveGroupSettings } from './resolve-group-settings';
import { type StaleHistory, staleHistory } from './stale-history';

/** What observing a group's run needs of the loop's dependencies. */
export interface ObserveGroupRunDeps {
  readonly scalingTarget: ScalingTarget;
  readonly stateStore: StateStore;
  readonly clock: Clock;
}

/** What a group's run reads before it plans: its state, launches, forecast and scored past plans. */
export interface ObservedRun
  extends Pick<GroupForecast, 'forecast' | 'raisedByUpstreams' | 'campaigns' | 'learnedLoadRatios'> {
  readonly nowMs: number;
  readonly tickIntervalMs: number;
  readonly resolved: ResolvedGroupSettings;
  /** Where the load is read from, which says with the metric whether it is a CPU percentage. */
  readonly historySource: UserConfig['historySource'];
  readonly previous: GroupState | undefined;
  readonly launches: GroupLaunches;
  /** The history on its metric's grid. */
  readonly historyGrid: LoadGrid;
  readonly scored: ScoredPastPlans;
  /** Whether the history stopped hours before now (`staleHistory`). */
  readonly staleHistory: StaleHistory | undefined;
}

/** Reads what a group's run plans from and scores the past runs' plans against the load that came. */
export async function observeGroupRun(
  deps: ObserveGroupRunDeps,
  config: UserConfig,
  group: GroupSnapshot,
  history: readonly LoadObservation[],
  forecastFor: (groupName: string) => Promise<GroupForecast>,
): Promise<ObservedRun> {
  const nowMs = deps.clock.nowMs();
  const resolved = resolveGroupSettings(config, group.name, group.tags);
  const { settings } = resolved;
  const tickIntervalMs = config.scheduleRateMinutes * 60_000;
  const previous = withOperatorsMaxSize(await deps.stateStore.getGroupState(group.name), group);
  const launches = await groupLaunches(deps.scalingTarget, settings, group, nowMs - tickIntervalMs);
  const { forecast, raisedByUpstreams, campaigns, learnedLoadRatios } = await forecastFor(group.name);
  // Read by the quantile's seed, the burst floor, the learned scale-in window and the recurring peak.
  const historyGrid = loadGrid(history, settings.stepSeconds * 1000);
  // A group's first run starts its controller where its own history says, later runs where the last left it.
  const seed =
    previous?.planningQuantile === undefined ? groupQuantileSeed(settings, historyGrid, forecast) : undefined;
  const scored = await scorePastPlans(
    deps.stateStore,
    settings,
    group,
    history,
    previous,
    { nowMs, tickIntervalMs },
    seed,
  );
  const stale = staleHistory(config, group, settings, history, nowMs);
  const observed = {
    nowMs,
    tickIntervalMs,
    resolved,
    historySource: config.historySource,
    previous,
    launches,
    historyGrid,
    scored,
    staleHistory: stale,
  };
  return { ...observed, forecast, raisedByUpstreams, campaigns, learnedLoadRatios };
}
