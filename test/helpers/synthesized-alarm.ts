import type { Template } from 'aws-cdk-lib/assertions';
import type { ExtractedMetric } from '../../shared/simulation/world/embedded-metric-format';
import type { MetricAlarmRule } from '../../shared/simulation/world/metric-alarm-evaluation';
import type { MetricId } from '../../shared/simulation/world/metric-store';

/** A synthesized static-threshold alarm: the metric it watches and its rule. */
export interface SynthesizedAlarm {
  readonly logicalId: string;
  readonly metric: MetricId;
  readonly rule: MetricAlarmRule;
}

/**
 * The template's one alarm on `metricName`, read as CloudWatch reads AWS::CloudWatch::Alarm:
 * DatapointsToAlarm defaults to EvaluationPeriods and TreatMissingData to `missing` (the
 * PutMetricAlarm reference). Metric-math, percentile and anomaly alarms are not modelled: throws.
 */
export function synthesizedAlarmOn(template: Template, metricName: string): SynthesizedAlarm {
  const found = Object.entries(
    template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: metricName } }),
  );
  if (found.length !== 1) throw new Error(`${found.length} alarms on ${metricName}, expected one`);
  const [logicalId, resource] = found[0] as [string, { Properties: Record<string, unknown> }];
  const p = resource.Properties;
  if (p.Metrics || p.ExtendedStatistic || p.ThresholdMetricId)
    throw new Error(`${logicalId}: only static-threshold alarms on a statistic are modelled`);
  const dimensions = (p.Dimensions ?? []) as { Name: string; Value: unknown }[];
  if (dimensions.some((d) => typeof d.Value !== 'string'))
    throw new Error(`${logicalId}: a dimension value is not a literal string`);
  return {
    logicalId,
    metric: {
      namespace: p.Namespace as string,
      metricName,
      dimensions: Object.fromEntries(dimensions.map((d) => [d.Name, d.Value as string])),
    },
    rule: {
      periodSeconds: p.Period as number,
      evaluationPeriods: p.EvaluationPeriods as number,
      datapointsToAlarm: (p.DatapointsToAlarm ?? p.EvaluationPeriods) as number,
      threshold: p.Threshold as number,
      comparison: p.ComparisonOperator as MetricAlarmRule['comparison'],
      statistic: p.Statistic as MetricAlarmRule['statistic'],
      treatMissingData: (p.TreatMissingData ?? 'missing') as MetricAlarmRule['treatMissingData'],
    },
  };
}

/**
 * Whether an extracted metric is the one the alarm watches: CloudWatch treats each combination
 * of dimensions as its own metric, so the dimensions must be exactly the alarm's.
 */
export function isWatchedBy(alarm: SynthesizedAlarm, metric: ExtractedMetric): boolean {
  const want = Object.entries(alarm.metric.dimensions).sort();
  const have = Object.entries(metric.dimensions).sort();
  return (
    metric.namespace === alarm.metric.namespace &&
    metric.metricName === alarm.metric.metricName &&
    JSON.stringify(want) === JSON.stringify(have)
  );
}
