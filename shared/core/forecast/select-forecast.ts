import {
  type BacktestCandidate,
  type BacktestFrame,
  bestCandidate,
  combinations,
  meanOfCandidates,
  originMase,
  recencyWeights,
  weightedScore,
} from './backtest-candidates';
import { guardAgainstSeasonalNaive } from './guard-seasonal-naive';
import { heldOutErrors } from './held-out-errors';
import { maseScale } from './metrics';
import {
  BACKTEST_MIN_PRIOR_DAYS,
  backtestHorizonSteps,
  minBacktestHistorySteps,
} from './min-backtest-history';
import { FALLBACK_MODEL_NAME, registry } from './registry';
import { seasonPeriods } from './season-periods';
import type {
  BacktestScore,
  FittedModel,
  ForecastModel,
  ForecastSelection,
  ModelForecast,
  RegularSeries,
} from './types';

/** Fewest and most rolling origins in the backtest (fewer than the minimum only when history is short). */
export const BACKTEST_ORIGINS = { min: 4, max: 14 } as const;
/**
 * Work budget of the backtest in history points: origins = budget / n, clamped to
 * {@link BACKTEST_ORIGINS}. Keeps selection near-linear in history length (14 origins for
 * 29–40 days of hourly data, 4 for 14 days of 5-minute data).
 */
export const BACKTEST_POINT_BUDGET = 16_000;
/**
 * Size of the pool the combinations draw from: the best few single models by backtest MASE. The
 * pool grows with the evidence: half the number of origins, within these bounds, because picking
 * among more candidates on few origins rewards luck (4 origins: the best 3; 10 or more: the best 5).
 */
export const COMBINATION_POOL = { min: 3, max: 5 } as const;
/** Age in days at which a backtest origin counts half as much as the latest one. */
export const ORIGIN_HALF_LIFE_DAYS = 7;

/** Backtest-selected point forecast plus what interval calibration needs. */
export interface SelectedForecast {
  readonly selection: ForecastSelection;
  readonly mean: readonly number[];
  /**
   * Held-out backtest errors (actual − forecast) of the selection procedure, one row per origin,
   * each `backtestHorizonSteps` long (see `heldOutErrors`); empty when selection fell back.
   */
  readonly backtestErrors: readonly Float64Array[];
  /** Recency weight of each row of `backtestErrors` (latest origin 1). */
  readonly originWeights: readonly number[];
  /** History index of each row's first step (the row's backtest origin), ascending; empty on fallback. */
  readonly backtestOrigins: readonly number[];
  /** The chosen model's own forecast with model-based intervals (used when there is no backtest). */
  readonly modelForecast: ModelForecast;
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
 * error before the earliest origin. Origins are weighted by recency (half weight at
 * {@link ORIGIN_HALF_LIFE_DAYS} days of age). Besides single models, combinations of the best
 * few ({@link COMBINATION_POOL}; see `combinations`) and the mean of the two best candidates so
 * far are scored on the same forecasts. Lowest weighted MASE wins; ties go to singles in registry
 * order. The winner then passes `guardAgainstSeasonalNaive`, which moves it towards daily
 * seasonal naive when it lost to it on the recent origins. The returned errors, used for interval
 * calibration, are held out (`heldOutErrors`) and taken against `actual` (in `forecastDemand`,
 * the cleaned history with only the glitches the detector replaced repaired: kept anomalies are
 * demand and widen the intervals).
 *
 * Fallback (flagged low-confidence, no backtest, model-based intervals): when not even one origin
 * leaves two days of history (n below `minBacktestHistorySteps`) — daily seasonal naive when two
 * days exist, else `recent-level` (also used when `forceFallback` is set).
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
  const backtestHorizon = backtestHorizonSteps(horizonSteps, dailySteps);
  const origins = backtestOrigins(n, backtestHorizon, dailySteps);
  const seasonalModels = registry.filter((model) => model.name !== FALLBACK_MODEL_NAME);
  const earliest = origins[0];
  if (earliest === undefined || options.forceFallback === true) {
    return fallback(series, horizonSteps, levels, seasonalModels, options.forceFallback === true);
  }

  const eligible = seasonalModels.filter((model) => model.minHistorySteps(series.stepSeconds) <= earliest);
  // Selection scores against the repaired history (one spike should not pick the model);
  // calibration errors use `actual`, where the anomalies kept as demand still stand, so
  // intervals see real spikes.
  const frame: BacktestFrame = {
    origins,
    weights: recencyWeights(origins, ORIGIN_HALF_LIFE_DAYS * dailySteps),
    target: series.values,
    scale: backtestScale(series.values, earliest, dailySteps),
  };
  // Models that fit all prefixes in one pass also fit the whole series in it, for the refit below.
  const fullFits = new Map<string, FittedModel>();
  const singles = backtestSingles(eligible, series, frame, backtestHorizon, fullFits);
  const score = (c: BacktestCandidate): number => weightedScore(c.originMase, frame.weights);
  const all = candidatePool(singles, frame, score);
  const naive = singles.find((c) => c.name === SEASONAL_NAIVE_NAME) as BacktestCandidate;
  const best = bestCandidate(all, frame.weights);
  const { candidate: chosen, report: guard } = guardAgainstSeasonalNaive(best, naive, frame);

