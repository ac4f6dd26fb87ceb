/*
 * What CloudWatch Metrics Insights allows a load `expression` that is one of its queries.
 */

/**
 * How far back a Metrics Insights query reads, in ms: "Query up to two weeks of data"
 * (Metrics Insights quotas). A `GetMetricData` call whose start is older is clamped and answered
 * with the top-level message `MaxQueryTimeRangeExceeded` ("Max time window exceeded for query"),
 * its oldest steps missing.
 */
export const METRICS_INSIGHTS_REACH_MS = 14 * 86_400_000;

/** Whether a load expression is a Metrics Insights query (`SELECT …`), not metric math or `SEARCH`. */
export function isMetricsInsightsExpression(expression: string): boolean {
  return /^\s*SELECT\b/i.test(expression);
}
