import { App, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { PrescaleStack } from '../../infra/stacks/prescale-stack';
import { DEAD_LETTER_MAX_MESSAGE_BYTES } from '../../shared/contracts/dead-letter-queue';
import { DISPATCHER_TIMEOUT_SECONDS, workerTimeoutSeconds } from '../../shared/contracts/function-timeouts';
import { GROUP_WORK_DELIVERY } from '../../shared/contracts/group-work-delivery';
import { InvalidConfigError } from '../../shared/contracts/parse-config';
import { STATE_KEYS } from '../../shared/contracts/state-keys';
import type { CfnTemplate } from '../../shared/simulation/aws-checks/resolve-intrinsics';
import { buildTestApp, synthesizedTemplate, TEST_CONFIG } from '../helpers/build-test-app';
import { givesBackOwnGroup } from '../helpers/gives-back-own-group';
import { testOutdir } from '../helpers/test-temp-root';
import { scheduleTargetsWithoutOnFailure } from './deploy-matrix/operational-coverage';

/** The app with notifications.email, built once for the two tests that read it. */
let emailApp: ReturnType<typeof buildTestApp> | undefined;
function withEmailApp(): ReturnType<typeof buildTestApp> {
  emailApp ??= buildTestApp({ ...TEST_CONFIG, notifications: { email: 'ops@example.com' } });
  return emailApp;
}

/**
 * The warnings synth left on `stack`, read from the assembly its app has synthesized:
 * `Annotations.fromStack` synthesizes the whole app again (force), 0.8 s for the same messages.
 */
function synthWarnings(app: App, stack: Stack): string[] {
  return app
    .synth()
    .getStackArtifact(stack.artifactId)
    .messages.filter((m) => m.level === 'warning')
    .map((m) => String(m.entry.data));
}

describe('PrescaleStack', () => {
  const { app, stack, template: getTemplate } = buildTestApp();
  const template = getTemplate();

  it('passes cdk-nag AwsSolutions with every finding fixed or acknowledged with a reason', () => {
    expect(() => app.synth()).not.toThrow();
  });

  it('passes cdk-nag as `cdk synth` builds it, with no account or region fixed', () => {
    expect(() => buildTestApp(TEST_CONFIG, { envAgnostic: true }).app.synth()).not.toThrow();
  });

  it('runs every function on the newest Node.js runtime on arm64 with tracing and JSON logs', () => {
    // The CDK custom-resource framework's own Lambda (look-ahead cleanup) is aws-cdk-lib's, not Prescale's.
    const functions = Object.values(template.findResources('AWS::Lambda::Function')).filter(
      (fn) => fn.Properties.Handler !== 'framework.onEvent',
    );
    expect(functions.length).toBeGreaterThanOrEqual(2);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON' },
      });
      expect(fn.Properties.Environment.Variables).toMatchObject({ POWERTOOLS_SERVICE_NAME: 'prescale' });
    }
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it("pins every function's application log level to INFO, below which its metrics are dropped", () => {
    // Powertools' EMF metric lines carry no `level`, which Lambda's log-level filtering takes for
    // INFO: at WARN or ERROR every metric would be dropped, PrescaleSilent firing and the rest silent.
    const functions = Object.values(template.findResources('AWS::Lambda::Function')).filter(
      (fn) => fn.Properties.Handler !== 'framework.onEvent',
    );
    const levels = new Set(functions.map((fn) => fn.Properties.LoggingConfig?.ApplicationLogLevel));
    expect([...levels]).toEqual(['INFO']);
  });

  it('starts the loop from a Scheduler schedule with a retry policy and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Target: {
        Input: JSON.stringify({ scheduledTime: '<aws.scheduler.scheduled-time>' }),
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 300 },
        DeadLetterConfig: { Arn: Match.anyValue() },
      },
    });
  });

  it("keeps a scheduled function's failed runs in its schedule's dead-letter queue, not only refused invocations", () => {
    // Scheduler invokes Lambda asynchronously: its DLQ sees only invocations Lambda refused.
    expect(scheduleTargetsWithoutOnFailure(template.toJSON() as CfnTemplate)).toEqual([]);
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule'));
    const configs = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig'));
    expect(schedules.length).toBeGreaterThanOrEqual(2);
    for (const schedule of schedules) {
      const target = schedule.Properties.Target;
      const config = configs.find(
        (c) =>
          JSON.stringify(c.Properties.FunctionName) === JSON.stringify({ Ref: target.Arn['Fn::GetAtt'][0] }),
      );
      expect(config?.Properties.DestinationConfig.OnFailure.Destination).toEqual(target.DeadLetterConfig.Arn);
      // Lambda's MaximumEventAgeInSeconds is 60–21600 (API_FunctionEventInvokeConfig).
      expect(config?.Properties.MaximumEventAgeInSeconds).toBeGreaterThanOrEqual(60);
      expect(config?.Properties.MaximumEventAgeInSeconds).toBeLessThanOrEqual(21600);
    }
  });

  it('feeds workers from a queue with partial batch failures, bounded concurrency and a DLQ', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { maxReceiveCount: 1, deadLetterTargetArn: Match.anyValue() },
    });
    // The simulation delivers the work as deployed.
    expect(GROUP_WORK_DELIVERY).toMatchObject({ batchSize: 10, maxReceiveCount: 1 });
  });

  it('keeps every queued message until its last delivery has timed out, so failures reach the dead-letter queue', () => {
    const queues = Object.values(template.findResources('AWS::SQS::Queue')).filter(
      (q) => q.Properties.RedrivePolicy,
    );
    expect(queues.length).toBeGreaterThan(0);
    for (const queue of queues) {
      const { VisibilityTimeout, MessageRetentionPeriod, RedrivePolicy } = queue.Properties;
      expect(MessageRetentionPeriod).toBeGreaterThan(VisibilityTimeout * RedrivePolicy.maxReceiveCount);
      // Expiry counts from when the item was first sent, so an item first received an hour late
      // (a backlog behind the worker's concurrency) that then fails still reaches the queue.
      expect(MessageRetentionPeriod).toBeGreaterThanOrEqual(
        VisibilityTimeout * RedrivePolicy.maxReceiveCount + 3600,
      );
    }
    // The worker's timeout fits in the visibility timeout (Lambda refuses the mapping otherwise).
    const worker = Object.values(template.findResources('AWS::Lambda::Function')).find((f) =>
      String(f.Properties.Description).includes('forecasts, plans and applies'),
    );
    const workQueue = queues[0] as { Properties: { VisibilityTimeout: number } };
    expect(worker?.Properties.Timeout).toBeLessThanOrEqual(workQueue.Properties.VisibilityTimeout);
  });

  it('keeps every dead-letter queue encrypted, TLS only, taking SQS’s largest message and holding it the SQS maximum of 14 days', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    const deadLetterIds = Object.keys(queues).filter((id) => !queues[id]?.Properties.RedrivePolicy);
    // The work queue's, the schedules', the campaign, rolling-update and update-plan request queues.
    expect(deadLetterIds.length).toBeGreaterThanOrEqual(5);
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy'));
    for (const id of deadLetterIds) {
      expect(queues[id]?.Properties).toMatchObject({
        MessageRetentionPeriod: 14 * 24 * 3600,
        SqsManagedSseEnabled: true,
        // What the simulated dead-letter queues are created with (SQS refuses a larger message).
        MaximumMessageSize: DEAD_LETTER_MAX_MESSAGE_BYTES,
      });
      const tlsOnly = policies.some(
        (p) =>
          JSON.stringify(p.Properties.Queues).includes(`"${id}"`) &&
          p.Properties.PolicyDocument.Statement.some(
            (st: { Effect: string; Condition?: { Bool?: Record<string, string> } }) =>
              st.Effect === 'Deny' && st.Condition?.Bool?.['aws:SecureTransport'] === 'false',
          ),
      );
      expect({ id, tlsOnly }).toEqual({ id, tlsOnly: true });
    }
  });

  it('deploys the dispatcher and the worker with the timeouts the simulation gives their invocations', () => {
    // A 10-minute schedule moves the worker's timeout off its floor, so the rate really reaches it.
    // Only read: kept for the run, as the alarm tests synthesize this rate too.
    const rated = synthesizedTemplate({ ...TEST_CONFIG, scheduleRateMinutes: 10 });
    const timeoutOf = (description: string) =>
      Object.values(rated.findResources('AWS::Lambda::Function')).find((f) =>
        String(f.Properties.Description).includes(description),
      )?.Properties.Timeout;
    expect(timeoutOf('forecasts, plans and applies')).toBe(workerTimeoutSeconds(10));
    expect(workerTimeoutSeconds(10)).toBe(570);
    expect(timeoutOf('queues one scaling run per enrolled group')).toBe(DISPATCHER_TIMEOUT_SECONDS);
  });

  it('keeps state in an encrypted on-demand table with TTL and point-in-time recovery', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      // The attribute every adapter writes its epoch-seconds expiry to.
      TimeToLiveSpecification: { AttributeName: STATE_KEYS.ttl, Enabled: true },
      Replicas: [
        Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
      ],
    });
  });

  it('limits every Auto Scaling mutation to enrolled groups by tag condition or group name', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) =>
        p.Properties.PolicyDocument.Statement as {
          Action: string | string[];
          Resource: unknown;
          Condition?: unknown;
        }[],
    );
    const mutating = statements.filter((s) =>
      [s.Action].flat().some((a) => /^autoscaling:(?!Describe)/.test(a)),
    );
    expect(mutating.length).toBeGreaterThan(0);
    for (const s of mutating) {
      const byTag = JSON.stringify(s.Condition ?? {}).includes('autoscaling:ResourceTag/prescale:enabled');
      const byName = JSON.stringify(s.Resource).includes('autoScalingGroupName/web');
      expect(byTag || byName || givesBackOwnGroup(s)).toBe(true);
      expect(s.Resource).not.toBe('*');
    }
  });

  it('synthesizes byte-identical templates twice in a row', () => {
    const again = Template.fromStack(buildTestApp().stack).toJSON();
    expect(JSON.stringify(again)).toBe(JSON.stringify(template.toJSON()));
  });

  it('subscribes notifications.email to the alarm topic, and nobody without it', () => {
    expect(template.findResources('AWS::SNS::Subscription')).toEqual({});
    const { app: withEmail, template: emailTemplate } = withEmailApp();
    emailTemplate().resourceCountIs('AWS::SNS::Subscription', 1);
    emailTemplate().hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: Match.anyValue(),
    });
    // cdk-nag passes on the configuration too.
    expect(() => withEmail.synth()).not.toThrow();
  });

  it('names the alarm topic in an output, and warns at synth when the stack subscribes no one to it', () => {
    // Without notifications.email every alarm publishes to a topic nobody reads.
    template.hasOutput('NotificationsTopicArn', {
      Value: { Ref: Match.stringLikeRegexp('NotificationsTopic') },
    });
    const noSubscriber = expect.stringMatching('subscribes no one');
    expect(synthWarnings(app, stack)).toContainEqual(noSubscriber);
    const withEmail = withEmailApp();
    withEmail.template();
    expect(synthWarnings(withEmail.app, withEmail.stack)).not.toContainEqual(noSubscriber);
  });

  it('names in outputs what the docs have an operator look up: state machines, the loop schedule and its group, the kill switch', () => {
    const logicalId = (type: string, fragment: string): string => {
      const ids = Object.keys(template.findResources(type)).filter((id) => id.includes(fragment));
      expect(ids).toHaveLength(1);
      return ids[0] as string;
    };
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.RollingUpdateStateMachineArn?.Value).toEqual({
      Ref: logicalId('AWS::StepFunctions::StateMachine', 'RollingUpdates'),
    });
    expect(outputs.UpdatePlanStateMachineArn?.Value).toEqual({
      Ref: logicalId('AWS::StepFunctions::StateMachine', 'UpdatePlans'),
    });
    // CDK gives the group a literal name; the loop's schedule is created in it.
    const group = template.findResources('AWS::Scheduler::ScheduleGroup')[
      logicalId('AWS::Scheduler::ScheduleGroup', 'RecurringSchedules')
    ];
    const loopSchedule = logicalId('AWS::Scheduler::Schedule', 'ScalingLoopSchedule');
    expect(outputs.RecurringScheduleGroupName?.Value).toBe(group?.Properties.Name);
    expect(template.findResources('AWS::Scheduler::Schedule')[loopSchedule]?.Properties.GroupName).toBe(
      group?.Properties.Name,
    );
    expect(outputs.ScalingLoopScheduleName?.Value).toEqual({ Ref: loopSchedule });
    expect(outputs.KillSwitchParameterName?.Value).toEqual({
      Ref: logicalId('AWS::SSM::Parameter', 'KillSwitch'),
    });
  });

  it('keeps the kill switch parameter as it is: an update of it writes "running" over a paused fleet', () => {
    // The Value is required (AWS::SSM::Parameter) and CloudFormation owns it. An operator pauses with
    // put-parameter --value paused; a deploy that updates this resource (any property: description,
    // tags, type) or replaces it (another logical ID) writes "running" back, and the next run resumes
    // every group without a word. Change it only with a note in docs/OPERATIONS.md's upgrade notes
    // telling operators to check the switch after that deploy ("The kill switch across a deploy").
    const parameters = template.findResources('AWS::SSM::Parameter');
    const [id, killSwitch] = Object.entries(parameters).find(([key]) => key.includes('KillSwitch')) ?? [];
    const pinned = {
      id: 'PrescaleScalingLoopKillSwitch13B5C22C',
      Properties: {
        Description:
          'Any value but "running" (e.g. "paused") stops Prescale changing any group; "running" resumes.',
        Type: 'String',
        Value: 'running',
      },
    };
    const now = { id, Properties: killSwitch?.Properties };
    const changed =
      JSON.stringify(now) === JSON.stringify(pinned)
        ? []
        : [
            {
              consequence:
                'the deploy of this change writes "running" over a kill switch an operator set to "paused": add an upgrade note telling operators to check it after that deploy, then update the pin',
              pinned,
              now,
            },
          ];
    expect(changed).toEqual([]);
  });

  it('fails synth on a bad configuration, naming each field, the value and what was expected', () => {
    const bad = { groups: { names: [] }, scheduleRateMinutes: 0, defaults: { targetLoadPerInstance: -5 } };
    let error: unknown;
    try {
      new PrescaleStack(new App({ outdir: testOutdir() }), 'Bad', {
        config: bad as never,
        configSource: 'cdk.json context "prescale"',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidConfigError);
    const message = (error as Error).message;
    expect(message).toContain('Invalid cdk.json context "prescale": 3 problem(s)');
    expect(message).toContain('groups: expected at least one group name or an enrolment tag');
    expect(message).toContain('scheduleRateMinutes: Too small: expected number to be >=1; received 0');
    expect(message).toContain(
      'defaults.targetLoadPerInstance: Too small: expected number to be >0; received -5',
    );
  });

  it('fails synth on a misspelt or misplaced setting instead of deploying its default, with the bad values too', () => {
    const misspelt = {
      groups: { tag: { key: 'prescale:enabled', value: 'true' } },
      scheduleRateMinute: 15,
      defaults: { floorCapacty: 3, metric: { kind: 'cpu', namespace: 'Custom' } },
      groupOverrides: { 'web.blue': { horizonHour: 12 } },
      pricing: { diversifyAcross: 0 },
    };
    let error: unknown;
    try {
      new PrescaleStack(new App({ outdir: testOutdir() }), 'Misspelt', {
        config: misspelt as never,
        configSource: 'cdk.json context "prescale"',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidConfigError);
    const lines = (error as InvalidConfigError).problems.map((p) => `${p.path} ← ${p.received}`);
    expect(lines.sort()).toEqual(
      [
        'defaults.floorCapacty ← 3',
        'defaults.metric.namespace ← "Custom"',
        'groupOverrides.web.blue.horizonHour ← 12',
        'pricing.diversifyAcross ← 0',
        'scheduleRateMinute ← 15',
      ].sort(),
    );
    expect((error as Error).message).toContain(
      'scheduleRateMinute: a setting Prescale knows (this key is not one',
    );
  });

  it('grants Timestream reads on the configured table only when it is the history source', () => {
    const { template: t, app: a } = buildTestApp({
      ...TEST_CONFIG,
      historySource: 'timestream',
      timestream: { database: 'ops', table: 'load', measureName: 'cpu_units' },
    });
    const selects = Object.values(t().findResources('AWS::IAM::Policy')).flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[]).filter(
        (s) => s.Action === 'timestream:Select',
      ),
    );
    expect(selects.length).toBeGreaterThanOrEqual(2);
    for (const s of selects) expect(JSON.stringify(s.Resource)).toContain('database/ops/table/load');
    expect(() => a.synth()).not.toThrow();
    expect(JSON.stringify(template.toJSON())).not.toContain('timestream:Select');
  });

  it('uses the configured schedule rate', () => {
    const rated = synthesizedTemplate({ ...TEST_CONFIG, scheduleRateMinutes: 15 });
    rated.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(15 minutes)' });
  });
});
