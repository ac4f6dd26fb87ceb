import { Match, type Template } from 'aws-cdk-lib/assertions';
import { publishGroupRunMetrics } from '../../functions/scale-groups/publish-group-run-metrics';
import type { Observability } from '../../shared/aws/powertools';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../shared/contracts/env';
import type { RunOutcome } from '../../shared/ports/state-store';
import { userGuideEvaluationRange } from '../../shared/simulation/world/metric-alarm-evaluation';
import type { GroupRunResult } from '../../shared/usecases/scale-groups';
import { ranGroupRun } from '../fixtures/group-run-result';
import { synthesizedTemplate, TEST_CONFIG, TEST_STACK_NAME } from '../helpers/build-test-app';
import { isEmitted } from '../helpers/emitted-metrics';
import { alarmStateChanges, synthesizedAlarm } from '../helpers/synthesized-alarm';

describe('OperationsDashboard', () => {
  const template = synthesizedTemplate();

  it('builds one dashboard with forecast, load and capacity from the worker logs, fleet-wide and per group', () => {
    const dashboards = template.findResources('AWS::CloudWatch::Dashboard');
    expect(Object.keys(dashboards)).toHaveLength(1);
    const titles = dashboardWidgets(template).map((w) => w.properties.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        'Forecast band vs actual load, fleet (mean of the group runs)',
        'Planned vs in-service capacity, fleet (mean of the group runs)',
        'Per group, latest run',
      ]),
    );
  });

  it('draws over time only queries grouped by bin() alone, the only ones Logs Insights draws as lines', () => {
    // "The following query does not generate a visualization, because it contains more than one
    // grouping field: stats avg(myfield1) by bin(5m), myfield4" (CloudWatch Logs User Guide, stats).
    const drawn = dashboardWidgets(template).filter(
      (w) => w.type === 'log' && w.properties.view === 'timeSeries',
    );
    expect(drawn.length).toBeGreaterThanOrEqual(2);
    for (const widget of drawn) {
      const stats = queryCommands(widget).filter((command) => command.startsWith('stats '));
      const groupings = stats.map((command) => command.slice(command.lastIndexOf(' by ') + ' by '.length));
      expect({ title: widget.properties.title, groupings }).toEqual({
        title: widget.properties.title,
        groupings: [expect.stringMatching(/^bin\(\d+[a-z]+\)$/)],
      });
    }
  });

  it("tables each group's latest forecast, load and capacity, one row a group", () => {
    const table = dashboardWidgets(template).find((w) => w.properties.title === 'Per group, latest run');
    expect(table?.properties.view).toBe('table');
    const stats = table ? queryCommands(table).filter((command) => command.startsWith('stats ')) : [];
    expect(stats).toHaveLength(1);
    expect(stats[0]).toMatch(/ by groupName$/);
    for (const field of [
      'forecastMedianNow',
      'forecastPlannedNow',
      'actualLoad',
      'plannedCapacity',
      'inServiceCapacity',
    ])
      expect(stats[0]).toContain(`latest(${field})`);
  });

  it("with groupMetrics 'metrics', charts each group's published metrics over time, and not without", () => {
    const searches = (t: Template) =>
      dashboardWidgets(t).flatMap((w) =>
        ((w.properties.metrics ?? []) as unknown[][]).flatMap((row) =>
          row.flatMap((cell) =>
            typeof cell === 'object' && cell !== null && 'expression' in cell
              ? [String((cell as { expression: unknown }).expression)]
              : [],
          ),
        ),
      );
    expect(searches(template).filter((e) => e.startsWith('SEARCH('))).toEqual([]);
    const perGroup = searches(synthesizedTemplate({ ...TEST_CONFIG, groupMetrics: 'metrics' })).filter((e) =>
      e.startsWith('SEARCH('),
    );
    const names = perGroup.map((e) => /MetricName="(\w+)"/.exec(e)?.[1]);
    expect(names.sort()).toEqual(
      ['ActualCapacity', 'ActualLoad', 'ForecastP50', 'ForecastPlanned', 'PlannedCapacity'].sort(),
    );
    expect(names.filter((name) => !isEmitted(name ?? ''))).toEqual([]);
    for (const expression of perGroup) {
      expect(expression).toContain(`{${METRICS_NAMESPACE},GroupName,deployment,service}`);
      expect(expression).toContain(`deployment="${TEST_STACK_NAME}" service="${SERVICE_NAME}"`);
    }
  });

  it('labels each line of the Lambda errors and throttles chart with the function it counts', () => {
    const body = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties
      .DashboardBody;
    const text = (body['Fn::Join'][1] as unknown[])
      .map((part) => (typeof part === 'string' ? part : '"<token>"'))
      .join('');
    const widget = text.slice(text.indexOf('"title":"Lambda errors and throttles"'));
    const metrics = widget.slice(0, widget.indexOf(']]') + 2);
    const lines = metrics.match(/\["AWS\/Lambda","(Errors|Throttles)"/g) ?? [];
    const labels = metrics.match(/"label":"[^"]*"/g) ?? [];
    expect(lines.length).toBeGreaterThanOrEqual(2 * 15);
    expect(labels).toHaveLength(lines.length);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels).toContain('"label":"ScalingLoop/Worker errors"');
    expect(labels).toContain('"label":"InstanceTypes throttles"');
  });

  it.each([
    ['ForecastRelativeError', 35],
    ['DemandAboveMaxSize', 0],
    ['LaunchFailures', 0],
    ['GroupRunFailed', 0],
  ])('alarms on %s above %d and notifies the topic', (metricName, threshold) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: metricName,
      Namespace: 'Prescale',
      Threshold: threshold,
      AlarmActions: [Match.objectLike({ Ref: Match.stringLikeRegexp('NotificationsTopic') })],
    });
  });

  it.each([1, 5, 15])(
    'at a %d-minute loop, alarms on the share of group runs throttled, not a count, and notifies the topic',
    (rateMinutes) => {
      const rated = synthesizedTemplate({ ...TEST_CONFIG, scheduleRateMinutes: rateMinutes });
      const ofInterval = (metricName: string) => ({
        Id: Match.anyValue(),
        MetricStat: {
          Metric: Match.objectLike({ Namespace: METRICS_NAMESPACE, MetricName: metricName }),
          Period: rateMinutes * 60,
          Stat: 'Sum',
        },
        ReturnData: false,
      });
      rated.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Metrics: Match.arrayWith([
          Match.objectLike({ Expression: 'IF(runs > 0, throttled / runs, 0)', ReturnData: true }),
          Match.objectLike({ ...ofInterval('Throttled'), Id: 'throttled' }),
          Match.objectLike({ ...ofInterval('GroupRuns'), Id: 'runs' }),
        ]),
        Threshold: 0.2,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 2,
        TreatMissingData: 'notBreaching',
        AlarmActions: [Match.objectLike({ Ref: Match.stringLikeRegexp('NotificationsTopic') })],
      });
    },
  );

  it("alarms on and charts only metrics a function emits, in the functions' namespace and service dimension", () => {
    const alarms = prescaleMetricsAlarmed(template);
    expect(alarms.length).toBeGreaterThan(4);
    expect(alarms.map((a) => a.MetricName)).toEqual(expect.arrayContaining(['Throttled', 'GroupRuns']));
    for (const alarm of alarms) {
      expect({ metric: alarm.MetricName, emitted: isEmitted(alarm.MetricName) }).toEqual({
        metric: alarm.MetricName,
        emitted: true,
      });
      expect(alarm.Dimensions).toEqual([
        { Name: 'deployment', Value: TEST_STACK_NAME },
        { Name: 'service', Value: SERVICE_NAME },
      ]);
    }
    const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]);
    // In the stringified body each metric reads [\"Prescale\",\"Name\",\"service\",…].
    const metricRow = new RegExp(String.raw`\[\\"${METRICS_NAMESPACE}\\",\\"([A-Za-z_-]+)\\"`, 'g');
    const charted = [...body.matchAll(metricRow)].map((m) => m[1] as string);
    expect(charted.length).toBeGreaterThan(5);
    expect(charted.filter((name) => !isEmitted(name))).toEqual([]);
  });

  it("keeps two deployments' alarms in one account and region on metrics of their own", () => {
    const watched = (deployment: Template) =>
      prescaleMetricsAlarmed(deployment).map((p) => JSON.stringify([p.MetricName, p.Dimensions]));
    // Production is the default stack (TEST_STACK_NAME), whose template the other tests read.
    const staging = watched(synthesizedTemplate(TEST_CONFIG, { stackName: 'PrescaleStaging' }));
    const production = new Set(watched(template));
    expect(staging.length).toBeGreaterThan(4);
    // One's StaleGroups datapoints would otherwise keep the other's "Prescale silent" alarm OK.
    expect(staging.filter((metric) => production.has(metric))).toEqual([]);
  });

  it('charts, under "Actions taken", the count of every way a group run can end', () => {
    const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]);
    const actions = body.slice(body.indexOf('Actions taken'), body.indexOf('Last changes'));
    const charted = [...actions.matchAll(/\\"(Outcome_[\w-]+)\\"/g)].map((m) => m[1] as string);
    expect([...new Set(charted)].sort()).toEqual([...outcomeMetricsOfEveryRunKind()].sort());
  });

  it("queries only fields the worker's 'group run' log line carries", () => {
    const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]);
    const queries = [...body.matchAll(/filter message = 'group run'[^"]*/g)].map((m) => m[0]);
    expect(queries.length).toBeGreaterThanOrEqual(3);
    const fields = queries.flatMap((q) => [
      ...[...q.matchAll(/(?:avg|max|min|sum|latest)\(([\w.]+)\)/g)].map((m) => m[1] as string),
      ...[...q.matchAll(/ by bin\(\w+\), ([\w.]+)/g)].map((m) => m[1] as string),
      ...[...q.matchAll(/ and ([\w.]+) = '/g)].map((m) => m[1] as string),
      ...[...q.matchAll(/\| fields ([^\\]+)/g)].flatMap((m) => (m[1] as string).split(', ')),
    ]);
    const logged = groupRunLogLine();
    const missing = [...new Set(fields)]
      .filter((f) => !f.startsWith('@'))
      .filter(
        (f) =>
          f.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], logged) ===
          undefined,
      );
    expect(fields.length).toBeGreaterThan(8);
    expect(missing).toEqual([]);
  });

  describe('Held groups (latest reason)', () => {
    const held = dashboardWidgets(template).find((w) => w.properties.title === 'Held groups (latest reason)');
    const commands = held ? queryCommands(held) : [];
    const heldRun = ranGroupRun({ outcome: { kind: 'held', reason: 'paused by tag' } });
    const later: Record<Exclude<GroupRunResult['kind'], 'ran'> | RunOutcome['kind'], GroupRunResult> = {
      applied: ranGroupRun({
        outcome: {
          kind: 'applied',
          before: { minSize: 2, maxSize: 10, desiredCapacity: 2 },
          after: { minSize: 4, maxSize: 10, desiredCapacity: 4 },
          reason: 'pre-warm',
        },
      }),
      unchanged: ranGroupRun({ outcome: { kind: 'unchanged', reason: 'ok' } }),
      'dry-run': ranGroupRun({ outcome: { kind: 'dry-run', reason: 'dry run', wouldSet: { minSize: 4 } } }),
      held: ranGroupRun({ outcome: { kind: 'held', reason: 'EC2 predictive scaling policy' } }),
      failed: { kind: 'failed', groupName: 'web', tickMs: 0, error: new Error('boom') },
      'no-history': { kind: 'no-history', groupName: 'web', reason: 'no metrics' },
      'not-found': { kind: 'not-found', groupName: 'web' },
      'not-enrolled': { kind: 'not-enrolled', groupName: 'web' },
      duplicate: { kind: 'duplicate', groupName: 'web' },
    };

    it('lists a group whose latest run was held, with its reason', () => {
      expect(heldGroupsOf(commands, [heldRun])).toEqual([{ groupName: 'web', reason: 'paused by tag' }]);
    });

    it.each([
      'applied',
      'unchanged',
      'dry-run',
      'failed',
      'no-history',
      'not-found',
      'not-enrolled',
    ] as const)('no longer lists a held group once a later run of it ends %s', (kind) => {
      expect(heldGroupsOf(commands, [heldRun, later[kind]])).toEqual([]);
    });

    it('keeps listing a held group after a duplicate run, which says nothing of the group', () => {
      expect(heldGroupsOf(commands, [heldRun, later.duplicate])).toEqual([
        { groupName: 'web', reason: 'paused by tag' },
      ]);
    });

    it('lists the newest reason of a group held again, and one released then held again', () => {
      expect(heldGroupsOf(commands, [heldRun, later.held])).toEqual([
        { groupName: 'web', reason: 'EC2 predictive scaling policy' },
      ]);
      expect(heldGroupsOf(commands, [heldRun, later.failed, heldRun])).toEqual([
        { groupName: 'web', reason: 'paused by tag' },
      ]);
    });
  });

  // When "Prescale silent" fires is judged on what the dispatcher logs (prescale-silent-alarm.test.ts).
  it('notifies the topic when Prescale is silent', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'StaleGroups',
      AlarmActions: [Match.objectLike({ Ref: Match.stringLikeRegexp('NotificationsTopic') })],
    });
  });

  it('alarms when launches failed in two loop intervals running, one period per interval', () => {
    const alarmOf = (t: typeof template) =>
      Object.values(t.findResources('AWS::CloudWatch::Alarm'))
        .map((a) => a.Properties)
        .find((p) => p.MetricName === 'LaunchFailures');
    expect(alarmOf(template)).toMatchObject({ Statistic: 'Sum', Period: 300, EvaluationPeriods: 2 });
    const rated = synthesizedTemplate({ ...TEST_CONFIG, scheduleRateMinutes: 15 });
    expect(alarmOf(rated)).toMatchObject({ Period: 900, EvaluationPeriods: 2 });
  });

  it.each([1, 5, 15, 60])(
    'at a %d-minute loop, alarms on per-run metrics over periods no shorter than the interval',
    (rateMinutes) => {
      // A run emits its counts once per interval; a period without one is missing data, which
      // breaks (notBreaching) or fakes (breaching) a run of consecutive breaching periods, and
      // returns a one-period alarm to OK between runs, so a lasting condition re-notifies every run.
      // pricing.apply: the prices-fallback alarm is made only then.
      const rated = synthesizedTemplate({
        ...TEST_CONFIG,
        scheduleRateMinutes: rateMinutes,
        pricing: { apply: true },
      });
      const alarms = prescaleMetricsAlarmed(rated);
      expect(alarms.map((p) => p.MetricName).sort()).toEqual(
        [
          'DemandAboveMaxSize',
          'ForecastRelativeError',
          'GroupRunFailed',
          'GroupRuns',
          'GroupsReleaseFailed',
          'InstanceTypes_failed',
          'InstanceTypes_pricesFallback',
          'LaunchFailures',
          'LookAheadShort',
          'NamedGroupsNotFound',
          'NoHistory',
          'StaleGroups',
          'StaleHistory',
          'Throttled',
        ].sort(),
      );
      const tooShort = alarms.filter((p) => p.Period < rateMinutes * 60).map((p) => p.MetricName);
      expect(tooShort).toEqual([]);
    },
  );

  it.each([1, 5, 15, 60])(
    'at a %d-minute loop, alarms on a group without load history after about an hour of intervals, naming the fixes',
    (rateMinutes) => {
      const rated = synthesizedTemplate({ ...TEST_CONFIG, scheduleRateMinutes: rateMinutes });
      const alarm = Object.values(rated.findResources('AWS::CloudWatch::Alarm'))
        .map((a) => a.Properties)
        .find((p) => p.MetricName === 'NoHistory');
      expect(alarm).toMatchObject({
        Statistic: 'Sum',
        Period: rateMinutes * 60,
        Threshold: 0,
        TreatMissingData: 'notBreaching',
        AlarmActions: [expect.objectContaining({ Ref: expect.stringMatching(/NotificationsTopic/) })],
      });
      // A new group's first datapoints come within minutes: an hour of none is a mistake to fix.
      const minutes = alarm?.EvaluationPeriods * rateMinutes;
      expect({ rateMinutes, minutes, atLeastTwo: alarm?.EvaluationPeriods >= 2 }).toEqual({
        rateMinutes,
        minutes: Math.max(60, 2 * rateMinutes),
        atLeastTwo: true,
      });
      for (const fix of ['enable-metrics-collection', 'custom metric', 'target group'])
        expect(alarm?.AlarmDescription).toContain(fix);
    },
  );

  it('alarms when a look-ahead covers less than configured in three intervals running', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'LookAheadShort',
      EvaluationPeriods: 3,
      Threshold: 0,
      TreatMissingData: 'notBreaching',
      AlarmActions: [Match.objectLike({ Ref: Match.stringLikeRegexp('NotificationsTopic') })],
    });
  });

  it('grants the look-ahead batch calls on enrolled groups only, and DescribeScheduledActions on *', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) =>
        p.Properties.PolicyDocument.Statement as {
          Action: string | string[];
          Resource: unknown;
          Condition?: unknown;
        }[],
    );
    const batch = statements.filter((st) =>
      [st.Action].flat().includes('autoscaling:BatchPutScheduledUpdateGroupAction'),
    );
    expect(batch.length).toBeGreaterThan(0);
    for (const st of batch) {
      expect([st.Action].flat()).toContain('autoscaling:BatchDeleteScheduledAction');
      expect(st.Resource).not.toBe('*');
    }
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: 'autoscaling:DescribeScheduledActions', Resource: '*' }),
    );
  });

  it("names the failing function in its errors alarm's description, which the notification carries", () => {
    const errorAlarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
      .map((a) => a.Properties)
      .filter((p) => p.Namespace === 'AWS/Lambda' && p.MetricName === 'Errors');
    expect(errorAlarms.length).toBeGreaterThan(5);
    for (const alarm of errorAlarms) {
      const [dimension] = alarm.Dimensions as { Value: unknown }[];
      expect(JSON.stringify(alarm.AlarmDescription)).toContain(JSON.stringify(dimension?.Value));
    }
  });

  it('alarms when messages arrive in a dead-letter queue, not on the messages it keeps', () => {
    const dlqAlarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter(
      (a) => a.Properties.MetricName === 'NumberOfMessagesSent',
    );
    expect(dlqAlarms.length).toBeGreaterThanOrEqual(5);
    for (const alarm of dlqAlarms) expect(alarm.Properties.Threshold).toBe(0);
    // The work queue's, which SQS fills: the rise of its visible messages, in 3 loop intervals running.
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'DIFF(FILL(visible, 0))', ReturnData: true }),
        Match.objectLike({
          Id: 'visible',
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ MetricName: 'ApproximateNumberOfMessagesVisible' }),
            Period: 300,
            Stat: 'Maximum',
          }),
        }),
      ]),
      EvaluationPeriods: 3,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('charts every dead-letter queue on the dashboard, the campaign one included', () => {
    const consumed = JSON.stringify(template.findResources('AWS::Lambda::EventSourceMapping'));
    const deadLetterQueues = Object.keys(template.findResources('AWS::SQS::Queue')).filter(
      (id) => !consumed.includes(`"${id}"`),
    );
    expect(deadLetterQueues.some((id) => id.startsWith('PrescaleCampaigns'))).toBe(true);
    const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]);
    expect(deadLetterQueues.filter((id) => !body.includes(`"${id}"`))).toEqual([]);
  });

  it('notifies each new dead letter of a queue that keeps them 14 days, read or not', () => {
    const [logicalId] = Object.keys(
      template.findResources('AWS::CloudWatch::Alarm', {
        Properties: { AlarmDescription: Match.stringLikeRegexp('RollingUpdateRequests dead-letter queue') },
      }),
    );
    const alarm = synthesizedAlarm(template, logicalId as string);
    const HOUR = 3_600_000;
    const createdMs = Date.parse('2026-03-02T00:00:00Z');
    // One rejected request at 01:00, read and left in the queue; another at 03:00. SQS reports
    // each 5 minutes the messages sent in it and, while the queue is active, the messages visible.
    const sentAt = [createdMs + HOUR, createdMs + 3 * HOUR];
    const points = [];
    for (let t = createdMs; t < createdMs + 4 * HOUR; t += 5 * 60_000) {
      const sent = sentAt.filter((s) => s >= t && s < t + 5 * 60_000).length;
      const visible = sentAt.filter((s) => s < t + 5 * 60_000).length;
      const value = alarm.metric.metricName === 'NumberOfMessagesSent' ? sent : visible;
      points.push({ timestampMs: t, value, readableFromMs: t + 6 * 60_000 });
    }
    const changes = alarmStateChanges(points, alarm, {
      createdMs,
      untilMs: createdMs + 4 * HOUR,
      rangePeriods: userGuideEvaluationRange(alarm.rule.evaluationPeriods),
      evaluationOffsetMs: 5_000,
    });
    expect(changes.filter((c) => c.state === 'ALARM')).toHaveLength(2);
  });

  it.each(['ExecutionsFailed', 'ExecutionsAborted', 'ExecutionsTimedOut'])(
    'notifies the topic of every state machine execution counted in %s, and charts it',
    (metricName) => {
      // Stopped and timed-out executions run no Catch: no rollback, no undo, locks left held.
      const stateMachines = Object.keys(template.findResources('AWS::StepFunctions::StateMachine'));
      expect(stateMachines).toHaveLength(2);
      const alarmed = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
        .map((a) => a.Properties)
        .filter((p) => p.Namespace === 'AWS/States' && p.MetricName === metricName)
        .filter((p) => p.Threshold === 0 && p.Statistic === 'Sum')
        .filter((p) => JSON.stringify(p.AlarmActions).includes('NotificationsTopic'))
        .map((p) => (p.Dimensions as { Value: { Ref: string } }[])[0]?.Value.Ref);
      expect(alarmed.sort()).toEqual([...stateMachines].sort());
      const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]);
      expect(body.split(`\\"${metricName}\\"`).length - 1).toBe(stateMachines.length);
    },
  );

  it('encrypts the notification topic with a rotating customer-managed key', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it("lets only this account's alarms use the topic's key, and no EventBridge rule publish to the topic", () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': '123456789012' },
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::Join': [
                    '',
                    ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:eu-west-1:123456789012:alarm:*'],
                  ],
                },
              },
            },
          }),
        ]),
      },
    });
    // SNS's guide: those conditions on the key are "not supported for EventBridge-to-encrypted topics".
    const targets = JSON.stringify(
      Object.values(template.findResources('AWS::Events::Rule')).map((r) => r.Properties.Targets),
    );
    expect(targets).not.toMatch(/NotificationsTopic/);
  });
});

