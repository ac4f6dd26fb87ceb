import { maseScale } from './metrics';
import { FALLBACK_MODEL_NAME, registry } from './registry';
import { seasonPeriods } from './season-periods';
import type { BacktestScore, ForecastModel, ForecastSelection, ModelForecast, RegularSeries } from './types';

/** Fewest and most rolling origins in the backtest (fewer than the minimum only when history is short). */
export const BACKTEST_ORIGINS = { min: 4, max: 14 } as const;
/**
 * Work budget of the backtest in history points: origins = budget / n, clamped to
 * {@link BACKTEST_ORIGINS}. Keeps selection near-linear in history length (14 origins for
 * 29–40 days of hourly data, 4 for 14 days of 5-minute data).
 */
export const BACKTEST_POINT_BUDGET = 16_000;
/** Size of the pool the combinations draw from: the best few single models by backtest MASE. */
export const COMBINATION_POOL = 3;

/** Backtest-selected point forecast plus what interval calibration needs. */
export interface SelectedForecast {
  readonly selection: ForecastSelection;
  readonly mean: readonly number[];
  /**
   * Backtest errors (actual − forecast) of the selected forecast, one row per origin, each row
   * `backtestHorizonSteps` long; empty when selection fell back without a backtest.
   */
  readonly backtestErrors: readonly Float64Array[];
  /** The chosen model's own forecast with model-based intervals (used when there is no backtest). */
  readonly modelForecast: ModelForecast;
}

interface Candidate {
  readonly name: string;
  readonly members: readonly ForecastModel[];
  readonly combine: (forecasts: readonly (readonly number[])[]) => number[];
  readonly kind: 'single' | 'combination';
  readonly describe: string;
  /** Backtest forecasts per origin. */
  readonly backtest: readonly number[][];
  readonly mase: number;
}

/**
 * Picks, per series, the model or combination with the lowest rolling-origin backtest error and
 * forecasts `horizonSteps` ahead with it.
 *
 * Backtest: horizon H_b = min(H, 2 days); between 4 and 14 origins (see
 * {@link BACKTEST_POINT_BUDGET}), the last at n − H_b and each earlier one H_b/2 steps before, as
 * long as two days of history precede it; every model whose minimum history fits the
 * earliest origin is fitted at each origin on the (anomaly-repaired) `series` and scored on it by
 * MASE: the mean absolute error over the backtest divided by the in-sample daily seasonal-naive
 * error before the earliest origin. The returned backtest errors, used for interval
 * calibration, are taken against `actual` (the cleaned history before repair). Besides
 * single models, the median and the inverse-MASE weighted mean of the {@link COMBINATION_POOL}
 * best, and the mean of the best two, are scored on the same forecasts. Lowest MASE wins; ties go
 * to singles in registry order.
 *
 * Fallback (flagged low-confidence, no backtest, model-based intervals): when not even one origin
 * leaves two days of history — daily seasonal naive when two days exist, else `recent-level`
 * (also used when `forceFallback` is set).
 * @param levels - sorted interval levels for the model-based intervals of `modelForecast`.
 */
export function selectForecast(
  series: RegularSeries,
  actual: readonly number[],
  horizonSteps: number,
  levels: readonly number[],
  options: { readonly forceFallback?: boolean } = {},
): SelectedForecast {
  const n = series.values.length;
  const { dailySteps } = seasonPeriods(series.stepSeconds);
  const backtestHorizon = Math.min(horizonSteps, 2 * dailySteps);
  const stride = Math.max(1, Math.ceil(backtestHorizon / 2));
  const minSeasonal = 2 * dailySteps;
  const origins: number[] = [];
  const originCount = Math.min(
    BACKTEST_ORIGINS.max,
    Math.max(BACKTEST_ORIGINS.min, Math.round(BACKTEST_POINT_BUDGET / Math.max(1, n))),
  );
  for (let k = 0; k < originCount; k += 1) {
    const origin = n - backtestHorizon - k * stride;
    if (origin >= minSeasonal) origins.unshift(origin);
  }
  const seasonalModels = registry.filter((model) => model.name !== FALLBACK_MODEL_NAME);
  const earliest = origins[0];
  if (earliest === undefined || options.forceFallback === true) {
    return fallback(series, horizonSteps, levels, seasonalModels, options.forceFallback === true);
  }

  const eligible = seasonalModels.filter((model) => model.minHistorySteps(series.stepSeconds) <= earliest);
  // Selection scores against the repaired history (one spike should not pick the model);
  // calibration errors below use the unrepaired `actual`, so intervals still see real spikes.
  const target = series.values;
  const scale = backtestScale(target, earliest, dailySteps);
  const singles: Candidate[] = eligible.map((model) => {
    const backtest = origins.map((origin) => {
      const fitted = model.fit({ ...series, values: series.values.slice(0, origin) });
      return [...fitted.forecast({ horizonSteps: backtestHorizon, levels: [] }).mean];
    });
    return {
      name: model.name,
      members: [model],
      combine: (forecasts) => [...(forecasts[0] ?? [])],
      kind: 'single',
      describe: `single model ${model.name}`,
      backtest,
      mase: backtestMase(backtest, target, origins, scale),
    };
  });
  const ranked = [...singles].sort((a, b) => a.mase - b.mase);
  const combos = combinations(ranked.slice(0, COMBINATION_POOL), target, origins, scale);
  const all = [...singles, ...combos];
  let chosen = all[0] as Candidate;
  for (const candidate of all) if (candidate.mase < chosen.mase) chosen = candidate;

  const memberForecasts = chosen.members.map((model) => model.fit(series).forecast({ horizonSteps, levels }));
  const mean = chosen.combine(memberForecasts.map((f) => f.mean));
  const backtestErrors = origins.map((origin, k) => {
    const row = new Float64Array(backtestHorizon);
    const predicted = chosen.backtest[k] as number[];
    for (let h = 0; h < backtestHorizon; h += 1)
      row[h] = (actual[origin + h] as number) - (predicted[h] as number);
    return row;
  });
  const scores: BacktestScore[] = all.map((c) => ({ model: c.name, mase: c.mase }));
  return {
    selection: {
      kind: chosen.kind,
      models: chosen.members.map((m) => m.name),
      backtest: scores,
      lowConfidence: false,
      reason: `${chosen.describe} had the lowest backtest MASE (${chosen.mase.toFixed(3)}) over ${origins.length} origins of ${backtestHorizon} steps`,
    },
    mean,
    backtestErrors,
    modelForecast: memberForecasts[0] as ModelForecast,
  };
}

