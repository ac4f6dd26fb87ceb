/**
 * Holt-Winters with additive damped trend and additive daily seasonality, ETS(A,Ad,A).
 * One-step forecast ŷ_t = ℓ + φb + s_{t−m}; with error e = y_t − ŷ_t the states update as
 * level ℓ ← ℓ + φb + αe, trend b ← φb + αβe, season s_t ← s_{t−m} + γe. The h-step forecast is
 * ℓ + (φ + … + φ^h)·b + s of the matching phase in the last season. Smoothing parameters come from
 * a small fixed grid minimising the in-sample one-step squared error (no optimiser, deterministic).
 * Initial states from the first two days (level = day-1 mean, trend = day-2 minus day-1 mean per step).
 * Intervals use the ETS(A,Ad,A) variance σ²(1 + Σ_{j<h} c_j²), c_j = α + αβφ(1−φ^j)/(1−φ) + γ·1{m | j}.
 * Assumes additive seasonality with a slowly changing level and trend. Minimum history: 2 days.
 * Reference: Hyndman & Athanasopoulos, FPP3 §8.3 and §8.7 (Table 8.8 for the variance).
 */
import { InsufficientHistoryError } from '../errors';
import { normalForecast } from '../normal-forecast';
import { seasonPeriods } from '../season-periods';
import type { FittedModel, ForecastModel, ForecastRequest, ModelForecast, RegularSeries } from '../types';
import { validateRequest } from '../validate-request';

const NAME = 'holt-winters-damped';
const ALPHAS = [0.05, 0.2, 0.5] as const;
const BETAS = [0, 0.05] as const;
const GAMMAS = [0.05, 0.2] as const;
const PHIS = [0.9, 0.98] as const;

interface HwState {
  level: number;
  trend: number;
  season: Float64Array;
  sse: number;
}

/** Damped additive Holt-Winters with daily seasonality; see the file note for the equations. */
export const holtWintersDamped: ForecastModel = {
  name: NAME,
  minHistorySteps: (stepSeconds) => 2 * seasonPeriods(stepSeconds).dailySteps,
  fit(series: RegularSeries): FittedModel {
    const n = series.values.length;
    const m = seasonPeriods(series.stepSeconds).dailySteps;
    const min = 2 * m;
    if (n < min) throw new InsufficientHistoryError(NAME, n, min);
    const y = Float64Array.from(series.values);
    let best: { state: HwState; alpha: number; beta: number; gamma: number; phi: number } | undefined;
    for (const alpha of ALPHAS) {
      for (const beta of BETAS) {
        for (const gamma of GAMMAS) {
          for (const phi of PHIS) {
            const state = runHoltWinters(y, m, alpha, beta, gamma, phi);
            if (best === undefined || state.sse < best.state.sse) best = { state, alpha, beta, gamma, phi };
          }
        }
      }
    }
    const chosen = best as NonNullable<typeof best>;
    const { state, alpha, beta, gamma, phi } = chosen;
    const sigma2 = state.sse / Math.max(1, n - m);
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
          mean.push(state.level + damp * state.trend + (state.season[phase] as number));
          spread.push(Math.sqrt(sigma2 * (1 + varianceSum)));
          const c = alpha + (alpha * beta * phi * (1 - phiPower)) / (1 - phi) + (h % m === 0 ? gamma : 0);
          varianceSum += c * c;
        }
        return normalForecast(NAME, mean, spread, levels);
      },
    };
  },
};

/** Runs the recursion over the whole series; `season[t mod m]` holds the latest index of each phase. */
function runHoltWinters(
  y: Float64Array,
  m: number,
  alpha: number,
  beta: number,
  gamma: number,
  phi: number,
): HwState {
  const n = y.length;
  let first = 0;
  let second = 0;
  for (let i = 0; i < m; i += 1) {
    first += y[i] as number;
    second += y[i + m] as number;
  }
  first /= m;
  second /= m;
  let trend = (second - first) / m;
  const season = new Float64Array(m);
  for (let i = 0; i < m; i += 1) season[i] = (y[i] as number) - (first + trend * (i - (m - 1) / 2));
  let level = first + (trend * (m - 1)) / 2;
  let sse = 0;
  let phase = 0;
  for (let t = m; t < n; t += 1) {
    const s = season[phase] as number;
    const damped = phi * trend;
    const error = (y[t] as number) - (level + damped + s);
    sse += error * error;
    level = level + damped + alpha * error;
    trend = damped + alpha * beta * error;
    season[phase] = s + gamma * error;
    phase += 1;
    if (phase === m) phase = 0;
  }
  return { level, trend, season, sse };
}
