import { forecastQuantile } from './forecast-quantile';
import type { DemandForecast, PeakCalibration } from './types';

/**
 * The load to plan capacity for at each step at `probability`: the per-step quantile
 * ({@link forecastQuantile}) raised to the forecast's daily-peak bound at the same probability
 * (`peakCalibration`, see `calibratePeakBound`), mean(h) + u(p)·max(mean(h), levelLoad).
 *
 * The per-step quantile says how high load may be at one step; a plan must also hold when the
 * day's peak comes, whose size and time the per-step quantile misses. u(p) is interpolated
 * linearly between the calibrated probabilities, from u = 0 at p = 0.5, and held at the largest
 * calibrated probability's value beyond it. Without `peakCalibration` (fallback forecasts, older
 * forecasts) or for p ≤ 0.5 this is the per-step quantile.
 *
 * Invariants: never below `forecastQuantile(forecast, probability)`; non-decreasing in p at every
 * step; finite where the forecast is.
 * @returns one load value per forecast step.
 * @throws ProbabilityOutOfRangeError when the intervals cannot give the quantile (see `forecastQuantile`).
 */
export function planningLoad(forecast: DemandForecast, probability: number): number[] {
  const perStep = forecastQuantile(forecast, probability);
  const calibration = forecast.peakCalibration;
  if (calibration === undefined || probability <= 0.5) return perStep;
  const uplift = peakUplift(calibration, probability);
  if (!(uplift > 0)) return perStep;
  return perStep.map((load, h) => {
    const mean = forecast.mean[h] as number;
    return Math.max(load, mean + uplift * Math.max(mean, calibration.levelLoad));
  });
}

/** u(p): linear between (0.5, 0) and the calibrated points, flat beyond the last one. */
export function peakUplift(calibration: PeakCalibration, probability: number): number {
  let belowP = 0.5;
  let belowU = 0;
  for (const bound of calibration.bounds) {
    if (bound.probability >= probability) {
      const w = (probability - belowP) / Math.max(1e-12, bound.probability - belowP);
      return Math.max(0, belowU + w * (bound.upliftRatio - belowU));
    }
    belowP = bound.probability;
    belowU = bound.upliftRatio;
  }
  return Math.max(0, belowU);
}
