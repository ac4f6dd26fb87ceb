import type { Dimension, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { isMetricsInsightsExpression } from '../contracts/metrics-insights';
import { RejectedRequestError } from '../ports/errors';
import type { HistoryQuery, LoadMetricSpec } from '../ports/metric-history';

/*
 * The GetMetricData queries of a group's load, as its metric kind asks for it, within the API's
 * bounds: what `CloudWatchMetricHistory` sends.
 */

/** Written by users in dimension values and expressions; replaced by the group name. */
const GROUP_PLACEHOLDER = ['$', '{group}'].join('');

/** GetMetricData accepts at most 500 queries per call. */
export const MAX_QUERIES_PER_CALL = 500;

/**
 * The most datapoints one GetMetricData response carries. Beyond it CloudWatch answers
 * `PartialData` and pages with a NextToken, except for metric math: "NextToken is not returned if
 * you are performing a math expression" (MetricDataResult), so a math series cut there is lost.
 * Calls are sized to fit, counting the expressions' inputs too, which the API reference does not
 * say are free.
 */
export const MAX_DATAPOINTS_PER_CALL = 100_800;

/**
 * Whether `q` is a Metrics Insights query: "If you include a Metrics Insights query, each
 * GetMetricData operation can include only one query" (GetMetricData, API reference).
 */
export function isMetricsInsightsQuery(q: MetricDataQuery): boolean {
  return isMetricsInsightsExpression(q.Expression ?? '');
}

/** The most datapoints one query can return over `[startMs, endMs)` at its period. */
export function datapointsOf(q: HistoryQuery): number {
  return Math.ceil((q.endMs - q.startMs) / (q.stepSeconds * 1000)) + 1;
}

/**
 * GetMetricData's bounds on what `${group}` lengthens (API model: MetricExpression at most 2048
 * characters, DimensionValue at most 1024). The config schema checks the text as written; a long
 * group name can still push it over, and one refused query would fail the whole call's groups.
 */
const MAX_EXPRESSION_LENGTH = 2048;
const MAX_DIMENSION_VALUE_LENGTH = 1024;

/** Why `q` is over GetMetricData's bounds, or undefined when it is within them. */
function overBounds(q: MetricDataQuery): string | undefined {
  const expressionLength = q.Expression?.length ?? 0;
  if (expressionLength > MAX_EXPRESSION_LENGTH)
    return `its expression is ${expressionLength} characters (GetMetricData takes at most ${MAX_EXPRESSION_LENGTH})`;
  const long = q.MetricStat?.Metric?.Dimensions?.find(
    (d) => (d.Value?.length ?? 0) > MAX_DIMENSION_VALUE_LENGTH,
  );
  return long
    ? `its dimension ${long.Name} is ${long.Value?.length} characters (GetMetricData takes at most ${MAX_DIMENSION_VALUE_LENGTH})`
    : undefined;
}

/** `queries` for `groupName`, or a clear error naming the group when its name made one too long. */
function withinBounds(groupName: string, queries: MetricDataQuery[]): MetricDataQuery[] {
  for (const q of queries) {
    const reason = overBounds(q);
    if (reason)
      throw new RejectedRequestError(
        'CloudWatch',
        'GetMetricData',
        `the load metric of group ${groupName} cannot be asked: with the group name put in, ${reason}`,
      );
  }
  return queries;
}

/**
 * Characters a group name may have (Auto Scaling takes any) that would end or change a string in
 * an expression, such as `SEARCH('… AutoScalingGroupName="${group}"', …)`; tag-enrolled names
 * are not checked by the config schema.
 */
const QUOTING = /["'\\]/;

/**
 * The queries for one group: `g<index>` is its load, or for a `cpu` group its average CPU, which
 * `CloudWatchMetricHistory` multiplies by its in-service (`g<index>n`) and terminating
 * (`g<index>t`) counts (`cpuLoadQueries`); a step with none in service tells an empty group from a
 * hole (`withEmptyGroupSteps`). An `alb-requests` group's healthy-target count (`g<index>h`) comes
 * back too, to tell a step without requests from one not yet published (`noteZeroLoadSteps`).
 */
export function queriesFor(index: number, q: HistoryQuery): MetricDataQuery[] {
  return withinBounds(q.groupName, unboundedQueriesFor(index, q));
}

/** The group's queries as its metric kind builds them, before the bounds are checked. */
function unboundedQueriesFor(index: number, q: HistoryQuery): MetricDataQuery[] {
  const id = `g${index}`;
  const period = q.stepSeconds;
  switch (q.metric.kind) {
    case 'cpu':
      return cpuLoadQueries(id, q.groupName, period);
    case 'alb-requests':
      return albRequestQueries(id, q.groupName, period, q.metric);
    case 'custom':
      return [customLoadQuery(id, q.groupName, period, q.metric)];
    case 'expression':
      if (QUOTING.test(q.groupName))
        throw new RejectedRequestError(
          'CloudWatch',
          'GetMetricData',
          `the load expression of group ${q.groupName} cannot name it: its name has a quote or backslash, which would end or change the expression's strings (a SEARCH could then match other groups); give it a custom metric (dimensions take any name) or rename the group`,
        );
      return [
        {
          Id: id,
          Expression: q.metric.expression.replaceAll(GROUP_PLACEHOLDER, q.groupName),
          Period: period,
          Label: q.groupName,
          ReturnData: true,
        },
      ];
  }
}

/** A metric that only feeds the group's load expression: not returned itself. */
function expressionInput(
  id: string,
  namespace: string,
  metricName: string,
  dimensions: Dimension[],
  period: number,
  stat: string,
): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: { Namespace: namespace, MetricName: metricName, Dimensions: dimensions },
      Period: period,
      Stat: stat,
    },
    ReturnData: false,
  };
}

