import type { ForecastModel } from './types';

/**
 * A forecast the selector can pick: one model, or a fixed combination of models, with its
 * rolling-origin backtest. `originMase[k]` is its mean absolute error at origin k divided by the
 * backtest scale (so the mean over origins is the candidate's MASE).
 */
export interface BacktestCandidate {
  readonly name: string;
  readonly members: readonly ForecastModel[];
  /** Combines the members' forecasts (same order as `members`) into one. */
  readonly combine: (forecasts: readonly (readonly number[])[]) => number[];
  readonly kind: 'single' | 'combination';
  readonly describe: string;
  /** Backtest forecasts per origin, each `backtestHorizon` long. */
  readonly backtest: readonly (readonly number[])[];
  readonly originMase: Float64Array;
}

/** Where the backtest ran and how much each origin counts. */
export interface BacktestFrame {
  /** Origin indices into the history, ascending. */
  readonly origins: readonly number[];
  /** Weight of each origin (> 0, most recent largest); see {@link recencyWeights}. */
  readonly weights: readonly number[];
  /** Target the forecasts are scored against (the anomaly-repaired history). */
  readonly target: readonly number[];
  /** In-sample seasonal-naive MAE before the earliest origin (> 0). */
  readonly scale: number;
}

/** Smallest weight an origin gets, however old. */
export const MIN_ORIGIN_WEIGHT = 1e-6;

/**
 * Weight of each origin: halves every `halfLifeSteps` steps of age, counted back from the latest
 * origin, so recent backtests count more and a regime change shows up quickly. Weights lie in
 * [{@link MIN_ORIGIN_WEIGHT}, 1], so no origin is dropped entirely.
 */
export function recencyWeights(origins: readonly number[], halfLifeSteps: number): number[] {
  const latest = origins[origins.length - 1] ?? 0;
  return origins.map((origin) =>
    Math.max(MIN_ORIGIN_WEIGHT, 0.5 ** ((latest - origin) / Math.max(1, halfLifeSteps))),
  );
}

/** Per-origin MASE of backtest forecasts (non-finite errors become +∞, so such a candidate never wins). */
export function originMase(backtest: readonly (readonly number[])[], frame: BacktestFrame): Float64Array {
  const out = new Float64Array(frame.origins.length);
  frame.origins.forEach((origin, k) => {
    const predicted = backtest[k] as readonly number[];
    let sum = 0;
    for (let h = 0; h < predicted.length; h += 1)
      sum += Math.abs((frame.target[origin + h] as number) - (predicted[h] as number));
    const value = sum / Math.max(1, predicted.length) / frame.scale;
    out[k] = Number.isFinite(value) ? value : Number.POSITIVE_INFINITY;
  });
  return out;
}

/**
 * Weighted mean of per-origin MASE over the origins `include` accepts; +∞ when none is included.
 */
export function weightedScore(
  perOrigin: Float64Array,
  weights: readonly number[],
  include: (k: number) => boolean = () => true,
): number {
  let total = 0;
  let weight = 0;
  for (let k = 0; k < perOrigin.length; k += 1) {
    if (!include(k)) continue;
    total += (weights[k] as number) * (perOrigin[k] as number);
    weight += weights[k] as number;
  }
  return weight > 0 ? total / weight : Number.POSITIVE_INFINITY;
}

/** The candidate with the lowest weighted score over the included origins; ties keep the earlier one. */
export function bestCandidate(
  candidates: readonly BacktestCandidate[],
  weights: readonly number[],
  include?: (k: number) => boolean,
): BacktestCandidate {
  let chosen = candidates[0] as BacktestCandidate;
  let best = weightedScore(chosen.originMase, weights, include);
  for (const candidate of candidates) {
    const score = weightedScore(candidate.originMase, weights, include);
    if (score < best) {
      chosen = candidate;
      best = score;
    }
  }
  return chosen;
}

/**
 * Combinations of the best single models (`pool`, ranked best first): the mean of the best two;
 * the mean and the median of the best three when the pool is larger; and the median and the
 * inverse-score weighted mean of the whole pool (three or more).
 */
