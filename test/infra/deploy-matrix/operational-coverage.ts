/**
 * What an operator would never hear of, read from a synthesized template: dead-letter queues
 * without an alarm, functions whose failures nobody is told of, and events a function fails on
 * that would be dropped. Each returns the offending logical IDs (empty: covered).
 */
import {
  type CfnTemplate,
  physicalName,
  resolveIntrinsics,
  TEST_ACCOUNT,
} from '../../../shared/simulation/aws-checks/resolve-intrinsics';

/** The dimensions (as JSON) of the alarms on `namespace`/`metricName` that notify an SNS topic. */
function alarmedDimensions(template: CfnTemplate, namespace: string, metricName: string): string[] {
  type Watched = { Namespace?: unknown; MetricName?: unknown; Dimensions?: unknown };
  return Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::CloudWatch::Alarm')
    .filter((r) => JSON.stringify(r.Properties?.AlarmActions ?? []).includes('Topic'))
    .flatMap((r): Watched[] => [
      r.Properties as Watched,
      // A metric-math alarm watches each metric its expression reads.
      ...((r.Properties?.Metrics ?? []) as { MetricStat?: { Metric: Watched } }[]).flatMap((q) =>
        q.MetricStat ? [q.MetricStat.Metric] : [],
      ),
    ])
    .filter((m) => m.Namespace === namespace && m.MetricName === metricName)
    .map((m) => JSON.stringify(m.Dimensions));
}

const withoutAlarm = (ids: readonly string[], alarmed: readonly string[]) =>
  ids.filter((id) => !alarmed.some((dimensions) => dimensions.includes(`"${id}"`)));

const idsOfType = (template: CfnTemplate, type: string) =>
  Object.entries(template.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([id]) => id);

/**
 * Queues nothing consumes (no event source mapping reads them: the dead-letter queues) without
 * the alarm their filling needs: one SQS moves messages into (a queue's redrive target) on its
 * visible messages (their rise), since NumberOfMessagesSent does not count such moves; one Lambda, EventBridge
 * or Scheduler send to on the messages sent, so each new one alarms again.
 */
export function unalarmedQueues(template: CfnTemplate): string[] {
  const resources = Object.values(template.Resources);
  const consumed = new Set(
    resources
      .filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping')
      .map((r) => JSON.stringify(r.Properties?.EventSourceArn)),
  );
  const redriveTargets = JSON.stringify(
    resources.filter((r) => r.Type === 'AWS::SQS::Queue').map((r) => r.Properties?.RedrivePolicy ?? null),
  );
  const deadLetterQueues = idsOfType(template, 'AWS::SQS::Queue').filter(
    (id) => !consumed.has(JSON.stringify({ 'Fn::GetAtt': [id, 'Arn'] })),
  );
  const movedInto = deadLetterQueues.filter((id) => redriveTargets.includes(`"${id}"`));
  return [
    ...withoutAlarm(movedInto, alarmedDimensions(template, 'AWS/SQS', 'ApproximateNumberOfMessagesVisible')),
    ...withoutAlarm(
      deadLetterQueues.filter((id) => !movedInto.includes(id)),
      alarmedDimensions(template, 'AWS/SQS', 'NumberOfMessagesSent'),
    ),
  ];
}

/**
 * Functions without an `Errors` alarm. The look-ahead cleanup and CDK's provider run only while
 * the stack is deleted, where CloudFormation reports their failure.
 */
export function functionsWithoutErrorAlarm(template: CfnTemplate): string[] {
  const functions = idsOfType(template, 'AWS::Lambda::Function').filter(
    (id) => !id.includes('LookAheadCleanup'),
  );
  return withoutAlarm(functions, alarmedDimensions(template, 'AWS/Lambda', 'Errors'));
}

/**
 * EventBridge rule targets (`<rule>/<target id>`) without a dead-letter queue or a retry policy
 * of their own: an event EventBridge could not deliver after its retries would be dropped, seen
 * by no alarm (only the rule's FailedInvocations would count it).
 */
export function ruleTargetsWithoutDeadLetterQueue(template: CfnTemplate): string[] {
  type Target = { Id?: string; DeadLetterConfig?: { Arn?: unknown }; RetryPolicy?: unknown };
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::Events::Rule')
    .flatMap(([id, r]) =>
      ((r.Properties?.Targets ?? []) as Target[])
        .filter((t) => t.DeadLetterConfig?.Arn === undefined || t.RetryPolicy === undefined)
        .map((t) => `${id}/${t.Id}`),
    );
}

/**
 * The alarms, to an SNS topic, on `namespace`/`metricName` whose dimensions include every one of
 * `dimensions` (`{ Name, Value }`, compared as JSON).
 */
function alarmsWithDimensions(
  template: CfnTemplate,
  namespace: string,
  metricName: string,
  dimensions: readonly { Name: string; Value: unknown }[],
): number {
  return alarmedDimensions(template, namespace, metricName)
    .map((json) => (JSON.parse(json ?? 'null') ?? []) as unknown[])
    .filter((alarmed) =>
      dimensions.every((d) => alarmed.some((a) => JSON.stringify(a) === JSON.stringify(d))),
    ).length;
}