function fallback(
  series: RegularSeries,
  horizonSteps: number,
  levels: readonly number[],
  seasonalModels: readonly ForecastModel[],
  forced: boolean,
): SelectedForecast {
  const n = series.values.length;
  const usable = forced ? undefined : seasonalModels.find((m) => m.minHistorySteps(series.stepSeconds) <= n);
  const model = usable ?? (registry.find((m) => m.name === FALLBACK_MODEL_NAME) as ForecastModel);
  const modelForecast = model.fit(series).forecast({ horizonSteps, levels });
  return {
    selection: {
      kind: 'fallback',
      models: [model.name],
      backtest: [],
      lowConfidence: true,
      reason: forced
        ? 'the selected forecast was not finite; flat recent level used'
        : usable === undefined
          ? `history of ${n} steps is shorter than every seasonal model's minimum; flat recent level used`
          : `history of ${n} steps is too short for a rolling-origin backtest; ${model.name} used without selection`,
    },
    mean: modelForecast.mean,
    backtestErrors: [],
    modelForecast,
  };
}

function backtestScale(actual: readonly number[], earliest: number, dailySteps: number): number {
  const insample = actual.slice(0, earliest);
  let scale = maseScale(insample, dailySteps);
  if (!(scale > 0)) scale = maseScale(insample, 1);
  if (!(scale > 0)) {
    let level = 0;
    for (const v of insample) level += Math.abs(v);
    scale = Math.max(1e-9, (1e-3 * level) / Math.max(1, insample.length));
  }
  return scale;
}

function backtestMase(
  backtest: readonly (readonly number[])[],
  actual: readonly number[],
  origins: readonly number[],
  scale: number,
): number {
  let total = 0;
  origins.forEach((origin, k) => {
    const predicted = backtest[k] as readonly number[];
    let sum = 0;
    for (let h = 0; h < predicted.length; h += 1)
      sum += Math.abs((actual[origin + h] as number) - (predicted[h] as number));
    total += sum / predicted.length / scale;
  });
  const value = total / origins.length;
  return Number.isFinite(value) ? value : Number.POSITIVE_INFINITY;
}

function combinations(
  pool: readonly Candidate[],
  actual: readonly number[],
  origins: readonly number[],
  scale: number,
): Candidate[] {
  const out: Candidate[] = [];
  const make = (
    members: readonly Candidate[],
    label: string,
    describe: string,
    combine: (forecasts: readonly (readonly number[])[]) => number[],
  ): void => {
    const backtest = origins.map((_, k) => combine(members.map((m) => m.backtest[k] as number[])));
    out.push({
      name: `${label}(${members.map((m) => m.name).join(',')})`,
      members: members.flatMap((m) => m.members),
      combine,
      kind: 'combination',
      describe,
      backtest,
      mase: backtestMase(backtest, actual, origins, scale),
    });
  };
  if (pool.length >= 2) {
    const two = pool.slice(0, 2);
    make(two, 'mean', 'mean of the best 2 models', (f) => weightedMean(f, [1, 1]));
  }
  if (pool.length >= 3) {
    make(pool, 'median', `median of the best ${pool.length} models`, medianOf);
    const weights = pool.map((c) => 1 / Math.max(c.mase, 1e-9));
    make(pool, 'weighted-mean', `inverse-MASE weighted mean of the best ${pool.length} models`, (f) =>
      weightedMean(f, weights),
    );
  }
  return out;
}

function weightedMean(forecasts: readonly (readonly number[])[], weights: readonly number[]): number[] {
  const first = forecasts[0] ?? [];
  let total = 0;
  for (const w of weights) total += w;
  return first.map((_, h) => {
    let sum = 0;
    forecasts.forEach((f, i) => {
      sum += (weights[i] as number) * (f[h] as number);
    });
    return sum / total;
  });
}

function medianOf(forecasts: readonly (readonly number[])[]): number[] {
  const first = forecasts[0] ?? [];
  const column: number[] = [];
  return first.map((_, h) => {
    column.length = 0;
    for (const f of forecasts) column.push(f[h] as number);
    column.sort((a, b) => a - b);
    const mid = column.length >> 1;
    return column.length % 2 === 1
      ? (column[mid] as number)
      : 0.5 * ((column[mid - 1] as number) + (column[mid] as number));
  });
}
