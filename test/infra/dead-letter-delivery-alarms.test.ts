import {
  type CfnTemplate,
  physicalName,
  resolveIntrinsics,
  TEST_ACCOUNT,
} from '../../shared/simulation/aws-checks/resolve-intrinsics';
import { synthesizedTemplate, TEST_CONFIG } from '../helpers/build-test-app';
import {
  onFailureFunctionsWithUnwatchedDelivery,
  rulesWithUnwatchedDeadLetterDelivery,
  scheduleGroupsWithUnwatchedDeadLetterDelivery,
} from './deploy-matrix/operational-coverage';

type Resource = { Type: string; Properties?: Record<string, unknown> };

/** The synthesized alarms on `namespace`/`metricName`. */
function alarmsOn(template: CfnTemplate, namespace: string, metricName: string) {
  return Object.entries(template.Resources as Record<string, Resource>).filter(
    ([, r]) =>
      r.Type === 'AWS::CloudWatch::Alarm' &&
      r.Properties?.Namespace === namespace &&
      r.Properties?.MetricName === metricName,
  );
}

/** Every lost-delivery alarm: any failed send in 5 minutes, to the notifications topic. */
const ON_ANY_LOST_DELIVERY = {
  Statistic: 'Sum',
  Period: 300,
  Threshold: 0,
  EvaluationPeriods: 1,
  ComparisonOperator: 'GreaterThanThreshold',
  // EventBridge, Scheduler and Lambda send these metrics only when they are not zero.
  TreatMissingData: 'notBreaching',
  AlarmActions: [{ Ref: expect.stringMatching(/NotificationsTopic/) }],
};

/** `template` without the alarms on `metricName`. */
function withoutAlarmsOn(template: CfnTemplate, metricName: string): CfnTemplate {
  const resources = Object.entries(template.Resources as Record<string, Resource>).filter(
    ([, r]) => !(r.Type === 'AWS::CloudWatch::Alarm' && r.Properties?.MetricName === metricName),
  );
  return { ...template, Resources: Object.fromEntries(resources) } as CfnTemplate;
}

