import { Duration, Fn, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../shared/contracts/env';
import { newDeadLettersMetric } from './dead-letter-queue';
import { addLoopHealthAlarms, type DashboardAlarmOptions } from './loop-health-alarms';
import { addOperationsWidgets } from './operations-widgets';
import { scheduleHeartbeatAlarm } from './schedule-heartbeat-alarm';
import type { ScheduledFunction } from './scheduled-function';

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
 * Schedule intervals running (days, on the daily schedule) whose every run priced on fallback
 * prices before InstanceTypesPricesFallback fires: a Pricing API outage or throttling of a day or
 * two passes, a refusal that lasts does not.
 */
const PRICES_FALLBACK_PERIODS = 3;

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
    addLoopHealthAlarms({
      alarmOn: (id, metric, options) => this.alarmOn(id, metric, options),
      fleetMetric: (metricName, statistic, period) => this.fleetMetric(metricName, statistic, period),
      rateMinutes,
    });
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
      if (hasOnFailureDestination(fn)) this.destinationDeliveryAlarm(`DestinationDeliveryFailures${i}`, fn);
    });
  }

  /**
   * Alarms when Lambda could not write the record of a failed asynchronous invocation to the
   * function's on-failure destination: "If Lambda can't send a record to a destination you have
   * configured, it sends a DestinationDeliveryFailures metric to Amazon CloudWatch" (Lambda
   * developer guide, capturing records of asynchronous invocations). The run is then lost, and the
   * queue's own alarm never hears of it. Lambda sends the metric only when it is not zero.
   */
  private destinationDeliveryAlarm(id: string, fn: lambda.IFunction): void {
    const failed = fn.metric('DestinationDeliveryFailures', {
      period: Duration.minutes(5),
      statistic: 'Sum',
    });
    this.alarmOn(id, failed, {
      threshold: 0,
      evaluationPeriods: 1,
      description: `Lambda could not write the record of a failed asynchronous invocation of ${fn.functionName} to its on-failure destination (DestinationDeliveryFailures: the queue deleted, its policy or key refusing the function's role, or the record too large): the invocation is lost, and no dead-letter alarm counts it. Fix the queue or the role's sqs:SendMessage, then redo the run (docs/OPERATIONS.md).`,
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
   * Alarms on a dead-letter queue's messages, and charts it. `filledBy` says how messages arrive:
   * moved there by SQS from a source queue (`redrive`), or sent by Lambda, EventBridge or
   * Scheduler (`senders`; see `newDeadLettersMetric`).
   */
  addDeadLetterQueue(label: string, queue: sqs.IQueue, filledBy: 'redrive' | 'senders' = 'senders'): void {
    const visible = queue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(5),
      statistic: 'Maximum',
    });
    this.alarmOn(`DeadLetters${label}`, filledBy === 'senders' ? newDeadLettersMetric(queue) : visible, {
      threshold: 0,
      evaluationPeriods: 1,
      description:
        filledBy === 'senders'
          ? `New messages in the ${label} dead-letter queue: events or runs were rejected; each message carries its reason. Kept 14 days; each new one alarms again.`
          : `The ${label} dead-letter queue is not empty: work items were rejected; each message carries its reason.`,
    });
    this.chartDeadLetterQueue(label, queue);
  }

  /**
   * Alarms when EventBridge could not put into the dead-letter queue of a rule's target an event
   * it failed to deliver (the queue gone, its policy or encryption refusing EventBridge, the event
   * too large): the event is lost, and the queue's own alarm never hears of it. Its successful
   * sends (`InvocationsSentToDlq`) are the messages the queue's alarm already counts.
   * "Metrics that specify only the RuleName dimension refer to the default event bus. Metrics that
   * specify both the EventBusName and RuleName dimensions refer to a custom event bus":
   * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-monitoring.html
   * The rule's name is read from its ARN (`…:rule/<bus>/<rule>` on a custom bus): its `Ref`, which
   * CDK's `ruleName` is, reads `<bus>|<rule>` there, a dimension value EventBridge never publishes.
   * On the default bus the ARN is `…:rule/<rule>` and the `Ref` is the rule's name.
   * @param eventBus - the rule's custom bus, or `'default'` for a rule on the account's default bus.
   */
  addRuleDeadLetterDelivery(label: string, rule: events.IRule, eventBus: events.IEventBus | 'default'): void {
    const failed = new cloudwatch.Metric({
      namespace: 'AWS/Events',
      metricName: 'InvocationsFailedToBeSentToDlq',
      dimensionsMap:
        eventBus === 'default'
          ? { RuleName: rule.ruleName }
          : {
              EventBusName: eventBus.eventBusName,
              RuleName: Fn.select(2, Fn.split('/', rule.ruleArn)),
            },
      statistic: 'Sum',
      period: Duration.minutes(5),
    });
    this.alarmOn(`DeadLetterQueueUnreachable${label}`, failed, {
      threshold: 0,
      evaluationPeriods: 1,
      description: `EventBridge could not put an event the ${label} rule failed to deliver into the rule's dead-letter queue (InvocationsFailedToBeSentToDlq: the queue deleted, its policy or encryption refusing EventBridge, or the event too large): the event is lost, and no dead-letter alarm counts it. Fix the queue, then have the event sent again.`,
    });
  }

  /**
   * Alarms when EventBridge Scheduler could not send a schedule's failed invocation to its
   * dead-letter queue: the run is lost, and the queue's own alarm never hears of it. Scheduler's
   * metrics have one dimension, the schedule group: an alarm on a group counts every schedule in it.
   * https://docs.aws.amazon.com/scheduler/latest/UserGuide/monitoring-cloudwatch.html
   * @param holds - what the group's schedules are, for the notification.
   */
  addScheduleGroupDeadLetterDelivery(label: string, group: scheduler.IScheduleGroup, holds: string): void {
    this.alarmOn(`DeadLetterQueueUnreachable${label}`, group.metricFailedToBeSentToDLQ(), {
      threshold: 0,
      evaluationPeriods: 1,
      description: `EventBridge Scheduler could not send a failed invocation of a schedule in the group ${group.scheduleGroupName} (${holds}) to its dead-letter queue (InvocationsFailedToBeSentToDeadLetterCount; the metric InvocationsFailedToBeSentToDeadLetterCount_<error code> beside it says why, e.g. AWS.SimpleQueueService.NonExistentQueue): the invocation is lost, and no dead-letter alarm counts it. Fix the queue or the schedule role's sqs:SendMessage.`,
    });
  }

  /**
   * Alarms when instance-type selection failed for some group (`InstanceTypes_failed`): the
   * selector counts each group's failure and returns normally, the other groups' results standing,
   * so no Lambda error, retry or dead letter reports it, and with `pricing.apply` a daily change
   * could fail every day unseen. One period per schedule interval, so each run's failures fall in
   * one; runs without a failure log no datapoint (missing, not breaching).
   * @param scheduleRate - how often the selection runs (its schedule's rate).
   */
  addInstanceTypeFailures(scheduleRate: Duration): void {
    this.alarmOn('InstanceTypesFailing', this.fleetMetric('InstanceTypes_failed', 'Sum', scheduleRate), {
      threshold: 0,
      evaluationPeriods: 1,
      description: `Instance-type selection failed for some group in the last ${scheduleRate.toHumanString()} (InstanceTypes_failed): its types were neither recommended nor changed, and with pricing.apply its daily change did not happen. The select-instance-types log's 'instance type selection failed' lines name the group and the error (a permission refused to the function's role, a launch template or image it cannot read, a price source that could not answer: prices.kind 'unavailable', the Pricing API throttled or refused with no cached and no static prices). A region no source can price (prices.kind 'unpriceable': GovCloud, China, ISO partitions) skips every group without alarming. Fix it, then invoke the function with {"groupNames": ["<group>"]} or let the next run decide (docs/pricing.md).`,
    });
  }

  /**
   * Alarms when instance-type selection priced on fallback prices (a stale cache or the static
   * file, `InstanceTypes_pricesFallback`, 1 per such run and 0 per fresh one) in every run of
   * `PRICES_FALLBACK_PERIODS` schedule intervals running: with the Pricing API refused for good (an
   * SCP, a permission boundary) every group is still `recommended`, none `failed`, so nothing else
   * reports that `pricing.apply` applies nothing. The period's Minimum, so a run on fresh prices
   * (an on-demand one included) clears it, and a day's outage does not fire it; runs without
   * prices log no datapoint (missing, not breaching: InstanceTypesFailing covers them).
   * @param scheduleRate - how often the selection runs (its schedule's rate).
   */
  addInstanceTypePricesFallback(scheduleRate: Duration): void {
    this.alarmOn(
      'InstanceTypesPricesFallback',
      this.fleetMetric('InstanceTypes_pricesFallback', 'Minimum', scheduleRate),
      {
        threshold: 0,
        evaluationPeriods: PRICES_FALLBACK_PERIODS,
        description: `Instance-type selection priced every run of the last ${PRICES_FALLBACK_PERIODS} periods of ${scheduleRate.toHumanString()} on fallback prices, a cached list older than pricing.refreshHours or the static price file (InstanceTypes_pricesFallback): the Pricing API did not answer, so every group is only recommended and with pricing.apply no change is applied. The select-instance-types result's prices.problems (and the 'instance types selected' log's priceSource) say why: usually pricing:GetProducts refused to the function's role (AccessDenied from an SCP or a permission boundary, say one denying pricing:* in the Pricing endpoint's region). Allow pricing:GetProducts, then invoke the function or let the next run decide (docs/OPERATIONS.md, docs/pricing.md).`,
      },
    );
  }

  /**
   * Alarms when the daily maintenance scan left an enrolled group's EC2 scheduled events unserved
   * (`MaintenanceGroupsUnserved`): a hold, protected instances under `Wait`, instances in Standby
   * or no usable version kept it from starting a refresh, so the instance meets its event (a
   * retirement) unless someone acts. The scan succeeds, so no Lambda error or dead letter reports
   * it. The scan logs the count on every run, zero included, and runs once a day: one period per
   * run, so each day's count stands for the whole day. A five-minute period would hold the count
   * in one period out of 288 and judge the rest missing: the alarm would go to ALARM and back to OK
   * (or INSUFFICIENT_DATA) minutes after each run, and a group skipped every day until its
   * instance retires would be a brief blip each morning. With a day's period it stays in ALARM
   * while the group stays unserved and returns to OK after the first run that serves it. Missing
   * data (a scan that did not run) is not breaching: its errors and dead letters have their own
   * alarms. The day's Maximum, not its Sum: a retried or on-demand scan the same day counts the
   * same groups again.
   * @param scheduleRate - how often the scan runs (its schedule's rate).
   */
  addMaintenanceUnserved(scheduleRate: Duration): void {
    this.alarmOn(
      'MaintenanceUnserved',
      this.fleetMetric('MaintenanceGroupsUnserved', 'Maximum', scheduleRate),
      {
        threshold: 0,
        evaluationPeriods: 1,
        description: `The scheduled-maintenance scan of the last ${scheduleRate.toHumanString()} found EC2 scheduled events (instance-retirement, reboots, system maintenance) on instances of some enrolled group that a refresh would replace, but started no refresh for it (MaintenanceGroupsUnserved): a hold (kill switch, pause, forecast-only mode, dryRun, an instance refresh no rolling update of this workflow runs), instances protected from scale in under scaleInProtectedInstances Wait or in Standby, or no usable launch template version (not counted: a group a rolling update is running for, held by its refresh or not, and one another Prescale deployment manages). The scan's 'scheduled maintenance left unserved' warnings name each group, its first event's time and code, and the reason. Lift the hold, or replace the instance yourself before the event (docs/rolling-updates.md).`,
      },
    );
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

/** Whether `fn` is configured (configureAsyncInvoke) to send its failed asynchronous invocations somewhere. */
function hasOnFailureDestination(fn: lambda.IFunction): boolean {
  return fn.node.findAll().some((construct) => {
    if (!(construct instanceof lambda.CfnEventInvokeConfig)) return false;
    const destinations = construct.destinationConfig as
      | lambda.CfnEventInvokeConfig.DestinationConfigProperty
      | undefined;
    return destinations?.onFailure !== undefined;
  });
}
