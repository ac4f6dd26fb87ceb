import type { IConstruct } from 'constructs';
import { GROUP, INSTANCE, idOf, ROLE, synth, TEMPLATE } from './deployed-permissions-setup';
import { ACCOUNT, arnOf, evaluate, PARTITION, REGION } from './template-iam';

/**
 * The synthesized template's own policies, evaluated for the concrete requests Prescale's code and
 * AWS's services make (iam-simulate), per enrolment configuration (the default tag, a custom tag,
 * groups by name, an instance role path): what must be allowed is, what must not be is denied.
 * Service deliveries, trust and event senders are in deployed-permissions-services.test.ts.
 */

describe('deployed permissions, default enrolment tag with pricing.apply and the maintenance scan', () => {
  const { app, stack, json, scaler } = synth({
    groups: { names: ['web'], tag: { key: 'prescale:enabled', value: 'true' } },
    mode: 'forecast-and-scale',
    rollingUpdate: { autoStartOnScheduledEvents: true },
    pricing: { apply: true },
    launchPermissions: { instanceRoleNames: ['app/web-instance'] },
  });
  const role = (construct: IConstruct) => ({ roleLogicalId: idOf(stack, construct) });
  const tagged = { 'aws:ResourceTag/prescale:enabled': 'true' };
  const machine = role(scaler.rollingUpdates.stateMachine.role);
  const selector = role(scaler.instanceTypeSelector.function.role);

  it('synthesizes with pricing.apply on and every cdk-nag finding fixed or acknowledged', () => {
    expect(() => app.synth()).not.toThrow();
  });

  it('lets the state machine launch only from enrolled groups templates', async () => {
    const runFrom = (context: Record<string, string>) => ({
      action: 'ec2:RunInstances',
      resource: TEMPLATE('lt-0123456789abcdef0'),
      context,
    });
    expect(await evaluate(json, machine, runFrom(tagged))).toBe('Allowed');
    expect(await evaluate(json, machine, runFrom({}))).not.toBe('Allowed');
    expect(await evaluate(json, machine, runFrom({ 'aws:ResourceTag/prescale:enabled': 'false' }))).not.toBe(
      'Allowed',
    );
    expect(
      await evaluate(json, machine, {
        action: 'ec2:RunInstances',
        resource: INSTANCE,
        context: { 'ec2:LaunchTemplate': TEMPLATE('lt-0123456789abcdef0') },
      }),
    ).toBe('Allowed');
    expect(await evaluate(json, machine, { action: 'ec2:RunInstances', resource: INSTANCE })).not.toBe(
      'Allowed',
    );
  });

  it('lets the state machine pass to EC2 only listed instance roles, whatever tags a role carries', async () => {
    const pass = (roleName: string, context: Record<string, string> = {}) => ({
      action: 'iam:PassRole',
      resource: ROLE(roleName),
      context: { 'iam:PassedToService': 'ec2.amazonaws.com', ...context },
    });
    expect(await evaluate(json, machine, pass('app/web-instance'))).toBe('Allowed');
    expect(await evaluate(json, machine, pass('admin'))).not.toBe('Allowed');
    // IAM does not authorize PassRole by the role's tags (id_roles_use_passrole): a policy that
    // relies on iam:ResourceTag grants nothing, so none may, even in a context that carries it.
    expect(
      await evaluate(json, machine, pass('tagged', { 'iam:ResourceTag/prescale:enabled': 'true' })),
    ).not.toBe('Allowed');
    expect(
      await evaluate(json, machine, {
        ...pass('app/web-instance'),
        context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
      }),
    ).not.toBe('Allowed');
  });

  it('lets the selector change and version only enrolled groups and templates', async () => {
    const update = (name: string, tags: Record<string, string>) => ({
      action: 'autoscaling:UpdateAutoScalingGroup',
      resource: GROUP(name),
      context: tags,
    });
    const groupTag = { 'autoscaling:ResourceTag/prescale:enabled': 'true', ...tagged };
    expect(await evaluate(json, selector, update('tagged', groupTag))).toBe('Allowed');
    expect(await evaluate(json, selector, update('web', {}))).toBe('Allowed');
    expect(await evaluate(json, selector, update('other', {}))).not.toBe('Allowed');
    expect(
      await evaluate(json, selector, {
        action: 'ec2:CreateLaunchTemplateVersion',
        resource: TEMPLATE('lt-0123456789abcdef0'),
        context: tagged,
      }),
    ).toBe('Allowed');
    expect(
      await evaluate(json, selector, {
        action: 'ec2:CreateLaunchTemplateVersion',
        resource: TEMPLATE('lt-0123456789abcdef0'),
      }),
    ).not.toBe('Allowed');
  });

  it('lets each workflow starter read its own state machine’s executions, a taken name’s holder, and no other', async () => {
    const machineId = (m: IConstruct) => idOf(stack, m);
    const rolling = machineId(scaler.rollingUpdates.stateMachine);
    const plans = machineId(scaler.updatePlans.stateMachine);
    const execution = (id: string, name: string) =>
      `arn:${PARTITION}:states:${REGION}:${ACCOUNT}:execution:${id}:${name}`;
    const starters = [
      [scaler.rollingUpdates.requester.function, rolling, plans],
      [scaler.rollingUpdates.maintenanceScan?.function, rolling, plans],
      [scaler.updatePlans.requester.function, plans, rolling],
      // Its rollouts: a redelivered selection run's execution, closed, holds the name.
      [scaler.instanceTypeSelector.function.function, rolling, plans],
    ] as const;
    for (const [fn, own, other] of starters) {
      if (!fn?.role) throw new Error('expected each starter deployed with a role');
      const principal = role(fn.role);
      const describe = (id: string) =>
        evaluate(json, principal, {
          action: 'states:DescribeExecution',
          resource: execution(id, 'web-v7-20260302T0100'),
        });
      expect(await describe(own)).toBe('Allowed');
      expect(await describe(other)).not.toBe('Allowed');
      expect(
        await evaluate(json, principal, { action: 'states:StartExecution', resource: arnOf(json, own) }),
      ).toBe('Allowed');
    }
  });
});

