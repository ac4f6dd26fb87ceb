import type { LoadObservation } from './types';

/**
 * `series` (ascending) with a zero at every step missing between its first and last datapoint,
 * for a metric whose source publishes nothing when there is nothing to count: "If there are no
 * requests flowing through the load balancer or no data for a metric, the metric is not reported"
 * (ELB, *CloudWatch metrics for your Application Load Balancer*). Left as holes, the forecaster
 * would interpolate across them (a quiet night read as the evening's load). Steps after the last
 * datapoint stay absent: the newest may simply not be published yet.
 */
export function withIdleSteps(series: readonly LoadObservation[], stepSeconds: number): LoadObservation[] {
  const first = series[0];
  if (!first) return [];
  const stepMs = stepSeconds * 1000;
  const filled: LoadObservation[] = [];
  let nextMs = first.timestampMs;
  for (const point of series) {
    for (; nextMs < point.timestampMs; nextMs += stepMs) filled.push({ timestampMs: nextMs, value: 0 });
    filled.push(point);
    nextMs = point.timestampMs + stepMs;
  }
  return filled;
}

/**
 * `series` (ascending) with a zero at each of `emptySteps` it has no datapoint for: steps a group
 * had no instance in service, where a load per instance × instances has no datapoint (no instance,
 * no CPU metric) although the load is known to be zero. Left as holes, a group its owner scales
 * to zero at night would be forecast the evening's load overnight.
 */
export function withEmptyGroupSteps(
  series: readonly LoadObservation[],
  emptySteps: readonly number[],
): LoadObservation[] {
  if (emptySteps.length === 0) return [...series];
  const present = new Set(series.map((p) => p.timestampMs));
  const zeros = [...new Set(emptySteps)]
    .filter((t) => !present.has(t))
    .map((t) => ({ timestampMs: t, value: 0 }));
  return [...series, ...zeros].sort((a, b) => a.timestampMs - b.timestampMs);
}
