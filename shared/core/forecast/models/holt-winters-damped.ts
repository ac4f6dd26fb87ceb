/**
 * Holt-Winters with additive damped trend and additive daily seasonality, ETS(A,Ad,A).
 * One-step forecast ŷ_t = ℓ + φb + s_{t−m}; with error e = y_t − ŷ_t the states update as
 * level ℓ ← ℓ + φb + αe, trend b ← φb + αβe, season s_t ← s_{t−m} + γe. The h-step forecast is
 * ℓ + (φ + … + φ^h)·b + s of the matching phase in the last season. Smoothing parameters come from
 * a small fixed grid minimising the in-sample one-step squared error (no optimiser, deterministic).
 * Initial states from the first two days (level = day-1 mean, trend = day-2 minus day-1 mean per step).
 * Intervals use the ETS(A,Ad,A) variance σ²(1 + Σ_{j<h} c_j²), c_j = α + αβφ(1−φ^j)/(1−φ) + γ·1{m | j}.
 * Assumes additive seasonality with a slowly changing level and trend. Minimum history: 2 days.
 * The recursion runs forward from the first days, so `fitPrefixes` fits every backtest origin
 * (and the whole history) in one pass per four grid points, each exactly as `fit` alone would.
 * Reference: Hyndman & Athanasopoulos, FPP3 §8.3 and §8.7 (Table 8.8 for the variance).
 */
import { normalForecast } from '../normal-forecast';
import { seasonPeriods } from '../season-periods';
import type { FittedModel, ForecastModel, ForecastRequest, ModelForecast, RegularSeries } from '../types';
import { validateRequest } from '../validate-request';
import { checkPrefixLengths } from './check-prefix-lengths';

const NAME = 'holt-winters-damped';
const ALPHAS = [0.05, 0.2, 0.5] as const;
const BETAS = [0, 0.05] as const;
const GAMMAS = [0.05, 0.2] as const;
const PHIS = [0.9, 0.98] as const;

