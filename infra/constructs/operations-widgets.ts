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
}

/**
 * The dashboard's rows before any alarm's chart: the title, the per-group forecast and capacity
 * rows from the worker's logs, the fleet row (accuracy, actions, last changes), held groups, and
 * the loop's and the Lambdas' health. Charts only; the alarms are `OperationsDashboard`'s.
 */
export function addOperationsWidgets(dashboard: cloudwatch.Dashboard, props: OperationsWidgetsProps): void {
  addGroupWidgets(dashboard, props.logGroupNames);
  addFleetWidgets(dashboard, props);
  addHealthWidgets(dashboard, props);
}

/** The per-group rows, from the worker's `group run` log lines. */
function addGroupWidgets(dashboard: cloudwatch.Dashboard, logGroupNames: string[]): void {
  dashboard.addWidgets(
    new cloudwatch.TextWidget({
      markdown:
        '# Prescale\nPer-group lines come from the worker logs (`group run`). Pause everything with the kill-switch SSM parameter; pause a group with the tag `prescale:paused=true`. Runbook: docs/OPERATIONS.md.',
      width: 24,
      height: 2,
    }),
  );
  dashboard.addWidgets(
    new cloudwatch.LogQueryWidget({
      title: 'Forecast band vs actual load, per group',
      logGroupNames,
      view: cloudwatch.LogQueryVisualizationType.LINE,
      queryLines: [
        "filter message = 'group run'",
        'stats avg(forecastMedianNow) as p50, avg(forecastPlannedNow) as planned, avg(actualLoad) as actual by bin(5m), groupName',
      ],
      width: 12,
      height: 8,
    }),
    new cloudwatch.LogQueryWidget({
      title: 'Planned vs in-service capacity, per group',
      logGroupNames,
      view: cloudwatch.LogQueryVisualizationType.LINE,
      queryLines: [
        "filter message = 'group run'",
        'stats max(plannedCapacity) as planned, max(inServiceCapacity) as inService by bin(5m), groupName',
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
  // released since would show for the whole window. A duplicate run (its tick ran already) says
  // nothing of the group, so it does not hide a hold. Logs Insights takes `filter` after `stats`
  // on the fields the `stats` defines (CloudWatch Logs User Guide, "stats": multiple stats commands).
  dashboard.addWidgets(
    new cloudwatch.LogQueryWidget({
      title: 'Held groups (latest reason)',
      logGroupNames,
      queryLines: [
        "filter message = 'group run' and outcome.kind != 'duplicate'",
        'stats latest(outcome.kind) as kind, latest(outcome.reason) as reason, max(@timestamp) as lastRun by groupName',
        "filter kind = 'held'",
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
