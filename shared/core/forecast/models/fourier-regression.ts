/**
 * Regression on Fourier terms with autoregressive error correction (dynamic harmonic regression).
 * On the most recent window (up to four weeks) the load is modelled as
 * y_t = a + b·t + Σ_k [c_k sin(2πkt/m₁) + d_k cos(2πkt/m₁)] + Σ_j [e_j sin(2πjt/m₂) + f_j cos(2πjt/m₂)] + u_t,
 * with K₁ ≤ 10 daily harmonics (m₁ steps per day) and, when the window holds a week plus a day,
 * up to 10 weekly harmonics (m₂ steps per week; multiples of 7 skipped, they repeat daily ones).
 * Coefficients by ridge-stabilised least squares (normal equations, Cholesky). The regression
 * residual u_t follows an AR(2) fitted by least squares; the forecast adds its decaying
 * extrapolation from the last two residuals. Intervals: AR(2) ψ-weights, σ²·Σ_{j<h} ψ_j².
 * Assumes a smooth daily/weekly shape and a linear trend over the window. Minimum history: 2 days.
 * Reference: Hyndman & Athanasopoulos, FPP3 §10.5 (dynamic harmonic regression) and §7.4.
 */
import { InsufficientHistoryError } from '../errors';
import { normalForecast } from '../normal-forecast';
import { seasonPeriods } from '../season-periods';
import { solveSymmetric } from '../solve-symmetric';
import type { FittedModel, ForecastModel, ForecastRequest, ModelForecast, RegularSeries } from '../types';
import { validateRequest } from '../validate-request';
import { buildDesign } from './fourier-design';
import { columnProducts, windowGram } from './fourier-gram';

const NAME = 'fourier-regression-ar';
const WINDOW_WEEKS = 4;

/** Fourier-term regression with linear trend and AR(2) error correction; see the file note. */
export const fourierRegression: ForecastModel = {
  name: NAME,
  minHistorySteps: (stepSeconds) => 2 * seasonPeriods(stepSeconds).dailySteps,
  fit(series: RegularSeries): FittedModel {
    const n = series.values.length;
    const { dailySteps: m1, weeklySteps: m2 } = seasonPeriods(series.stepSeconds);
    const min = 2 * m1;
    if (n < min) throw new InsufficientHistoryError(NAME, n, min);
    const window = Math.min(n, WINDOW_WEEKS * m2);
    const origin = n - window;
    const design = buildDesign(m1, m2, window);
    const q = design.periodicColumns;
    const p = q + 1;
    // X'X depends only on the design and the window length (see `windowGram`); X'y is
    // accumulated per phase (sums of y) instead of per row, plus Σ τ·y for the trend τ = t/window.
    const phases = design.phases;
    const ySum = new Float64Array(phases);
    let trendY = 0;
    for (let t = 0; t < window; t += 1) {
      const phase = t % phases;
      const v = series.values[origin + t] as number;
      ySum[phase] = (ySum[phase] as number) + v;
      trendY += (t / window) * v;
    }
    const gram = windowGram(design, window);
    const xtx = new Float64Array(p * p);
    const xty = new Float64Array(p);
    for (let i = 0; i < q; i += 1) {
      for (let j = i; j < q; j += 1) xtx[i * p + j] = gram.periodic[i * q + j] as number;
      xtx[i * p + q] = gram.trendCross[i] as number;
    }
    columnProducts(design, ySum, xty);
    const table = design.table;
    xtx[q * p + q] = gram.trendSquares;
    xty[q] = trendY;
    for (let i = 0; i < p; i += 1) {
      for (let j = 0; j < i; j += 1) xtx[i * p + j] = xtx[j * p + i] as number;
      // Ridge on every coefficient but the intercept keeps collinear harmonics solvable without bias.
      if (i > 0) xtx[i * p + i] = (xtx[i * p + i] as number) + 1e-6 * window;
    }
    const beta = solveSymmetric(xtx, xty, p);
    const trendCoefficient = beta[q] as number;
    const periodicFit = periodicValues(table, q, phases, beta);
    const fitted = (t: number): number =>
      (periodicFit[t % phases] as number) + (trendCoefficient * t) / window;
    const residuals = new Float64Array(window);
    for (let t = 0; t < window; t += 1) residuals[t] = (series.values[origin + t] as number) - fitted(t);
    const ar = fitAr2(residuals);
    return {
      model: NAME,
      forecast(request: ForecastRequest): ModelForecast {
        const levels = validateRequest(request);
        const mean: number[] = [];
        const spread: number[] = [];
        let u1 = residuals[window - 1] as number;
        let u2 = window > 1 ? (residuals[window - 2] as number) : 0;
        let psi1 = 1;
        let psi2 = 0;
        let psiSquares = 0;
        for (let h = 1; h <= request.horizonSteps; h += 1) {
          const u = ar.phi1 * u1 + ar.phi2 * u2;
          mean.push(fitted(window + h - 1) + u);
          u2 = u1;
          u1 = u;
          psiSquares += psi1 * psi1;
          spread.push(Math.sqrt(ar.sigma2 * psiSquares));
          const nextPsi = ar.phi1 * psi1 + ar.phi2 * psi2;
          psi2 = psi1;
          psi1 = nextPsi;
        }
        return normalForecast(NAME, mean, spread, levels);
      },
    };
  },
};

