import { normalQuantile } from './normal-quantile';
import type { ModelForecast, PredictionInterval } from './types';

/**
 * Builds a model forecast with symmetric Gaussian intervals: mean[h] ± z(level) · sigma[h].
 * Intervals are nested by construction (z grows with the level). Non-finite or negative sigmas
 * are treated as 0, so bounds are always finite when the mean is.
 * @param levels - sorted ascending, each in (0, 100) percent.
 */
export function normalForecast(
  model: string,
  mean: readonly number[],
  sigma: readonly number[],
  levels: readonly number[],
): ModelForecast {
  const intervals: PredictionInterval[] = levels.map((levelPct) => {
    const z = normalQuantile(0.5 + levelPct / 200);
    const lower = mean.map((m, h) => m - z * safeSigma(sigma[h]));
    const upper = mean.map((m, h) => m + z * safeSigma(sigma[h]));
    return { levelPct, lower, upper };
  });
  return { model, mean: [...mean], intervals };
}

function safeSigma(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : 0;
}
