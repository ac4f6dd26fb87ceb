import type { GroupSettings } from '../contracts/group-settings-schema';
import type { UserConfig } from '../contracts/user-config';
import { type LoadRatioFit, learnLoadRatio } from '../core/dependencies/learn-load-ratio';
import { propagateForecast, type UpstreamLoad } from '../core/dependencies/propagate-forecast';
import type { DependencyEdge } from '../core/dependencies/types';
import { FORECAST_LEVELS_PCT } from '../core/forecast/forecast-levels';
import { hasUsableLoad } from '../core/forecast/has-usable-load';
import type { CampaignWindow, DemandForecast, LoadObservation } from '../core/forecast/types';
import { onWallClock } from '../core/forecast/wall-clock-forecast';
import { onWallClockAxis } from '../core/forecast/wall-clock-time';
import { correctForecastLevel, DEFAULT_LEVEL_CORRECTION } from '../core/planning/correct-forecast-level';
import { forecastFitWindow } from '../core/planning/forecast-fit-window';
import { residualPersistence } from '../core/planning/residual-persistence';
import type { HistoryQuery } from '../ports/metric-history';
import type { GroupSnapshot } from '../ports/scaling-target';
import { historyQuery } from './history-query';
import { loadGrid } from './load-grid';
import { resolveGroupSettings } from './resolve-group-settings';

/** The forecaster as the loop uses it: `forecastDemand` in production, anything pure in tests. */
export type ForecastFn = (input: {
  history: readonly LoadObservation[];
  stepSeconds: number;
  horizonSteps: number;
  levels: readonly number[];
  campaigns?: readonly CampaignWindow[];
}) => DemandForecast;

/**
 * A group's campaigns overlapping [fromMs, toMs) as forecast windows, their extra instances as
 * load at `targetLoadPerInstance` (the group's resolved target, tags included).
 */
export type CampaignWindowsFn = (
  groupName: string,
  fromMs: number,
  toMs: number,
  targetLoadPerInstance: number,
) => Promise<CampaignWindow[]>;

/** What the forecaster needs of the loop's dependencies. */
export interface GroupForecasterDeps {
  readonly forecast: ForecastFn;
  /** Active and upcoming campaigns per group; none when campaigns are not deployed. */
  readonly campaignsFor?: CampaignWindowsFn;
}

/** A group's forecast for this run, after propagation from its upstream groups. */
export interface GroupForecast {
  /** Starts a few steps before the last model refresh (where its fit ends); steps before now are past. */
  readonly forecast: DemandForecast;
  /** Upstream groups that raised this group's forecast, with how many steps each. */
  readonly raisedByUpstreams: readonly { readonly groupName: string; readonly steps: number }[];
  /** The group's campaign windows the forecast was given (past ones within the history included). */
  readonly campaigns: readonly CampaignWindow[];
  /** The load ratio learned for each incoming edge without a declared one, and whether it carried load. */
  readonly learnedLoadRatios: readonly LearnedLoadRatio[];
}

/**
 * A load ratio learned from history for an edge without a declared `loadRatio` (`learnLoadRatio`):
 * its fit, and why it carried no load when it did not (a falling line, or r² below
 * `dependencies.minLearnedRatioRSquared`: the upstream's load does not explain the group's).
 */
export interface LearnedLoadRatio {
  /** The upstream group. */
  readonly groupName: string;
  /** Downstream load per unit of upstream load; absent when no line was fitted. */
  readonly slope?: number;
  /** Share of the group's load variance the line explains, 0–1; absent when no line was fitted. */
  readonly rSquared?: number;
  /** Aligned samples the fit read. */
  readonly samples: number;
  readonly propagated: boolean;
  /** Why the edge carried no load; absent when it did. */
  readonly reason?: string;
}

/**
 * The history the scaling loop reads for a group at `nowMs`: up to now (the level correction reads
 * the steps since the refit), from the start of the refit's model window, `historyDays` whole days
 * before its fit end (`forecastFitWindow`), so the model sees whole days and every run of a
 * refresh interval asks its forecaster the same question.
 */
export function forecastHistoryQuery(
  groupName: string,
  settings: GroupSettings,
  nowMs: number,
): HistoryQuery {
  return historyQuery(groupName, settings, nowMs, forecastFitWindow(settings, nowMs).historyStartMs);
}