  const refitted = refitMembers(chosen, series, fullFits, horizonSteps, levels);
  const memberForecasts = chosen.members.map((model) => refitted.get(model.name) as ModelForecast);
  const mean = chosen.combine(memberForecasts.map((f) => f.mean));
  const scores: BacktestScore[] = all.map((c) => ({ model: c.name, mase: score(c) }));
  const guardNote = guard.engaged
    ? `; it lost to seasonal naive on the recent origins (MASE ${guard.recentMaseSelected.toFixed(3)} vs ${guard.recentMaseSeasonalNaive.toFixed(3)}), so the guard used ${chosen.describe}`
    : '';
  return {
    selection: {
      kind: chosen.kind,
      models: [...refitted.keys()],
      backtest: scores,
      lowConfidence: false,
      reason: `${best.describe} had the lowest recency-weighted backtest MASE (${score(best).toFixed(3)}) over ${origins.length} origins of ${backtestHorizon} steps${guardNote}`,
      guard,
    },
    mean,
    backtestErrors: heldOutErrors(all, naive, frame, actual),
    originWeights: frame.weights,
    backtestOrigins: origins,
    modelForecast: memberForecasts[0] as ModelForecast,
  };
}

const SEASONAL_NAIVE_NAME = 'seasonal-naive-daily';

/** Each eligible model fitted at every origin and scored on the backtest as a single candidate. */
function backtestSingles(
  eligible: readonly ForecastModel[],
  series: RegularSeries,
  frame: BacktestFrame,
  backtestHorizon: number,
  fullFits: Map<string, FittedModel>,
): BacktestCandidate[] {
  const prefixes = frame.origins.map((origin) => ({ ...series, values: series.values.slice(0, origin) }));
  return eligible.map((model) => {
    const fits = backtestFits(model, series, prefixes, fullFits);
    const backtest = fits.map((fit) => [...fit.forecast({ horizonSteps: backtestHorizon, levels: [] }).mean]);
    return {
      name: model.name,
      members: [model],
      combine: (forecasts) => [...(forecasts[0] ?? [])],
      kind: 'single',
      describe: `single model ${model.name}`,
      backtest,
      originMase: originMase(backtest, frame),
    };
  });
}

/**
 * The singles, combinations of the best few ({@link COMBINATION_POOL}, growing with the origins)
 * and, since the two best are often within noise of each other, their mean.
 */
function candidatePool(
  singles: readonly BacktestCandidate[],
  frame: BacktestFrame,
  score: (c: BacktestCandidate) => number,
): BacktestCandidate[] {
  const poolSize = Math.min(
    COMBINATION_POOL.max,
    Math.max(COMBINATION_POOL.min, Math.floor(frame.origins.length / 2)),
  );
  const ranked = [...singles].sort((a, b) => score(a) - score(b)).slice(0, poolSize);
  const pooled = [...singles, ...combinations(ranked, ranked.map(score), frame)];
  const top = [...pooled].sort((a, b) => score(a) - score(b)).slice(0, 2);
  return top.length === 2 ? [...pooled, meanOfCandidates(top, frame)] : pooled;
}

/**
 * The chosen candidate's members fitted to the whole series and forecast, in first-use order.
 * Nested combinations can list a model twice; each distinct model is refitted once.
 */
function refitMembers(
  chosen: BacktestCandidate,
  series: RegularSeries,
  fullFits: ReadonlyMap<string, FittedModel>,
  horizonSteps: number,
  levels: readonly number[],
): Map<string, ModelForecast> {
  const refitted = new Map<string, ModelForecast>();
  for (const model of chosen.members) {
    if (refitted.has(model.name)) continue;
    refitted.set(
      model.name,
      (fullFits.get(model.name) ?? model.fit(series)).forecast({ horizonSteps, levels }),
    );
  }
  return refitted;
}

/**
 * The model fitted at every backtest origin: in one pass with `fitPrefixes` when the model has it
 * (its whole-series fit is then stored in `fullFits`), else by one `fit` per prefix.
 */
function backtestFits(
  model: ForecastModel,
  series: RegularSeries,
  prefixes: readonly RegularSeries[],
  fullFits: Map<string, FittedModel>,
): FittedModel[] {
  if (model.fitPrefixes === undefined) return prefixes.map((prefix) => model.fit(prefix));
  const lengths = prefixes.map((prefix) => prefix.values.length);
  const fits = model.fitPrefixes(series, [...lengths, series.values.length]);
  fullFits.set(model.name, fits[lengths.length] as FittedModel);
  return fits.slice(0, lengths.length);
}

/** Origins spaced H_b/2 apart, the last at n − H_b, each with two days of history before it. */
function backtestOrigins(n: number, backtestHorizon: number, dailySteps: number): number[] {
  const stride = Math.max(1, Math.ceil(backtestHorizon / 2));
  const originCount = Math.min(
    BACKTEST_ORIGINS.max,
    Math.max(BACKTEST_ORIGINS.min, Math.round(BACKTEST_POINT_BUDGET / Math.max(1, n))),
  );
  const origins: number[] = [];
  for (let k = 0; k < originCount; k += 1) {
    const origin = n - backtestHorizon - k * stride;
    if (origin >= BACKTEST_MIN_PRIOR_DAYS * dailySteps) origins.unshift(origin);
  }
  return origins;
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
  // Say what a backtested choice would take, so a history window set too short is visible.
  const needed = `a backtested choice needs ${minBacktestHistorySteps(horizonSteps, seasonPeriods(series.stepSeconds).dailySteps)} steps at this horizon`;
  return {
    selection: {
      kind: 'fallback',
      models: [model.name],
      backtest: [],
      lowConfidence: true,
      reason: forced
        ? 'the selected forecast was not finite; flat recent level used'
        : usable === undefined
          ? `history of ${n} steps is shorter than every seasonal model's minimum (${needed}); flat recent level used`
          : `history of ${n} steps is too short for a rolling-origin backtest (${needed}); ${model.name} used without selection`,
    },
    mean: modelForecast.mean,
    backtestErrors: [],
    originWeights: [],
    backtestOrigins: [],
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
