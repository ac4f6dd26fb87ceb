import type { ForecastDemandInput } from '../../core/forecast/forecast-demand';
import type { DemandForecast } from '../../core/forecast/types';

/** A memoized forecaster and how often the cache answered. */
export interface MemoizedForecast {
  (input: ForecastDemandInput): DemandForecast;
  readonly stats: { hits: number; misses: number };
}

function fingerprint(input: ForecastDemandInput): string {
  // FNV-1a over every timestamp and value: exact-input identity at a fraction of JSON's cost.
  let h = 0x811c9dc5;
  const mix = (x: number) => {
    const s = x.toString(36);
    for (let i = 0; i < s.length; i += 1) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
    h = Math.imul(h ^ 0x2c, 0x01000193) >>> 0;
  };
  for (const o of input.history) {
    mix(o.timestampMs);
    mix(o.value);
  }
  return `${h}|${input.history.length}|${input.stepSeconds}|${input.horizonSteps}|${input.levels.join(',')}|${JSON.stringify(input.campaigns ?? [])}`;
}

/**
 * Caches a deterministic forecaster by its exact input (every history point, step, horizon,
 * levels, campaigns). `forecastDemand` documents "same input, same output", so the cache changes
 * no decision; it only spares recomputing an hourly forecast on each of an hour's 5-minute ticks.
 */
export function memoizeForecast(
  fn: (input: ForecastDemandInput) => DemandForecast,
  capacity = 8,
): MemoizedForecast {
  const cache = new Map<string, DemandForecast>();
  const stats = { hits: 0, misses: 0 };
  const memo = (input: ForecastDemandInput): DemandForecast => {
    const key = fingerprint(input);
    const cached = cache.get(key);
    if (cached) {
      stats.hits += 1;
      return cached;
    }
    stats.misses += 1;
    const result = fn(input);
    cache.set(key, result);
    if (cache.size > capacity) cache.delete(cache.keys().next().value as string);
    return result;
  };
  return Object.assign(memo, { stats });
}