/** The `Outcome_…` metrics the worker emits over one run of every result kind and outcome kind. */
function outcomeMetricsOfEveryRunKind(): Set<string> {
  const names = new Set<string>();
  const single = { addDimension: () => undefined, addMetric: () => undefined };
  const observability = {
    metrics: { addMetric: (name: string) => names.add(name), singleMetric: () => single },
    logger: { info: () => undefined, error: () => undefined, warn: () => undefined },
    tracer: {},
  } as unknown as Observability;
  const size = { minSize: 2, maxSize: 10, desiredCapacity: 2 };
  // Records keyed by every kind: a new kind fails to compile here until it is listed.
  const outcomes: Record<RunOutcome['kind'], RunOutcome> = {
    applied: { kind: 'applied', before: size, after: { ...size, minSize: 4 }, reason: 'pre-warm' },
    unchanged: { kind: 'unchanged', reason: 'ok' },
    held: { kind: 'held', reason: 'paused' },
    'dry-run': { kind: 'dry-run', reason: 'dry run', wouldSet: { minSize: 4 } },
  };
  const results: Record<Exclude<GroupRunResult['kind'], 'ran'>, GroupRunResult> = {
    duplicate: { kind: 'duplicate', groupName: 'web' },
    'no-history': { kind: 'no-history', groupName: 'web', reason: 'no metrics' },
    'not-found': { kind: 'not-found', groupName: 'web' },
    'not-enrolled': { kind: 'not-enrolled', groupName: 'web' },
    failed: { kind: 'failed', groupName: 'web', tickMs: 0, error: new Error('boom') },
  };
  for (const outcome of Object.values(outcomes))
    publishGroupRunMetrics(observability, ranGroupRun({ outcome }), 'logs');
  for (const result of Object.values(results)) publishGroupRunMetrics(observability, result, 'logs');
  return new Set([...names].filter((name) => name.startsWith('Outcome_')));
}

