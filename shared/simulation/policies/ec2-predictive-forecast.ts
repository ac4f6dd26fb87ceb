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

/** How the stand-in chooses its weekly weight at each refresh (`ec2PredictiveSelectedForecast`). */
export interface Ec2PredictiveSelection {
  /**
   * The weekly weights it chooses among besides `weeklyWeight` (the blend, which wins ties): the
   * daily pattern alone (0) and the weekly pattern alone (1), the two seasonalities AWS says its
   * model learns, beside their mix. A fitted model picks between such candidates, not among a
   * grid tuned to a workload.
   */
  readonly candidateWeeklyWeights: readonly number[];
  /** Hours at the end of the history each candidate forecasts from the hours before them (a day). */
  readonly backtestHours: number;
}

export const EC2_PREDICTIVE_SELECTION: Ec2PredictiveSelection = {
  candidateWeeklyWeights: [0, 1],
  backtestHours: 24,
};

export const EC2_PREDICTIVE_DEFAULTS: Ec2PredictiveSettings = {
  historyDays: 14,
  minHistoryHours: 24,
  horizonHours: 48,
  dailyDecay: 0.8,
  weeklyWeight: 0.5,
};

const HOUR_MS = 3_600_000;

/** A refresh's forecast, the weekly weight it used, and whether a backtest chose it. */
export interface Ec2PredictiveChoice {
  /** One load per hour from the forecast's start; empty below `minHistoryHours` of history. */
  readonly loads: number[];
  readonly weeklyWeight: number;
  /**
   * `backtest`: the candidate with the lowest mean absolute error on the last `backtestHours`;
   * `fallback`: `settings.weeklyWeight`, because the history before those hours was too short to
   * forecast them or the candidates tied (no week of history before them, say).
   */
  readonly chosenBy: 'backtest' | 'fallback';
}

/**
 * `ec2PredictiveForecast` with its weekly weight chosen as a fitted model would choose it: each
 * candidate of `selection` forecasts the last `backtestHours` of the history from the hours before
 * them, and the one with the lowest mean absolute error there forecasts from `forecastStartMs`.
 * Ties, and a history too short to forecast the backtest hours, keep `settings.weeklyWeight`.
 * The backtest reads the same history window as the forecast (AWS: up to 14 days in all). Pure.
 */
export function ec2PredictiveSelectedForecast(
  history: readonly HourlyLoad[],
  forecastStartMs: number,
  settings: Ec2PredictiveSettings = EC2_PREDICTIVE_DEFAULTS,
  selection: Ec2PredictiveSelection = EC2_PREDICTIVE_SELECTION,
): Ec2PredictiveChoice {
  const fallback = (): Ec2PredictiveChoice => ({
    loads: ec2PredictiveForecast(history, forecastStartMs, settings),
    weeklyWeight: settings.weeklyWeight,
    chosenBy: 'fallback',
  });
  const originMs = forecastStartMs - selection.backtestHours * HOUR_MS;
  const earliest = forecastStartMs - settings.historyDays * 24 * HOUR_MS;
  const actual = new Map(
    history
      .filter((h) => h.hourStartMs >= originMs && h.hourStartMs < forecastStartMs && Number.isFinite(h.load))
      .map((h) => [h.hourStartMs, h.load]),
  );
  const before = history.filter((h) => h.hourStartMs >= earliest);
  const candidates = [settings.weeklyWeight, ...selection.candidateWeeklyWeights].filter(
    (w, i, all) => all.indexOf(w) === i,
  );
  const scored = candidates.map((weeklyWeight) => {
    const backtest = ec2PredictiveForecast(before, originMs, {
      ...settings,
      weeklyWeight,
      horizonHours: selection.backtestHours,
    });
    let errors = 0;
    for (const [hourStartMs, load] of actual)
      errors += Math.abs((backtest[(hourStartMs - originMs) / HOUR_MS] ?? Number.NaN) - load);
    return { weeklyWeight, maeLoad: errors / actual.size };
  });
  const maes = scored.map((c) => c.maeLoad);
  const lowest = Math.min(...maes);
  // Equal within rounding: the weekly part is not there yet, or the days and weeks agree.
  if (actual.size === 0 || !maes.every(Number.isFinite) || Math.max(...maes) - lowest <= 1e-9 * (1 + lowest))
    return fallback();
  const best = scored.find((c) => c.maeLoad <= lowest + 1e-9 * (1 + lowest)) as (typeof scored)[number];
  return {
    loads: ec2PredictiveForecast(history, forecastStartMs, { ...settings, weeklyWeight: best.weeklyWeight }),
    weeklyWeight: best.weeklyWeight,
    chosenBy: 'backtest',
  };
}

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
