import type { IConstruct } from 'constructs';
import { GROUP, idOf, ROLE, synth } from './deployed-permissions-setup';
import { ACCOUNT, arnOf, evaluate, PARTITION, REGION } from './template-iam';

/**
 * The synthesized template's own policies, evaluated for the concrete requests Prescale's code and
 * AWS's services make (iam-simulate): service deliveries, trust and each function's own calls, and
 * the event bus policy of listed senders. What must be allowed is, what must not be is denied. The
 * enrolment scoping (tag, names, role path) is in deployed-permissions.test.ts.
 */

describe('deployed permissions, service deliveries and trust', () => {
  const { stack, json, scaler } = synth({
    groups: { tag: { key: 'prescale:enabled', value: 'true' } },
    mode: 'forecast-and-scale',
  });
  const resourceOf = (type: string, prefix: string) =>
    Object.entries(json.Resources).find(([id, r]) => r.Type === type && id.startsWith(prefix))?.[1]
      .Properties as Record<string, unknown>;
  const topicArn = arnOf(json, idOf(stack, scaler.notifications.topic));
  const alarm = `arn:${PARTITION}:cloudwatch:${REGION}:${ACCOUNT}:alarm:PrescaleDeadLetters`;
  const fromAlarm = (account: string) => ({
    'aws:SourceAccount': account,
    'aws:SourceArn': alarm.replace(ACCOUNT, account),
  });

  it('lets this account’s CloudWatch alarms publish to the encrypted topic and use its key', async () => {
    const topicPolicy = resourceOf('AWS::SNS::TopicPolicy', 'PrescaleNotifications')?.PolicyDocument;
    const keyPolicy = resourceOf('AWS::KMS::Key', 'PrescaleNotifications')?.KeyPolicy;
    const cloudWatch = { arn: 'cloudwatch.amazonaws.com' };
    const publish = (account: string) => ({
      action: 'sns:Publish',
      resource: topicArn,
      context: { ...fromAlarm(account), 'aws:SecureTransport': 'true' },
    });
    expect(await evaluate(json, cloudWatch, publish(ACCOUNT), topicPolicy)).toBe('Allowed');
    expect(await evaluate(json, cloudWatch, publish('999999999999'), topicPolicy)).not.toBe('Allowed');
    const key = arnOf(json, idOf(stack, scaler.notifications.key));
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
      expect(
        await evaluate(json, cloudWatch, { action, resource: key, context: fromAlarm(ACCOUNT) }, keyPolicy),
      ).toBe('Allowed');
      expect(
        await evaluate(
          json,
          cloudWatch,
          { action, resource: key, context: fromAlarm('999999999999') },
          keyPolicy,
        ),
      ).not.toBe('Allowed');
    }
  });

  it('lets only this account’s schedules and state machines assume the service roles', async () => {
    const roles = [
      {
        role: scaler.scalingLoop.schedule.role,
        service: 'scheduler.amazonaws.com',
        source: (account: string) =>
          // Scheduler assumes the role for the schedule group (Scheduler user guide, confused deputy prevention).
          `arn:${PARTITION}:scheduler:${REGION}:${account}:schedule-group/${stack.resolve(scaler.recurringSchedules.scheduleGroupName)}`,
        schedule: `schedule/${stack.resolve(scaler.recurringSchedules.scheduleGroupName)}/tick`,
      },
      {
        role: scaler.campaigns.schedulerRole,
        service: 'scheduler.amazonaws.com',
        source: (account: string) =>
          `arn:${PARTITION}:scheduler:${REGION}:${account}:schedule-group/${stack.resolve(scaler.campaigns.scheduleGroup.scheduleGroupName)}`,
        schedule: `schedule/${stack.resolve(scaler.campaigns.scheduleGroup.scheduleGroupName)}/c1.prewarm`,
      },
      {
        role: scaler.rollingUpdates.stateMachine.role,
        service: 'states.amazonaws.com',
        source: (account: string) =>
          `arn:${PARTITION}:states:${REGION}:${account}:stateMachine:RollingUpdate`,
      },
    ];
    for (const { role, service, source, schedule } of roles as {
      role: IConstruct;
      service: string;
      source: (account: string) => string;
      schedule?: string;
    }[]) {
      const id = idOf(stack, role);
      const trust = resourceOf('AWS::IAM::Role', id)?.AssumeRolePolicyDocument;
      const assume = (account: string, sourceArn = source(account)) => ({
        action: 'sts:AssumeRole',
        resource: arnOf(json, id),
        context: { 'aws:SourceAccount': account, 'aws:SourceArn': sourceArn },
      });
      expect(await evaluate(json, { arn: service }, assume(ACCOUNT), trust)).toBe('Allowed');
      expect(await evaluate(json, { arn: service }, assume('999999999999'), trust)).not.toBe('Allowed');
      if (!schedule) continue;
      // Accounts kept on Scheduler's old behaviour assume it for the schedule itself.
      const scheduler = `arn:${PARTITION}:scheduler:${REGION}:${ACCOUNT}:`;
      expect(await evaluate(json, { arn: service }, assume(ACCOUNT, `${scheduler}${schedule}`), trust)).toBe(
        'Allowed',
      );
      // Nor another group's schedules: the account's default group holds other applications'.
      for (const other of [
        'schedule-group/other',
        'schedule/other/tick',
        'schedule-group/default',
        'schedule/default/tick',
      ])
        expect(
          await evaluate(json, { arn: service }, assume(ACCOUNT, `${scheduler}${other}`), trust),
        ).not.toBe('Allowed');
    }
  });

  it('lets the window choice read scheduled actions, where it waits for a look-ahead give-back still due', async () => {
    const chooser = {
      roleLogicalId: idOf(stack, scaler.rollingUpdates.functions['choose-update-window']?.role as never),
    };
    const call = (action: string) => evaluate(json, chooser, { action, resource: '*' });
    expect(await call('autoscaling:DescribeScheduledActions')).toBe('Allowed');
    expect(await call('autoscaling:BatchDeleteScheduledAction')).not.toBe('Allowed');
  });

  it('lets headroom planning delete and put scheduled actions on enrolled groups only, none another deployment owns', async () => {
    const planner = {
      roleLogicalId: idOf(stack, scaler.rollingUpdates.functions['plan-update-headroom']?.role as never),
    };
    const on = (action: string, name: string, context: Record<string, string> = {}) =>
      evaluate(json, planner, { action, resource: GROUP(name), context });
    const groupTag = { 'autoscaling:ResourceTag/prescale:enabled': 'true' };
    for (const action of [
      'autoscaling:BatchDeleteScheduledAction',
      'autoscaling:BatchPutScheduledUpdateGroupAction',
    ]) {
      expect(await on(action, 'web', groupTag)).toBe('Allowed');
      expect(await on(action, 'web')).not.toBe('Allowed');
      expect(await on(action, 'web', { 'autoscaling:ResourceTag/prescale:enabled': 'false' })).not.toBe(
        'Allowed',
      );
      expect(
        await on(action, 'web', {
          ...groupTag,
          'autoscaling:ResourceTag/prescale:deployment': 'another-stack',
        }),
      ).not.toBe('Allowed');
    }
    expect(
      await evaluate(json, planner, { action: 'autoscaling:DescribeScheduledActions', resource: '*' }),
    ).toBe('Allowed');
  });

  it("lets the window choice get plan records alone, by their partition key, not a group's lock or state", async () => {
    const chooser = scaler.rollingUpdates.functions['choose-update-window']?.role as never;
    const policies = Object.values(json.Resources).filter(
      (r) =>
        r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties?.Roles).includes(idOf(stack, chooser)),
    );
    const getItem = policies
      .flatMap(
        (p) =>
          (p.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] } | undefined)?.Statement ??
          [],
      )
      .filter((st) => [st.Action].flat().includes('dynamodb:GetItem'));
    expect(getItem).toEqual([
      expect.objectContaining({
        Sid: 'ReadPlanRecords',
        Action: 'dynamodb:GetItem',
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['PLAN#*'] } },
      }),
    ]);
    const table = arnOf(json, idOf(stack, scaler.stateTable.table));
    const get = (pk: string) =>
      evaluate(
        json,
        { roleLogicalId: idOf(stack, chooser) },
        {
          action: 'dynamodb:GetItem',
          resource: table,
          context: { 'dynamodb:LeadingKeys': [pk] },
        },
      );
    expect(await get('PLAN#web-update-plan-1')).toBe('Allowed');
    for (const other of ['GROUP#web', 'CAMPAIGN#black-friday', 'XPLAN#web'])
      expect(await get(other)).not.toBe('Allowed');
  });

  it("lets the dispatcher read a taken-out group's instance refreshes, which its release waits for, not its policies", async () => {
    const dispatcher = { roleLogicalId: idOf(stack, scaler.scalingLoop.dispatcher.role) };
    const call = (action: string) => evaluate(json, dispatcher, { action, resource: '*' });
    expect(await call('autoscaling:DescribeInstanceRefreshes')).toBe('Allowed');
    expect(await call('autoscaling:DescribePolicies')).not.toBe('Allowed');
  });

  it('grants no call the code does not make', async () => {
    const fnRole = (f: { role: IConstruct }) => ({ roleLogicalId: idOf(stack, f.role) });
    const denied = async (principal: { roleLogicalId: string }, action: string, resource = '*') =>
      expect(await evaluate(json, principal, { action, resource })).not.toBe('Allowed');
    await denied(fnRole(scaler.scalingLoop.worker), 'autoscaling:DescribeAutoScalingInstances');
    await denied(fnRole(scaler.scalingLoop.dispatcher), 'autoscaling:DescribeWarmPool');
    await denied(fnRole(scaler.scalingLoop.dispatcher), 'autoscaling:DescribeScalingActivities');
    await denied(fnRole(scaler.instanceTypeSelector.function), 'autoscaling:DescribeScalingActivities');
    for (const name of ['choose-update-window', 'watch-refresh-progress']) {
      await denied(
        fnRole(scaler.rollingUpdates.functions[name] as never),
        'ec2:DescribeLaunchTemplateVersions',
      );
    }
    const killSwitch = `arn:${PARTITION}:ssm:${REGION}:${ACCOUNT}:parameter/${idOf(stack, scaler.scalingLoop.killSwitch)}`;
    await denied(fnRole(scaler.scalingLoop.worker), 'ssm:GetParameterHistory', killSwitch);
    expect(
      await evaluate(json, fnRole(scaler.scalingLoop.worker), {
        action: 'ssm:GetParameter',
        resource: killSwitch,
      }),
    ).toBe('Allowed');
  });
});