export function combinations(
  pool: readonly BacktestCandidate[],
  poolScores: readonly number[],
  frame: BacktestFrame,
): BacktestCandidate[] {
  const out: BacktestCandidate[] = [];
  const make = (
    members: readonly BacktestCandidate[],
    label: string,
    describe: string,
    combine: (forecasts: readonly (readonly number[])[]) => number[],
  ): void => {
    const backtest = frame.origins.map((_, k) => combine(members.map((m) => m.backtest[k] as number[])));
    out.push({
      name: `${label}(${members.map((m) => m.name).join(',')})`,
      members: members.flatMap((m) => m.members),
      combine,
      kind: 'combination',
      describe,
      backtest,
      originMase: originMase(backtest, frame),
    });
  };
  if (pool.length >= 2) {
    make(pool.slice(0, 2), 'mean', 'mean of the best 2 models', (f) => weightedMean(f, [1, 1]));
  }
  if (pool.length > 3) {
    make(pool.slice(0, 3), 'mean3', 'mean of the best 3 models', (f) => weightedMean(f, [1, 1, 1]));
    make(pool.slice(0, 3), 'median3', 'median of the best 3 models', medianOf);
  }
  if (pool.length >= 3) {
    make(pool, 'median', `median of the best ${pool.length} models`, medianOf);
    const weights = poolScores.map((s) => 1 / Math.max(s, 1e-9));
    make(pool, 'weighted-mean', `inverse-MASE weighted mean of the best ${pool.length} models`, (f) =>
      weightedMean(f, weights),
    );
  }
  return out;
}

/** Σ wᵢ·fᵢ / Σ wᵢ, step by step. */
export function weightedMean(
  forecasts: readonly (readonly number[])[],
  weights: readonly number[],
): number[] {
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

/** Step-by-step median; each column in the order of `(a, b) => a - b`'s stable sort. */
function medianOf(forecasts: readonly (readonly number[])[]): number[] {
  const first = forecasts[0] ?? [];
  const column: number[] = [];
  const out: number[] = [];
  for (let h = 0; h < first.length; h += 1) {
    column.length = 0;
    for (const f of forecasts) column.push(f[h] as number);
    sortColumn(column);
    const mid = column.length >> 1;
    out.push(
      column.length % 2 === 1
        ? (column[mid] as number)
        : 0.5 * ((column[mid - 1] as number) + (column[mid] as number)),
    );
  }
  return out;
}

/**
 * Sorts a few values in place exactly as `column.sort((a, b) => a - b)` does: by stable insertion
 * (only strictly greater values move, so equal ones such as −0 and +0 keep their order); with a
 * NaN, by that very call.
 */
function sortColumn(column: number[]): void {
  if (column.some(Number.isNaN)) {
    column.sort((a, b) => a - b);
    return;
  }
  for (let i = 1; i < column.length; i += 1) {
    const x = column[i] as number;
    let j = i - 1;
    for (; j >= 0 && (column[j] as number) > x; j -= 1) column[j + 1] = column[j] as number;
    column[j + 1] = x;
  }
}

/**
 * The equal-weight mean of several candidates (each may itself be a combination): hedges between
 * the best-scoring forecasts, whose backtest ranking is often within noise of each other.
 */
export function meanOfCandidates(
  parts: readonly BacktestCandidate[],
  frame: BacktestFrame,
): BacktestCandidate {
  const ones = parts.map(() => 1);
  const splits: number[] = [];
  let offset = 0;
  for (const part of parts) {
    splits.push(offset);
    offset += part.members.length;
  }
  const backtest = frame.origins.map((_, k) =>
    weightedMean(
      parts.map((p) => p.backtest[k] as number[]),
      ones,
    ),
  );
  return {
    name: `mean(${parts.map((p) => p.name).join(',')})`,
    members: parts.flatMap((p) => p.members),
    combine: (forecasts) =>
      weightedMean(
        parts.map((p, i) => p.combine(forecasts.slice(splits[i], (splits[i] as number) + p.members.length))),
        ones,
      ),
    kind: 'combination',
    describe: `mean of the ${parts.length} best candidates (${parts.map((p) => p.describe).join('; ')})`,
    backtest,
    originMase: originMase(backtest, frame),
  };
}
