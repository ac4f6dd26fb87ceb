import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../shared/contracts/env';
import {
  addDestinationDeliveryAlarm,
  addRuleDeadLetterDeliveryAlarm,
  addScheduleGroupDeadLetterDeliveryAlarm,
} from './dead-letter-delivery-alarms';
import { newDeadLettersMetric, newRedrivenDeadLettersMetric } from './dead-letter-queue';
import { addLoopHealthAlarms, type DashboardAlarmOptions } from './loop-health-alarms';
import { addOperationsWidgets } from './operations-widgets';
import { scheduleHeartbeatAlarm } from './schedule-heartbeat-alarm';
import type { ScheduledFunction } from './scheduled-function';
import {
  addInstanceTypeFailuresAlarm,
  addInstanceTypePricesFallbackAlarm,
  addMaintenanceUnservedAlarm,
  type ScheduledFunctionAlarmsProps,
} from './scheduled-function-alarms';

export interface OperationsDashboardProps {
  /** Log group of the scale-groups worker: its `group run` lines carry every per-group value. */
  readonly workerLogGroup: logs.ILogGroup;
  /**
   * Functions whose errors are alarmed on, and, for those with an on-failure destination, the
   * failures to write their failed invocations' records there.
   */
  readonly functions: readonly lambda.IFunction[];
  /** Where alarms notify. */
  readonly topic: sns.ITopic;
  /** Relative forecast error (percent, hourly average) above which accuracy counts as degraded. @default 35 */
  readonly forecastErrorAlarmPct?: number;
  /** The scaling loop's interval: "Prescale silent" fires after two of them. @default 5 */
  readonly scheduleRateMinutes?: number;
  /**
   * Where the worker puts each group's values (`groupMetrics`): with `metrics` the dashboard also
   * charts each group's metrics. @default 'logs'
   */
  readonly groupMetrics?: 'logs' | 'metrics';
}

/**
 * How long "Prescale silent" waits after it is created or updated before it judges: three loop
 * intervals, and at least ten minutes for the delay before a logged datapoint is readable.
 */
const silentWarmUpMinutes = (rateMinutes: number): number => Math.max(3 * rateMinutes, 10);

/**
 * Loop intervals running in which work items were dead-lettered before the alarm on a queue SQS
 * fills (`redrive`) fires: as many as LoopErrors waits for, since each failed group run lands
 * there too, and one throttled run should not page.
 */
const REDRIVEN_DEAD_LETTER_INTERVALS = 3;

/**
 * One dashboard per deployment and the alarms behind it. Per-group forecast bands, load and
 * capacity come from the worker's JSON log lines through Logs Insights, so they cost no custom
 * metrics (docs/COST.md); fleet counts, Lambda health, dead-letter queues and rolling-update
 * executions come from metrics. Every alarm notifies the SNS topic.
 */