/**
 * EventBridge rules with a target dead-letter queue whose `InvocationsFailedToBeSentToDlq` no
 * alarm watches: an event EventBridge could not even put into that queue (its policy, its key,
 * the event's size) would be lost with no dead-letter alarm counting it. A rule on a custom bus
 * has its metrics under both its bus and rule names, as they resolve on deployment (a rule's `Ref`
 * is not its name there); a rule on the default bus under its rule name alone ("Metrics that
 * specify only the RuleName dimension refer to the default event bus"). An alarm watches a metric
 * only with exactly its dimensions, so one with a bus name never hears of a default-bus rule.
 */
export function rulesWithUnwatchedDeadLetterDelivery(template: CfnTemplate): string[] {
  type Target = { DeadLetterConfig?: { Arn?: unknown } };
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::Events::Rule')
    .filter(([, r]) => ((r.Properties?.Targets ?? []) as Target[]).some((t) => t.DeadLetterConfig?.Arn))
    .filter(([id, r]) => {
      const target = { account: TEST_ACCOUNT, region: 'eu-west-1', partition: 'aws' };
      const resolve = (value: unknown) => resolveIntrinsics(template, target, value);
      const bus = r.Properties?.EventBusName;
      const published = [
        { Name: 'RuleName', Value: physicalName(template, id) },
        ...(bus === undefined ? [] : [{ Name: 'EventBusName', Value: resolve(bus) }]),
      ];
      const watching = alarmedDimensions(template, 'AWS/Events', 'InvocationsFailedToBeSentToDlq')
        .map((json) => resolve(JSON.parse(json ?? 'null') ?? []) as { Name: string; Value: unknown }[])
        .filter(
          (alarmed) =>
            alarmed.length === published.length &&
            published.every((d) => alarmed.some((a) => a.Name === d.Name && a.Value === d.Value)),
        );
      return watching.length === 0;
    })
    .map(([id]) => id);
}

/**
 * Schedule groups whose `InvocationsFailedToBeSentToDeadLetterCount` no alarm watches: the groups
 * of the template's schedules with a dead-letter queue (`default` when a schedule names none), and
 * every group the template creates (its schedules are created at run time, each with one).
 */
export function scheduleGroupsWithUnwatchedDeadLetterDelivery(template: CfnTemplate): string[] {
  const resources = Object.entries(template.Resources);
  const scheduled = resources
    .filter(([, r]) => r.Type === 'AWS::Scheduler::Schedule' && r.Properties?.Target?.DeadLetterConfig)
    .map(([, r]) => r.Properties?.GroupName ?? 'default');
  const created = resources
    .filter(([, r]) => r.Type === 'AWS::Scheduler::ScheduleGroup')
    .map(([, r]) => r.Properties?.Name);
  return [...new Set([...scheduled, ...created].map((name) => JSON.stringify(name)))].filter(
    (name) =>
      alarmsWithDimensions(template, 'AWS/Scheduler', 'InvocationsFailedToBeSentToDeadLetterCount', [
        { Name: 'ScheduleGroup', Value: JSON.parse(name) },
      ]) === 0,
  );
}

/**
 * Functions an EventBridge rule invokes (asynchronously: a rule's own DLQ keeps only events it
 * could not deliver) without an on-failure destination, so an event the function fails on after
 * Lambda's retries would be dropped. Throws when no rule targets a function (nothing checked).
 */
export function ruleTargetsWithoutOnFailure(template: CfnTemplate): string[] {
  const resources = Object.values(template.Resources);
  const targeted = resources
    .filter((r) => r.Type === 'AWS::Events::Rule')
    .flatMap((r) => (r.Properties?.Targets ?? []) as { Arn?: { 'Fn::GetAtt'?: [string, string] } }[])
    .flatMap((t) => (t.Arn?.['Fn::GetAtt']?.[1] === 'Arn' ? [t.Arn['Fn::GetAtt'][0]] : []))
    .filter((id) => template.Resources[id]?.Type === 'AWS::Lambda::Function');
  if (targeted.length === 0) throw new Error('no EventBridge rule targets a function');
  return targeted.filter((id) => !onFailureFunctions(template).has(JSON.stringify({ Ref: id })));
}

/**
 * Functions an EventBridge Scheduler schedule invokes without an on-failure destination. Scheduler
 * invokes Lambda asynchronously, so a schedule's own DLQ keeps only invocations Lambda refused; a
 * run that fails in the function after Lambda's retries would be dropped unheard. Throws when no
 * schedule targets a function (nothing checked).
 */