/**
 * A memoised forecaster for one run: a group's own forecast (with its campaigns), raised per step
 * to what its upstream groups' forecasts imply through the declared or learned load ratio
 * (`propagateForecast`). Edges form a DAG (validated at synth), so the recursion ends.
 */
export function groupForecaster(
  deps: GroupForecasterDeps,
  config: UserConfig,
  byName: ReadonlyMap<string, GroupSnapshot>,
  histories: ReadonlyMap<string, LoadObservation[]>,
  edges: readonly DependencyEdge[],
  nowMs: number,
): (groupName: string) => Promise<GroupForecast> {
  const memo = new Map<string, Promise<GroupForecast>>();
  const compute = async (groupName: string): Promise<GroupForecast> => {
    const group = byName.get(groupName);
    const history = histories.get(groupName) ?? [];
    const { settings } = resolveGroupSettings(config, groupName, group?.tags ?? {});
    const campaigns = deps.campaignsFor
      ? // From the start of the model's history: past windows are demand, read without their uplift.
        await deps.campaignsFor(
          groupName,
          forecastFitWindow(settings, nowMs).historyStartMs,
          nowMs + settings.horizonHours * 3600_000,
          settings.targetLoadPerInstance,
        )
      : [];
    const own = ownForecast(deps, settings, history, campaigns, nowMs);
    const upstreams: UpstreamLoad[] = [];
    const learnedLoadRatios: LearnedLoadRatio[] = [];
    let interceptLoad = 0;
    const incoming = edges.filter((e) => e.to === groupName);
    for (const edge of incoming) {
      const upstreamHistory = histories.get(edge.from) ?? [];
      // The upstream's own run has no forecast then either (the `no-history` path): plan without it.
      if (!byName.has(edge.from) || !hasUsableLoad(upstreamHistory)) continue;
      let loadRatio = edge.loadRatio;
      if (loadRatio === undefined) {
        const fit = learnLoadRatio(upstreamHistory, history);
        const learned = judgedLoadRatio(edge.from, fit, config.dependencies.minLearnedRatioRSquared);
        learnedLoadRatios.push(learned);
        if (fit.kind !== 'fitted' || !learned.propagated) continue;
        loadRatio = fit.slope;
        // With one upstream the intercept is this group's own base load; with several, pairwise
        // intercepts do not add up, so they are left out (a cautious under-count of the base).
        if (incoming.length === 1) interceptLoad = Math.max(0, fit.intercept);
      }
      upstreams.push({ groupName: edge.from, loadRatio, forecast: (await memoized(edge.from)).forecast });
    }
    if (upstreams.length === 0) return { forecast: own, raisedByUpstreams: [], campaigns, learnedLoadRatios };
    return { ...propagatedFromUpstreams(own, upstreams, interceptLoad, campaigns), learnedLoadRatios };
  };
  const memoized = (groupName: string): Promise<GroupForecast> => {
    let pending = memo.get(groupName);
    if (!pending) {
      pending = compute(groupName);
      memo.set(groupName, pending);
    }
    return pending;
  };
  return memoized;
}

/**
 * The group's own forecast at `nowMs`, before its upstream groups raise it.
 *
 * The model is refitted once per refresh interval, for a horizon that still reaches a full
 * `horizonHours` from the interval's end: every run of the interval asks the same question (a
 * warm container's cache answers it, `warmForecastDemand`), then corrects the level from the
 * observations the forecast has already covered. The fit stops `residualCount` steps before
 * the refresh (`levelCorrectionFitEndMs`), so the refresh's own run has those observations
 * too: a seasonal model's level can be far from the newest load (a weekday shape on a
 * Saturday morning), and uncorrected it raised the floor at every refresh for the next run
 * to release again (docs/BENCHMARKS.md, Cost/SLO frontier). The model's history is the
 * `historyDays` whole days before the fit's end (`forecastFitWindow`; the loop reads them with
 * {@link forecastHistoryQuery}).
 */
