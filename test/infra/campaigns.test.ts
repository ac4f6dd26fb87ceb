import { Match } from 'aws-cdk-lib/assertions';
import { CAMPAIGN_DETAIL_TYPES, CAMPAIGN_EVENT_SOURCE } from '../../shared/contracts/campaign-events';
import { campaignEventJsonSchema } from '../../shared/contracts/campaign-events-json-schema';
import { DeployedAccount } from '../../shared/simulation/aws-checks/deployed-account';
import { routePutEvents } from '../../shared/simulation/aws-checks/event-bus-routes';
import type { CfnTemplate } from '../../shared/simulation/aws-checks/resolve-intrinsics';
import { buildTestApp, synthesizedTemplate, TEST_CONFIG } from '../helpers/build-test-app';
import { givesBackOwnGroup } from '../helpers/gives-back-own-group';

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

describe('Campaigns', () => {
  // Only read: the default configuration's template, synthesized once a run for every file.
  const template = synthesizedTemplate();
  const statements = (): Statement[] =>
    Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as Statement[],
    );

  it('passes cdk-nag AwsSolutions with every finding fixed or acknowledged with a reason', () => {
    // A synth runs cdk-nag and throws on a finding; a synth that throws is never kept.
    expect(() => synthesizedTemplate()).not.toThrow();
  });

  // Which events reach the receiver is run, not read: the deploy matrix and
  // test/architecture/documented-put-events.test.ts put them on the deployed bus and its rules.
  it('retries the receiver rule’s deliveries and keeps what it cannot deliver in a DLQ', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('CampaignsReceiverFunction'), 'Arn'] },
          DeadLetterConfig: { Arn: Match.anyValue() },
          RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 21600 },
        }),
      ],
    });
  });

  const reservedIn = (t: typeof template) =>
    Object.entries(t.findResources('AWS::Lambda::Function')).flatMap(([id, f]) =>
      f.Properties.ReservedConcurrentExecutions === undefined
        ? []
        : [[id.replace(/[0-9A-F]{8}$/, ''), f.Properties.ReservedConcurrentExecutions]],
    );

  it('reserves no concurrency by default, so an account with a quota of 10 can deploy', () => {
    expect(reservedIn(template)).toEqual([]);
  });

  it('reserves the receiver the concurrency asked for, so a flood of events cannot take the account’s', () => {
    const reserved = buildTestApp({
      ...TEST_CONFIG,
      campaigns: { receiverReservedConcurrency: 2 },
    }).template();
    expect(reservedIn(reserved)).toEqual([['PrescaleCampaignsReceiverFunction', 2]]);
  });

  it('keeps a campaign event sent without EventBusName (to the default bus) in the unmatched-events queue, never losing it', () => {
    const account = new DeployedAccount(template.toJSON() as CfnTemplate, { region: 'eu-west-1' });
    const routed = routePutEvents(
      account,
      Object.values(CAMPAIGN_DETAIL_TYPES).map((detailType) => ({
        Source: CAMPAIGN_EVENT_SOURCE,
        DetailType: detailType,
        Detail: '{"campaignId":"black-friday-2027"}',
      })),
      { nowMs: Date.UTC(2026, 11, 5) },
    );
    const queues = routed.map((r) => (r.kind === 'accepted' ? r.deliveries.map((d) => d.targetArn) : r));
    expect(queues).toEqual(
      Object.values(CAMPAIGN_DETAIL_TYPES).map(() => [
        expect.stringMatching(/:PrescaleEventsUnmatchedEvents/),
      ]),
    );
  });

  it('sends failed async invocations of both campaign functions to the DLQ', () => {
    const configs = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig')).filter((c) =>
      JSON.stringify(c.Properties.DestinationConfig ?? {}).includes('CampaignsRejectedEvents'),
    );
    expect(configs).toHaveLength(2);
    for (const c of configs) {
      expect(c.Properties).toMatchObject({
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } } },
      });
    }
  });

  it('alarms on each new message in the campaign DLQ and notifies the topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'NumberOfMessagesSent',
      Namespace: 'AWS/SQS',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [Match.anyValue()],
      AlarmDescription: Match.stringLikeRegexp('campaign event was rejected'),
    });
  });

  it('registers the three event schemas, generated from the zod schemas, as JSONSchemaDraft4', () => {
    template.resourceCountIs('AWS::EventSchemas::Registry', 1);
    for (const [type, name] of [
      ['scheduled', 'prescale@CampaignScheduled'],
      ['updated', 'prescale@CampaignUpdated'],
      ['cancelled', 'prescale@CampaignCancelled'],
    ] as const) {
      template.hasResourceProperties('AWS::EventSchemas::Schema', {
        SchemaName: name,
        Type: 'JSONSchemaDraft4',
        Content: JSON.stringify(campaignEventJsonSchema(type)),
        RegistryName: Match.anyValue(),
      });
    }
  });

  it('leaves the schema registry out with campaigns.schemaRegistry false (regions without EventBridge Schemas), the rest of campaigns kept', () => {
    const without = buildTestApp({ ...TEST_CONFIG, campaigns: { schemaRegistry: false } }).template();
    const typesOf = (t: typeof template) =>
      Object.values(t.toJSON().Resources as Record<string, { Type: string }>).map((r) => r.Type);
    expect(typesOf(without).filter((type) => type.startsWith('AWS::EventSchemas::'))).toEqual([]);
    expect(typesOf(without)).toEqual(
      typesOf(template).filter((type) => !type.startsWith('AWS::EventSchemas::')),
    );
  });

  it('has a schedule group and a role Scheduler alone may assume, invoking only the pre-warm', () => {
    // Its own, beside the recurring schedules' group.
    const groups = Object.keys(template.findResources('AWS::Scheduler::ScheduleGroup'));
    expect(groups.filter((id) => id.includes('Campaigns'))).toHaveLength(1);
    expect(groups).toHaveLength(2);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
          }),
        ],
      },
    });
    const invoke = statements().find((s) => s.Sid === 'InvokePrewarm');
    expect(invoke?.Action).toBe('lambda:InvokeFunction');
    expect(JSON.stringify(invoke?.Resource)).toContain('Prewarm');
    expect(JSON.stringify(invoke?.Resource)).not.toContain(':*');
  });

  it('lets the receiver manage only schedules of its group and pass only the scheduler role to Scheduler', () => {
    const manage = statements().find((s) => s.Sid === 'ManageCampaignSchedules');
    expect(manage?.Action).toEqual([
      'scheduler:CreateSchedule',
      'scheduler:UpdateSchedule',
      'scheduler:DeleteSchedule',
    ]);
    expect(JSON.stringify(manage?.Resource)).toMatch(/:schedule\/.*\/\*/);
    const pass = statements().find((s) => s.Sid === 'PassSchedulerRole');
    expect(pass?.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
    expect(pass?.Resource).not.toBe('*');
  });

  it('lets the pre-warm change only enrolled groups', () => {
    const mutating = statements().filter((s) =>
      [s.Action].flat().some((a) => /^autoscaling:(?!Describe)/.test(a)),
    );
    expect(mutating.length).toBeGreaterThan(0);
    for (const s of mutating) {
      const byTag = JSON.stringify(s.Condition ?? {}).includes('autoscaling:ResourceTag/prescale:enabled');
      const byName = JSON.stringify(s.Resource).includes('autoScalingGroupName/web');
      expect(byTag || byName || givesBackOwnGroup(s)).toBe(true);
    }
  });
});