export function scheduleTargetsWithoutOnFailure(template: CfnTemplate): string[] {
  const resources = Object.values(template.Resources);
  const targeted = resources
    .filter((r) => r.Type === 'AWS::Scheduler::Schedule')
    .map((r) => (r.Properties?.Target as { Arn?: { 'Fn::GetAtt'?: [string, string] } } | undefined)?.Arn)
    .flatMap((arn) => (arn?.['Fn::GetAtt']?.[1] === 'Arn' ? [arn['Fn::GetAtt'][0]] : []))
    .filter((id) => template.Resources[id]?.Type === 'AWS::Lambda::Function');
  if (targeted.length === 0) throw new Error('no EventBridge Scheduler schedule targets a function');
  return targeted.filter((id) => !onFailureFunctions(template).has(JSON.stringify({ Ref: id })));
}

/**
 * Functions with an on-failure destination whose `DestinationDeliveryFailures` no alarm watches:
 * a failed invocation Lambda could not even write to that destination (the queue gone, its policy
 * or key refusing the function's role) would be lost with no dead-letter alarm counting it.
 * Throws when no function has one (nothing checked).
 */
export function onFailureFunctionsWithUnwatchedDelivery(template: CfnTemplate): string[] {
  const functions = [...onFailureFunctions(template)].flatMap((json) => {
    const ref = (JSON.parse(json) as { Ref?: unknown }).Ref;
    return typeof ref === 'string' ? [ref] : [];
  });
  if (functions.length === 0) throw new Error('no function has an on-failure destination');
  return withoutAlarm(functions, alarmedDimensions(template, 'AWS/Lambda', 'DestinationDeliveryFailures'));
}

/** The `FunctionName`s (as JSON) of the event invoke configs with an on-failure destination. */
function onFailureFunctions(template: CfnTemplate): Set<string> {
  return new Set(
    Object.values(template.Resources)
      .filter((r) => r.Type === 'AWS::Lambda::EventInvokeConfig')
      .filter((r) => r.Properties?.DestinationConfig?.OnFailure?.Destination !== undefined)
      .map((r) => JSON.stringify(r.Properties?.FunctionName)),
  );
}

/** A schedule's heartbeat (`scheduleHeartbeats`). */
export interface ScheduleHeartbeat {
  readonly scheduleId: string;
  /** Its rate(…) in seconds. */
  readonly rateSeconds: number;
  /** The function it invokes. */
  readonly functionId: string;
  /** The alarms that would tell it stopped invoking the function (empty: none). */
  readonly alarmIds: readonly string[];
}

const RATE_UNIT_SECONDS: Readonly<Record<string, number>> = { minute: 60, hour: 3_600, day: 86_400 };

/**
 * Every rate(…) schedule that invokes a Lambda function, with the alarms that would hear of its
 * stopping: the function's `AWS/Lambda` `Invocations` below a threshold, one period per schedule
 * interval, missing data breaching (Lambda publishes no zero), notifying an SNS topic.
 */
export function scheduleHeartbeats(template: CfnTemplate): ScheduleHeartbeat[] {
  const alarms = Object.entries(template.Resources).filter(
    ([, r]) =>
      r.Type === 'AWS::CloudWatch::Alarm' &&
      r.Properties?.Namespace === 'AWS/Lambda' &&
      r.Properties?.MetricName === 'Invocations' &&
      r.Properties?.TreatMissingData === 'breaching' &&
      String(r.Properties?.ComparisonOperator).startsWith('LessThan') &&
      JSON.stringify(r.Properties?.AlarmActions ?? []).includes('Topic'),
  );
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::Scheduler::Schedule')
    .flatMap(([scheduleId, r]) => {
      const rate = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(String(r.Properties?.ScheduleExpression));
      const functionId = (r.Properties?.Target as { Arn?: { 'Fn::GetAtt'?: [string, string] } } | undefined)
        ?.Arn?.['Fn::GetAtt']?.[0];
      if (!rate || !functionId || template.Resources[functionId]?.Type !== 'AWS::Lambda::Function') return [];
      const rateSeconds = Number(rate[1]) * (RATE_UNIT_SECONDS[rate[2] as string] as number);
      const alarmIds = alarms
        .filter(([, a]) => a.Properties?.Period === rateSeconds)
        .filter(([, a]) =>
          JSON.stringify(a.Properties?.Dimensions).includes(JSON.stringify({ Ref: functionId })),
        )
        .map(([id]) => id);
      return [{ scheduleId, rateSeconds, functionId, alarmIds }];
    });
}

/**
 * Schedules running less often than hourly (the daily instance-type selection and maintenance
 * scan) without a heartbeat: disabled, refused by their role or left without their group, they
 * would invoke nothing, and no error, dead letter or count would say so. The scaling loop's
 * schedule (at most hourly) is PrescaleSilent's. Throws when there is no such schedule.
 */
export function infrequentSchedulesWithoutHeartbeat(template: CfnTemplate): string[] {
  const infrequent = scheduleHeartbeats(template).filter((h) => h.rateSeconds > 3_600);
  if (infrequent.length === 0) throw new Error('no schedule runs less often than hourly');
  return infrequent.filter((h) => h.alarmIds.length === 0).map((h) => h.scheduleId);
}
