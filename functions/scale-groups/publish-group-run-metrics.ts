import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Observability } from '../../shared/aws/powertools';
import type { GroupRunResult } from '../../shared/usecases/scale-groups';
import type { LookAheadResult } from '../../shared/usecases/sync-look-ahead';

/**
 * The counts the loop-health alarms judge over consecutive intervals (LoopErrors, Throttling,
 * LaunchesFailing, LookAheadShort, LoadHistoryStale, NoLoadHistory), zero included, on every run. A count logged only when it is
 * not zero leaves the intervals without one missing, and CloudWatch then judges "the most recent
 * existing data points" of its evaluation range (User Guide, "How alarm state is evaluated when
 * data is missing"): bad intervals with good ones between them would fire an alarm meant for
 * intervals running (test/infra/loop-health-alarms.test.ts).
 */
function countIntervalHealth(metrics: Observability['metrics'], result: GroupRunResult): void {
  const failed = result.kind === 'failed';
  metrics.addMetric('GroupRunFailed', MetricUnit.Count, failed ? 1 : 0);
  const transient = failed && result.error.name === 'TransientDependencyError';
  metrics.addMetric('Throttled', MetricUnit.Count, transient ? 1 : 0);
  const ran = result.kind === 'ran' ? result : undefined;
  metrics.addMetric('LaunchFailures', MetricUnit.Count, ran?.launchFailures?.count ?? 0);
  // Fail-static health: a look-ahead shorter than configured, or not written, leaves less plan
  // to fall back on if Prescale stops now.
  const lookAhead = ran?.lookAhead;
  const short = (lookAhead?.kind === 'scheduled' && lookAhead.short) || lookAhead?.kind === 'failed';
  metrics.addMetric('LookAheadShort', MetricUnit.Count, short ? 1 : 0);
  // A group planning on load that stopped hours ago releases nothing until it is fresh again.
  metrics.addMetric('StaleHistory', MetricUnit.Count, ran?.staleHistory ? 1 : 0);
  // A group that never had load history plans nothing and writes no run record, which the
  // dispatcher's StaleGroups needs to see it: this count is the only signal of it.
  metrics.addMetric('NoHistory', MetricUnit.Count, result.kind === 'no-history' ? 1 : 0);
}

/**
 * Logs one group's run and counts it in the fleet metrics. With `groupMetrics: 'metrics'` it also
 * emits the group's values as metrics (dimension `GroupName`): forecast p50 and planned quantile,
 * planned and actual capacity, actual load and forecast error. Each is a custom metric billed per
 * group, so by default they go to the log line only (docs/COST.md).
 */
export function publishGroupRunMetrics(
  { logger, metrics }: Observability,
  result: GroupRunResult,
  groupMetrics: 'logs' | 'metrics',
): void {
  metrics.addMetric('GroupRuns', MetricUnit.Count, 1);
  countIntervalHealth(metrics, result);
  if (result.kind === 'failed') {
    logger.error('group run failed', {
      groupName: result.groupName,
      error: result.error,
      ...(result.lookAhead ? { lookAhead: loggedLookAhead(result.lookAhead) } : {}),
    });
    return;
  }
  if (result.kind === 'no-history') {
    // Every run of the group will skip until the cause is fixed: a warning, with the fix named.
    metrics.addMetric('Outcome_no-history', MetricUnit.Count, 1);
    logger.warn('group has no load history', {
      groupName: result.groupName,
      reason: result.reason,
      ...(result.lookAhead ? { lookAhead: loggedLookAhead(result.lookAhead) } : {}),
    });
    return;
  }
  if (result.kind !== 'ran') {
    metrics.addMetric(`Outcome_${result.kind}`, MetricUnit.Count, 1);
    logger.info('group run skipped', { groupName: result.groupName, kind: result.kind });
    return;
  }
  metrics.addMetric(`Outcome_${result.outcome.kind}`, MetricUnit.Count, 1);
  if (result.lowConfidence) metrics.addMetric('LowConfidenceForecasts', MetricUnit.Count, 1);
  // Every run that reached its group, zero included: without a datapoint from an interval that
  // fits, CloudWatch judges the last one that did not again (DemandAboveMaxSize is one interval).
  metrics.addMetric('DemandAboveMaxSize', MetricUnit.Count, result.demandAboveMax ? 1 : 0);
  // Capacity the plan asked for that Auto Scaling could not launch: a pre-warm that will not arrive.
  if (result.launchFailures) {
    logger.warn('launches failing', { groupName: result.groupName, ...result.launchFailures });
  }
  if (result.staleHistory) {
    const { newestStepEndMs, ageMinutes, reason } = result.staleHistory;
    logger.warn('load history stale', {
      groupName: result.groupName,
      newestStepEnd: new Date(newestStepEndMs).toISOString(),
      ageMinutes,
      reason,
    });
  }
  // Its forecast missed these upstreams' load (a hub past the batch's upstream cap): say which.
  if (result.upstreamsLeftOut) {
    const { groupNames, reason } = result.upstreamsLeftOut;
    logger.warn('upstream groups left out', {
      groupName: result.groupName,
      count: groupNames.length,
      groupNames,
      reason,
    });
  }
  // The run succeeded; only its claim was not marked done, and it runs out with its lease.
  if (result.claimNotCompleted !== undefined)
    logger.warn('run claim not marked done', {
      groupName: result.groupName,
      error: result.claimNotCompleted,
    });
  const lookAhead = result.lookAhead;
  if (lookAhead?.kind === 'failed')
    logger.warn('look-ahead not written', { groupName: result.groupName, error: lookAhead.error });
  if (result.forecastAbsError !== undefined && result.actualLoad !== undefined && result.actualLoad > 0) {
    // Fleet-wide accuracy without per-group cost: relative error of the recent medians.
    metrics.addMetric(
      'ForecastRelativeError',
      MetricUnit.Percent,
      (100 * result.forecastAbsError) / result.actualLoad,
    );
  }
  if (groupMetrics === 'metrics') emitGroupMetrics({ logger, metrics }, result);
  logGroupRun(logger, result);
}

