import type { ForecastDemandInput } from '../core/forecast/forecast-demand';
import type { DemandForecast } from '../core/forecast/types';

/** A memoized forecaster and how often the cache answered. */
export interface MemoizedForecast {
  (input: ForecastDemandInput): DemandForecast;
  readonly stats: { hits: number; misses: number };
}

/** One cached call: a copy of its history and the forecast it returned. */
interface Entry {
  readonly key: string;
  readonly timestampsMs: Float64Array;
  readonly values: Float64Array;
  readonly result: DemandForecast;
}

/** Everything of the input but the history, which is compared point by point. */
function shortKey(input: ForecastDemandInput): string {
  return `${input.history.length}|${input.stepSeconds}|${input.horizonSteps}|${input.levels.join(',')}|${JSON.stringify(input.campaigns ?? [])}`;
}

function sameHistory(entry: Entry, history: ForecastDemandInput['history']): boolean {
  for (let i = 0; i < history.length; i += 1) {
    const o = history[i] as (typeof history)[number];
    // Object.is: NaN equals NaN (a gap stays a gap), -0 differs from 0; both are exact identity.
    if (!Object.is(entry.timestampsMs[i], o.timestampMs) || !Object.is(entry.values[i], o.value))
      return false;
  }
  return true;
}

/**
 * Caches a deterministic forecaster by its exact input (every history point, step, horizon,
 * levels, campaigns). `forecastDemand` documents "same input, same output", so the cache changes
 * no decision; it only spares refitting a group's model on each run of its refresh interval.
 * A hit compares the history point by point against a copy kept at the miss (no hash, so no
 * collision can answer a different input); the `capacity` most recent inputs are kept.
 */
export function memoizeForecast(
  fn: (input: ForecastDemandInput) => DemandForecast,
  capacity = 8,
): MemoizedForecast {
  const entries: Entry[] = [];
  const stats = { hits: 0, misses: 0 };
  const memo = (input: ForecastDemandInput): DemandForecast => {
    const key = shortKey(input);
    const hit = entries.find((e) => e.key === key && sameHistory(e, input.history));
    if (hit) {
      stats.hits += 1;
      return hit.result;
    }
    stats.misses += 1;
    const result = fn(input);
    entries.push({
      key,
      timestampsMs: Float64Array.from(input.history, (o) => o.timestampMs),
      values: Float64Array.from(input.history, (o) => o.value),
      result,
    });
    if (entries.length > capacity) entries.shift();
    return result;
  };
  return Object.assign(memo, { stats });
}
