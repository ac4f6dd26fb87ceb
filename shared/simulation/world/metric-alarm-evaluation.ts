import type { AlarmState } from './cloud-watch-alarms';
import { evaluateMetricMath, type MathSeries } from './evaluate-metric-math';

export type MissingDataTreatment = 'breaching' | 'notBreaching' | 'ignore' | 'missing';
export type AlarmComparison =
  | 'GreaterThanThreshold'
  | 'GreaterThanOrEqualToThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';
/** A statistic, or a percentile (`p50`: ExtendedStatistic, of the values published in the period). */
export type AlarmStatistic = 'Sum' | 'Maximum' | 'Minimum' | 'Average' | 'SampleCount' | `p${number}`;

/** A static-threshold metric alarm's rule, as PutMetricAlarm (and AWS::CloudWatch::Alarm) set it. */
export interface MetricAlarmRule {
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  /** M of an "M out of N" alarm; PutMetricAlarm's default is EvaluationPeriods. */
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly comparison: AlarmComparison;
  readonly statistic: AlarmStatistic;
  /** PutMetricAlarm's default is `missing`. */
  readonly treatMissingData: MissingDataTreatment;
}

/** One value CloudWatch holds for a metric, and from when an alarm can read it. */
export interface StoredDatapoint {
  readonly timestampMs: number;
  readonly value: number;
  /** When the datapoint became readable (log processing for EMF); its timestamp if not given. */
  readonly readableFromMs?: number;
}

const breaches = (rule: Pick<MetricAlarmRule, 'comparison' | 'threshold'>, value: number): boolean => {
  switch (rule.comparison) {
    case 'GreaterThanThreshold':
      return value > rule.threshold;
    case 'GreaterThanOrEqualToThreshold':
      return value >= rule.threshold;
    case 'LessThanThreshold':
      return value < rule.threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= rule.threshold;
  }
};

const judged = (
  rule: Pick<MetricAlarmRule, 'datapointsToAlarm'>,
  breaching: readonly boolean[],
): AlarmState => (breaching.filter(Boolean).length >= rule.datapointsToAlarm ? 'ALARM' : 'OK');

/**
 * The state an alarm takes from the values of its evaluation range (oldest first, `undefined`
 * for a period with no datapoint), as the CloudWatch User Guide ("How alarm state is evaluated
 * when data is missing") describes it: with at least EvaluationPeriods real datapoints in the
 * range, "CloudWatch evaluates the alarm state based on the most recent existing data points
 * that were successfully retrieved" and the missing-data setting "is ignored"; with fewer, it
 * "fills in the missing data points with the result you specified", but "any real data points in
 * the evaluation range, no matter when they were reported, are included" and "CloudWatch uses
 * missing data points only as few times as possible"; with none, `missing` gives
 * INSUFFICIENT_DATA, `ignore` keeps `current`. For `missing` and `ignore` with some but too few
 * real datapoints the guide's examples follow no stated rule (a lone breaching datapoint gives
 * ALARM when it is the oldest, INSUFFICIENT_DATA when it is the newest), so that case throws
 * rather than guess.
 */
export function alarmStateOf(
  range: readonly (number | undefined)[],
  rule: Omit<MetricAlarmRule, 'statistic'>,
  current: AlarmState,
): AlarmState {
  const real = range.filter((v): v is number => v !== undefined).map((v) => breaches(rule, v));
  const n = rule.evaluationPeriods;
  if (real.length >= n) return judged(rule, real.slice(-n));
  const treatment = rule.treatMissingData;
  if (treatment === 'breaching' || treatment === 'notBreaching')
    return judged(rule, [...Array<boolean>(n - real.length).fill(treatment === 'breaching'), ...real]);
  if (real.length === 0) return treatment === 'missing' ? 'INSUFFICIENT_DATA' : current;
  throw new RangeError(
    `treatMissingData '${treatment}' with ${real.length} of ${n} datapoints in the evaluation range: the CloudWatch User Guide gives no rule for it`,
  );
}

