import type { Template } from 'aws-cdk-lib/assertions';
import type { AlarmState } from '../../shared/simulation/world/cloud-watch-alarms';
import type { ExtractedMetric } from '../../shared/simulation/world/embedded-metric-format';
import {
  type AlarmStatistic,
  alarmStateOf,
  evaluationRangeValues,
  type MathAlarmInput,
  type MetricAlarmRule,
  mathEvaluationRangeValues,
  type StoredDatapoint,
} from '../../shared/simulation/world/metric-alarm-evaluation';
import type { MetricId } from '../../shared/simulation/world/metric-store';

/** A synthesized static-threshold alarm: the metric it watches and its rule. */
export interface SynthesizedAlarm {
  readonly logicalId: string;
  readonly metric: MetricId;
  readonly rule: MetricAlarmRule;
  /** Its warm-up after creation (WarmUpConfiguration), waited in full; 0 without one. */
  readonly warmUpMs: number;
}

/** The template's one alarm on `metricName` (see `synthesizedAlarm`). */
export function synthesizedAlarmOn(template: Template, metricName: string): SynthesizedAlarm {
  const found = Object.keys(
    template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: metricName } }),
  );
  if (found.length !== 1) throw new Error(`${found.length} alarms on ${metricName}, expected one`);
  return synthesizedAlarm(template, found[0] as string);
}

/**
 * The template's alarm `logicalId`, read as CloudWatch reads AWS::CloudWatch::Alarm:
 * DatapointsToAlarm defaults to EvaluationPeriods and TreatMissingData to `missing` (the
 * PutMetricAlarm reference). A dimension value that is not a literal (a `Ref` to a function) is
 * kept as its JSON. Metric-math, percentile and anomaly alarms are not modelled: throws.
 */
export function synthesizedAlarm(template: Template, logicalId: string): SynthesizedAlarm {
  const resource = template.findResources('AWS::CloudWatch::Alarm')[logicalId] as
    | { Properties: Record<string, unknown> }
    | undefined;
  if (!resource) throw new Error(`no alarm ${logicalId} in the template`);
  const p = resource.Properties;
  if (
    p.Metrics ||
    p.ThresholdMetricId ||
    (p.ExtendedStatistic && !/^p\d+(\.\d+)?$/.test(String(p.ExtendedStatistic)))
  )
    throw new Error(`${logicalId}: only static-threshold alarms on a statistic or a percentile are modelled`);
  // A percentile with few samples keeps the alarm's state unless told to evaluate them.
  if (p.ExtendedStatistic && p.EvaluateLowSampleCountPercentile !== 'evaluate')
    throw new Error(`${logicalId}: a percentile alarm that ignores low sample counts is not modelled`);
  const dimensions = (p.Dimensions ?? []) as { Name: string; Value: unknown }[];
  const warmUp = p.WarmUpConfiguration as
    | { WarmUpPeriodDurationInMinutes: number; OnlyStartEvaluatingAfterWarmUpPeriodEnds?: boolean }
    | undefined;
  // Ended early, warm-up lasts until "enough data fills its evaluation window", which is not modelled.
  if (warmUp && warmUp.OnlyStartEvaluatingAfterWarmUpPeriodEnds !== true)
    throw new Error(`${logicalId}: only a warm-up waited in full is modelled`);
  return {
    logicalId,
    metric: {
      namespace: p.Namespace as string,
      metricName: p.MetricName as string,
      dimensions: Object.fromEntries(
        dimensions.map((d) => [d.Name, typeof d.Value === 'string' ? d.Value : JSON.stringify(d.Value)]),
      ),
    },
    rule: {
      periodSeconds: p.Period as number,
      evaluationPeriods: p.EvaluationPeriods as number,
      datapointsToAlarm: (p.DatapointsToAlarm ?? p.EvaluationPeriods) as number,
      threshold: p.Threshold as number,
      comparison: p.ComparisonOperator as MetricAlarmRule['comparison'],
      statistic: (p.Statistic ?? p.ExtendedStatistic) as MetricAlarmRule['statistic'],
      treatMissingData: (p.TreatMissingData ?? 'missing') as MetricAlarmRule['treatMissingData'],
    },
    warmUpMs: (warmUp?.WarmUpPeriodDurationInMinutes ?? 0) * 60_000,
  };
}

/** A synthesized alarm on a metric-math expression of metrics (each read by a MetricStat). */
export interface SynthesizedMathAlarm {
  readonly logicalId: string;
  readonly expression: string;
  /** Each metric the expression reads, by its id, with its statistic. */
  readonly inputs: readonly {
    readonly id: string;
    readonly metric: MetricId;
    readonly statistic: AlarmStatistic;
  }[];
  readonly rule: Omit<MetricAlarmRule, 'statistic'>;
}

/**
 * The template's one metric-math alarm that reads `metricName`, read as CloudWatch reads
 * AWS::CloudWatch::Alarm (defaults as `synthesizedAlarm`). Only an alarm with one expression
 * (ReturnData) over metrics of one period, without a warm-up, is modelled: anything else throws.
 */
