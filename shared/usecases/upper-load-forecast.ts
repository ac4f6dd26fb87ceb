import { forecastQuantile } from '../core/forecast/forecast-quantile';
import type { CampaignWindow, DemandForecast, LoadObservation } from '../core/forecast/types';
import type { UpperLoadForecast } from '../core/rolling-update/choose-window';
import { TransientDependencyError } from '../ports/errors';
import type { HistoryQuery, MetricHistory } from '../ports/metric-history';
import type { GroupSnapshot } from '../ports/scaling-target';
import { campaignsOver } from './campaigns-over';
import type { CampaignWindowsFn } from './group-forecaster';
import { assumedFullLoadForecast, updateLoadForecast } from './plan-group-forecast';
import type { resolveGroupSettings } from './resolve-group-settings';
import type { ForecastFn } from './scale-groups';

/** What a window's load forecast reads (`ChooseUpdateWindowDeps`' own). */
export interface UpperLoadForecastDeps {
  readonly metricHistory: MetricHistory;
  readonly forecast: ForecastFn;
  readonly campaignsFor?: CampaignWindowsFn;
}

/** The history a window's forecast reads, and the steps it forecasts from that history's end. */
export interface ForecastSpan {
  readonly query: HistoryQuery;
  readonly endMs: number;
  readonly horizonSteps: number;
}

/**
 * The group's p90 load from `endMs` over `horizonSteps`, and a note to add to the decision's
 * reason when there was no usable history and full load was assumed instead. A read that may
 * answer later fails the look (the task's Retry retries it), as the update plan's forecast does
 * (`planGroupForecast`): the assumed full load carries the campaigns only as read, and the load
 * of a sale can be many times it, so assuming it on a throttled calendar or metric read would let
 * the refresh start right before the sale.
 * @throws TransientDependencyError when the metric source or the calendar may answer later.
 */
export async function upperLoadForecast(
  deps: UpperLoadForecastDeps,
  group: GroupSnapshot,
  settings: ReturnType<typeof resolveGroupSettings>['settings'],
  span: ForecastSpan,
): Promise<{ readonly upper: UpperLoadForecast; readonly note: string }> {
  const { query, endMs, horizonSteps } = span;
  const stepSeconds = settings.stepSeconds;
  let history: readonly LoadObservation[] = [];
  let unread: unknown;
  try {
    const read = await deps.metricHistory.loadHistory([query]);
    history = read.get(group.name) ?? [];
  } catch (error) {
    if (error instanceof TransientDependencyError) throw error;
    unread = error;
  }
  // Read for the fallback too (a sale raises the load assumed as it raises a forecast), and a
  // calendar that cannot answer is not "no usable history".
  const campaigns = await campaignsOver(deps.campaignsFor, group.name, settings.targetLoadPerInstance, {
    fromMs: history.reduce((first, o) => Math.min(first, o.timestampMs), endMs),
    toMs: endMs + (horizonSteps + 1) * stepSeconds * 1000,
  });
  const assumed = (error: unknown) => assumedFullLoad(group, settings, span, { error, campaigns });
  if (unread !== undefined) return assumed(unread);
  let forecast: DemandForecast;
  try {
    forecast = updateLoadForecast(deps.forecast, settings, { history, horizonSteps, campaigns });
  } catch (error) {
    // Too little history for the models.
    return assumed(error);
  }
  return {
    upper: { startMs: forecast.startMs, stepSeconds, upperLoad: forecastQuantile(forecast, 0.9) },
    note: '',
  };
}

/**
 * The group fully loaded at its in-service capacity over the span, raised by its campaigns as a
 * forecast is (`assumedFullLoadForecast`, as an update plan assumes it), and the note naming why and which campaigns raised it.
 */
function assumedFullLoad(
  group: GroupSnapshot,
  settings: ReturnType<typeof resolveGroupSettings>['settings'],
  { endMs, horizonSteps }: { readonly endMs: number; readonly horizonSteps: number },
  { error, campaigns }: { readonly error: unknown; readonly campaigns: readonly CampaignWindow[] },
): { readonly upper: UpperLoadForecast; readonly note: string } {
  const assumed = group.inServiceCapacity * settings.targetLoadPerInstance;
  const raised = assumedFullLoadForecast(
    group,
    settings,
    { endMs, horizonSteps: horizonSteps + 1 },
    campaigns,
  );
  const by =
    raised.campaignsApplied.length > 0 ? `, raised by campaign ${raised.campaignsApplied.join(', ')}` : '';
  return {
    upper: { startMs: endMs, stepSeconds: settings.stepSeconds, upperLoad: raised.mean },
    note: ` (no forecast: ${(error as Error).name}; assumed full load ${assumed}${by})`,
  };
}