describe('deployed permissions, a custom enrolment tag', () => {
  const { app, stack, json, scaler } = synth({
    groups: { tag: { key: 'team:autoscale', value: 'yes' } },
    pricing: { apply: true },
  });
  const selector = { roleLogicalId: idOf(stack, scaler.instanceTypeSelector.function.role) };
  const machine = { roleLogicalId: idOf(stack, scaler.rollingUpdates.stateMachine.role) };

  it('synthesizes with every cdk-nag finding fixed or acknowledged', () => {
    expect(() => app.synth()).not.toThrow();
  });

  it('scopes the selector to the configured tag, not prescale:enabled', async () => {
    const update = (tags: Record<string, string>) => ({
      action: 'autoscaling:UpdateAutoScalingGroup',
      resource: GROUP('any'),
      context: tags,
    });
    expect(await evaluate(json, selector, update({ 'autoscaling:ResourceTag/team:autoscale': 'yes' }))).toBe(
      'Allowed',
    );
    expect(
      await evaluate(json, selector, update({ 'autoscaling:ResourceTag/prescale:enabled': 'true' })),
    ).not.toBe('Allowed');
    expect(
      await evaluate(json, machine, {
        action: 'ec2:RunInstances',
        resource: TEMPLATE('lt-0123456789abcdef0'),
        context: { 'aws:ResourceTag/team:autoscale': 'yes' },
      }),
    ).toBe('Allowed');
    expect(
      await evaluate(json, machine, {
        action: 'ec2:RunInstances',
        resource: TEMPLATE('lt-0123456789abcdef0'),
        context: { 'aws:ResourceTag/prescale:enabled': 'true' },
      }),
    ).not.toBe('Allowed');
  });
});

describe('deployed permissions, groups by name only', () => {
  const { app, stack, json, scaler } = synth({
    groups: { names: ['web', 'api'] },
    pricing: { apply: true },
    launchPermissions: { launchTemplateIds: ['lt-0123456789abcdef0'], instanceRoleNames: ['web-instance'] },
  });
  const selector = { roleLogicalId: idOf(stack, scaler.instanceTypeSelector.function.role) };
  const machine = { roleLogicalId: idOf(stack, scaler.rollingUpdates.stateMachine.role) };

  it('synthesizes with every cdk-nag finding fixed or acknowledged', () => {
    expect(() => app.synth()).not.toThrow();
  });

  it('lets the selector and the state machine touch only the named groups and listed templates', async () => {
    const update = (name: string) => ({
      action: 'autoscaling:UpdateAutoScalingGroup',
      resource: GROUP(name),
    });
    expect(await evaluate(json, selector, update('api'))).toBe('Allowed');
    expect(await evaluate(json, selector, update('admin'))).not.toBe('Allowed');
    const run = (id: string) => ({ action: 'ec2:RunInstances', resource: TEMPLATE(id) });
    expect(await evaluate(json, machine, run('lt-0123456789abcdef0'))).toBe('Allowed');
    expect(await evaluate(json, machine, run('lt-0fedcba9876543210'))).not.toBe('Allowed');
    expect(
      await evaluate(json, machine, {
        action: 'ec2:RunInstances',
        resource: INSTANCE,
        context: { 'ec2:LaunchTemplate': TEMPLATE('lt-0fedcba9876543210') },
      }),
    ).not.toBe('Allowed');
    expect(
      await evaluate(json, machine, {
        action: 'iam:PassRole',
        resource: ROLE('web-instance'),
        context: { 'iam:PassedToService': 'ec2.amazonaws.com' },
      }),
    ).toBe('Allowed');
  });
});

describe('deployed permissions, enrolment tag with an instance role path prefix', () => {
  const { app, stack, json, scaler } = synth({
    groups: { tag: { key: 'prescale:enabled', value: 'true' } },
    pricing: { apply: true },
    launchPermissions: { instanceRolePathPrefix: 'prescale-instances' },
  });
  const machine = { roleLogicalId: idOf(stack, scaler.rollingUpdates.stateMachine.role) };
  const pass = (roleName: string) => ({
    action: 'iam:PassRole',
    resource: ROLE(roleName),
    context: { 'iam:PassedToService': 'ec2.amazonaws.com', 'iam:ResourceTag/prescale:enabled': 'true' },
  });

  it('synthesizes with every cdk-nag finding fixed or acknowledged', () => {
    expect(() => app.synth()).not.toThrow();
  });

  it('lets the state machine pass to EC2 the roles under the prefix, and no tagged role outside it', async () => {
    expect(await evaluate(json, machine, pass('prescale-instances/web'))).toBe('Allowed');
    expect(await evaluate(json, machine, pass('prescale-instances/team/api'))).toBe('Allowed');
    expect(await evaluate(json, machine, pass('web'))).not.toBe('Allowed');
    expect(await evaluate(json, machine, pass('prescale-instances-admin'))).not.toBe('Allowed');
  });
});
