import { isMetricsInsightsExpression, METRICS_INSIGHTS_REACH_MS } from '../contracts/metrics-insights';
import type { UserConfig } from '../contracts/user-config';
import type { HistoryQuery } from '../ports/metric-history';

const DAY_MS = 86_400_000;

/**
 * CloudWatch's tiers: "If the StartTime parameter specifies a time stamp that is greater than 3
 * hours ago, you must specify the period as follows or no data points in that time range is
 * returned: Start time between 3 hours and 15 days ago - Use a multiple of 60 seconds (1 minute).
 * Start time between 15 and 63 days ago - Use a multiple of 300 seconds (5 minutes). Start time
 * greater than 63 days ago - Use a multiple of 3600 seconds (1 hour)." (GetMetricData, MetricStat)
 */
const TIERS: readonly { readonly olderThanDays: number; readonly periodMultipleSeconds: number }[] = [
  { olderThanDays: 63, periodMultipleSeconds: 3600 },
  { olderThanDays: 15, periodMultipleSeconds: 300 },
];

/**
 * Why `query` can no longer be answered at `nowMs`, if so: CloudWatch returns nothing for a start
 * older than its tier keeps at the query's period, and refuses a Metrics Insights `SELECT` reaching
 * further back than two weeks (`MaxQueryTimeRangeExceeded`), so a release run late (a redrive from
 * the dead-letter queue a day or more after the end) would measure an empty history or be refused,
 * at settings `cdk synth` accepted: it bounds reads that reach back from now, a release's reaches
 * back from the campaign's end. A Timestream table keeps what its writer put there at every step.
 */
export function historyNoLongerKept(
  config: UserConfig,
  query: HistoryQuery,
  nowMs: number,
): string | undefined {
  if (config.historySource !== 'cloudwatch') return undefined;
  const ageMs = nowMs - query.startMs;
  const why = metricsInsightsReachExceeded(query, ageMs) ?? periodNoLongerKept(query, ageMs);
  if (why === undefined) return undefined;
  const age = `${new Date(query.startMs).toISOString()}, ${(ageMs / DAY_MS).toFixed(1)} days ago`;
  return `${why}, and the history to learn from starts ${age}`;
}

function periodNoLongerKept(query: HistoryQuery, ageMs: number): string | undefined {
  const tier = TIERS.find((t) => ageMs > t.olderThanDays * DAY_MS);
  if (!tier || query.stepSeconds % tier.periodMultipleSeconds === 0) return undefined;
  return `history at this step no longer kept: CloudWatch returns nothing at a ${query.stepSeconds} s period for a start more than ${tier.olderThanDays} days ago`;
}

function metricsInsightsReachExceeded(query: HistoryQuery, ageMs: number): string | undefined {
  const { metric } = query;
  if (metric.kind !== 'expression' || !isMetricsInsightsExpression(metric.expression)) return undefined;
  if (ageMs <= METRICS_INSIGHTS_REACH_MS) return undefined;
  return `history no longer readable by its Metrics Insights SELECT: CloudWatch refuses a SELECT whose start is more than ${METRICS_INSIGHTS_REACH_MS / DAY_MS} days ago (MaxQueryTimeRangeExceeded; Metrics Insights queries up to two weeks of data)`;
}
