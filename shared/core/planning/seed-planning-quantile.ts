import { forecastQuantile } from '../forecast/forecast-quantile';
import { median } from '../forecast/median';
import type { DemandForecast } from '../forecast/types';
import { isUtcTimeZone, sameLocalTimeDaysBefore, wallClock } from '../forecast/wall-clock-time';
import { trackedCapacity, wholeInstances } from './replay-target-tracking';

/** What seeding the planning quantile reads: the history, the run's forecast and the controller's settings. */
export interface QuantileSeedInput {
  /** The history's load per metric step, oldest first, NaN where missing; the last entry is the newest step. */
  readonly loadPerStep: readonly number[];
  /** When `loadPerStep[0]` starts (epoch ms). */
  readonly startMs: number;
  /** The run's forecast (its time-of-day shape and calibrated spread); its step must be the history's. */
  readonly forecast: Pick<DemandForecast, 'startMs' | 'stepSeconds' | 'mean' | 'intervals'>;
  /** Newest steps replayed (a day or two of the history). */
  readonly replaySteps: number;
  readonly targetLoadPerInstance: number;
  /** Steps target tracking holds a scale-out before it may scale in (its 15 minutes). */
  readonly reactiveHoldSteps: number;
  readonly minQuantile: number;
  /** The configured start (`planningQuantile`): the seed never lies above it. */
  readonly startQuantile: number;
  /** Share of steps that may be under-provisioned (the controller's SLO budget, 0–1). */
  readonly shortfallBudget: number;
  /** The group's `timeZone`: time of day is local wall-clock time there; none or "UTC" for UTC. */
  readonly timeZone?: string;
}

/** The seeded start of the controller, with the shortfall share it reached on the replay. */
export interface QuantileSeed {
  readonly quantile: number;
  /** Share (0–1) of the replayed steps short of capacity at that quantile. */
  readonly shortfallShare: number;
  readonly replayedSteps: number;
}

/** Candidate quantiles are this far apart (the controller moves 0.0004 a covered step). */
const QUANTILE_STEP = 0.01;
/** Newest observations whose median re-centres the forecast (`correctForecastLevel`'s residual count). */
const LEVEL_STEPS = 3;
const DAY_MS = 86_400_000;

/**
 * The planning quantile a group's first run starts its controller at: the lowest quantile on a
 * 0.01 grid from `minQuantile` up to `startQuantile` at which the newest `replaySteps` of the
 * history would have been short of capacity on no more than the SLO budget's share of steps, or
 * `startQuantile` when none is. The controller settles where its shortfall rate meets the budget
 * and falls only 0.0004 a covered step, so a fixed start costs a group that needs less hours of
 * headroom (nyc_taxi: 12 of its first day's hours walking from 0.6 to its 0.55 bound).
 *
 * Each replayed step is planned as a run one step before would plan it: the median of the
 * `LEVEL_STEPS` loads before it (the level correction's re-centring), moved by the forecast
 * median's change at the same time of day, plus the forecast's calibrated quantile offset at that
 * time of day (the run's forecast covers the next day). Time of day is UTC's, or with a `timeZone`
 * the local wall clock's (`forecastPhase`), so across a daylight-saving change 09:00-local load
 * meets the 09:00-local forecast. It is short when its load exceeds the
 * capacity serving it × the target: the larger of that plan's capacity and what target tracking
 * holds (`trackedCapacity`, replayed along the steps).
 *
 * The replay sees 5-minute averages where target tracking acts on minutes and holds what their
 * peaks added, so it counts more shortfalls than the group had: a seed below the start is where
 * the controller would have walked to anyway, but one above it is not to be trusted (on flat load
 * swinging within the 5 minutes the replay asks for 0.96 where the controller settles at
 * 0.60–0.68), hence the ceiling at `startQuantile`.
 * Pure; undefined when the forecast does not cover a day on the history's step or fewer than two
 * replayed steps have the loads they need.
 */
export function seedPlanningQuantile(input: QuantileSeedInput): QuantileSeed | undefined {
  const { loadPerStep, forecast, targetLoadPerInstance: target } = input;
  const stepMs = forecast.stepSeconds * 1000;
  const daySteps = Math.round(DAY_MS / stepMs);
  if (!(stepMs > 0) || forecast.mean.length < daySteps || !(target > 0)) return undefined;
  const phase = forecastPhase(input, stepMs, daySteps);
  const lookBack = Math.max(LEVEL_STEPS, input.reactiveHoldSteps);
  const first = Math.max(lookBack, loadPerStep.length - input.replaySteps);
  const steps: { load: number; centre: number; phase: number; before: readonly number[] }[] = [];
  for (let i = first; i < loadPerStep.length; i += 1) {
    const load = loadPerStep[i] as number;
    const before = loadPerStep.slice(i - lookBack, i);
    if (!Number.isFinite(load) || !before.every(Number.isFinite)) continue;
    const level = before.slice(-LEVEL_STEPS);
    const levelPhases = level.map((_, k) => phase(i - LEVEL_STEPS + k));
    const drift =
      (forecast.mean[phase(i)] as number) - median(levelPhases.map((p) => forecast.mean[p] as number));
    steps.push({
      load,
      centre: median(level) + drift,
      phase: phase(i),
      before: before.slice(-input.reactiveHoldSteps),
    });
  }
  if (steps.length < 2) return undefined;
  const median50 = forecastQuantile(forecast as DemandForecast, 0.5);
  const shortfallShare = (quantile: number): number => {
    const upper = forecastQuantile(forecast as DemandForecast, quantile);
    let short = 0;
    let capacity = wholeInstances((steps[0] as (typeof steps)[number]).load / target);
    for (const s of steps) {
      const planned = s.centre + (upper[s.phase] as number) - (median50[s.phase] as number);
      capacity = Math.max(wholeInstances(planned / target), trackedCapacity(capacity, s.before, target));
      if (s.load > capacity * target) short += 1;
    }
    return short / steps.length;
  };
  let quantile = input.minQuantile;
  for (;;) {
    const share = shortfallShare(quantile);
    if (share <= input.shortfallBudget || quantile >= input.startQuantile)
      return { quantile, shortfallShare: share, replayedSteps: steps.length };
    quantile = Math.min(input.startQuantile, roundTo(quantile + QUANTILE_STEP));
  }
}

/** The forecast step at the time of day of history step i. */
function forecastPhase(input: QuantileSeedInput, stepMs: number, daySteps: number): (i: number) => number {
  const { startMs, forecast, timeZone } = input;
  const wrap = (j: number) => ((j % daySteps) + daySteps) % daySteps;
  if (isUtcTimeZone(timeZone))
    return (i) => wrap(Math.round((startMs + i * stepMs - forecast.startMs) / stepMs));
  const clock = wallClock(timeZone);
  const forecastLocalMs = clock.toWallClockMs(forecast.startMs);
  return (i) => {
    const t = startMs + i * stepMs;
    // The first day at or after the forecast's start whose clock shows step i's local time.
    const daysBefore = Math.floor((clock.toWallClockMs(t) - forecastLocalMs) / DAY_MS);
    const j = Math.round((sameLocalTimeDaysBefore(clock, t, daysBefore) - forecast.startMs) / stepMs);
    // A local time the forecast's day skips or starts inside: the step of the same UTC offset.
    return j >= 0 && j < forecast.mean.length ? j : wrap(j);
  };
}

function roundTo(q: number): number {
  return Math.round(q / QUANTILE_STEP) * QUANTILE_STEP;
}