/** The payload of the worker's 'group run' log line for an applied run, as the handler logs it. */
function groupRunLogLine(): Record<string, unknown> {
  const lines: Record<string, unknown>[] = [];
  const single = { addDimension: () => undefined, addMetric: () => undefined };
  const observability = {
    metrics: { addMetric: () => undefined, singleMetric: () => single },
    logger: {
      info: (message: string, payload: Record<string, unknown>) => {
        if (message === 'group run') lines.push(payload);
      },
      error: () => undefined,
      warn: () => undefined,
    },
    tracer: {},
  } as unknown as Observability;
  const size = { minSize: 2, maxSize: 10, desiredCapacity: 2 };
  const applied = ranGroupRun({
    outcome: { kind: 'applied', before: size, after: { ...size, minSize: 4 }, reason: 'pre-warm' },
    plannedCapacity: 4,
    inServiceCapacity: 2,
  });
  publishGroupRunMetrics(observability, applied, 'logs');
  expect(lines).toHaveLength(1);
  return lines[0] as Record<string, unknown>;
}

/** A widget of the dashboard body, its CloudFormation references written as `<token>`. */
interface DashboardWidget {
  readonly type: string;
  readonly properties: { readonly title?: string; readonly view?: string; readonly query?: string } & Record<
    string,
    unknown
  >;
}