export class OperationsDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly topic: sns.ITopic;
  /** The scaling loop's interval in minutes. */
  private readonly rateMinutes: number;
  /** How the alarms built beside this construct make and read theirs, as it does its own. */
  private readonly alarmMaker: ScheduledFunctionAlarmsProps = {
    alarmOn: (id, metric, options) => this.alarmOn(id, metric, options),
    fleetMetric: (metricName, statistic, period) => this.fleetMetric(metricName, statistic, period),
  };

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const errorPct = props.forecastErrorAlarmPct ?? 35;
    if (!(errorPct > 0 && errorPct < 1000)) {
      throw new Error(
        `OperationsDashboard ${id}: forecastErrorAlarmPct must be in (0, 1000), got ${errorPct}`,
      );
    }
    const rateMinutes = props.scheduleRateMinutes ?? 5;
    if (!Number.isInteger(rateMinutes) || rateMinutes < 1 || rateMinutes > 60) {
      throw new Error(`OperationsDashboard ${id}: scheduleRateMinutes must be 1–60, got ${rateMinutes}`);
    }
    this.topic = props.topic;
    this.rateMinutes = rateMinutes;
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(2),
    });
    addOperationsWidgets(this.dashboard, {
      logGroupNames: [props.workerLogGroup.logGroupName],
      functions: props.functions,
      root: this.node.scope ?? this,
      fleetMetric: (metricName, statistic, period) => this.fleetMetric(metricName, statistic, period),
      ...(props.groupMetrics === 'metrics'
        ? {
            groupMetricSearch: (metricName: string, label: string) =>
              this.groupMetricSearch(metricName, label),
          }
        : {}),
    });
    this.fleetAlarms(errorPct, rateMinutes);
    this.failStaticAlarms(rateMinutes);
    this.functionAlarms(props.functions, rateMinutes);
  }

  /**
   * A metric the functions publish, as this deployment's functions publish it: two deployments in
   * one account and region (staging beside production) each see their own, since CloudWatch tells
   * metrics apart by their whole dimension set (see `createObservability`).
   */
  private fleetMetric(
    metricName: string,
    statistic = 'Sum',
    period = Duration.minutes(5),
  ): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { service: SERVICE_NAME, deployment: Stack.of(this).stackName },
      statistic,
      period,
    });
  }

  /**
   * Every group's series of a per-group metric of this deployment, one line a group labelled with
   * its name: the worker publishes them with dimensions `service`, `deployment` and `GroupName`
   * (`publishGroupRunMetrics`), and a SEARCH schema matches only that exact dimension set.
   */
  private groupMetricSearch(metricName: string, label: string): cloudwatch.MathExpression {
    const schema = `{${METRICS_NAMESPACE},GroupName,deployment,service}`;
    const terms = `MetricName="${metricName}" deployment="${Stack.of(this).stackName}" service="${SERVICE_NAME}"`;
    return new cloudwatch.MathExpression({
      expression: `SEARCH('${schema} ${terms}', 'Average')`,
      usingMetrics: {},
      label: `\${PROP('Dim.GroupName')} ${label}`,
      period: Duration.minutes(5),
    });
  }

  private fleetAlarms(errorPct: number, rateMinutes: number): void {
    // The median of the runs' relative errors, not their mean: a near-idle group's ratio (an error
    // of 2 on a load of 0.5 is 400 %) would set off a mean alone, every night.
    this.alarmOn(
      'ForecastAccuracyDegraded',
      this.fleetMetric('ForecastRelativeError', 'p50', Duration.hours(1)),
      {
        threshold: errorPct,
        evaluationPeriods: 3,
        description: `The median run's forecast was off by more than ${errorPct} % for 3 hours.`,
        // Few runs an hour (one group, say) are fewer samples than CloudWatch otherwise evaluates a median on.
        evaluateLowSampleCountPercentile: 'evaluate',
      },
    );
    addLoopHealthAlarms({ ...this.alarmMaker, rateMinutes });
  }

  /**
   * A function's Errors has a datapoint only in periods with invocations, and CloudWatch judges the
   * newest periods that have one. With five-minute periods, a loop running every 15 minutes whose
   * every run fails (three attempts over three minutes) fills three of them in some evaluations and
   * two in others: the alarm went to ALARM and back at nearly every run, notifying each time, and
   * at 30 minutes and more it never fired (function-errors-alarm.test.ts). One period per loop
   * interval, and at least five minutes, holds each run's attempts.
   */
  private functionAlarms(functions: readonly lambda.IFunction[], rateMinutes: number): void {
    const periodMinutes = Math.max(5, rateMinutes);
    functions.forEach((fn, i) => {
      this.alarmOn(`FunctionErrors${i}`, fn.metricErrors({ period: Duration.minutes(periodMinutes) }), {
        threshold: 0,
        evaluationPeriods: 3,
        // The notification carries the description: it names the function to look at.
        description: `Prescale Lambda ${fn.functionName} failed in 3 ${periodMinutes}-minute periods running (periods without invocations skipped).`,
      });
      addDestinationDeliveryAlarm(this.alarmMaker.alarmOn, `DestinationDeliveryFailures${i}`, fn);
    });
  }

  /**
   * Fail-static health (docs/OPERATIONS.md, "When Prescale is down"): Prescale silent — a group's
   * last run older than two loop intervals, or the dispatcher's StaleGroups count missing for two
   * intervals (nothing runs at all); and a look-ahead shorter than configured, or not written, in
   * three consecutive intervals.
   */
  private failStaticAlarms(rateMinutes: number): void {
    const period = Duration.minutes(rateMinutes);
    const stale = this.fleetMetric('StaleGroups', 'Maximum', period);
    const silent = new cloudwatch.Alarm(this, 'PrescaleSilent', {
      metric: stale,
      threshold: 0,
      evaluationPeriods: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      // No datapoint at all means the dispatcher itself did not run.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      alarmDescription: `Prescale is silent: a group's last run is older than two intervals (${2 * rateMinutes} min), or the loop did not run at all. Groups follow their scheduled look-ahead meanwhile.`,
    });
    // Created before the dispatcher's first datapoint exists, the alarm would find only missing
    // (breaching) data and notify on every first deployment. It waits instead, in INSUFFICIENT_DATA
    // without actions (CloudWatch's warm-up period): by then a live loop has logged a datapoint,
    // with which two periods of two cannot both breach.
    (silent.node.defaultChild as cloudwatch.CfnAlarm).warmUpConfiguration = {
      warmUpPeriodDurationInMinutes: silentWarmUpMinutes(rateMinutes),
      onlyStartEvaluatingAfterWarmUpPeriodEnds: true,
    };
    silent.addAlarmAction(new actions.SnsAction(this.topic));
    this.alarms.push(silent);
    // A group taken out of Prescale keeps its raise until the dispatch gives it back; it retries each tick.
    this.alarmOn('GroupsNotGivenBack', this.fleetMetric('GroupsReleaseFailed', 'Maximum', period), {
      threshold: 0,
      evaluationPeriods: 3,
      description:
        "A group taken out of Prescale (no longer enrolled) could not be given back its own bounds in 3 loop intervals running, or the groups taken out could not be looked for: Prescale's MinSize, MaxSize raise or warm pool stays on it. The dispatcher's log line 'group taken out not given back yet' (or its takenOutSkipped) says why (docs/OPERATIONS.md, *Take one group out*).",
    });
    // Auto Scaling answers a name it does not know with nothing, no error, and StaleGroups counts
    // only the groups found: without this a misspelt or deleted group gets no run and no word.
    // Two intervals, so a group its owner deletes and creates again under its name does not page.
    this.alarmOn('NamedGroupsNotFound', this.fleetMetric('NamedGroupsNotFound', 'Maximum', period), {
      threshold: 0,
      evaluationPeriods: 2,
      description: `A group named in groups.names does not exist for Auto Scaling in 2 loop intervals running (${rateMinutes} min each): misspelt, deleted, or the stack deployed to another region. Prescale runs nothing for it. The dispatcher's log line 'named groups not found' names it.`,
    });
    this.alarmOn('LookAheadShort', this.fleetMetric('LookAheadShort', 'Sum', period), {
      threshold: 0,
      evaluationPeriods: 3,
      description:
        'The scheduled look-ahead of some group covers less than lookAhead.hours (scheduled-action quota, forecast horizon) or could not be written.',
    });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Fail-static health',
        left: [stale, this.fleetMetric('LookAheadShort', 'Sum', period)],
        width: 12,
      }),
    );
  }

  /**
   * Alarms on the messages arriving in a dead-letter queue, not on those it keeps (see
   * `newDeadLettersMetric`), and charts what it keeps. `filledBy` says how they arrive: sent by
   * Lambda, EventBridge or Scheduler (`senders`), each new one alarming; or moved there by SQS from
   * the scaling loop's work queue (`redrive`), one a failed group run, alarming when they arrive
   * in `REDRIVEN_DEAD_LETTER_INTERVALS` loop intervals running, as LoopErrors waits for (one
   * period per interval, and at least 5 minutes).
   */
  addDeadLetterQueue(label: string, queue: sqs.IQueue, filledBy: 'redrive' | 'senders' = 'senders'): void {
    if (filledBy === 'senders') {
      this.alarmOn(`DeadLetters${label}`, newDeadLettersMetric(queue), {
        threshold: 0,
        evaluationPeriods: 1,
        description: `New messages in the ${label} dead-letter queue: events or runs were rejected; each message carries its reason. Kept 14 days; each new one alarms again.`,
      });
    } else {
      const periodMinutes = Math.max(5, this.rateMinutes);
      const n = REDRIVEN_DEAD_LETTER_INTERVALS;
      this.alarmOn(
        `DeadLetters${label}`,
        newRedrivenDeadLettersMetric(queue, Duration.minutes(periodMinutes)),
        {
          threshold: 0,
          evaluationPeriods: n,
          description: `New messages in the ${label} dead-letter queue in ${n} ${periodMinutes}-minute periods running: work items were rejected (failed group runs, or batches the worker timed out on or was throttled for); each message carries its group and tick. Kept 14 days; messages left there do not hold the alarm, new ones in ${n} periods running alarm again.`,
        },
      );
    }
    this.chartDeadLetterQueue(label, queue);
  }

  /**
   * Alarms when EventBridge could not put an event the rule failed to deliver into its dead-letter
   * queue (`addRuleDeadLetterDeliveryAlarm`).
   */
  addRuleDeadLetterDelivery(label: string, rule: events.IRule, eventBus: events.IEventBus | 'default'): void {
    addRuleDeadLetterDeliveryAlarm(this.alarmMaker.alarmOn, label, rule, eventBus);
  }

  /**
   * Alarms when Scheduler could not send a failed invocation of the group's schedules to its
   * dead-letter queue (`addScheduleGroupDeadLetterDeliveryAlarm`).
   */
  addScheduleGroupDeadLetterDelivery(label: string, group: scheduler.IScheduleGroup, holds: string): void {
    addScheduleGroupDeadLetterDeliveryAlarm(this.alarmMaker.alarmOn, label, group, holds);
  }

  /** Alarms when instance-type selection failed for some group (`addInstanceTypeFailuresAlarm`). */
  addInstanceTypeFailures(scheduleRate: Duration): void {
    addInstanceTypeFailuresAlarm(this.alarmMaker, scheduleRate);
  }

  /**
   * Alarms when instance-type selection kept pricing on fallback prices
   * (`addInstanceTypePricesFallbackAlarm`).
   */
  addInstanceTypePricesFallback(scheduleRate: Duration): void {
    addInstanceTypePricesFallbackAlarm(this.alarmMaker, scheduleRate);
  }

  /**
   * Alarms when the maintenance scan left a group's scheduled events unserved
   * (`addMaintenanceUnservedAlarm`).
   */
  addMaintenanceUnserved(scheduleRate: Duration): void {
    addMaintenanceUnservedAlarm(this.alarmMaker, scheduleRate);
  }

  /**
   * A heartbeat alarm on an infrequent schedule, notifying the topic (`scheduleHeartbeatAlarm`).
   * @throws Error when the schedule's rate is not one CloudWatch takes for the alarm.
   */
  addScheduleHeartbeat(label: string, scheduled: ScheduledFunction): void {
    this.alarms.push(scheduleHeartbeatAlarm(this, label, scheduled, this.topic));
  }

  /** Charts a dead-letter queue whose alarm is its owner's (the campaign queue's). */
  chartDeadLetterQueue(label: string, queue: sqs.IQueue): void {
    const visible = queue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(5),
      statistic: 'Maximum',
    });
    this.dashboard.addWidgets(
      new cloudwatch.SingleValueWidget({ title: `Dead letters: ${label}`, metrics: [visible], width: 6 }),
    );
  }

  /**
   * Charts a workflow's executions and alarms on each way one ends unfinished. A stopped or
   * timed-out execution runs no Catch: nothing is rolled back or undone, the workflow notifies no
   * one, and the group or plan locks it held stay until they expire (the loop holds back a locked
   * group).
   * A stop also ends every child an update plan was waiting on.
   */
  addStateMachine(label: string, stateMachine: sfn.IStateMachine): void {
    const ofPeriod = { period: Duration.minutes(5), statistic: 'Sum' };
    const failed = stateMachine.metricFailed(ofPeriod);
    const aborted = stateMachine.metricAborted(ofPeriod);
    const timedOut = stateMachine.metricTimedOut(ofPeriod);
    this.alarmOn(`${label}Failed`, failed, {
      threshold: 0,
      evaluationPeriods: 1,
      description: `A ${label} execution ended in a Fail state (rolled back or undone, left a paused group's refresh to its operator, rolled out with a later step failed, or refused before changing anything); read its Error and Cause in the Step Functions console.`,
    });
    const unfinished = `ran no Catch: nothing was rolled back or undone (a rolling update's headroom included) and its locks stay until they expire (the loop holds back a group while its LOCK is held); read the execution's last state in the Step Functions console and finish or undo it by hand (docs/OPERATIONS.md).`;
    this.alarmOn(`${label}Aborted`, aborted, {
      threshold: 0,
      evaluationPeriods: 1,
      description: `A ${label} execution was stopped (StopExecution, or its update plan was stopped) and ${unfinished}`,
    });
    this.alarmOn(`${label}TimedOut`, timedOut, {
      threshold: 0,
      evaluationPeriods: 1,
      description: `A ${label} execution timed out and ${unfinished}`,
    });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: `${label} executions`,
        left: [stateMachine.metricStarted(), stateMachine.metricSucceeded(), failed, aborted, timedOut],
        width: 12,
      }),
    );
  }

  private alarmOn(id: string, metric: cloudwatch.IMetric, options: DashboardAlarmOptions): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      ...(options.evaluateLowSampleCountPercentile
        ? { evaluateLowSampleCountPercentile: options.evaluateLowSampleCountPercentile }
        : {}),
      threshold: options.threshold,
      evaluationPeriods: options.evaluationPeriods,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: options.description,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
