import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { ScheduledFunction } from './scheduled-function';

/**
 * A heartbeat's warm-up beyond one schedule interval: the schedule created after the alarm in the
 * same deployment, and the delay before Lambda's datapoint is readable.
 */
const HEARTBEAT_WARM_UP_MARGIN_MINUTES = 60;
/** WarmUpConfiguration's `WarmUpPeriodDurationInMinutes`: "Minimum value of 1. Maximum value of 2880." */
const MAX_WARM_UP_MINUTES = 2880;

/**
 * A heartbeat's period in minutes: the schedule's rate, refused where CloudWatch would refuse the
 * alarm. Within the warm-up's bound, two periods (at most 2 × 2,820 minutes) also stay within
 * PutMetricAlarm's "Period multiplied by EvaluationPeriods can't be more than 604,800 seconds".
 */
function heartbeatRateMinutes(label: string, rate: Duration): number {
  const rateMinutes = rate.toSeconds() / 60;
  const problem = !Number.isInteger(rateMinutes)
    ? 'a whole number of minutes (an alarm period is a multiple of 60 s)'
    : rateMinutes + HEARTBEAT_WARM_UP_MARGIN_MINUTES > MAX_WARM_UP_MINUTES
      ? `at most ${MAX_WARM_UP_MINUTES - HEARTBEAT_WARM_UP_MARGIN_MINUTES} minutes (its warm-up, one rate and ${HEARTBEAT_WARM_UP_MARGIN_MINUTES} minutes, within CloudWatch's ${MAX_WARM_UP_MINUTES})`
      : undefined;
  if (problem)
    throw new Error(
      `OperationsDashboard addScheduleHeartbeat ${label}: the schedule's rate must be ${problem}, got ${rate.toHumanString()}`,
    );
  return rateMinutes;
}

/**
 * A heartbeat for an infrequent schedule (the daily instance-type selection and maintenance
 * scan): alarms when its function was not invoked in two schedule periods running, so a
 * schedule disabled, its role's permission removed or its group deleted does not go unheard.
 * Nothing else would tell: no run means no error, no dead letter and no count. The scaling
 * loop's schedule has PrescaleSilent instead.
 *
 * One period per schedule interval (each holds one run), `Invocations` Sum below 1 in 2 of 2.
 * Lambda sends `Invocations` only when it is not zero, so a period without a run has no
 * datapoint at all: missing data is breaching. CloudWatch judges the newest real datapoints of
 * an evaluation range longer than the two periods when there are enough of them (see "When
 * PrescaleSilent fires", docs/OPERATIONS.md): the alarm fires once no run is left in that range,
 * at least two periods after the last one. An on-demand invocation counts as a run.
 *
 * Created before the schedule's first run has a datapoint (a rate schedule without a start date
 * runs when it is created; its period's sum is readable when the period ends), the alarm would
 * find only breaching data and notify on every first deployment: it waits one interval and an
 * hour, in INSUFFICIENT_DATA without actions (CloudWatch's warm-up period).
 * @throws Error when the schedule's rate is not a whole number of minutes (an alarm's period is
 *   a multiple of 60 s), or when its warm-up would exceed CloudWatch's 2,880 minutes
 *   (WarmUpConfiguration).
 */
export function scheduleHeartbeatAlarm(
  scope: Construct,
  label: string,
  scheduled: ScheduledFunction,
  topic: sns.ITopic,
): cloudwatch.Alarm {
  const rateMinutes = heartbeatRateMinutes(label, scheduled.rate);
  const periods = 2;
  const schedule = scheduled.schedule;
  const group = schedule.scheduleGroup?.scheduleGroupName ?? 'default';
  const alarm = new cloudwatch.Alarm(scope, `${label}ScheduleSilent`, {
    metric: scheduled.function.metricInvocations({
      period: Duration.minutes(rateMinutes),
      statistic: 'Sum',
    }),
    threshold: 1,
    evaluationPeriods: periods,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    alarmDescription: `The schedule ${schedule.scheduleName} (group ${group}; every ${scheduled.rate.toHumanString()}) has not invoked ${scheduled.function.functionName} for at least ${periods} of its periods (its Invocations missing). Check the schedule's State (ENABLED) in the EventBridge Scheduler console, that its role ${scheduled.role.roleName} still allows lambda:InvokeFunction and trusts scheduler.amazonaws.com, and that the schedule group ${group} exists; then invoke the function by hand for the missed run (docs/OPERATIONS.md).`,
  });
  (alarm.node.defaultChild as cloudwatch.CfnAlarm).warmUpConfiguration = {
    warmUpPeriodDurationInMinutes: rateMinutes + HEARTBEAT_WARM_UP_MARGIN_MINUTES,
    onlyStartEvaluatingAfterWarmUpPeriodEnds: true,
  };
  alarm.addAlarmAction(new actions.SnsAction(topic));
  return alarm;
}