/** g(phase)·β for every phase, each summed over the columns in order (four phases side by side). */
function periodicValues(table: Float64Array, q: number, phases: number, beta: Float64Array): Float64Array {
  const out = new Float64Array(phases);
  let phase = 0;
  for (; phase + 3 < phases; phase += 4) {
    const r0 = phase * q;
    const r1 = r0 + q;
    const r2 = r1 + q;
    const r3 = r2 + q;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let i = 0; i < q; i += 1) {
      const b = beta[i] as number;
      s0 += (table[r0 + i] as number) * b;
      s1 += (table[r1 + i] as number) * b;
      s2 += (table[r2 + i] as number) * b;
      s3 += (table[r3 + i] as number) * b;
    }
    out[phase] = s0;
    out[phase + 1] = s1;
    out[phase + 2] = s2;
    out[phase + 3] = s3;
  }
  for (; phase < phases; phase += 1) {
    const row = phase * q;
    let s = 0;
    for (let i = 0; i < q; i += 1) s += (table[row + i] as number) * (beta[i] as number);
    out[phase] = s;
  }
  return out;
}

/** Least-squares AR(2) on residuals, constrained to a stationary region by shrinking if needed. */
function fitAr2(u: Float64Array): { phi1: number; phi2: number; sigma2: number } {
  const n = u.length;
  let s11 = 0;
  let s12 = 0;
  let s22 = 0;
  let s1y = 0;
  let s2y = 0;
  for (let t = 2; t < n; t += 1) {
    const a = u[t - 1] as number;
    const b = u[t - 2] as number;
    const v = u[t] as number;
    s11 += a * a;
    s12 += a * b;
    s22 += b * b;
    s1y += a * v;
    s2y += b * v;
  }
  const det = s11 * s22 - s12 * s12;
  let phi1 = 0;
  let phi2 = 0;
  if (det > 1e-12 * (s11 * s22 + 1e-300)) {
    phi1 = (s1y * s22 - s2y * s12) / det;
    phi2 = (s2y * s11 - s1y * s12) / det;
  }
  // Stationarity triangle: |φ2| < 1, φ2 + φ1 < 1, φ2 − φ1 < 1. Shrink towards 0 until inside.
  for (let i = 0; i < 50 && !(Math.abs(phi2) < 0.98 && phi1 + phi2 < 0.98 && phi2 - phi1 < 0.98); i += 1) {
    phi1 *= 0.9;
    phi2 *= 0.9;
  }
  let sse = 0;
  for (let t = 2; t < n; t += 1) {
    const e = (u[t] as number) - phi1 * (u[t - 1] as number) - phi2 * (u[t - 2] as number);
    sse += e * e;
  }
  return { phi1, phi2, sigma2: sse / Math.max(1, n - 2) };
}