export function synthesizedMathAlarmReading(template: Template, metricName: string): SynthesizedMathAlarm {
  const found = Object.entries(template.findResources('AWS::CloudWatch::Alarm')).filter(([, r]) =>
    ((r.Properties.Metrics ?? []) as MetricDataQuery[]).some(
      (q) => q.MetricStat?.Metric.MetricName === metricName,
    ),
  );
  if (found.length !== 1)
    throw new Error(`${found.length} metric-math alarms read ${metricName}, expected one`);
  const [logicalId, resource] = found[0] as [string, { Properties: Record<string, unknown> }];
  const p = resource.Properties;
  const queries = p.Metrics as MetricDataQuery[];
  const [expression, ...others] = queries.filter((q) => q.Expression !== undefined);
  const stats = queries.flatMap((q) => (q.MetricStat ? [q.MetricStat] : []));
  const periods = new Set(stats.map((stat) => stat.Period));
  if (!expression?.ReturnData || others.length > 0 || periods.size !== 1 || p.WarmUpConfiguration)
    throw new Error(`${logicalId}: only one returned expression over metrics of one period is modelled`);
  return {
    logicalId,
    expression: expression.Expression as string,
    inputs: queries.flatMap((q) =>
      q.MetricStat
        ? [
            {
              id: q.Id,
              metric: metricIdOf(q.MetricStat.Metric),
              statistic: q.MetricStat.Stat as AlarmStatistic,
            },
          ]
        : [],
    ),
    rule: {
      periodSeconds: [...periods][0] as number,
      evaluationPeriods: p.EvaluationPeriods as number,
      datapointsToAlarm: (p.DatapointsToAlarm ?? p.EvaluationPeriods) as number,
      threshold: p.Threshold as number,
      comparison: p.ComparisonOperator as MetricAlarmRule['comparison'],
      treatMissingData: (p.TreatMissingData ?? 'missing') as MetricAlarmRule['treatMissingData'],
    },
  };
}

/** A MetricDataQuery of AWS::CloudWatch::Alarm's `Metrics`, as the template holds it. */
interface MetricDataQuery {
  readonly Id: string;
  readonly Expression?: string;
  readonly ReturnData?: boolean;
  readonly MetricStat?: {
    readonly Metric: {
      Namespace: string;
      MetricName: string;
      Dimensions?: { Name: string; Value: unknown }[];
    };
    readonly Period: number;
    readonly Stat: string;
  };
}

/** A template metric as a MetricId: a dimension value that is not a literal is kept as its JSON. */
function metricIdOf(metric: NonNullable<MetricDataQuery['MetricStat']>['Metric']): MetricId {
  return {
    namespace: metric.Namespace,
    metricName: metric.MetricName,
    dimensions: Object.fromEntries(
      (metric.Dimensions ?? []).map((d) => [
        d.Name,
        typeof d.Value === 'string' ? d.Value : JSON.stringify(d.Value),
      ]),
    ),
  };
}

/**
 * Whether an extracted metric is the one the alarm watches: CloudWatch treats each combination
 * of dimensions as its own metric, so the dimensions must be exactly the alarm's.
 */
export function isWatchedBy(alarm: Pick<SynthesizedAlarm, 'metric'>, metric: ExtractedMetric): boolean {
  const want = Object.entries(alarm.metric.dimensions).sort();
  const have = Object.entries(metric.dimensions).sort();
  return (
    metric.namespace === alarm.metric.namespace &&
    metric.metricName === alarm.metric.metricName &&
    JSON.stringify(want) === JSON.stringify(have)
  );
}

/** When an alarm changed state, and to what. */
export interface AlarmStateChange {
  readonly atMs: number;
  readonly state: AlarmState;
}

/**
 * The alarm's state changes when CloudWatch evaluates it every minute (at `evaluationOffsetMs`
 * past each minute) from its creation at `createdMs` until `untilMs`: INSUFFICIENT_DATA at
 * creation, as PutMetricAlarm sets it, and through its warm-up, then the User Guide's rule over
 * an evaluation range of `rangePeriods`.
 */
export function alarmStateChanges(
  points: readonly StoredDatapoint[],
  alarm: SynthesizedAlarm,
  window: EvaluationWindow,
): AlarmStateChange[] {
  return stateChanges(
    (at) => evaluationRangeValues(points, alarm.rule, at, window.rangePeriods),
    alarm.rule,
    alarm.warmUpMs,
    window,
  );
}

/** `alarmStateChanges` for a metric-math alarm, on the datapoints of each metric it reads, by id. */
export function mathAlarmStateChanges(
  pointsById: Readonly<Record<string, readonly StoredDatapoint[]>>,
  alarm: SynthesizedMathAlarm,
  window: EvaluationWindow,
): AlarmStateChange[] {
  const inputs: MathAlarmInput[] = alarm.inputs.map(({ id, statistic }) => ({
    id,
    statistic,
    datapoints: pointsById[id] ?? [],
  }));
  return stateChanges(
    (at) =>
      mathEvaluationRangeValues(alarm.expression, inputs, alarm.rule.periodSeconds, at, window.rangePeriods),
    alarm.rule,
    0,
    window,
  );
}

/** From its creation until when the alarm is evaluated, with how many periods each evaluation reads. */
interface EvaluationWindow {
  readonly createdMs: number;
  readonly untilMs: number;
  readonly rangePeriods: number;
  readonly evaluationOffsetMs: number;
}

function stateChanges(
  rangeAt: (atMs: number) => (number | undefined)[],
  rule: Omit<MetricAlarmRule, 'statistic'>,
  warmUpMs: number,
  window: EvaluationWindow,
): AlarmStateChange[] {
  const changes: AlarmStateChange[] = [];
  let state: AlarmState = 'INSUFFICIENT_DATA';
  const firstMs = Math.ceil(window.createdMs / 60_000) * 60_000 + window.evaluationOffsetMs;
  for (let at = firstMs; at < window.untilMs; at += 60_000) {
    if (at < window.createdMs + warmUpMs) continue;
    const next = alarmStateOf(rangeAt(at), rule, state);
    if (next !== state) changes.push({ atMs: at, state: next });
    state = next;
  }
  return changes;
}