describe('deployed permissions, event senders listed', () => {
  const sender = ROLE('app/campaign-sender');
  const { app, stack, json, scaler } = synth({
    groups: { tag: { key: 'prescale:enabled', value: 'true' } },
    mode: 'forecast-and-scale',
    eventSenders: [sender, ROLE('ci-*')],
  });
  const [busPolicy] = Object.values(json.Resources).filter((r) => r.Type === 'AWS::Events::EventBusPolicy');
  const policy = { Version: '2012-10-17', Statement: [busPolicy?.Properties?.Statement] };
  const bus = arnOf(json, idOf(stack, scaler.eventBus.bus));
  // A same-account principal whose own IAM policy allows PutEvents on every bus.
  const putAnywhere = (arn: string) => ({
    arn,
    identityPolicies: [
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: '*' }] },
    ],
  });
  // The evaluator takes the principal's request context as given: aws:PrincipalArn as AWS sets it.
  const put = (arn: string) => ({
    action: 'events:PutEvents',
    resource: bus,
    context: { 'aws:PrincipalArn': arn, 'events:source': 'prescale' },
  });

  it('synthesizes with every cdk-nag finding fixed or acknowledged (the policy opens nothing)', () => {
    expect(() => app.synth()).not.toThrow();
  });

  it('lets a listed sender, or one its wildcard matches, put events on the bus', async () => {
    expect(await evaluate(json, putAnywhere(sender), put(sender), policy)).toBe('Allowed');
    expect(await evaluate(json, putAnywhere(ROLE('ci-deployer')), put(ROLE('ci-deployer')), policy)).toBe(
      'Allowed',
    );
  });

  it('has the bus policy only when senders are listed', () => {
    expect(busPolicy?.Properties?.Statement).toMatchObject({
      Effect: 'Deny',
      Action: 'events:PutEvents',
      Condition: { ArnNotLike: { 'aws:PrincipalArn': [sender, ROLE('ci-*')] } },
    });
    const unlisted = synth({ groups: { tag: { key: 'prescale:enabled', value: 'true' } } }).json;
    expect(Object.values(unlisted.Resources).filter((r) => r.Type === 'AWS::Events::EventBusPolicy')).toEqual(
      [],
    );
  });

  it('denies any other principal of the account, whatever its IAM policies allow', async () => {
    for (const other of [
      ROLE('developer'),
      ROLE('app/campaign-sender-2'),
      `arn:${PARTITION}:iam::${ACCOUNT}:root`,
    ])
      expect([other, await evaluate(json, putAnywhere(other), put(other), policy)]).toEqual([
        other,
        'ExplicitlyDenied',
      ]);
  });
});