function ownForecast(
  deps: GroupForecasterDeps,
  settings: GroupSettings,
  history: readonly LoadObservation[],
  campaigns: readonly CampaignWindow[],
  nowMs: number,
): DemandForecast {
  const { fitEndMs, historyStartMs, horizonSteps } = forecastFitWindow(settings, nowMs);
  // One pass: the model's window [historyStartMs, fitEndMs) and what came since, each in history order.
  const modelHistory: LoadObservation[] = [];
  const sinceFit: LoadObservation[] = [];
  for (const o of history) {
    if (o.timestampMs >= fitEndMs) sinceFit.push(o);
    else if (o.timestampMs >= historyStartMs) modelHistory.push(o);
  }
  // Without the pre-warm, so a pre-warm does not change the question the warm cache answers.
  const windows = campaigns.map(({ prewarmed: _prewarmed, prewarmMinSize: _raised, ...window }) => window);
  // On the group's wall clock when it has a time zone (`onWallClock`); UTC unchanged otherwise.
  const fitted = onWallClock(
    deps.forecast,
    settings.timeZone,
  )({
    history: modelHistory.length > 0 ? modelHistory : history,
    stepSeconds: settings.stepSeconds,
    horizonSteps,
    levels: FORECAST_LEVELS_PCT,
    campaigns: windows,
  });
  // The newest day reaches now, past the fit: a shift that came since the refit is what the
  // correction must follow, and the model's window alone never shows it.
  const persistencePerStep = levelPersistence([...modelHistory, ...sinceFit], settings);
  // With the windows the forecast was raised by: a campaign's residuals say how wrong its uplift
  // was, and must not move the ordinary steps after it (a sale's shortfall is not the level's).
  return correctForecastLevel(fitted, sinceFit, { ...DEFAULT_LEVEL_CORRECTION, persistencePerStep }, windows)
    .forecast;
}

/**
 * The level correction's persistence per step (`residualPersistence`): over the history's newest
 * day, how much of each step's difference from the day before is still there a step later. With
 * a `timeZone` the day before is the same local time (`onWallClockAxis`), so the hour a
 * daylight-saving change moves a daily ramp by is no deviation; UTC days otherwise.
 */
export function levelPersistence(
  history: readonly LoadObservation[],
  settings: { readonly stepSeconds: number; readonly timeZone?: string },
): number {
  const stepsPerDay = Math.max(1, Math.round(86_400 / settings.stepSeconds));
  const onClock = onWallClockAxis(history, settings.stepSeconds, settings.timeZone);
  // On the step grid, holes NaN: a missing datapoint must not shift the day-earlier comparison.
  const { grid } = loadGrid(onClock, settings.stepSeconds * 1000);
  return residualPersistence(grid, stepsPerDay, stepsPerDay);
}

/**
 * Whether a learned fit carries load: only a rising line that explains at least `minRSquared` of
 * the group's variance. A poor fit's line sits near the group's mean load, and the per-step maximum
 * with the group's own forecast would lift every trough to it (an unrelated upstream, a flat
 * one whose noise gives a small positive slope).
 */
function judgedLoadRatio(groupName: string, fit: LoadRatioFit, minRSquared: number): LearnedLoadRatio {
  if (fit.kind !== 'fitted') {
    return { groupName, samples: fit.samples, propagated: false, reason: fit.reason };
  }
  const learned = { groupName, slope: fit.slope, rSquared: fit.rSquared, samples: fit.samples };
  const line = `learned load ratio ${fit.slope.toPrecision(3)} with r² ${fit.rSquared.toPrecision(3)}`;
  if (fit.slope <= 0) return { ...learned, propagated: false, reason: `${line}: not a rising line` };
  if (fit.rSquared < minRSquared) {
    return { ...learned, propagated: false, reason: `${line} below ${minRSquared}: the fit is poor` };
  }
  return { ...learned, propagated: true };
}

/** The group's forecast raised to what its upstreams imply, with how many steps each raised. */
function propagatedFromUpstreams(
  own: DemandForecast,
  upstreams: readonly UpstreamLoad[],
  interceptLoad: number,
  campaigns: readonly CampaignWindow[],
): Omit<GroupForecast, 'learnedLoadRatios'> {
  const propagated = propagateForecast(own, upstreams, { interceptLoad });
  const steps = new Map<string, number>();
  for (const step of propagated.raisedSteps) {
    for (const u of step.upstreams) steps.set(u.groupName, (steps.get(u.groupName) ?? 0) + 1);
  }
  return {
    forecast: propagated.forecast,
    raisedByUpstreams: [...steps].map(([name, count]) => ({ groupName: name, steps: count })),
    campaigns,
  };
}