/**
 * A `cpu` group's load in "percent of one instance" comes from three series, multiplied per step
 * by `CloudWatchMetricHistory`: its average CPU (`g<index>`) × (in service (`g<index>n`) +
 * terminating (`g<index>t`)). EC2's `CPUUtilization` on the `AutoScalingGroupName` dimension
 * aggregates every instance of the group that runs, whatever its lifecycle state, while
 * `GroupInServiceInstances` "does not include instances that are pending or terminating". After a
 * scale-in through a target group's deregistration delay, the instances draining (`Terminating`,
 * still running, their CPU falling as their connections end) are in the average and not in that
 * count, so the average × in-service instances read low: 8 instances at 60 % and 2 draining at
 * 2 % read 387 for 484. Counting the terminating ones comes near summing each instance's own CPU, a
 * draining one's at what it still does, not at the group's average (near: a booting or warm-pool
 * instance that reports CPU is in the average and not in the count, which scales the sum). Pending instances stay out of the
 * count: what a booting one burns is not demand, and one not yet running reports nothing, so
 * counting it at the average would read a launch as load. The product is taken here, not in
 * metric math, because `GroupTerminatingInstances` may not be collected (metrics collection takes
 * a list): a step without it counts none, as before, where an expression would lose the step.
 * With no instance EC2 publishes no CPU; the in-service count then tells the zero load it is
 * from a hole.
 */
function cpuLoadQueries(id: string, groupName: string, period: number): MetricDataQuery[] {
  const dimensions = [{ Name: 'AutoScalingGroupName', Value: groupName }];
  const average = (queryId: string, namespace: string, metricName: string): MetricDataQuery => ({
    Id: queryId,
    MetricStat: {
      Metric: { Namespace: namespace, MetricName: metricName, Dimensions: dimensions },
      Period: period,
      Stat: 'Average',
    },
    ReturnData: true,
  });
  return [
    { ...average(id, 'AWS/EC2', 'CPUUtilization'), Label: groupName },
    average(`${id}n`, 'AWS/AutoScaling', 'GroupInServiceInstances'),
    average(`${id}t`, 'AWS/AutoScaling', 'GroupTerminatingInstances'),
  ];
}

/**
 * The requests the target group received: `RequestCount` Sum on the load balancer and target group.
 * Not `RequestCountPerTarget` × `HealthyHostCount`: ELB divides each minute's requests by that
 * minute's healthy targets, so a step's sum of those ratios times its average host count is off
 * whenever the count changes within the step, and is zero when no target is healthy.
 *
 * `RequestCount` is "reported if there is a nonzero value", so a quiet stretch at the end of the
 * range has no datapoint, and the newest load read would stay the last busy step's for as long as
 * the quiet lasts (a plan held at an evening's load all night). `HealthyHostCount` is "reported if
 * health checks are enabled" (always, on a target group), requests or not: a step it covers and
 * `RequestCount` does not had no request (ELB, *CloudWatch metrics for your Application Load
 * Balancer*, reporting criteria).
 */
function albRequestQueries(
  id: string,
  groupName: string,
  period: number,
  metric: Extract<LoadMetricSpec, { kind: 'alb-requests' }>,
): MetricDataQuery[] {
  const dimensions = [
    { Name: 'TargetGroup', Value: metric.targetGroupFullName },
    { Name: 'LoadBalancer', Value: metric.loadBalancerFullName },
  ];
  return [
    {
      Id: id,
      MetricStat: {
        Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount', Dimensions: dimensions },
        Period: period,
        Stat: 'Sum',
      },
      Label: groupName,
      ReturnData: true,
    },
    {
      ...expressionInput(`${id}h`, 'AWS/ApplicationELB', 'HealthyHostCount', dimensions, period, 'Average'),
      ReturnData: true,
    },
  ];
}

/** The user's own metric, with the group name put into its dimension values. */
function customLoadQuery(
  id: string,
  groupName: string,
  period: number,
  metric: Extract<LoadMetricSpec, { kind: 'custom' }>,
): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: metric.namespace,
        MetricName: metric.metricName,
        Dimensions: Object.entries(metric.dimensions).map(([Name, Value]) => ({
          Name,
          Value: Value.replaceAll(GROUP_PLACEHOLDER, groupName),
        })),
      },
      Period: period,
      Stat: metric.stat,
    },
    Label: groupName,
    ReturnData: true,
  };
}
