import type { LoadObservation } from './types';

/**
 * Why `cleanSeries` drops an observation: a non-finite timestamp or value, or a negative value
 * (load is never below 0); undefined when it is kept.
 */
export function unusableReason(observation: LoadObservation): 'non-finite' | 'negative' | undefined {
  const { timestampMs, value } = observation;
  if (!Number.isFinite(timestampMs) || !Number.isFinite(value)) return 'non-finite';
  return value < 0 ? 'negative' : undefined;
}

/**
 * Whether `history` holds an observation `cleanSeries` keeps, the test `forecastDemand` applies
 * before it throws `NoUsableDataError`: a metric that reports only negative or non-finite values
 * has no load to forecast, as one that reports nothing.
 */
export function hasUsableLoad(history: readonly LoadObservation[]): boolean {
  return history.some((o) => unusableReason(o) === undefined);
}
