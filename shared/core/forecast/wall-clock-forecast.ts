import type { ForecastDemandInput } from './forecast-demand';
import type { DemandForecast } from './types';
import { isUtcTimeZone, type WallClock, wallClock, wallClockHistory } from './wall-clock-time';

/** A forecaster of the shape of `forecastDemand` (the loop's, a warm cache's, a test's). */
export type DemandForecastFn = (input: ForecastDemandInput) => DemandForecast;

/**
 * `forecast` with its seasonality on `timeZone`'s wall clock: the history and the campaign windows
 * are moved onto the wall-clock axis (`wallClockHistory`), the forecaster runs there, and its
 * forecast is read back on the UTC step grid from one step after the newest usable observation,
 * as `forecastDemand`'s own start. Each UTC step takes the wall-clock step it shows: across a
 * spring-forward change the skipped wall-clock hour is never read, across an autumn one the
 * repeated hour is read twice (a UTC step whose wall-clock time is before the forecast's first
 * step, the repeated hour right at the start, takes the first step). Day windows, peaks and
 * anomalies are moved back to their instants. With no zone or "UTC" it is `forecast` itself, so
 * the default path is today's exactly.
 * @throws RangeError when the runtime does not know the zone.
 */
export function onWallClock(forecast: DemandForecastFn, timeZone: string | undefined): DemandForecastFn {
  if (isUtcTimeZone(timeZone)) return forecast;
  const clock = wallClock(timeZone);
  return (input) => {
    const stepMs = input.stepSeconds * 1000;
    const history = wallClockHistory(input.history, input.stepSeconds, clock);
    const campaigns = input.campaigns?.map((c) => ({
      ...c,
      startMs: clock.toWallClockMs(c.startMs),
      endMs: clock.toWallClockMs(c.endMs),
    }));
    const utcStartMs = (newestSlot(input.history, stepMs) + 1) * stepMs;
    const wallStartMs = (newestSlot(history, stepMs) + 1) * stepMs;
    const wallSteps = (startMs: number) =>
      Array.from({ length: input.horizonSteps }, (_, h) =>
        Math.max(0, Math.round((clock.toWallClockMs(utcStartMs + h * stepMs) - startMs) / stepMs)),
      );
    const horizonSteps = Math.max(input.horizonSteps, ...wallSteps(wallStartMs).map((s) => s + 1));
    const local = forecast({ ...input, history, horizonSteps, ...(campaigns ? { campaigns } : {}) });
    return onUtcGrid(local, utcStartMs, wallSteps(local.startMs), clock);
  };
}

/** The newest step (ms / step since the epoch) holding usable load; the history's newest otherwise. */
function newestSlot(history: ForecastDemandInput['history'], stepMs: number): number {
  let newest = Number.NEGATIVE_INFINITY;
  let newestAny = Number.NEGATIVE_INFINITY;
  for (const o of history) {
    if (!Number.isFinite(o.timestampMs)) continue;
    const slot = Math.round(o.timestampMs / stepMs);
    newestAny = Math.max(newestAny, slot);
    if (Number.isFinite(o.value) && o.value >= 0) newest = Math.max(newest, slot);
  }
  return Number.isFinite(newest) ? newest : newestAny;
}

/** A wall-clock forecast read back at UTC steps: step h takes wall-clock step `wallStep[h]`. */
function onUtcGrid(
  local: DemandForecast,
  utcStartMs: number,
  wallStep: readonly number[],
  clock: WallClock,
): DemandForecast {
  const last = local.mean.length - 1;
  const pick = (values: readonly number[]) => wallStep.map((s) => values[Math.min(s, last)] as number);
  const instant = (wallMs: number) => clock.toInstantMs(wallMs);
  return {
    ...local,
    startMs: utcStartMs,
    mean: pick(local.mean),
    intervals: local.intervals.map((i) => ({
      levelPct: i.levelPct,
      lower: pick(i.lower),
      upper: pick(i.upper),
    })),
    anomalies: local.anomalies.map((a) => ({ ...a, timestampMs: instant(a.timestampMs) })),
    ...(local.dailyPeaks
      ? {
          dailyPeaks: local.dailyPeaks.map((d) => ({
            ...d,
            startMs: instant(d.startMs),
            endMs: instant(d.endMs),
            peakAtMs: instant(d.peakAtMs),
          })),
        }
      : {}),
  };
}