interface HwParameters {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

interface HwState {
  level: number;
  trend: number;
  season: Float64Array;
  sse: number;
}

type Chosen = HwState & { parameters: HwParameters };

/** Damped additive Holt-Winters with daily seasonality; see the file note for the equations. */
export const holtWintersDamped: ForecastModel = {
  name: NAME,
  minHistorySteps: (stepSeconds) => 2 * seasonPeriods(stepSeconds).dailySteps,
  fit(series: RegularSeries): FittedModel {
    return fitPrefixes(series, [series.values.length])[0] as FittedModel;
  },
  fitPrefixes,
};

/**
 * Fits every prefix in one pass per four grid points: the recursion on a prefix is the recursion
 * on the whole series stopped early (same initial states, same steps), so each prefix's states and
 * in-sample error are read when the pass reaches its length — identical to fitting it alone.
 */
function fitPrefixes(series: RegularSeries, lengths: readonly number[]): FittedModel[] {
  const m = seasonPeriods(series.stepSeconds).dailySteps;
  const min = 2 * m;
  checkPrefixLengths(NAME, lengths, series.values.length, min);
  const last = lengths[lengths.length - 1] ?? 0;
  const y = Float64Array.from(series.values.slice(0, last));
  const grid: HwParameters[] = [];
  for (const alpha of ALPHAS)
    for (const beta of BETAS)
      for (const gamma of GAMMAS) for (const phi of PHIS) grid.push({ alpha, beta, gamma, phi });
  const initial = initialState(y, m);
  // Per prefix, the grid point with the lowest in-sample error so far (ties: the earlier one).
  const best: Chosen[] = lengths.map(() => ({
    level: 0,
    trend: 0,
    season: new Float64Array(m),
    sse: 0,
    parameters: grid[0] as HwParameters,
  }));
  const chosen = new Uint8Array(lengths.length);
  // Four grid points per pass over the series: their recursions are independent, so they overlap.
  for (let g = 0; g < grid.length; g += 4) {
    runHoltWinters(y, initial, grid.slice(g, g + 4), lengths, (stop, states) => {
      const target = best[stop] as Chosen;
      states.forEach((state, k) => {
        if (chosen[stop] === 1 && !(state.sse < target.sse)) return;
        chosen[stop] = 1;
        target.level = state.level;
        target.trend = state.trend;
        target.season.set(state.season);
        target.sse = state.sse;
        target.parameters = grid[g + k] as HwParameters;
      });
    });
  }
  return lengths.map((n, i) => fitted(best[i] as Chosen, n, m));
}

function fitted(best: Chosen, n: number, m: number): FittedModel {
  const { alpha, beta, gamma, phi } = best.parameters;
  const sigma2 = best.sse / Math.max(1, n - m);
  return {
    model: NAME,
    forecast(request: ForecastRequest): ModelForecast {
      const levels = validateRequest(request);
      const mean: number[] = [];
      const spread: number[] = [];
      let damp = 0;
      let phiPower = 1;
      let varianceSum = 0;
      for (let h = 1; h <= request.horizonSteps; h += 1) {
        phiPower *= phi;
        damp += phiPower;
        const phase = (n + h - 1) % m;
        mean.push(best.level + damp * best.trend + (best.season[phase] as number));
        spread.push(Math.sqrt(sigma2 * (1 + varianceSum)));
        const c = alpha + (alpha * beta * phi * (1 - phiPower)) / (1 - phi) + (h % m === 0 ? gamma : 0);
        varianceSum += c * c;
      }
      return normalForecast(NAME, mean, spread, levels);
    },
  };
}

/** The initial states (from the first two days), shared by every grid point. */
function initialState(y: Float64Array, m: number): { level: number; trend: number; season: Float64Array } {
  let first = 0;
  let second = 0;
  for (let i = 0; i < m; i += 1) {
    first += y[i] as number;
    second += y[i + m] as number;
  }
  first /= m;
  second /= m;
  const trend = (second - first) / m;
  const season = new Float64Array(m);
  for (let i = 0; i < m; i += 1) season[i] = (y[i] as number) - (first + trend * (i - (m - 1) / 2));
  const level = first + (trend * (m - 1)) / 2;
  return { level, trend, season };
}

/**
 * Runs the recursion for up to four grid points side by side (a missing one repeats the first and
 * is dropped); `season[t mod m]` holds the latest index of each phase. At each of the ascending
 * `stops` (prefix lengths) it hands `onStop` the states so far (live: copy what is kept).
 * Written out four times, not looped: the four recursions are independent, so the CPU overlaps
 * their dependency chains (part of the forecast-speed pass's gain, docs/BENCHMARKS.md).
 */
function runHoltWinters(
  y: Float64Array,
  initial: { level: number; trend: number; season: Float64Array },
  grid: readonly HwParameters[],
  stops: readonly number[],
  onStop: (stop: number, states: readonly HwState[]) => void,
): void {
  const m = initial.season.length;
  const at = (k: number): HwParameters => (grid[k] ?? grid[0]) as HwParameters;
  const [p0, p1, p2, p3] = [at(0), at(1), at(2), at(3)];
  const ab0 = p0.alpha * p0.beta;
  const ab1 = p1.alpha * p1.beta;
  const ab2 = p2.alpha * p2.beta;
  const ab3 = p3.alpha * p3.beta;
  const s0 = initial.season.slice();
  const s1 = initial.season.slice();
  const s2 = initial.season.slice();
  const s3 = initial.season.slice();
  let [l0, l1, l2, l3] = [initial.level, initial.level, initial.level, initial.level];
  let [b0, b1, b2, b3] = [initial.trend, initial.trend, initial.trend, initial.trend];
  let [e0, e1, e2, e3] = [0, 0, 0, 0];
  let phase = 0;
  let t = m;
  for (let stop = 0; stop < stops.length; stop += 1) {
    const end = stops[stop] as number;
    for (; t < end; t += 1) {
      const v = y[t] as number;
      const x0 = s0[phase] as number;
      const d0 = p0.phi * b0;
      const r0 = v - (l0 + d0 + x0);
      e0 += r0 * r0;
      l0 = l0 + d0 + p0.alpha * r0;
      b0 = d0 + ab0 * r0;
      s0[phase] = x0 + p0.gamma * r0;
      const x1 = s1[phase] as number;
      const d1 = p1.phi * b1;
      const r1 = v - (l1 + d1 + x1);
      e1 += r1 * r1;
      l1 = l1 + d1 + p1.alpha * r1;
      b1 = d1 + ab1 * r1;
      s1[phase] = x1 + p1.gamma * r1;
      const x2 = s2[phase] as number;
      const d2 = p2.phi * b2;
      const r2 = v - (l2 + d2 + x2);
      e2 += r2 * r2;
      l2 = l2 + d2 + p2.alpha * r2;
      b2 = d2 + ab2 * r2;
      s2[phase] = x2 + p2.gamma * r2;
      const x3 = s3[phase] as number;
      const d3 = p3.phi * b3;
      const r3 = v - (l3 + d3 + x3);
      e3 += r3 * r3;
      l3 = l3 + d3 + p3.alpha * r3;
      b3 = d3 + ab3 * r3;
      s3[phase] = x3 + p3.gamma * r3;
      phase += 1;
      if (phase === m) phase = 0;
    }
    const states: HwState[] = [
      { level: l0, trend: b0, season: s0, sse: e0 },
      { level: l1, trend: b1, season: s1, sse: e1 },
      { level: l2, trend: b2, season: s2, sse: e2 },
      { level: l3, trend: b3, season: s3, sse: e3 },
    ];
    onStop(stop, states.slice(0, grid.length));
  }
}
