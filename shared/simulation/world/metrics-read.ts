// What one simulated GetMetricData call reads against CloudWatch's 500 metrics a call, and the
// message it answers with when a SEARCH found more than that left room for.

/**
 * The most metrics one GetMetricData call reads: "A GetMetricData operation that does not include
 * a query can retrieve as many as 500 different metrics in a single request" (API reference).
 */
const MAX_METRICS_PER_CALL = 500;
/**
 * The top-level message of a call that found more metrics than it reads: "An example of a message
 * that might be returned is Maximum number of allowed metrics exceeded. If there is a message, as
 * much of the operation as possible is still executed" (GetMetricData Messages, API reference).
 */
const MAX_METRICS_EXCEEDED = {
  Code: 'MaxMetricsExceeded',
  Value: 'Maximum number of allowed metrics exceeded. Your search may have been limited',
};

/**
 * The metrics one call has read so far, against `MAX_METRICS_PER_CALL`: each MetricStat query's
 * one, then each SEARCH's finds; `limited` once a SEARCH found more than it could keep.
 */
export interface MetricsRead {
  count: number;
  limited: boolean;
}

/** A call's count before its SEARCHes run: one metric for each MetricStat query. */
export function metricsReadOf(queries: readonly { readonly MetricStat?: unknown }[]): MetricsRead {
  return { count: queries.filter((q) => q.MetricStat !== undefined).length, limited: false };
}

/**
 * The metrics a SEARCH keeps of those it `matching` found: at most `searchMax`, and no more than
 * the call has left of its 500; counted in `read`, which a SEARCH that found more marks `limited`.
 */
export function keptBySearch<T>(read: MetricsRead, matching: readonly T[], searchMax: number): T[] {
  const kept = Math.max(0, Math.min(searchMax, MAX_METRICS_PER_CALL - read.count));
  const found = matching.slice(0, kept);
  read.count += found.length;
  if (found.length < matching.length) read.limited = true;
  return found;
}

/** The call's top-level messages: `MaxMetricsExceeded` once a SEARCH was limited. */
export function metricsReadMessages(read: MetricsRead): { readonly Code: string; readonly Value: string }[] {
  return read.limited ? [MAX_METRICS_EXCEEDED] : [];
}
