import { lowerMedian } from '../forecast/median';
import { isUtcTimeZone, wallClock } from '../forecast/wall-clock-time';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The history and forecast grid `recurringPeakLoad` reads. */
export interface RecurringPeakInput {
  /** The group's load per metric step, oldest first, from `startMs` (NaN where missing). */
  readonly loadPerStep: readonly number[];
  readonly startMs: number;
  /** Length of one history step, ms (> 0). */
  readonly stepMs: number;
  /** Start of the forecast's first step, ms. */
  readonly forecastStartMs: number;
  /** Length of one forecast step, ms (> 0). */
  readonly forecastStepMs: number;
  readonly horizonSteps: number;
  /** Newest whole days read (the same clock hour on each). */
  readonly days: number;
  /** Fewest of those days that must hold the hour before it has a peak. */
  readonly minDays: number;
  /**
   * The IANA zone whose clock hours are read (the group's `timeZone`); absent or "UTC": UTC hours.
   * On a spring-forward day the skipped hour is simply absent (fewer days hold it); on an autumn
   * day both instances of the repeated hour are one hour, whose peak is the higher.
   */
  readonly timeZone?: string;
}

/**
 * Each forecast step's recurring peak: the median, over the newest `days` days before the forecast
 * that hold the step's clock hour (UTC, or the local hour of `timeZone`), of that hour's highest metric step. It is the load the
 * hour's short peaks reach on a typical day, wherever in the hour they fall — a peak the per-step
 * forecast smooths away when its minute drifts from day to day, as EC2 predictive scaling's hourly
 * floor (the hour's history) holds it by accident. NaN for a step whose hour appears on fewer than
 * `minDays` of those days. Pure.
 * @throws RangeError on a non-positive step, day count or horizon below 0
 */
export function recurringPeakLoad(input: RecurringPeakInput): number[] {
  const { loadPerStep, startMs, stepMs, forecastStartMs, forecastStepMs, horizonSteps, days, minDays } =
    input;
  if (!(stepMs > 0) || !(forecastStepMs > 0))
    throw new RangeError(`stepMs and forecastStepMs must be positive, got ${stepMs} and ${forecastStepMs}`);
  if (!(Number.isInteger(days) && days >= 1 && Number.isInteger(minDays) && minDays >= 1))
    throw new RangeError(`days and minDays must be whole numbers ≥ 1, got ${days} and ${minDays}`);
  if (!(Number.isInteger(horizonSteps) && horizonSteps >= 0))
    throw new RangeError(`horizonSteps must be a whole number ≥ 0, got ${horizonSteps}`);
  // Clock hours on the zone's wall clock (epoch ms "as if UTC"): the same local hour every day.
  const clock = isUtcTimeZone(input.timeZone) ? undefined : wallClock(input.timeZone);
  const hourOf = (t: number): number => Math.floor((clock ? clock.toWallClockMs(t) : t) / HOUR_MS) * HOUR_MS;
  // The highest step per past clock hour, keyed by the hour's start.
  const earliestMs = forecastStartMs - days * DAY_MS;
  const hourPeak = new Map<number, number>();
  loadPerStep.forEach((load, i) => {
    const t = startMs + i * stepMs;
    if (!Number.isFinite(load) || t < earliestMs || t + stepMs > forecastStartMs) return;
    const hourStart = hourOf(t);
    hourPeak.set(hourStart, Math.max(hourPeak.get(hourStart) ?? Number.NEGATIVE_INFINITY, load));
  });
  const byHourOfDay = new Map<number, number>();
  const peakFor = (t: number): number => {
    const hourStart = hourOf(t);
    const hourOfDay = Math.floor((((hourStart % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
    const known = byHourOfDay.get(hourOfDay);
    if (known !== undefined) return known;
    const peaks: number[] = [];
    // A step of the forecast's second day has its hour of today in the future: one day further back.
    for (let k = 1; k <= days + 1 && peaks.length < days; k += 1) {
      const peak = hourPeak.get(hourStart - k * DAY_MS);
      if (peak !== undefined) peaks.push(peak);
    }
    const value = peaks.length >= minDays ? lowerMedian(peaks) : Number.NaN;
    byHourOfDay.set(hourOfDay, value);
    return value;
  };
  return Array.from({ length: horizonSteps }, (_, step) => peakFor(forecastStartMs + step * forecastStepMs));
}

/**
 * Per-step capacity raised by one instance where that one instance keeps the group within its SLO
 * through its hour's recurring peak (`recurringPeakLoad`): the peak's need at the SLO is exactly
 * one more than the step's plan. Such an hour (a small group's flat load with a short peak each
 * hour) misses the SLO for the peak's minutes, and the one instance buys all of them; where the
 * peak needs two or more beyond the plan (a burst), one instance buys almost none, so the plan
 * stands. The same rule at any target: with the target at or below the SLO the plan already holds
 * at least the SLO's need for the step's own load, so only a peak that still outgrows it by one
 * gets the instance. Never lowers a step. With no SLO, the plan is returned unchanged.
 * @param perStepCapacity the plan, instances per step
 * @param peakLoad the recurring peak per step (NaN: none known), aligned with the plan
 * @throws RangeError on a non-positive target or SLO
 */
export function recurringPeakCapacity(
  perStepCapacity: readonly number[],
  peakLoad: readonly number[],
  targetLoadPerInstance: number,
  sloLoadPerInstance?: number,
): number[] {
  if (!(targetLoadPerInstance > 0) || !Number.isFinite(targetLoadPerInstance))
    throw new RangeError(`targetLoadPerInstance must be a positive number, got ${targetLoadPerInstance}`);
  if (sloLoadPerInstance === undefined) return [...perStepCapacity];
  if (!(sloLoadPerInstance > 0) || !Number.isFinite(sloLoadPerInstance))
    throw new RangeError(`sloLoadPerInstance must be a positive number, got ${sloLoadPerInstance}`);
  return perStepCapacity.map((capacity, step) => {
    const peak = peakLoad[step];
    if (peak === undefined || !Number.isFinite(peak) || peak <= 0) return capacity;
    const need = Math.ceil(peak / sloLoadPerInstance - 1e-9);
    return need === capacity + 1 ? need : capacity;
  });
}
