import { Match } from 'aws-cdk-lib/assertions';
import { unmatchedEventPattern } from '../../infra/constructs/prescale-event-bus';
import { PRESCALE_BUS_EVENT_TYPES } from '../../shared/contracts/prescale-bus-events';
import { DeployedAccount } from '../../shared/simulation/aws-checks/deployed-account';
import { deployedBusNames, routePutEvents } from '../../shared/simulation/aws-checks/event-bus-routes';
import { type EventPattern, matchesEventPattern } from '../../shared/simulation/aws-checks/event-pattern';
import type { CfnTemplate } from '../../shared/simulation/aws-checks/resolve-intrinsics';
import { synthesizedTemplate } from '../helpers/build-test-app';
import { ruleTargetsWithoutDeadLetterQueue, unalarmedQueues } from './deploy-matrix/operational-coverage';

/** The function each known event's rule takes it to. */
const RECEIVER: Record<string, string> = {
  'Campaign Scheduled': 'receive-campaign-event',
  'Campaign Updated': 'receive-campaign-event',
  'Campaign Cancelled': 'receive-campaign-event',
  'Rolling Update Requested': 'request-rolling-update',
  'Rolling Update Plan Requested': 'request-update-plan',
  'Rolling Update Plan Cancel Requested': 'cancel-update-plan',
};

describe('PrescaleEventBus', () => {
  // Only read: the default configuration's template, synthesized once a run for every file.
  const template = synthesizedTemplate();
  const account = new DeployedAccount(template.toJSON() as CfnTemplate, { region: 'eu-west-1' });
  const [bus] = deployedBusNames(account);
  const queueArn = (label: string) =>
    Object.entries(template.findResources('AWS::SQS::Queue')).flatMap(([id]) =>
      id.includes(label) ? [account.resolve<string>({ 'Fn::GetAtt': [id, 'Arn'] })] : [],
    );
  const [unmatchedQueue] = queueArn('EventsUnmatchedEvents');
  const send = (source: string, detailType: string) => {
    const [routed] = routePutEvents(
      account,
      [{ EventBusName: bus, Source: source, DetailType: detailType, Detail: '{"campaignId":"sale"}' }],
      { nowMs: Date.UTC(2026, 11, 5), eventId: () => 'e-1' },
    );
    if (routed?.kind !== 'accepted') throw new Error(`PutEvents fails ${detailType}`);
    return routed;
  };

  it('passes cdk-nag AwsSolutions with every finding fixed or acknowledged with a reason', () => {
    // A synth runs cdk-nag and throws on a finding; a synth that throws is never kept.
    expect(() => synthesizedTemplate()).not.toThrow();
  });

  it('takes each known event to its one function, and to nothing else', () => {
    expect(PRESCALE_BUS_EVENT_TYPES.map((e) => e.detailType).sort()).toEqual(Object.keys(RECEIVER).sort());
    for (const { source, detailType } of PRESCALE_BUS_EVENT_TYPES) {
      const reached = send(source, detailType).deliveries.map((d) => d.handler ?? d.targetArn);
      expect([detailType, reached]).toEqual([detailType, [RECEIVER[detailType]]]);
    }
  });

  it.each([
    ['a misspelt detail-type', 'prescale', 'Campaign Schedule'],
    ['a detail-type in the wrong case', 'prescale', 'rolling update requested'],
    ['a misspelt source', 'prescal', 'Campaign Scheduled'],
    ['another source', 'my-app', 'Deployment Finished'],
  ])('keeps %s whole, with the reason, in the unmatched-events queue and nowhere else', (_, source, type) => {
    const routed = send(source, type);
    expect(routed.deliveries).toEqual([
      {
        rule: expect.stringMatching(/Unmatched/),
        targetArn: unmatchedQueue,
        handler: undefined,
        input: expect.any(String),
      },
    ]);
    const message = JSON.parse(routed.deliveries[0]?.input ?? '') as { reason: string; event: unknown };
    expect(message.event).toEqual(routed.event);
    expect(message.reason).toMatch(/^no Prescale rule takes an event of this source and detail-type/);
    expect(message.reason).toContain(
      "expected source 'prescale' with detail-type 'Campaign Scheduled', 'Campaign Updated', 'Campaign Cancelled', 'Rolling Update Requested'",
    );
  });

  it("keeps what EventBridge could not deliver to any rule's target, the unmatched-events queue included, in an alarmed dead-letter queue", () => {
    const cfn = template.toJSON() as CfnTemplate;
    expect(Object.keys(template.findResources('AWS::Events::Rule')).length).toBeGreaterThanOrEqual(5);
    expect(ruleTargetsWithoutDeadLetterQueue(cfn)).toEqual([]);
    expect(unalarmedQueues(cfn)).toEqual([]);
  });

  it('alarms on each new unmatched event and lets only its rule send to the queue', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'NumberOfMessagesSent',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('UnmatchedEvents'), 'QueueName'] },
        },
      ],
      AlarmActions: [Match.anyValue()],
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: Match.stringLikeRegexp('EventsUnmatchedEvents') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['sqs:SendMessage']),
            Principal: { Service: 'events.amazonaws.com' },
            Condition: {
              ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [Match.stringLikeRegexp('Unmatched'), 'Arn'] } },
            },
          }),
        ]),
      },
    });
  });
});