const aggregate = (statistic: AlarmStatistic, values: readonly number[]): number => {
  switch (statistic) {
    case 'Sum':
      return values.reduce((a, b) => a + b, 0);
    case 'Maximum':
      return Math.max(...values);
    case 'Minimum':
      return Math.min(...values);
    case 'Average':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'SampleCount':
      return values.length;
    default: {
      // Nearest rank, as the simulated metric store reads percentiles.
      const sorted = [...values].sort((a, b) => a - b);
      const q = Math.min(100, Number(statistic.slice(1))) / 100;
      return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
    }
  }
};

/**
 * The values of the `rangePeriods` complete periods before `nowMs` (oldest first), from the
 * datapoints readable at `nowMs`. The newest evaluated period is the last one ended: the alarm
 * state-change event the User Guide shows ("How partial data from a Metrics Insights query is
 * evaluated"), queried at 11:26:05 with a 60-second period, lists the datapoints of 11:23, 11:24
 * and 11:25.
 */
export function evaluationRangeValues(
  datapoints: readonly StoredDatapoint[],
  rule: Pick<MetricAlarmRule, 'periodSeconds' | 'statistic'>,
  nowMs: number,
  rangePeriods: number,
): (number | undefined)[] {
  const periodMs = rule.periodSeconds * 1000;
  const endMs = Math.floor(nowMs / periodMs) * periodMs;
  const readable = datapoints.filter((d) => (d.readableFromMs ?? d.timestampMs) <= nowMs);
  return Array.from({ length: rangePeriods }, (_, i) => {
    const startMs = endMs - (rangePeriods - i) * periodMs;
    const values = readable
      .filter((d) => d.timestampMs >= startMs && d.timestampMs < startMs + periodMs)
      .map((d) => d.value);
    return values.length ? aggregate(rule.statistic, values) : undefined;
  });
}

/** One metric a metric-math alarm reads: its id in the expression, its statistic, its datapoints. */
export interface MathAlarmInput {
  readonly id: string;
  readonly statistic: AlarmStatistic;
  readonly datapoints: readonly StoredDatapoint[];
}

/**
 * The values of a metric-math alarm's expression over the `rangePeriods` complete periods before
 * `nowMs` (oldest first, `undefined` where it has no datapoint): each input aggregated per period
 * by its statistic from what is readable at `nowMs` (`evaluationRangeValues`), then the expression
 * evaluated on those series (`evaluateMetricMath`: series combine where both have a datapoint;
 * FILL fills the range's periods without one).
 * @throws MetricMathError for an expression the simulation cannot evaluate.
 */
export function mathEvaluationRangeValues(
  expression: string,
  inputs: readonly MathAlarmInput[],
  periodSeconds: number,
  nowMs: number,
  rangePeriods: number,
): (number | undefined)[] {
  const periodMs = periodSeconds * 1000;
  const startOf = (i: number) => Math.floor(nowMs / periodMs) * periodMs - (rangePeriods - i) * periodMs;
  const series = new Map<string, MathSeries>();
  for (const { id, statistic, datapoints } of inputs) {
    const values = evaluationRangeValues(datapoints, { periodSeconds, statistic }, nowMs, rangePeriods);
    const periods = values.flatMap((v, i) => (v === undefined ? [] : [i]));
    series.set(id, { timestampsMs: periods.map(startOf), values: periods.map((i) => values[i] as number) });
  }
  const periodStartsMs = Array.from({ length: rangePeriods }, (_, i) => startOf(i));
  const result = evaluateMetricMath(expression, (id) => series.get(id), undefined, periodStartsMs);
  return Array.from({ length: rangePeriods }, (_, i) => {
    const at = result.timestampsMs.indexOf(startOf(i));
    return at < 0 ? undefined : result.values[at];
  });
}

/**
 * How many periods CloudWatch reads when it evaluates an alarm of `evaluationPeriods`. The
 * User Guide says only that it retrieves "a higher number of data points than specified by
 * Evaluation Periods" depending on the period and resolution; its examples read 5 periods for 3.
 * This keeps that ratio (two more); what an alarm built on it concludes is stated as resting on it.
 */
export const userGuideEvaluationRange = (evaluationPeriods: number): number => evaluationPeriods + 2;
