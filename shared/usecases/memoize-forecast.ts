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

/**
 * `Object.is(kept, given)` for a kept number, spelled out so the hit's loop over a 14-day history
 * stays a few comparisons a point: NaN equals NaN (a gap stays a gap), -0 differs from 0.
 */
function sameNumber(kept: number, given: number): boolean {
  if (kept === given) return kept !== 0 || 1 / kept === 1 / given;
  return Number.isNaN(kept) && Number.isNaN(given);
}

function sameHistory(entry: Entry, history: ForecastDemandInput['history']): boolean {
  const { timestampsMs, values } = entry;
  for (let i = 0; i < history.length; i += 1) {
    const o = history[i] as (typeof history)[number];
    if (!sameNumber(timestampsMs[i] as number, o.timestampMs) || !sameNumber(values[i] as number, o.value))
      return false;
  }
  return true;
}

/**
 * The history's timestamps and values as kept copies, by an indexed loop: `Float64Array.from`
 * with a mapping function went through the iterator, about a millisecond for 14 days.
 */
function copyHistory(history: ForecastDemandInput['history']): {
  timestampsMs: Float64Array;
  values: Float64Array;
} {
  const timestampsMs = new Float64Array(history.length);
  const values = new Float64Array(history.length);
  for (let i = 0; i < history.length; i += 1) {
    const o = history[i] as (typeof history)[number];
    timestampsMs[i] = o.timestampMs;
    values[i] = o.value;
  }
  return { timestampsMs, values };
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
    entries.push({ key, ...copyHistory(input.history), result });
    if (entries.length > capacity) entries.shift();
    return result;
  };
  return Object.assign(memo, { stats });
}
