import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

/** What the dashboard's first rows chart, and how a fleet metric of this deployment is read. */
export interface OperationsWidgetsProps {
  /** The scale-groups worker's log group(s): its `group run` lines carry every per-group value. */
  readonly logGroupNames: string[];
  /** Functions whose errors and throttles are charted. */
  readonly functions: readonly lambda.IFunction[];
  /** Where function labels are read from (`ScalingLoop/Worker`): the dashboard construct's scope. */
  readonly root: Construct;
  /** A metric the functions publish, as this deployment publishes it (`OperationsDashboard`). */
  readonly fleetMetric: (metricName: string, statistic?: string, period?: Duration) => cloudwatch.Metric;
  /**
   * Every group's series of a per-group metric (`groupMetrics: 'metrics'`), one line a group; absent
   * when the groups' values go to the log line only (`groupMetrics: 'logs'`).
   */
  readonly groupMetricSearch?: (metricName: string, label: string) => cloudwatch.MathExpression;
}

/**
 * The dashboard's rows before any alarm's chart: the title, the forecast and capacity rows from
 * the worker's logs (fleet lines, a table of each group's latest run, and each group's lines when
 * its values are published as metrics), the fleet row (accuracy, actions, last changes), held
 * groups, and the loop's and the Lambdas' health. Charts only; the alarms are `OperationsDashboard`'s.
 */
export function addOperationsWidgets(dashboard: cloudwatch.Dashboard, props: OperationsWidgetsProps): void {
  addGroupWidgets(dashboard, props);
  addFleetWidgets(dashboard, props);
  addHealthWidgets(dashboard, props);
}

/**
 * The forecast and capacity rows, from the worker's `group run` log lines. Logs Insights draws
 * lines only for a query grouped by `bin()` alone: "The following query does not generate a
 * visualization, because it contains more than one grouping field: `stats avg(myfield1) by
 * bin(5m), myfield4`" (CloudWatch Logs User Guide, `stats`, "Visualize time series data"), and a
 * query returns at most 10,000 rows ("If you omit limit, the query will return as many as 10,000
 * log events", `limit`): by bin and group, two days of 5-minute bins are 576 rows a group. So the
 * lines are the fleet's, the mean of the runs in each bin (a mean, not a sum: a loop tick's runs
 * may fall on either side of a bin's edge, putting two of a group's runs in one bin), and each
 * group's values are a table of its latest run, one row a group; with `groupMetrics: 'metrics'`
 * each group's lines are charted from its metrics too.
 */
function addGroupWidgets(dashboard: cloudwatch.Dashboard, props: OperationsWidgetsProps): void {
  const { logGroupNames, groupMetricSearch } = props;
  dashboard.addWidgets(
    new cloudwatch.TextWidget({
      markdown:
        "# Prescale\nForecast and capacity come from the worker logs (`group run`): the fleet lines are the mean of the group runs, the table each group's latest run. Pause everything with the kill-switch SSM parameter; pause a group with the tag `prescale:paused=true`. Runbook: docs/OPERATIONS.md.",
      width: 24,
      height: 2,
    }),
  );
  dashboard.addWidgets(
    new cloudwatch.LogQueryWidget({
      title: 'Forecast band vs actual load, fleet (mean of the group runs)',
      logGroupNames,
      view: cloudwatch.LogQueryVisualizationType.LINE,
      queryLines: [
        "filter message = 'group run'",
        'stats avg(forecastMedianNow) as p50, avg(forecastPlannedNow) as planned, avg(actualLoad) as actual by bin(5m)',
      ],
      width: 12,
      height: 8,
    }),
    new cloudwatch.LogQueryWidget({
      title: 'Planned vs in-service capacity, fleet (mean of the group runs)',
      logGroupNames,
      view: cloudwatch.LogQueryVisualizationType.LINE,
      queryLines: [
        "filter message = 'group run'",
        'stats avg(plannedCapacity) as planned, avg(inServiceCapacity) as inService by bin(5m)',
      ],
      width: 12,
      height: 8,
    }),
  );
  dashboard.addWidgets(
    new cloudwatch.LogQueryWidget({
      title: 'Per group, latest run',
      logGroupNames,
      view: cloudwatch.LogQueryVisualizationType.TABLE,
      queryLines: [
        "filter message = 'group run'",
        'stats latest(forecastMedianNow) as p50, latest(forecastPlannedNow) as planned, latest(actualLoad) as actual, latest(plannedCapacity) as plannedCapacity, latest(inServiceCapacity) as inService, latest(outcome.kind) as outcome, max(@timestamp) as lastRun by groupName',
        'sort groupName asc',
      ],
      width: 24,
      height: 6,
    }),
  );
  if (groupMetricSearch) addGroupMetricWidgets(dashboard, groupMetricSearch);
}

