import type { LoadObservation } from './types';

/**
 * The observations oldest first, exactly as `[...observations].sort((a, b) => a.timestampMs -
 * b.timestampMs)` orders them (a stable sort): a history already in order, as every metric
 * history arrives, is copied without sorting; a pair out of order, or two timestamps whose
 * difference is not a number (NaN, equal infinities), sorts.
 */
export function inTimeOrder(observations: readonly LoadObservation[]): LoadObservation[] {
  for (let i = 1; i < observations.length; i += 1) {
    const gapMs =
      (observations[i] as LoadObservation).timestampMs - (observations[i - 1] as LoadObservation).timestampMs;
    if (!(gapMs >= 0)) return [...observations].sort((a, b) => a.timestampMs - b.timestampMs);
  }
  return [...observations];
}
