/** One hour of load (mean over the hour), starting at `hourStartMs`. */
export interface HourlyLoad {
  readonly hourStartMs: number;
  readonly load: number;
}

/** Settings of the EC2-predictive-scaling stand-in, with AWS's documented values as defaults. */
export interface Ec2PredictiveSettings {
  /** History used, at most (AWS: up to 14 days). */
  readonly historyDays: number;
  /** Fewest hours of history before any forecast (AWS: 24 h). */
  readonly minHistoryHours: number;
  /** Hours forecast (AWS: 48). */
  readonly horizonHours: number;
  /** Weight of the same hour one day back decays by this factor per extra day. */
  readonly dailyDecay: number;
  /** Share of the weekly (same hour of week) component once a week of history exists. */
  readonly weeklyWeight: number;
}

export const EC2_PREDICTIVE_DEFAULTS: Ec2PredictiveSettings = {
  historyDays: 14,
  minHistoryHours: 24,
  horizonHours: 48,
  dailyDecay: 0.8,
  weeklyWeight: 0.5,
};

const HOUR_MS = 3_600_000;

/**
 * An hourly load forecast in the manner of EC2 predictive scaling, whose model AWS does not
 * publish: from up to 14 days of hourly history, each future hour is a blend of (a) the same hour
 * of the previous days, weighted with geometric decay toward older days, and (b) once a week of
 * history exists, the same hour of the week in the past one or two weeks. There is no trend or
 * noise model and no reaction to the last hours: like AWS's, it is a pattern forecast, refreshed
 * every 6 hours by the caller. Returns one load per hour from `forecastStartMs` (hour-aligned),
 * or an empty array below `minHistoryHours` of history. Pure.
 */
export function ec2PredictiveForecast(
  history: readonly HourlyLoad[],
  forecastStartMs: number,
  settings: Ec2PredictiveSettings = EC2_PREDICTIVE_DEFAULTS,
): number[] {
  const earliest = forecastStartMs - settings.historyDays * 24 * HOUR_MS;
  const byHour = new Map<number, number>();
  for (const h of history) {
    if (h.hourStartMs >= earliest && h.hourStartMs < forecastStartMs && Number.isFinite(h.load))
      byHour.set(h.hourStartMs, h.load);
  }
  if (byHour.size < settings.minHistoryHours) return [];
  const days = Math.min(
    settings.historyDays,
    Math.ceil((forecastStartMs - Math.min(...byHour.keys())) / (24 * HOUR_MS)),
  );
  const forecast: number[] = [];
  for (let h = 0; h < settings.horizonHours; h += 1) {
    const t = forecastStartMs + h * HOUR_MS;
    let weighted = 0;
    let weights = 0;
    let w = 1;
    for (let k = 1; k <= Math.min(days, 7); k += 1) {
      const past = t - k * 24 * HOUR_MS;
      const v = past < forecastStartMs ? byHour.get(past) : undefined;
      if (v !== undefined) {
        weighted += w * v;
        weights += w;
      }
      w *= settings.dailyDecay;
    }
    const daily = weights > 0 ? weighted / weights : Number.NaN;
    const weekly = [1, 2]
      .map((k) => byHour.get(t - k * 7 * 24 * HOUR_MS))
      .filter((v): v is number => v !== undefined && t - 7 * 24 * HOUR_MS < forecastStartMs);
    const weeklyMean = weekly.length > 0 ? weekly.reduce((a, b) => a + b, 0) / weekly.length : Number.NaN;
    let value: number;
    if (Number.isFinite(daily) && Number.isFinite(weeklyMean))
      value = (1 - settings.weeklyWeight) * daily + settings.weeklyWeight * weeklyMean;
    else if (Number.isFinite(daily)) value = daily;
    else if (Number.isFinite(weeklyMean)) value = weeklyMean;
    else value = forecast[forecast.length - 1] ?? 0;
    forecast.push(Math.max(0, value));
  }
  return forecast;
}
