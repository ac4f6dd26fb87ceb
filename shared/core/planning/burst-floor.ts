import { medianInPlace } from '../forecast/median-in-place';
import { isUtcTimeZone, sameLocalTimeDaysBefore, wallClock } from '../forecast/wall-clock-time';

/** What `burstFloor` reads: the group's load history on a regular grid and its window. */
export interface BurstFloorInput {
  /** Load per metric step on a regular grid, oldest first; a non-finite value is a missing step. */
  readonly loadPerStep: readonly number[];
  readonly targetLoadPerInstance: number;
  /** Steps per window: the burstiness is measured within, and the floor held at the mean of, windows this long (≥ 2). */
  readonly windowSteps: number;
  /**
   * The group is bursty when the median window's coefficient of variation (standard deviation
   * over mean of the load within the window) is at least this (> 0).
   */
  readonly minBurstiness: number;
  /**
   * Steps per season (a day of metric steps) and how many past seasons to read for the seasonal
   * level: the median of the coming window's mean load at the same time of each of the last
   * `seasonalPeriods` seasons. 0 or absent periods: no seasonal level.
   */
  readonly seasonalPeriodSteps?: number;
  readonly seasonalPeriods?: number;
  /**
   * The clock whose days the seasons are (the group's `timeZone`), with where `loadPerStep` sits
   * in time (its first step's start and the step, ms). With a zone other than "UTC" a season is a
   * local day, `seasonalPeriodSteps` the day's step count on UTC: the same time a day earlier is
   * 23 or 25 hours back across a daylight-saving change (a skipped time reads the instant the
   * clock shows an hour later, a repeated one its first). Absent: seasons of `seasonalPeriodSteps`.
   */
  readonly seasonClock?: { readonly timeZone: string; readonly startMs: number; readonly stepMs: number };
}

/** The burstiness measured and the floor it asks for. */
export interface BurstFloor {
  /** Median over the history's whole windows of the load's coefficient of variation within the window; NaN with no window to measure. */
  readonly burstiness: number;
  readonly bursty: boolean;
  /** Mean load of the newest window (NaN when it holds no finite load). */
  readonly recentMeanLoad: number;
  /**
   * Median over the last seasons of the coming window's mean load at the same time of season; NaN
   * on a group that is not bursty, without seasons to read, with none at least half observed, or when the history does not show
   * the load recurring by season (that mean predicted its windows no better than the window before).
   */
  readonly seasonalMeanLoad: number;
  /** The load a bursty group plans: the newest window's mean, raised to the seasonal level when there is one. */
  readonly plannedMeanLoad: number;
  /** Instances `plannedMeanLoad` needs at the target when bursty, else 0. */
  readonly floorCapacity: number;
}

/**
 * A floor for load that comes in bursts. On such load the next minutes' level is not the newest
 * one: bursts return within the window while the load between them sits near zero, so a plan
 * that follows the newest observations releases the capacity the next burst needs and raises it
 * again after the burst. Measured over the history: the load is split into whole windows ending
 * at its newest step, and the group is bursty when the median window's coefficient of variation
 * (standard deviation over mean, the windows with at least half their steps observed and a
 * positive mean) reaches `minBurstiness`. A bursty group keeps the capacity the newest window's
 * mean load needs, what EC2's hourly predictive floor holds, raised to the median of the coming window's
 * mean at the same time of past seasons (days) when the history shows the load recurring by season (see
 * `BurstFloor.seasonalMeanLoad`); a smooth one gets no floor (0).
 * @throws RangeError on a non-positive target or burstiness, or a window shorter than two steps
 */
export function burstFloor(input: BurstFloorInput): BurstFloor {
  validate(input);
  const { loadPerStep, windowSteps } = input;
  const ratios: number[] = [];
  let recentMeanLoad = Number.NaN;
  for (let end = loadPerStep.length; end - windowSteps >= 0; end -= windowSteps) {
    const stats = windowStats(loadPerStep, end - windowSteps, end);
    if (end === loadPerStep.length) recentMeanLoad = stats.count > 0 ? stats.mean : Number.NaN;
    if (stats.count * 2 >= windowSteps && stats.mean > 0) ratios.push(stats.sd / stats.mean);
  }
  const burstiness = median(ratios);
  const bursty = burstiness >= input.minBurstiness;
  // The backtest reads the whole history; only a bursty group plans from it.
  const seasonalMeanLoad = bursty ? seasonalMean(input) : Number.NaN;
  const plannedMeanLoad = combine(recentMeanLoad, seasonalMeanLoad);
  const floorCapacity =
    bursty && plannedMeanLoad > 0 ? Math.ceil(plannedMeanLoad / input.targetLoadPerInstance - 1e-9) : 0;
  return { burstiness, bursty, recentMeanLoad, seasonalMeanLoad, plannedMeanLoad, floorCapacity };
}

/** The newest window's mean raised to the seasonal level; either alone when the other is missing. */
function combine(recentMeanLoad: number, seasonalMeanLoad: number): number {
  if (!Number.isFinite(seasonalMeanLoad)) return recentMeanLoad;
  if (!Number.isFinite(recentMeanLoad)) return seasonalMeanLoad;
  return Math.max(recentMeanLoad, seasonalMeanLoad);
}

/**
 * The seasonal level, when the history supports it: the median over the last `seasonalPeriods`
 * seasons of the coming window's mean load at the same time of season, used only when, backtested
 * over the history's whole windows, that same-time median predicted each window's mean load with a
 * smaller total absolute error than the window before it did (the level the newest-window floor
 * plans), over at least one season of scored windows. NaN otherwise.
 */
