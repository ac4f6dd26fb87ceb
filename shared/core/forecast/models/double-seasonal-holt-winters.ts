/**
 * Double seasonal Holt-Winters (Taylor 2003): additive level, daily season d (period m₁) and weekly
 * season w (period m₂), with an AR(1) adjustment of the one-step error. Unadjusted forecast
 * f_t = ℓ + d_{t−m₁} + w_{t−m₂}; raw error ε_t = y_t − f_t; innovation e_t = ε_t − ρε_{t−1}; updates
 * ℓ ← ℓ + αe, d_t ← d_{t−m₁} + δe, w_t ← w_{t−m₂} + ωe. The h-step forecast is ℓ + d + w of the
 * matching phases plus ρ^h·ε_n. No trend: sub-daily load is dominated by the two cycles.
 * Parameters come from a small fixed grid minimising in-sample squared innovations. Initial states
 * from the first week: level = week mean, daily indices = mean deviation per time of day, weekly
 * indices = what remains. Intervals use σ²(1 + Σ_{j<h} c_j²), c_j = α + ρ^j + δ·1{m₁|j} + ω·1{m₂|j}
 * (an approximation; forecastDemand recalibrates intervals on backtest errors anyway).
 * Assumes additive daily and weekly cycles. Minimum history: one week plus one day.
 * The recursion runs forward from the first days, so `fitPrefixes` fits every backtest origin
 * (and the whole history) in one pass per four grid points, each exactly as `fit` alone would.
 * Reference: J.W. Taylor, "Short-term electricity demand forecasting using double seasonal
 * exponential smoothing", J. Operational Research Society 54 (2003) 799–805.
 */
import { InsufficientHistoryError } from '../errors';
import { normalForecast } from '../normal-forecast';
import { seasonPeriods } from '../season-periods';
import type { FittedModel, ForecastModel, ForecastRequest, ModelForecast, RegularSeries } from '../types';
import { validateRequest } from '../validate-request';
import { checkPrefixLengths } from './check-prefix-lengths';

const NAME = 'double-seasonal-holt-winters';
const ALPHAS = [0.02, 0.1] as const;
const DELTAS = [0.05, 0.2] as const;
const OMEGAS = [0.05, 0.2] as const;
const RHOS = [0, 0.5, 0.9] as const;

interface DshwParameters {
  alpha: number;
  delta: number;
  omega: number;
  rho: number;
}

interface InitialState {
  readonly level: number;
  /** Daily indices (m₁ long); copied before a run updates them. */
  readonly daily: Float64Array;
  /** Weekly indices (m₂ long); copied before a run updates them. */
  readonly weekly: Float64Array;
}

interface DshwState {
  level: number;
  daily: Float64Array;
  weekly: Float64Array;
  lastRawError: number;
  sse: number;
  steps: number;
}

/** Double seasonal (daily + weekly) Holt-Winters with AR(1) error; see the file note for the equations. */
export const doubleSeasonalHoltWinters: ForecastModel = {
  name: NAME,
  minHistorySteps,
  fit(series: RegularSeries): FittedModel {
    return fitPrefixes(series, [series.values.length])[0] as FittedModel;
  },
  fitPrefixes,
};

function minHistorySteps(stepSeconds: number): number {
  const { dailySteps, weeklySteps } = seasonPeriods(stepSeconds);
  return weeklySteps + dailySteps;
}

type Chosen = DshwState & { parameters: DshwParameters };

/**
 * Fits every prefix in one pass per four grid points: the recursion on a prefix is the recursion
 * on the whole series stopped early (same initial states, same steps), so each prefix's states and
 * in-sample error are read when the pass reaches its length — identical to fitting it alone.
 */
function fitPrefixes(series: RegularSeries, lengths: readonly number[]): FittedModel[] {
  const { dailySteps: m1, weeklySteps: m2 } = seasonPeriods(series.stepSeconds);
  const min = m2 + m1;
  if (m1 < 2) throw new InsufficientHistoryError(NAME, lengths[0] ?? 0, min);
  checkPrefixLengths(NAME, lengths, series.values.length, min);
  const y = Float64Array.from(series.values.slice(0, lengths[lengths.length - 1] ?? 0));
  // The initial states do not depend on the parameters: computed once, copied for each grid point.
  const initial = initialState(y, m1, m2);
  const grid: DshwParameters[] = [];
  for (const alpha of ALPHAS)
    for (const delta of DELTAS)
      for (const omega of OMEGAS) for (const rho of RHOS) grid.push({ alpha, delta, omega, rho });
  // Per prefix, the grid point with the lowest in-sample error so far (ties: the earlier one).
  const best: Chosen[] = lengths.map(() => ({
    level: 0,
    daily: new Float64Array(m1),
    weekly: new Float64Array(m2),
    lastRawError: 0,
    sse: 0,
    steps: 0,
    parameters: grid[0] as DshwParameters,
  }));
  const chosen = new Uint8Array(lengths.length);
  // Four grid points per pass over the series: their recursions are independent, so they overlap.
  for (let g = 0; g < grid.length; g += 4) {
    runDshw(y, initial, grid.slice(g, g + 4), lengths, (stop, states) => {
      const target = best[stop] as Chosen;
      states.forEach((state, k) => {
        if (chosen[stop] === 1 && !(state.sse < target.sse)) return;
        chosen[stop] = 1;
        target.level = state.level;
        target.daily.set(state.daily);
        target.weekly.set(state.weekly);
        target.lastRawError = state.lastRawError;
        target.sse = state.sse;
        target.steps = state.steps;
        target.parameters = grid[g + k] as DshwParameters;
      });
    });
  }
  return lengths.map((n, i) => fitted(best[i] as Chosen, n, m1, m2));
}