describe('PrescaleEventBus, an event sent without EventBusName', () => {
  const template = synthesizedTemplate();
  const account = new DeployedAccount(template.toJSON() as CfnTemplate, { region: 'eu-west-1' });
  const [bus] = deployedBusNames(account);
  const [unmatchedQueue] = Object.keys(template.findResources('AWS::SQS::Queue'))
    .filter((id) => id.includes('EventsUnmatchedEvents'))
    .map((id) => account.resolve<string>({ 'Fn::GetAtt': [id, 'Arn'] }));
  const [defaultBusRule, ...otherDefaultBusRules] = Object.entries(
    template.findResources('AWS::Events::Rule'),
  ).filter(([, r]) => r.Properties.EventBusName === undefined);
  // "If you omit this, the default event bus is used" (PutEventsRequestEntry, EventBusName).
  const sendToDefaultBus = (source: string, detailType: string) => {
    const [routed] = routePutEvents(
      account,
      [{ Source: source, DetailType: detailType, Detail: '{"campaignId":"sale"}' }],
      { nowMs: Date.UTC(2026, 11, 5), eventId: () => 'e-1' },
    );
    if (routed?.kind !== 'accepted') throw new Error(`PutEvents fails ${detailType} on the default bus`);
    return routed;
  };

  it("has one rule on the account's default bus, taking every event of source 'prescale' into the unmatched-events queue with its reason", () => {
    expect(otherDefaultBusRules.map(([id]) => id)).toEqual([]);
    expect(defaultBusRule?.[1].Properties).toMatchObject({
      EventPattern: { source: ['prescale'] },
      State: 'ENABLED',
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [expect.stringMatching(/EventsUnmatchedEvents/), 'Arn'] },
          InputTransformer: { InputTemplate: expect.anything() },
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [expect.stringMatching(/EventsUndeliveredUnmatchedEvents/), 'Arn'] },
          },
          RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 7200 },
        },
      ],
    });
  });

  it.each(PRESCALE_BUS_EVENT_TYPES.map((e) => [e.detailType, e.source] as const))(
    'keeps a %s event whole in the unmatched-events queue, the reason naming the bus to send it to',
    (type, source) => {
      const routed = sendToDefaultBus(source, type);
      expect(routed.deliveries).toEqual([
        {
          rule: defaultBusRule?.[0],
          targetArn: unmatchedQueue,
          handler: undefined,
          input: expect.any(String),
        },
      ]);
      const message = JSON.parse(routed.deliveries[0]?.input ?? '') as { reason: string; event: unknown };
      expect(message.event).toEqual(routed.event);
      expect(message.reason).toBe(
        `sent to the account's default event bus (the entry had no EventBusName), where no Prescale rule takes it, so nothing was done with it; send it again with EventBusName '${bus}', Prescale's bus`,
      );
    },
  );

  it("keeps a misspelt detail-type of source 'prescale' too, and leaves the account's other default-bus traffic alone", () => {
    expect(sendToDefaultBus('prescale', 'Campaign Schedule').deliveries.map((d) => d.targetArn)).toEqual([
      unmatchedQueue,
    ]);
    expect(sendToDefaultBus('my-app', 'Deployment Finished').deliveries).toEqual([]);
    expect(sendToDefaultBus('aws.autoscaling', 'EC2 Instance Launch Successful').deliveries).toEqual([]);
  });

  it('lets only that rule, besides the unmatched-events rule, send to the queue and to its dead-letter queue', () => {
    const ruleId = defaultBusRule?.[0] ?? 'no default-bus rule';
    // CDK's queue target adds GetQueueAttributes and GetQueueUrl; its dead-letter queue, SendMessage alone.
    for (const [queue, action] of [
      ['EventsUnmatchedEvents', Match.arrayWith(['sqs:SendMessage'])],
      ['EventsUndeliveredUnmatchedEvents', 'sqs:SendMessage'],
    ] as const)
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: Match.stringLikeRegexp(queue) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: action,
              Principal: { Service: 'events.amazonaws.com' },
              Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ruleId, 'Arn'] } } },
            }),
          ]),
        },
      });
  });
});

describe('unmatchedEventPattern', () => {
  const known = [
    { source: 'a', detailType: 'X' },
    { source: 'a', detailType: 'Y' },
    { source: 'b', detailType: 'X' },
  ];
  const pattern = unmatchedEventPattern(known) as unknown as EventPattern;

  it('matches exactly the events that are none of the known ones', () => {
    const outcomes = ['a', 'b', 'c'].flatMap((source) =>
      ['X', 'Y', 'Z'].map((type) => [
        source,
        type,
        matchesEventPattern(pattern, { source, 'detail-type': type }),
      ]),
    );
    expect(outcomes).toEqual([
      ['a', 'X', false],
      ['a', 'Y', false],
      ['a', 'Z', true],
      ['b', 'X', false],
      ['b', 'Y', true],
      ['b', 'Z', true],
      ['c', 'X', true],
      ['c', 'Y', true],
      ['c', 'Z', true],
    ]);
  });
});
