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
 * Reference: J.W. Taylor, "Short-term electricity demand forecasting using double seasonal
 * exponential smoothing", J. Operational Research Society 54 (2003) 799–805.
 */
import { InsufficientHistoryError } from '../errors';
import { normalForecast } from '../normal-forecast';
import { seasonPeriods } from '../season-periods';
import type { FittedModel, ForecastModel, ForecastRequest, ModelForecast, RegularSeries } from '../types';
import { validateRequest } from '../validate-request';

const NAME = 'double-seasonal-holt-winters';
const ALPHAS = [0.02, 0.1] as const;
const DELTAS = [0.05, 0.2] as const;
const OMEGAS = [0.05, 0.2] as const;
const RHOS = [0, 0.5, 0.9] as const;

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
  minHistorySteps: (stepSeconds) => {
    const { dailySteps, weeklySteps } = seasonPeriods(stepSeconds);
    return weeklySteps + dailySteps;
  },
  fit(series: RegularSeries): FittedModel {
    const { dailySteps: m1, weeklySteps: m2 } = seasonPeriods(series.stepSeconds);
    const n = series.values.length;
    const min = m2 + m1;
    if (n < min || m1 < 2) throw new InsufficientHistoryError(NAME, n, min);
    const y = Float64Array.from(series.values);
    // The initial states do not depend on the parameters: computed once, copied for each grid point.
    const initial = initialState(y, m1, m2);
    let best: { state: DshwState; alpha: number; delta: number; omega: number; rho: number } | undefined;
    for (const alpha of ALPHAS) {
      for (const delta of DELTAS) {
        for (const omega of OMEGAS) {
          for (const rho of RHOS) {
            const state = runDshw(y, initial, alpha, delta, omega, rho);
            if (best === undefined || state.sse < best.state.sse) best = { state, alpha, delta, omega, rho };
          }
        }
      }
    }
    const { state, alpha, delta, omega, rho } = best as NonNullable<typeof best>;
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
  },
};

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

function runDshw(
  y: Float64Array,
  initial: InitialState,
  alpha: number,
  delta: number,
  omega: number,
  rho: number,
): DshwState {
  const n = y.length;
  const m1 = initial.daily.length;
  const m2 = initial.weekly.length;
  let level = initial.level;
  const daily = initial.daily.slice();
  const weekly = initial.weekly.slice();
  let lastRawError = 0;
  let sse = 0;
  let p1 = m2 % m1;
  let p2 = 0;
  for (let t = m2; t < n; t += 1) {
    const d = daily[p1] as number;
    const w = weekly[p2] as number;
    const rawError = (y[t] as number) - (level + d + w);
    const innovation = rawError - rho * lastRawError;
    sse += innovation * innovation;
    level += alpha * innovation;
    daily[p1] = d + delta * innovation;
    weekly[p2] = w + omega * innovation;
    lastRawError = rawError;
    p1 += 1;
    if (p1 === m1) p1 = 0;
    p2 += 1;
    if (p2 === m2) p2 = 0;
  }
  return { level, daily, weekly, lastRawError, sse, steps: n - m2 };
}