/** The group's values as metrics, unless its name cannot be a dimension value (then a warning). */
function emitGroupMetrics(
  { logger, metrics }: Pick<Observability, 'logger' | 'metrics'>,
  result: Extract<GroupRunResult, { kind: 'ran' }>,
): void {
  if (isDimensionValue(result.groupName)) emitGroupValues(metrics, result);
  else
    logger.warn('group metrics not emitted', { groupName: result.groupName, reason: NOT_A_DIMENSION_VALUE });
}

const NOT_A_DIMENSION_VALUE =
  'a CloudWatch dimension value must be printable ASCII with a non-space character; the values are in the group run log line';

/**
 * Auto Scaling allows any Unicode in a group's name, CloudWatch does not in a dimension value:
 * "Dimension values must contain only ASCII characters and must include at least one
 * non-whitespace character. ASCII control characters are not supported" (API_Dimension, 1–1024
 * characters). Powertools only refuses empty values, so such a group's metrics would be lost.
 */
function isDimensionValue(value: string): boolean {
  return /^[\x20-\x7e]{1,1024}$/.test(value) && /\S/.test(value);
}

/** A run that reached the group, with the values it logs and may emit. */
type RanGroupRun = Extract<GroupRunResult, { kind: 'ran' }>;

/**
 * The group's own values as metrics with dimension `GroupName`, each billed per group. One single
 * metric per value: Powertools publishes a single metric on its `addMetric` and then clears its
 * dimensions, so values added to one instance after the first would lose `GroupName` and sum every
 * group into one series.
 */
function emitGroupValues(metrics: Observability['metrics'], result: RanGroupRun): void {
  const ofGroup = () => {
    const single = metrics.singleMetric();
    single.addDimension('GroupName', result.groupName);
    return single;
  };
  ofGroup().addMetric('ForecastP50', MetricUnit.Count, result.forecastMedianNow);
  ofGroup().addMetric('ForecastPlanned', MetricUnit.Count, result.forecastPlannedNow);
  ofGroup().addMetric('PlannedCapacity', MetricUnit.Count, result.plannedCapacity);
  ofGroup().addMetric('ActualCapacity', MetricUnit.Count, result.inServiceCapacity);
  if (result.actualLoad !== undefined) ofGroup().addMetric('ActualLoad', MetricUnit.Count, result.actualLoad);
  if (result.forecastAbsError !== undefined)
    ofGroup().addMetric('ForecastAbsError', MetricUnit.Count, result.forecastAbsError);
}

/** The look-ahead's result as logged: an error by its message. */
function loggedLookAhead(lookAhead: LookAheadResult): unknown {
  return lookAhead.kind === 'failed' ? { kind: 'failed', error: lookAhead.error.message } : lookAhead;
}

/** The log line carries every value, so dashboards can chart any group with Logs Insights. */
function logGroupRun(logger: Observability['logger'], result: RanGroupRun): void {
  const { lookAhead } = result;
  logger.info('group run', {
    groupName: result.groupName,
    outcome: result.outcome,
    models: result.models,
    forecastMedianNow: result.forecastMedianNow,
    forecastPlannedNow: result.forecastPlannedNow,
    plannedCapacity: result.plannedCapacity,
    inServiceCapacity: result.inServiceCapacity,
    actualLoad: result.actualLoad,
    forecastAbsError: result.forecastAbsError,
    planningQuantile: result.planningQuantile,
    quantileReason: result.quantileReason,
    leadTimeSeconds: result.leadTimeSeconds,
    lowConfidence: result.lowConfidence,
    demandAboveMax: result.demandAboveMax,
    lookAhead: lookAhead ? loggedLookAhead(lookAhead) : undefined,
    floorCheck: result.floorCheck,
    launchFailures: result.launchFailures,
    learnedLoadRatios: result.learnedLoadRatios,
  });
}