describe('dead-letter delivery alarms', () => {
  // The daily maintenance scan adds a third recurring schedule.
  const template = synthesizedTemplate({
    ...TEST_CONFIG,
    rollingUpdate: { autoStartOnScheduledEvents: true },
  }).toJSON() as CfnTemplate;
  const resources = template.Resources as Record<string, Resource>;
  const idsOf = (type: string) =>
    Object.entries(resources)
      .filter(([, r]) => r.Type === type)
      .map(([id]) => id);

  const onDefaultBus = (rule: string) => resources[rule]?.Properties?.EventBusName === undefined;

  it("alarms on every bus rule's InvocationsFailedToBeSentToDlq, under its bus and rule names, to the topic", () => {
    const rules = idsOf('AWS::Events::Rule').filter((rule) => !onDefaultBus(rule));
    expect(rules.length).toBeGreaterThanOrEqual(5);
    const alarms = alarmsOn(template, 'AWS/Events', 'InvocationsFailedToBeSentToDlq').map(
      ([, a]) => a.Properties,
    );
    // One more: the rule on the default bus for Prescale events sent there (below).
    expect(alarms).toHaveLength(rules.length + 1);
    for (const rule of rules) {
      const alarm = alarms.find((a) => JSON.stringify(a?.Dimensions).includes(`["${rule}","Arn"]`));
      expect({ rule, alarm }).toMatchObject({
        rule,
        alarm: {
          Dimensions: [
            { Name: 'EventBusName', Value: resources[rule]?.Properties?.EventBusName },
            {
              Name: 'RuleName',
              Value: { 'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [rule, 'Arn'] }] }] },
            },
          ],
          ...ON_ANY_LOST_DELIVERY,
        },
      });
    }
    expect(rulesWithUnwatchedDeadLetterDelivery(template)).toEqual([]);
  });

  it("alarms on the default-bus rule's InvocationsFailedToBeSentToDlq under its rule name alone, as EventBridge publishes it there", () => {
    const [rule, ...others] = idsOf('AWS::Events::Rule').filter(onDefaultBus);
    expect(others).toEqual([]);
    const alarm = alarmsOn(template, 'AWS/Events', 'InvocationsFailedToBeSentToDlq').find(([, a]) =>
      JSON.stringify(a.Properties?.Dimensions).includes(`"${rule}"`),
    );
    expect(alarm?.[1].Properties).toMatchObject({
      // "Metrics that specify only the RuleName dimension refer to the default event bus."
      Dimensions: [{ Name: 'RuleName', Value: { Ref: rule } }],
      ...ON_ANY_LOST_DELIVERY,
    });
    // An alarm that also names a bus watches a metric EventBridge never publishes for this rule.
    const withBusName = {
      ...template,
      Resources: Object.fromEntries(
        Object.entries(resources).map(([id, r]) =>
          id === alarm?.[0]
            ? [
                id,
                {
                  ...r,
                  Properties: {
                    ...r.Properties,
                    Dimensions: [
                      { Name: 'EventBusName', Value: 'default' },
                      { Name: 'RuleName', Value: { Ref: rule } },
                    ],
                  },
                },
              ]
            : [id, r],
        ),
      ),
    } as CfnTemplate;
    expect(rulesWithUnwatchedDeadLetterDelivery(withBusName)).toEqual([rule]);
  });

  it('names each rule as EventBridge publishes the metric: the bus (on a custom bus) and the bare rule name, never its Ref', () => {
    const target = { account: TEST_ACCOUNT, region: 'eu-west-1', partition: 'aws' };
    const resolve = (value: unknown) => resolveIntrinsics(template, target, value);
    const published = idsOf('AWS::Events::Rule').map((rule) => ({
      ...(onDefaultBus(rule) ? {} : { EventBusName: resolve(resources[rule]?.Properties?.EventBusName) }),
      RuleName: physicalName(template, rule),
    }));
    const watched = alarmsOn(template, 'AWS/Events', 'InvocationsFailedToBeSentToDlq').map(([, a]) =>
      Object.fromEntries(
        ((a.Properties?.Dimensions ?? []) as { Name: string; Value: unknown }[]).map((d) => [
          d.Name,
          resolve(d.Value),
        ]),
      ),
    );
    expect(watched).toEqual(expect.arrayContaining(published));
    expect(watched).toHaveLength(published.length);
    // The Ref the alarms once used: on Prescale's bus it reads `<bus>|<rule>`.
    for (const rule of idsOf('AWS::Events::Rule').filter((r) => !onDefaultBus(r)))
      expect(resolve({ Ref: rule })).toContain('|');
  });

  it("alarms on the InvocationsFailedToBeSentToDeadLetterCount of Prescale's two schedule groups, never the account's default", () => {
    const schedules = idsOf('AWS::Scheduler::Schedule').map((id) => resources[id]?.Properties);
    expect(schedules).toHaveLength(3);
    const groups = idsOf('AWS::Scheduler::ScheduleGroup').map((id) => resources[id]?.Properties?.Name);
    expect(groups).toHaveLength(2);
    // The recurring schedules (loop, instance types, maintenance scan) share one of the groups.
    const [recurring] = new Set(schedules.map((s) => s?.GroupName));
    expect(new Set(schedules.map((s) => s?.GroupName)).size).toBe(1);
    expect(groups).toContain(recurring);
    const alarms = alarmsOn(template, 'AWS/Scheduler', 'InvocationsFailedToBeSentToDeadLetterCount').map(
      ([, a]) => a.Properties,
    );
    expect(alarms.map((a) => a?.Dimensions)).toEqual(
      expect.arrayContaining(groups.map((group) => [{ Name: 'ScheduleGroup', Value: group }])),
    );
    expect(alarms).toHaveLength(2);
    for (const alarm of alarms) {
      expect(alarm).toMatchObject(ON_ANY_LOST_DELIVERY);
    }
    expect(scheduleGroupsWithUnwatchedDeadLetterDelivery(template)).toEqual([]);
  });

  it('alarms on the DestinationDeliveryFailures of every function with an on-failure destination, under its name', () => {
    const onFailure = idsOf('AWS::Lambda::EventInvokeConfig')
      .map((id) => resources[id]?.Properties)
      .filter((p) => (p?.DestinationConfig as { OnFailure?: unknown } | undefined)?.OnFailure)
      .map((p) => p?.FunctionName);
    // The loop's dispatcher, instance types, maintenance scan, campaign receiver and pre-warm, and
    // the rolling-update and update-plan requesters and canceller.
    expect(onFailure).toHaveLength(8);
    const alarms = alarmsOn(template, 'AWS/Lambda', 'DestinationDeliveryFailures').map(
      ([, a]) => a.Properties,
    );
    expect(alarms.map((a) => a?.Dimensions)).toEqual(
      expect.arrayContaining(onFailure.map((name) => [{ Name: 'FunctionName', Value: name }])),
    );
    expect(alarms).toHaveLength(onFailure.length);
    for (const alarm of alarms) {
      expect(alarm).toMatchObject(ON_ANY_LOST_DELIVERY);
    }
    expect(onFailureFunctionsWithUnwatchedDelivery(template)).toEqual([]);
    expect(
      onFailureFunctionsWithUnwatchedDelivery(
        withoutAlarmsOn(template, 'DestinationDeliveryFailures'),
      ).sort(),
    ).toEqual(onFailure.map((name) => (name as { Ref: string }).Ref).sort());
  });

  it('finds every rule and schedule group whose dead-letter delivery no alarm watches', () => {
    expect(
      rulesWithUnwatchedDeadLetterDelivery(
        withoutAlarmsOn(template, 'InvocationsFailedToBeSentToDlq'),
      ).sort(),
    ).toEqual(idsOf('AWS::Events::Rule').sort());
    const unwatched = scheduleGroupsWithUnwatchedDeadLetterDelivery(
      withoutAlarmsOn(template, 'InvocationsFailedToBeSentToDeadLetterCount'),
    );
    expect(unwatched.sort()).toEqual(
      idsOf('AWS::Scheduler::ScheduleGroup')
        .map((id) => JSON.stringify(resources[id]?.Properties?.Name))
        .sort(),
    );
  });
});
