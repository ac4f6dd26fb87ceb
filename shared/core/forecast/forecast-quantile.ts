import { ProbabilityOutOfRangeError } from './errors';
import type { DemandForecast } from './types';

/**
 * The per-step load quantile at `probability` from a forecast's central intervals.
 *
 * Probability p > 0.5 maps to the upper bound of the central interval of level L = (2p − 1)·100;
 * p < 0.5 to the lower bound of level (1 − 2p)·100; p = 0.5 to the mean. Between available levels
 * (and between the mean, treated as level 0, and the narrowest level) bounds are interpolated
 * linearly in the level, so the result is non-decreasing in p at every step.
 * Example: 0.9 → upper bound of the 80 % interval.
 * @param probability - in [(1 − maxLevel/100)/2, (1 + maxLevel/100)/2].
 * @returns one load value per forecast step.
 * @throws ProbabilityOutOfRangeError when the probability is outside that range (or not finite).
 */
export function forecastQuantile(forecast: DemandForecast, probability: number): number[] {
  const intervals = [...forecast.intervals].sort((a, b) => a.levelPct - b.levelPct);
  const maxLevel = intervals.length > 0 ? (intervals[intervals.length - 1]?.levelPct ?? 0) : 0;
  const minP = (1 - maxLevel / 100) / 2;
  const maxP = (1 + maxLevel / 100) / 2;
  if (!Number.isFinite(probability) || probability < minP - 1e-12 || probability > maxP + 1e-12) {
    throw new ProbabilityOutOfRangeError(probability, minP, maxP);
  }
  const level = Math.min(maxLevel, Math.abs(2 * probability - 1) * 100);
  const upperSide = probability >= 0.5;
  if (level === 0) return [...forecast.mean];
  let belowLevel = 0;
  let below: readonly number[] = forecast.mean;
  for (const interval of intervals) {
    const bound = upperSide ? interval.upper : interval.lower;
    if (interval.levelPct >= level) {
      const w = (level - belowLevel) / (interval.levelPct - belowLevel);
      return bound.map((b, h) => (1 - w) * (below[h] as number) + w * b);
    }
    belowLevel = interval.levelPct;
    below = bound;
  }
  return [...below];
}