/** The widgets of the template's dashboard. */
function dashboardWidgets(t: Template): DashboardWidget[] {
  const body = Object.values(t.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties.DashboardBody;
  const text =
    typeof body === 'string'
      ? body
      : (body['Fn::Join'][1] as unknown[])
          .map((part) => (typeof part === 'string' ? part : '<token>'))
          .join('');
  return (JSON.parse(text) as { widgets: DashboardWidget[] }).widgets;
}

/** A log widget's query commands after its `SOURCE`, e.g. `stats max(x) by bin(5m)`. */
function queryCommands(widget: DashboardWidget): string[] {
  const [first = '', ...rest] = (widget.properties.query ?? '').split('\n| ');
  return [first.replace(/^(SOURCE '[^']*' \| )+/, ''), ...rest];
}

/** The log lines of a worker publishing `results` in turn, one a minute, flattened as Logs Insights reads them. */
function workerLogLines(results: readonly GroupRunResult[]): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  const single = { addDimension: () => undefined, addMetric: () => undefined };
  const log = (message: string, payload: Record<string, unknown>) =>
    lines.push({ ...flattened({ ...payload }), message, '@timestamp': lines.length * 60_000 });
  const observability = {
    metrics: { addMetric: () => undefined, singleMetric: () => single },
    logger: { info: log, warn: log, error: log },
    tracer: {},
  } as unknown as Observability;
  for (const result of results) publishGroupRunMetrics(observability, result, 'logs');
  return lines;
}

/** `{ outcome: { kind: 'held' } }` as Logs Insights names its fields: `{ 'outcome.kind': 'held' }`. */
function flattened(value: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value).flatMap(([key, v]) =>
      typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Error)
        ? Object.entries(flattened(v as Record<string, unknown>, `${prefix}${key}.`))
        : [[`${prefix}${key}`, v]],
    ),
  );
}

