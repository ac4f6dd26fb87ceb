/**
 * Theta with seasonal adjustment (the M4 "Theta" benchmark). When the M4 90 % autocorrelation test
 * finds daily seasonality (run on hourly means for sub-hourly steps), the series is divided by
 * classical multiplicative seasonal indices (or, if any value is 0, has additive indices subtracted). On the adjusted series x: the θ=0 line is the
 * least-squares linear trend a + b·t; the θ=2 line is 2x_t − (a + b·t), extrapolated by simple
 * exponential smoothing (α from a fixed grid minimising one-step squared error). The forecast is
 * the equal-weight mean of both lines, reseasonalised with the indices of the matching phase, and
 * floored at 0. Intervals: SES variance σ²(1 + (h−1)α²) of the θ=2 line, halved in weight, plus
 * the seasonal scaling. Assumes a locally linear trend and a stable seasonal shape.
 * Minimum history: 3 days (the seasonality test needs n ≥ 3m).
 * Reference: Assimakopoulos & Nikolopoulos (2000), "The theta model: a decomposition approach to
 * forecasting", IJF 16(4):521–530; M4 benchmark code in Mcompetitions/M4-methods.
 */
import { classicalDecomposition, isSeasonal } from '../classical-decomposition';
import { InsufficientHistoryError } from '../errors';
import { normalForecast } from '../normal-forecast';
import { seasonPeriods } from '../season-periods';
import type { FittedModel, ForecastModel, ForecastRequest, ModelForecast, RegularSeries } from '../types';
import { validateRequest } from '../validate-request';

const NAME = 'theta-seasonal';
const ALPHAS = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1] as const;

/** Classic Theta on the seasonally adjusted series; see the file note for the equations. */
export const thetaSeasonal: ForecastModel = {
  name: NAME,
  minHistorySteps: (stepSeconds) => 3 * seasonPeriods(stepSeconds).dailySteps,
  fit(series: RegularSeries): FittedModel {
    const n = series.values.length;
    const m = seasonPeriods(series.stepSeconds).dailySteps;
    const min = 3 * m;
    if (n < min) throw new InsufficientHistoryError(NAME, n, min);
    const y = Float64Array.from(series.values);
    const positive = y.every((v) => v > 0);
    const seasonal = seasonalAtHourlyResolution(y, m)
      ? classicalDecomposition(y, m, positive ? 'multiplicative' : 'additive')
      : { kind: 'none' as const, period: m, indices: new Float64Array(m) };
    const x = new Float64Array(n);
    for (let t = 0; t < n; t += 1) {
      const index = seasonal.indices[t % m] as number;
      x[t] =
        seasonal.kind === 'multiplicative'
          ? (y[t] as number) / index
          : (y[t] as number) - (seasonal.kind === 'additive' ? index : 0);
    }
    const { intercept, slope } = linearTrend(x);
    const ses = bestSes(x, intercept, slope);
    return {
      model: NAME,
      forecast(request: ForecastRequest): ModelForecast {
        const levels = validateRequest(request);
        const mean: number[] = [];
        const spread: number[] = [];
        for (let h = 1; h <= request.horizonSteps; h += 1) {
          const t = n + h - 1;
          const adjusted = 0.5 * (intercept + slope * t) + 0.5 * ses.level;
          const sigma = 0.5 * Math.sqrt(ses.sigma2 * (1 + (h - 1) * ses.alpha * ses.alpha));
          const index = seasonal.indices[t % m] as number;
          if (seasonal.kind === 'multiplicative') {
            mean.push(Math.max(0, adjusted * index));
            spread.push(sigma * index);
          } else {
            mean.push(Math.max(0, adjusted + (seasonal.kind === 'additive' ? index : 0)));
            spread.push(sigma);
          }
        }
        return normalForecast(NAME, mean, spread, levels);
      },
    };
  },
};

/**
 * The M4 seasonality test, run on hourly means when a day has more than 24 steps (a multiple of
 * 24): the ACF up to lag m costs O(n·m), which at 1-minute steps (m = 1440) would dominate the fit.
 */
function seasonalAtHourlyResolution(y: Float64Array, m: number): boolean {
  if (m <= 24 || m % 24 !== 0) return isSeasonal(y, m);
  const factor = m / 24;
  const hours = Math.floor(y.length / factor);
  const offset = y.length - hours * factor;
  const hourly = new Float64Array(hours);
  for (let i = 0; i < hours; i += 1) {
    let sum = 0;
    for (let j = 0; j < factor; j += 1) sum += y[offset + i * factor + j] as number;
    hourly[i] = sum / factor;
  }
  return isSeasonal(hourly, 24);
}

function linearTrend(x: Float64Array): { intercept: number; slope: number } {
  const n = x.length;
  const meanT = (n - 1) / 2;
  let meanX = 0;
  for (let t = 0; t < n; t += 1) meanX += x[t] as number;
  meanX /= n;
  let sxy = 0;
  let sxx = 0;
  for (let t = 0; t < n; t += 1) {
    sxy += (t - meanT) * ((x[t] as number) - meanX);
    sxx += (t - meanT) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  return { intercept: meanX - slope * meanT, slope };
}

/** SES on the θ=2 line 2x_t − (a + b·t), α from the grid with the lowest one-step SSE. */
function bestSes(
  x: Float64Array,
  intercept: number,
  slope: number,
): { alpha: number; level: number; sigma2: number } {
  const n = x.length;
  const z = new Float64Array(n);
  for (let t = 1; t < n; t += 1) z[t] = 2 * (x[t] as number) - (intercept + slope * t);
  const start = 2 * (x[0] as number) - intercept;
  // Three α per pass over the line: the recursions are independent, so they overlap.
  const fits: { alpha: number; level: number; sigma2: number }[] = [];
  for (let g = 0; g < ALPHAS.length; g += 3) {
    const a0 = ALPHAS[g] as number;
    const a1 = ALPHAS[g + 1] ?? a0;
    const a2 = ALPHAS[g + 2] ?? a0;
    let [l0, l1, l2] = [start, start, start];
    let [e0, e1, e2] = [0, 0, 0];
    for (let t = 1; t < n; t += 1) {
      const v = z[t] as number;
      const r0 = v - l0;
      const r1 = v - l1;
      const r2 = v - l2;
      e0 += r0 * r0;
      e1 += r1 * r1;
      e2 += r2 * r2;
      l0 += a0 * r0;
      l1 += a1 * r1;
      l2 += a2 * r2;
    }
    const denominator = Math.max(1, n - 1);
    fits.push({ alpha: a0, level: l0, sigma2: e0 / denominator });
    if (g + 1 < ALPHAS.length) fits.push({ alpha: a1, level: l1, sigma2: e1 / denominator });
    if (g + 2 < ALPHAS.length) fits.push({ alpha: a2, level: l2, sigma2: e2 / denominator });
  }
  let best = { alpha: 1, level: 0, sigma2: Number.POSITIVE_INFINITY };
  for (const fit of fits) if (fit.sigma2 < best.sigma2) best = fit;
  return best;
}