function fitted(state: Chosen, n: number, m1: number, m2: number): FittedModel {
  const { alpha, delta, omega, rho } = state.parameters;
  const sigma2 = state.sse / Math.max(1, state.steps);
  return {
    model: NAME,
    forecast(request: ForecastRequest): ModelForecast {
      const levels = validateRequest(request);
      const mean: number[] = [];
      const spread: number[] = [];
      let rhoPower = 1;
      let varianceSum = 0;
      for (let h = 1; h <= request.horizonSteps; h += 1) {
        rhoPower *= rho;
        const t = n + h - 1;
        mean.push(
          state.level +
            (state.daily[t % m1] as number) +
            (state.weekly[t % m2] as number) +
            rhoPower * state.lastRawError,
        );
        spread.push(Math.sqrt(sigma2 * (1 + varianceSum)));
        const c = alpha + rhoPower + (h % m1 === 0 ? delta : 0) + (h % m2 === 0 ? omega : 0);
        varianceSum += c * c;
      }
      return normalForecast(NAME, mean, spread, levels);
    },
  };
}

/** Initial states from the first week: week mean, mean deviation per time of day, what remains. */
function initialState(y: Float64Array, m1: number, m2: number): InitialState {
  let level = 0;
  for (let t = 0; t < m2; t += 1) level += y[t] as number;
  level /= m2;
  const daily = new Float64Array(m1);
  const dailyCounts = new Float64Array(m1);
  for (let t = 0; t < m2; t += 1) {
    daily[t % m1] = (daily[t % m1] as number) + (y[t] as number) - level;
    dailyCounts[t % m1] = (dailyCounts[t % m1] as number) + 1;
  }
  for (let i = 0; i < m1; i += 1) daily[i] = (daily[i] as number) / Math.max(1, dailyCounts[i] as number);
  const weekly = new Float64Array(m2);
  for (let t = 0; t < m2; t += 1) weekly[t] = (y[t] as number) - level - (daily[t % m1] as number);
  return { level, daily, weekly };
}

/**
 * Runs the recursion for up to four grid points side by side (a missing one repeats the first and
 * is dropped), each from a copy of the initial states. At each of the ascending `stops` (prefix
 * lengths) it hands `onStop` the states so far (live: copy what is kept).
 * Written out four times, not looped: the four recursions are independent, so the CPU overlaps
 * their dependency chains (part of the forecast-speed pass's gain, docs/BENCHMARKS.md).
 */
function runDshw(
  y: Float64Array,
  initial: InitialState,
  grid: readonly DshwParameters[],
  stops: readonly number[],
  onStop: (stop: number, states: readonly DshwState[]) => void,
): void {
  const m1 = initial.daily.length;
  const m2 = initial.weekly.length;
  const at = (k: number): DshwParameters => (grid[k] ?? grid[0]) as DshwParameters;
  const [q0, q1, q2, q3] = [at(0), at(1), at(2), at(3)];
  const [d0, d1, d2, d3] = [0, 1, 2, 3].map(() => initial.daily.slice()) as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  const [w0, w1, w2, w3] = [0, 1, 2, 3].map(() => initial.weekly.slice()) as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  let [l0, l1, l2, l3] = [initial.level, initial.level, initial.level, initial.level];
  let [r0, r1, r2, r3] = [0, 0, 0, 0];
  let [e0, e1, e2, e3] = [0, 0, 0, 0];
  let p1 = m2 % m1;
  let p2 = 0;
  let t = m2;
  for (let stop = 0; stop < stops.length; stop += 1) {
    const end = stops[stop] as number;
    for (; t < end; t += 1) {
      const v = y[t] as number;
      let d = d0[p1] as number;
      let w = w0[p2] as number;
      let raw = v - (l0 + d + w);
      let innovation = raw - q0.rho * r0;
      e0 += innovation * innovation;
      l0 += q0.alpha * innovation;
      d0[p1] = d + q0.delta * innovation;
      w0[p2] = w + q0.omega * innovation;
      r0 = raw;
      d = d1[p1] as number;
      w = w1[p2] as number;
      raw = v - (l1 + d + w);
      innovation = raw - q1.rho * r1;
      e1 += innovation * innovation;
      l1 += q1.alpha * innovation;
      d1[p1] = d + q1.delta * innovation;
      w1[p2] = w + q1.omega * innovation;
      r1 = raw;
      d = d2[p1] as number;
      w = w2[p2] as number;
      raw = v - (l2 + d + w);
      innovation = raw - q2.rho * r2;
      e2 += innovation * innovation;
      l2 += q2.alpha * innovation;
      d2[p1] = d + q2.delta * innovation;
      w2[p2] = w + q2.omega * innovation;
      r2 = raw;
      d = d3[p1] as number;
      w = w3[p2] as number;
      raw = v - (l3 + d + w);
      innovation = raw - q3.rho * r3;
      e3 += innovation * innovation;
      l3 += q3.alpha * innovation;
      d3[p1] = d + q3.delta * innovation;
      w3[p2] = w + q3.omega * innovation;
      r3 = raw;
      p1 += 1;
      if (p1 === m1) p1 = 0;
      p2 += 1;
      if (p2 === m2) p2 = 0;
    }
    const steps = end - m2;
    const states: DshwState[] = [
      { level: l0, daily: d0, weekly: w0, lastRawError: r0, sse: e0, steps },
      { level: l1, daily: d1, weekly: w1, lastRawError: r1, sse: e1, steps },
      { level: l2, daily: d2, weekly: w2, lastRawError: r2, sse: e2, steps },
      { level: l3, daily: d3, weekly: w3, lastRawError: r3, sse: e3, steps },
    ];
    onStop(stop, states.slice(0, grid.length));
  }
}
