import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/** What an alarm of `OperationsDashboard` is given: above `threshold`, missing data not breaching. */
export interface DashboardAlarmOptions {
  readonly threshold: number;
  readonly evaluationPeriods: number;
  readonly description: string;
  readonly evaluateLowSampleCountPercentile?: 'evaluate';
}

/** How the loop-health alarms are made and read, as `OperationsDashboard` makes and reads its own. */
export interface LoopHealthAlarmsProps {
  /** Creates an alarm under the dashboard that notifies its topic (`OperationsDashboard.alarmOn`). */
  readonly alarmOn: (id: string, metric: cloudwatch.IMetric, options: DashboardAlarmOptions) => void;
  /** A metric the functions publish, as this deployment publishes it (`OperationsDashboard`). */
  readonly fleetMetric: (metricName: string, statistic?: string, period?: Duration) => cloudwatch.Metric;
  /** The scaling loop's interval in minutes. */
  readonly rateMinutes: number;
}

/**
 * Share of an interval's group runs (0–1) failing on a transient AWS error above which "Throttling"
 * counts the interval: more than one run in five, however many groups there are (LoopErrors
 * reports any failure that lasts 3 intervals).
 */
const THROTTLED_RUNS_ALARM_RATIO = 0.2;

/** Loop intervals running without load history before "NoLoadHistory" fires: an hour, and at least two. */
const noLoadHistoryIntervals = (rateMinutes: number): number => Math.max(2, Math.ceil(60 / rateMinutes));

/** The alarms on the per-run counts of the worker (`countIntervalHealth`), one period per interval. */
export function addLoopHealthAlarms(props: LoopHealthAlarmsProps): void {
  const { alarmOn, fleetMetric, rateMinutes } = props;
  // Runs come once per interval, so each alarm on a per-run count has one period per interval:
  // shorter periods would hold no run between runs, and an alarm over intervals running would
  // then depend on how many periods CloudWatch's evaluation range spans (it judges the newest
  // periods that have data first; loop-health-alarms.test.ts). The counts are logged on every
  // run, zero included, for the same reason.
  const interval = Duration.minutes(rateMinutes);
  alarmOn('DemandAboveMaxSize', fleetMetric('DemandAboveMaxSize', 'Sum', interval), {
    threshold: 0,
    evaluationPeriods: 1,
    description: 'A group needs more capacity than its MaxSize (plus any allowed raise) can give.',
  });
  // One period per loop interval: each run counts the failures since the one before.
  alarmOn('LaunchesFailing', fleetMetric('LaunchFailures', 'Sum', interval), {
    threshold: 0,
    evaluationPeriods: 2,
    description: `Auto Scaling could not launch some group's instances in 2 consecutive loop intervals (${rateMinutes} min each; InsufficientInstanceCapacity, a quota, the launch template): capacity Prescale planned is not arriving. The worker's 'launches failing' log line names the group and the reason.`,
  });
  alarmOn('LoopErrors', fleetMetric('GroupRunFailed', 'Sum', interval), {
    threshold: 0,
    evaluationPeriods: 3,
    description: `Group runs failed in 3 consecutive loop intervals (${rateMinutes} min each).`,
  });
  throttlingAlarm(props, interval);
  // A run on a stopped history releases nothing (fail static): capacity held until someone fixes the source.
  alarmOn('LoadHistoryStale', fleetMetric('StaleHistory', 'Sum', interval), {
    threshold: 0,
    evaluationPeriods: 3,
    description: `Some group's load history stopped (its newest datapoint hours old) in 3 consecutive loop intervals (${rateMinutes} min each): its runs release no capacity until it is fresh. The worker's 'load history stale' log line names the group, the age and the likely cause.`,
  });
  noLoadHistoryAlarm(props, interval);
}

/**
 * The share of the interval's group runs that failed on a throttled or failing AWS call: each
 * group runs once per interval, so a fixed count would never fire for a deployment of fewer
 * groups than it. An interval without runs has no datapoint of either metric (missing, not
 * breaching); the IF gives 0 rather than a division by zero should GroupRuns read 0.
 */
function throttlingAlarm(
  { alarmOn, fleetMetric, rateMinutes }: LoopHealthAlarmsProps,
  interval: Duration,
): void {
  const ratio = new cloudwatch.MathExpression({
    expression: 'IF(runs > 0, throttled / runs, 0)',
    usingMetrics: {
      throttled: fleetMetric('Throttled', 'Sum', interval),
      runs: fleetMetric('GroupRuns', 'Sum', interval),
    },
    label: 'Share of group runs throttled',
    period: interval,
  });
  const pct = Math.round(THROTTLED_RUNS_ALARM_RATIO * 100);
  alarmOn('Throttling', ratio, {
    threshold: THROTTLED_RUNS_ALARM_RATIO,
    evaluationPeriods: 2,
    description: `More than ${pct} % of group runs failed on a throttled or failing AWS call (throttling, a 5xx or a timeout, after adaptive retries) in each of 2 consecutive loop intervals (${rateMinutes} min each), whole batches that failed included. The worker's 'group run failed' lines name the call.`,
  });
}

/**
 * A group that never had load history is run every interval and plans nothing; it writes no run
 * record, so "Prescale silent" never counts it stale. About an hour of intervals running lets a
 * new group's first datapoints arrive (and at least two, as for the other loop-health alarms).
 */
function noLoadHistoryAlarm(
  { alarmOn, fleetMetric, rateMinutes }: LoopHealthAlarmsProps,
  interval: Duration,
): void {
  const intervals = noLoadHistoryIntervals(rateMinutes);
  alarmOn('NoLoadHistory', fleetMetric('NoHistory', 'Sum', interval), {
    threshold: 0,
    evaluationPeriods: intervals,
    description: `Some group had no load history to plan from in ${intervals} consecutive loop intervals (${intervals * rateMinutes} min): Prescale runs it but plans and pre-warms nothing. The worker's 'group has no load history' log line names the group and what to fix: for the default cpu load, turn on the group's metrics collection (aws autoscaling enable-metrics-collection --auto-scaling-group-name <group> --granularity 1Minute); for a custom metric, correct its namespace, name or dimensions; for alb-requests, name the group's own target group and load balancer.`,
  });
}