function seasonalMean(input: BurstFloorInput): number {
  const { loadPerStep, windowSteps } = input;
  const period = input.seasonalPeriodSteps ?? 0;
  const periods = input.seasonalPeriods ?? 0;
  if (!Number.isInteger(period) || period < windowSteps || !(periods > 0)) return Number.NaN;
  const seasonsBack = seasonsBackOn(input.seasonClock, period);
  if (!seasonRecurs(loadPerStep, windowSteps, { period, periods, seasonsBack })) return Number.NaN;
  return sameTimeMean(loadPerStep, loadPerStep.length, windowSteps, seasonsBack, periods);
}

/** The step at the same time of season `k` seasons before step `from` (may be negative). */
type SeasonsBack = (from: number, k: number) => number;

/** `period` steps a season on UTC; on a zone's clock, the step its local time shows a day earlier. */
function seasonsBackOn(seasonClock: BurstFloorInput['seasonClock'], period: number): SeasonsBack {
  if (!seasonClock || isUtcTimeZone(seasonClock.timeZone)) return (from, k) => from - k * period;
  const { startMs, stepMs } = seasonClock;
  const clock = wallClock(seasonClock.timeZone);
  return (from, k) =>
    Math.round((sameLocalTimeDaysBefore(clock, startMs + from * stepMs, k) - startMs) / stepMs);
}

/**
 * Median over the last `periods` seasons of the mean load of the window starting at `from` minus
 * one season each (the median, so one day's outburst does not set the level); NaN without one at
 * least half observed.
 */
function sameTimeMean(
  loadPerStep: readonly number[],
  from: number,
  windowSteps: number,
  seasonsBack: SeasonsBack,
  periods: number,
): number {
  const means: number[] = [];
  for (let k = 1; k <= periods; k += 1) {
    const start = seasonsBack(from, k);
    if (start < 0) break;
    const mean = observedMean(loadPerStep, start, Math.min(start + windowSteps, from), windowSteps);
    if (!Number.isNaN(mean)) means.push(mean);
  }
  return median(means);
}

/** Whether the same-time median predicted the history's windows better than each previous window did. */
function seasonRecurs(
  loadPerStep: readonly number[],
  windowSteps: number,
  { period, periods, seasonsBack }: { period: number; periods: number; seasonsBack: SeasonsBack },
): boolean {
  let seasonalError = 0;
  let recentError = 0;
  let scored = 0;
  for (let end = loadPerStep.length; seasonsBack(end - windowSteps, 1) >= 0; end -= windowSteps) {
    const start = end - windowSteps;
    const actual = observedMean(loadPerStep, start, end, windowSteps);
    const previous = observedMean(loadPerStep, start - windowSteps, start, windowSteps);
    const sameTime = sameTimeMean(loadPerStep, start, windowSteps, seasonsBack, periods);
    if (Number.isNaN(actual) || Number.isNaN(previous) || Number.isNaN(sameTime)) continue;
    seasonalError += Math.abs(actual - sameTime);
    recentError += Math.abs(actual - previous);
    scored += 1;
  }
  return scored * windowSteps >= period && seasonalError < recentError;
}

/** Mean load of steps [from, to) when at least half a window of them is observed, else NaN. */
function observedMean(loadPerStep: readonly number[], from: number, to: number, windowSteps: number): number {
  const stats = windowStats(loadPerStep, Math.max(0, from), to);
  return stats.count * 2 >= windowSteps ? stats.mean : Number.NaN;
}

function windowStats(loadPerStep: readonly number[], from: number, to: number) {
  let count = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let i = from; i < to; i += 1) {
    const load = loadPerStep[i] as number;
    if (!Number.isFinite(load) || load < 0) continue;
    count += 1;
    sum += load;
    sumSquares += load * load;
  }
  const mean = count > 0 ? sum / count : Number.NaN;
  const sd = count > 0 ? Math.sqrt(Math.max(0, sumSquares / count - mean * mean)) : Number.NaN;
  return { count, mean, sd };
}

/** The median of `values`, NaN for none. */
function median(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : medianInPlace(Float64Array.from(values));
}

function validate(input: BurstFloorInput): void {
  if (!(input.targetLoadPerInstance > 0) || !Number.isFinite(input.targetLoadPerInstance)) {
    throw new RangeError(
      `targetLoadPerInstance must be a positive number, got ${input.targetLoadPerInstance}`,
    );
  }
  if (!Number.isInteger(input.windowSteps) || input.windowSteps < 2) {
    throw new RangeError(`windowSteps must be a whole number ≥ 2, got ${input.windowSteps}`);
  }
  if (!(input.minBurstiness > 0) || !Number.isFinite(input.minBurstiness)) {
    throw new RangeError(`minBurstiness must be a positive number, got ${input.minBurstiness}`);
  }
}

/**
 * The load a group plans for, per forecast step: on a bursty group (`burstFloor`) with a measured
 * planned mean (`plannedMeanLoad`), that mean at every step — the forecast cannot place the bursts, and a plan
 * that follows it raises capacity after each burst and releases it before the next, so the group
 * plans the level the bursts average to and leaves the bursts to its own policy; otherwise the
 * forecast's plan unchanged.
 */
export function burstPlannedLoad(plannedLoad: readonly number[], burst: BurstFloor | undefined): number[] {
  if (!burst?.bursty || !(burst.plannedMeanLoad > 0)) return [...plannedLoad];
  return plannedLoad.map(() => burst.plannedMeanLoad);
}