/** With `groupMetrics: 'metrics'`: one line per group, from the per-group metrics the worker publishes. */
function addGroupMetricWidgets(
  dashboard: cloudwatch.Dashboard,
  groupMetricSearch: NonNullable<OperationsWidgetsProps['groupMetricSearch']>,
): void {
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'Forecast band vs actual load, per group (group metrics)',
      left: [
        groupMetricSearch('ForecastP50', 'p50'),
        groupMetricSearch('ForecastPlanned', 'planned'),
        groupMetricSearch('ActualLoad', 'actual'),
      ],
      width: 12,
      height: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Planned vs in-service capacity, per group (group metrics)',
      left: [
        groupMetricSearch('PlannedCapacity', 'planned'),
        groupMetricSearch('ActualCapacity', 'in service'),
      ],
      width: 12,
      height: 8,
    }),
  );
}

/** The fleet row: accuracy, actions, the last changes. */
function addFleetWidgets(dashboard: cloudwatch.Dashboard, props: OperationsWidgetsProps): void {
  const { fleetMetric, logGroupNames } = props;
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'Forecast accuracy (relative error of the median, %)',
      left: [fleetMetric('ForecastRelativeError', 'p50', Duration.hours(1))],
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Actions taken',
      stacked: true,
      left: [
        'applied',
        'unchanged',
        'held',
        'dry-run',
        'duplicate',
        'no-history',
        'not-found',
        'not-enrolled',
      ].map((kind) => fleetMetric(`Outcome_${kind}`)),
      width: 8,
    }),
    new cloudwatch.LogQueryWidget({
      title: 'Last changes (before → after, reason)',
      logGroupNames,
      queryLines: [
        "filter message = 'group run' and outcome.kind = 'applied'",
        'fields @timestamp, groupName, outcome.before.minSize, outcome.after.minSize, outcome.reason',
        'sort @timestamp desc',
        'limit 20',
      ],
      width: 8,
    }),
  );
}

/** Why groups are held, the loop's health and the Lambdas'. */
function addHealthWidgets(dashboard: cloudwatch.Dashboard, props: OperationsWidgetsProps): void {
  const { fleetMetric, logGroupNames, functions, root } = props;
  // Why each held group is held (a pause, another deployment's tag, an EC2 predictive policy…):
  // a group held by something nobody remembers setting shows here, not only in its own records.
  // Each group's latest run first, then the held ones: filtered on 'held' before `stats`, a group
  // released since would show for the whole window. Every run of a group logs one of these lines
  // (publishGroupRunMetrics): 'group run' when it reached the group (its `outcome.kind`), 'group
  // run failed', 'group has no load history', or 'group run skipped' with its `kind`; a group
  // whose newest runs fail or that left Prescale is no longer held by it. A duplicate run (its
  // tick ran already) says nothing of the group, so it does not hide a hold. Logs Insights takes
  // `filter` after `stats` on the fields the `stats` defines (CloudWatch Logs User Guide, "stats":
  // multiple stats commands).
  dashboard.addWidgets(
    new cloudwatch.LogQueryWidget({
      title: 'Held groups (latest reason)',
      logGroupNames,
      queryLines: [
        "filter message in ['group run', 'group run failed', 'group has no load history', 'group run skipped']",
        'fields coalesce(outcome.kind, kind, message) as run',
        "filter run != 'duplicate'",
        'stats latest(run) as latestRun, latest(outcome.reason) as reason, max(@timestamp) as lastRun by groupName',
        "filter latestRun = 'held'",
        'sort lastRun desc',
        'limit 50',
      ],
      width: 24,
      height: 6,
    }),
  );
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'Loop health',
      left: [fleetMetric('GroupRuns'), fleetMetric('GroupRunFailed'), fleetMetric('Throttled')],
      right: [
        fleetMetric('DemandAboveMaxSize'),
        fleetMetric('LowConfidenceForecasts'),
        fleetMetric('LaunchFailures'),
        fleetMetric('StaleHistory'),
        fleetMetric('NoHistory'),
      ],
      width: 12,
    }),
    new cloudwatch.GraphWidget({
      title: 'Lambda errors and throttles',
      left: functions.flatMap((fn) => [
        fn.metricErrors({ label: `${functionLabel(fn, root)} errors` }),
        fn.metricThrottles({ label: `${functionLabel(fn, root)} throttles` }),
      ]),
      width: 12,
    }),
  );
}

/**
 * Where the function sits under `root` (`ScalingLoop/Worker`): unique, and readable on a chart
 * where its generated name is not.
 */
function functionLabel(fn: lambda.IFunction, root: Construct): string {
  let path = fn.node.path.slice(root.node.path.length + 1);
  while (path.endsWith('/Function')) path = path.slice(0, -'/Function'.length);
  return path;
}
