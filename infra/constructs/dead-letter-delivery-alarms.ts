import { Duration, Fn } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type { LoopHealthAlarmsProps } from './loop-health-alarms';

/** Creates an alarm under the dashboard that notifies its topic (`OperationsDashboard.alarmOn`). */
type AlarmOn = LoopHealthAlarmsProps['alarmOn'];

/**
 * Alarms when Lambda could not write the record of a failed asynchronous invocation to the
 * function's on-failure destination: "If Lambda can't send a record to a destination you have
 * configured, it sends a DestinationDeliveryFailures metric to Amazon CloudWatch" (Lambda
 * developer guide, capturing records of asynchronous invocations). The run is then lost, and the
 * queue's own alarm never hears of it. Lambda sends the metric only when it is not zero.
 * Functions without an on-failure destination get none.
 */
export function addDestinationDeliveryAlarm(alarmOn: AlarmOn, id: string, fn: lambda.IFunction): void {
  if (!hasOnFailureDestination(fn)) return;
  const failed = fn.metric('DestinationDeliveryFailures', {
    period: Duration.minutes(5),
    statistic: 'Sum',
  });
  alarmOn(id, failed, {
    threshold: 0,
    evaluationPeriods: 1,
    description: `Lambda could not write the record of a failed asynchronous invocation of ${fn.functionName} to its on-failure destination (DestinationDeliveryFailures: the queue deleted, its policy or key refusing the function's role, or the record too large): the invocation is lost, and no dead-letter alarm counts it. Fix the queue or the role's sqs:SendMessage, then redo the run (docs/OPERATIONS.md).`,
  });
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
export function addRuleDeadLetterDeliveryAlarm(
  alarmOn: AlarmOn,
  label: string,
  rule: events.IRule,
  eventBus: events.IEventBus | 'default',
): void {
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
  alarmOn(`DeadLetterQueueUnreachable${label}`, failed, {
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
export function addScheduleGroupDeadLetterDeliveryAlarm(
  alarmOn: AlarmOn,
  label: string,
  group: scheduler.IScheduleGroup,
  holds: string,
): void {
  alarmOn(`DeadLetterQueueUnreachable${label}`, group.metricFailedToBeSentToDLQ(), {
    threshold: 0,
    evaluationPeriods: 1,
    description: `EventBridge Scheduler could not send a failed invocation of a schedule in the group ${group.scheduleGroupName} (${holds}) to its dead-letter queue (InvocationsFailedToBeSentToDeadLetterCount; the metric InvocationsFailedToBeSentToDeadLetterCount_<error code> beside it says why, e.g. AWS.SimpleQueueService.NonExistentQueue): the invocation is lost, and no dead-letter alarm counts it. Fix the queue or the schedule role's sqs:SendMessage.`,
  });
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
