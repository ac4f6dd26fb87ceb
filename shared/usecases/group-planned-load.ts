import { forecastQuantile } from '../core/forecast/forecast-quantile';
import { planningLoad } from '../core/forecast/planning-load';
import type { LoadObservation } from '../core/forecast/types';
import { type BurstFloor, burstFloor, burstPlannedLoad } from '../core/planning/burst-floor';
import { capPlannedLoad } from '../core/planning/cap-planned-load';
import { withObservedSteps } from '../core/planning/observed-steps';
import { recurringPeakLoad } from '../core/planning/recurring-peak-capacity';
import type { GroupForecast } from './group-forecaster';
import type { LoadGrid } from './load-grid';
import type { ResolvedGroupSettings } from './resolve-group-settings';

/** The load a group's run plans for, from its forecast and history, and what raises or bounds it. */

type GroupSettings = ResolvedGroupSettings['settings'];

/** Fewest past days that must hold an hour before its recurring peak counts (a median of three). */
const MIN_RECURRING_PEAK_DAYS = 3;

/** The band `capPlannedLoad` reads to judge whether the forecast can place a step (the old start quantile). */
const SPREAD_QUANTILE = 0.9;

/**
 * Each forecast step's recurring peak (`recurringPeakLoad`) when the group opted in
 * (`recurringPeakDays` > 0) and has an SLO; undefined otherwise, so the plan is the forecast's alone.
 */
export function groupRecurringPeak(
  settings: GroupSettings,
  { grid, startMs }: LoadGrid,
  forecast: GroupForecast['forecast'],
  horizonSteps: number,
): number[] | undefined {
  const days = settings.recurringPeakDays;
  const slo = settings.sloLoadPerInstance;
  if (days === 0 || slo === undefined) return undefined;
  return recurringPeakLoad({
    loadPerStep: grid,
    startMs,
    stepMs: settings.stepSeconds * 1000,
    forecastStartMs: forecast.startMs,
    forecastStepMs: forecast.stepSeconds * 1000,
    horizonSteps,
    days,
    minDays: Math.min(days, MIN_RECURRING_PEAK_DAYS),
    timeZone: settings.timeZone,
  });
}

/**
 * The load planned for, per forecast step. A bursty group plans the mean load its bursts average
 * to (`burstPlannedLoad`); any other, with planForDailyPeaks, the per-step quantile raised to the
 * daily-peak bound (`planningLoad`); either capped by `capPlannedLoad` at `currentLoad` (undefined
 * when the load now is not known: a stale history's newest datapoint is hours old). Steps already
 * over carry the load observed in them (`withObservedSteps`).
 */
export function groupPlannedLoad(
  settings: GroupSettings,
  forecast: GroupForecast['forecast'],
  quantile: number,
  history: readonly LoadObservation[],
  burst: BurstFloor | undefined,
  { nowMs, currentLoad }: { readonly nowMs: number; readonly currentLoad: number | undefined },
): number[] {
  const planned = burstPlannedLoad(
    capPlannedLoad(
      settings.planForDailyPeaks ? planningLoad(forecast, quantile) : forecastQuantile(forecast, quantile),
      forecast.mean,
      currentLoad,
      settings.maxPlanningRatio,
      // Whether the forecast can place a step is judged on a fixed band, whatever the controller plans.
      forecastQuantile(forecast, SPREAD_QUANTILE),
    ),
    burst,
  );
  return withObservedSteps(planned, forecast.startMs, forecast.stepSeconds * 1000, nowMs, history);
}

/**
 * The burst floor of the group's history (`burstFloor`) over windows of `burstFloorWindowMinutes`,
 * its same time of past days on the group's clock (`timeZone`); undefined when it is off (0) or
 * the window holds fewer than two metric steps.
 */
export function groupBurstFloor(
  settings: GroupSettings,
  { grid, startMs }: LoadGrid,
): BurstFloor | undefined {
  const windowSteps = Math.floor((settings.burstFloorWindowMinutes * 60_000) / (settings.stepSeconds * 1000));
  if (windowSteps < 2) return undefined;
  return burstFloor({
    loadPerStep: grid,
    targetLoadPerInstance: settings.targetLoadPerInstance,
    windowSteps,
    minBurstiness: settings.burstFloorMinBurstiness,
    seasonalPeriodSteps: Math.floor(86_400 / settings.stepSeconds),
    seasonalPeriods: settings.burstFloorSeasonalDays,
    seasonClock: { timeZone: settings.timeZone, startMs, stepMs: settings.stepSeconds * 1000 },
  });
}

/** The newest finite load in the history. */
export function latestActual(history: readonly LoadObservation[]): number | undefined {
  let latest: LoadObservation | undefined;
  for (const o of history)
    if (Number.isFinite(o.value) && (!latest || o.timestampMs > latest.timestampMs)) latest = o;
  return latest?.value;
}