/**
 * The rows the Held groups query returns over the log lines of `results`, run by a small reading
 * of the Logs Insights commands it uses (`filter` with `=`, `!=`, `in`, `and`; `fields` with
 * `coalesce`; one `stats` of `latest` and `max` by one field; `sort`; `limit`). Any other command
 * throws, so a changed query cannot pass unread. A comparison on a missing field matches nothing.
 */
function heldGroupsOf(
  commands: readonly string[],
  results: readonly GroupRunResult[],
): Record<string, unknown>[] {
  let rows = workerLogLines(results);
  const literal = (text: string) => /^'([^']*)'$/.exec(text.trim())?.[1];
  const condition = (text: string) => (row: Record<string, unknown>) =>
    text.split(' and ').every((term) => {
      const inList = /^([\w.@]+) in \[(.*)\]$/.exec(term.trim());
      if (inList)
        return inList[2]
          ?.split(',')
          .map(literal)
          .includes(row[inList[1] as string] as string);
      const compare = /^([\w.@]+) (=|!=) ('[^']*')$/.exec(term.trim());
      if (!compare)
        throw new Error(`filter term "${term}": expected field = 'v', field != 'v' or field in [...]`);
      const value = row[compare[1] as string];
      if (value === undefined) return false;
      return compare[2] === '='
        ? value === literal(compare[3] as string)
        : value !== literal(compare[3] as string);
    });
  for (const command of commands) {
    const [verb, ...rest] = command.split(' ');
    const args = rest.join(' ');
    if (verb === 'filter') rows = rows.filter(condition(args));
    else if (verb === 'fields') {
      const coalesce = /^coalesce\(([^)]*)\) as (\w+)$/.exec(args);
      if (!coalesce) throw new Error(`fields "${args}": expected coalesce(a, b, …) as name`);
      const sources = (coalesce[1] as string).split(',').map((f) => f.trim());
      rows = rows.map((row) => ({
        ...row,
        [coalesce[2] as string]: sources.map((f) => row[f]).find((v) => v !== undefined),
      }));
    } else if (verb === 'stats') {
      const [aggregates = '', by = ''] = args.split(' by ');
      const groups = new Map<unknown, Record<string, unknown>[]>();
      for (const row of rows) groups.set(row[by], [...(groups.get(row[by]) ?? []), row]);
      rows = [...groups].map(([key, members]) => {
        const newest = members.reduce((a, b) =>
          (b['@timestamp'] as number) >= (a['@timestamp'] as number) ? b : a,
        );
        const out: Record<string, unknown> = { [by]: key };
        for (const aggregate of aggregates.split(', ')) {
          const m = /^(latest|max)\(([\w.@]+)\) as (\w+)$/.exec(aggregate);
          if (!m)
            throw new Error(`stats "${aggregate}": expected latest(field) as name or max(field) as name`);
          out[m[3] as string] = m[1] === 'latest' ? newest[m[2] as string] : newest['@timestamp'];
        }
        return out;
      });
    } else if (verb === 'sort' || verb === 'limit') continue;
    else throw new Error(`query command "${command}": not one this reading knows`);
  }
  return rows.map((row) => ({ groupName: row.groupName, reason: row.reason }));
}

/** An alarmed metric of Prescale's namespace: a metric alarm's own, or one a metric-math alarm reads. */
interface AlarmedMetric {
  readonly MetricName: string;
  readonly Dimensions: unknown;
  readonly Period: number;
}

/** Every metric of Prescale's namespace the template's alarms watch or read. */
function prescaleMetricsAlarmed(t: Template): AlarmedMetric[] {
  return Object.values(t.findResources('AWS::CloudWatch::Alarm')).flatMap(({ Properties: p }) => {
    const queries = (p.Metrics ?? []) as {
      MetricStat?: { Metric: Record<string, unknown>; Period: number };
    }[];
    const read: Record<string, unknown>[] = queries.flatMap((query) =>
      query.MetricStat ? [{ ...query.MetricStat.Metric, Period: query.MetricStat.Period }] : [],
    );
    if (p.MetricName) read.push(p);
    return read
      .filter((metric) => metric.Namespace === METRICS_NAMESPACE)
      .map((metric) => ({
        MetricName: metric.MetricName as string,
        Dimensions: metric.Dimensions,
        Period: metric.Period as number,
      }));
  });
}
