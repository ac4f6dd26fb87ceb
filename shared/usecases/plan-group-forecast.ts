import type { GroupSettings } from '../contracts/group-settings-schema';
import { applyCampaigns } from '../core/forecast/apply-campaigns';
import type { CampaignWindow, DemandForecast, LoadObservation } from '../core/forecast/types';
import { onWallClock } from '../core/forecast/wall-clock-forecast';
import { TransientDependencyError } from '../ports/errors';
import type { MetricHistory } from '../ports/metric-history';
import type { GroupSnapshot } from '../ports/scaling-target';
import { campaignsOver } from './campaigns-over';
import type { CampaignWindowsFn, ForecastFn } from './group-forecaster';
import { historyQuery } from './history-query';

/** What a plan's forecast of one group reads: its load history, a forecaster, its campaigns. */
export interface PlanGroupForecastDeps {
  readonly metricHistory: MetricHistory;
  readonly forecast: ForecastFn;
  /** The group's campaigns as forecast windows; none when not given. */
  readonly campaignsFor?: CampaignWindowsFn;
}

/**
 * A group's load forecast over an update plan's slots (`spanMs` from `nowMs`), from the end of its
 * history (the last settled step, `historyQuery`), raised by the group's campaigns as the rolling update's window raises it
 * (`campaignsOver`, from its first observation to the step after the horizon): a slot over a sale
 * must fit the sale's p90. Without usable history (none, or too little for the models) the group
 * is assumed fully loaded at its in-service capacity, raised by its campaigns in their windows,
 * which only adds headroom. A calendar that
 * cannot answer fails the plan rather than leaving the campaigns out.
 * @throws TransientDependencyError when the metric source may answer later.
 * @throws CampaignsNotReadError when the calendar read before planning does not cover the group.
 */
export async function planGroupForecast(
  deps: PlanGroupForecastDeps,
  group: GroupSnapshot,
  settings: GroupSettings,
  { nowMs, spanMs }: { readonly nowMs: number; readonly spanMs: number },
): Promise<DemandForecast> {
  const stepSeconds = settings.stepSeconds;
  const stepMs = stepSeconds * 1000;
  // `nowMs` itself: the query rounds it down to a step once, after leaving a cumulative load's
  // settling out; rounded here first, it ended a step early (until 2026-12-07). The forecast runs
  // on from the history's end, so the horizon counts from there to now + span.
  const query = historyQuery(group.name, settings, nowMs);
  const endMs = query.endMs;
  const horizonSteps = Math.max(1, Math.ceil((nowMs + spanMs - endMs) / stepMs));
  let history: readonly LoadObservation[] | undefined;
  try {
    const read = await deps.metricHistory.loadHistory([query]);
    history = read.get(group.name) ?? [];
  } catch (error) {
    if (error instanceof TransientDependencyError) throw error;
  }
  // Read for the fallback too: a sale raises the load assumed as it raises a forecast.
  const campaigns = await campaignsOver(deps.campaignsFor, group.name, settings.targetLoadPerInstance, {
    fromMs: (history ?? []).reduce((first, o) => Math.min(first, o.timestampMs), endMs),
    toMs: endMs + (horizonSteps + 1) * stepMs,
  });
  if (history) {
    try {
      return updateLoadForecast(deps.forecast, settings, { history, horizonSteps, campaigns });
    } catch {
      // Too little history for the models.
    }
  }
  return assumedFullLoadForecast(group, settings, { endMs, horizonSteps }, campaigns);
}

/**
 * The load forecast an update reads, from a group's history: on its wall clock (`onWallClock`),
 * with the 80 % interval whose upper bound is the p90 a slot or a window must fit.
 * @throws whatever the forecaster throws (too little history for the models).
 */
export function updateLoadForecast(
  forecast: ForecastFn,
  settings: Pick<GroupSettings, 'stepSeconds' | 'timeZone'>,
  input: Pick<Parameters<ForecastFn>[0], 'history' | 'horizonSteps' | 'campaigns'>,
): DemandForecast {
  return onWallClock(
    forecast,
    settings.timeZone,
  )({ ...input, stepSeconds: settings.stepSeconds, levels: [80] });
}

/**
 * The group fully loaded at its in-service capacity at every step from `endMs`, raised by its
 * campaigns as a forecast is (`applyCampaigns`): what an update plans with where it has no usable
 * history, the rolling update's window (`chooseUpdateWindow`) as the plan.
 */
export function assumedFullLoadForecast(
  group: GroupSnapshot,
  settings: GroupSettings,
  { endMs, horizonSteps }: { readonly endMs: number; readonly horizonSteps: number },
  campaigns: readonly CampaignWindow[],
): DemandForecast {
  const flat = Array.from(
    { length: horizonSteps },
    () => group.inServiceCapacity * settings.targetLoadPerInstance,
  );
  const raised = applyCampaigns(
    endMs,
    settings.stepSeconds,
    flat,
    [{ levelPct: 80, lower: flat, upper: flat }],
    campaigns,
  );
  return {
    startMs: endMs,
    stepSeconds: settings.stepSeconds,
    mean: raised.mean,
    intervals: raised.intervals,
    selection: {
      kind: 'single',
      models: ['assumed-full-load'],
      backtest: [],
      lowConfidence: true,
      reason: 'no usable history',
    },
    cleaning: {
      inputPoints: 0,
      droppedNonFinite: 0,
      droppedNegative: 0,
      mergedDuplicates: 0,
      reordered: false,
      filledGapSteps: 0,
      outputSteps: horizonSteps,
    },
    anomalies: [],
    campaignsApplied: raised.campaignsApplied,
  };
}
