import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Observability } from '../../shared/aws/powertools';
import type { GroupRunResult } from '../../shared/usecases/scale-groups';

/**
 * Logs one group's run and emits its metrics (dimension `GroupName`): forecast p50 and planned
 * quantile, planned and actual capacity, actual load and forecast error, and an outcome count.
 */
export function publishGroupRunMetrics({ logger, metrics }: Observability, result: GroupRunResult): void {
  if (result.kind === 'failed') {
    logger.error('group run failed', { groupName: result.groupName, error: result.error });
    metrics.addMetric('GroupRunFailed', MetricUnit.Count, 1);
    if (result.error.name === 'TransientDependencyError') metrics.addMetric('Throttled', MetricUnit.Count, 1);
    return;
  }
  if (result.kind !== 'ran') {
    logger.info('group run skipped', { groupName: result.groupName, kind: result.kind });
    return;
  }
  const single = metrics.singleMetric();
  single.addDimension('GroupName', result.groupName);
  single.addMetric('ForecastP50', MetricUnit.Count, result.forecastMedianNow);
  single.addMetric('ForecastPlanned', MetricUnit.Count, result.forecastPlannedNow);
  single.addMetric('PlannedCapacity', MetricUnit.Count, result.plannedCapacity);
  single.addMetric('ActualCapacity', MetricUnit.Count, result.inServiceCapacity);
  single.addMetric('PlanningQuantile', MetricUnit.Percent, result.planningQuantile * 100);
  if (result.actualLoad !== undefined) single.addMetric('ActualLoad', MetricUnit.Count, result.actualLoad);
  if (result.forecastAbsError !== undefined)
    single.addMetric('ForecastAbsError', MetricUnit.Count, result.forecastAbsError);
  single.addMetric(`Outcome_${result.outcome.kind}`, MetricUnit.Count, 1);
  logger.info('group run', {
    groupName: result.groupName,
    outcome: result.outcome,
    models: result.models,
    planningQuantile: result.planningQuantile,
    quantileReason: result.quantileReason,
    leadTimeSeconds: result.leadTimeSeconds,
    lowConfidence: result.lowConfidence,
  });
}
