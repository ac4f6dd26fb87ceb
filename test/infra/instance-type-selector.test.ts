import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { configEnvironment } from '../../infra/constructs/config-environment';
import { InstanceTypeSelector } from '../../infra/constructs/instance-type-selector';
import { StateTable } from '../../infra/constructs/state-table';
import { ENV } from '../../shared/contracts/env';
import { type UserConfigInput, userConfigSchema } from '../../shared/contracts/user-config';
import { testOutdir } from '../helpers/test-temp-root';

const STATE_MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:prescale-rolling-update';

function synth(
  pricing: UserConfigInput['pricing'] = {},
  rollingUpdateStateMachineArn: string | null = STATE_MACHINE,
  groups: UserConfigInput['groups'] = { names: ['web'] },
) {
  const app = new App({ outdir: testOutdir(), context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
  const table = new StateTable(stack, 'State');
  const killSwitch = new ssm.StringParameter(stack, 'KillSwitch', { stringValue: 'running' });
  const config = userConfigSchema.parse({ groups, pricing });
  const selector = new InstanceTypeSelector(stack, 'InstanceTypes', {
    stateTable: table.table,
    config,
    killSwitch,
    scheduleGroup: new scheduler.ScheduleGroup(stack, 'Schedules'),
    ...(rollingUpdateStateMachineArn ? { rollingUpdateStateMachineArn } : {}),
  });
  return { stack, selector, template: Template.fromStack(stack), config };
}

function statements(
  template: Template,
): { Sid?: string; Action: string | string[]; Resource?: unknown; Condition?: unknown }[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (p) =>
      (p as { Properties: { PolicyDocument: { Statement: never[] } } }).Properties.PolicyDocument.Statement,
  );
}

describe('InstanceTypeSelector', () => {
  it('runs the handler with the config, table and rolling-update ARN', () => {
    const { template, config } = synth({ apply: true });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Architectures: ['arm64'],
      Timeout: 300,
      MemorySize: 1024,
      Layers: [Match.anyValue()],
      Environment: {
        Variables: Match.objectLike({
          [ENV.config]: configEnvironment(config),
          [ENV.stateTableName]: Match.anyValue(),
          [ENV.rollingUpdateStateMachineArn]: STATE_MACHINE,
        }),
      },
    });
    template.resourceCountIs('AWS::Lambda::LayerVersion', 1);
  });

  it('runs once a day on EventBridge Scheduler with a dead-letter queue, sending the run its scheduled time', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 day)',
      Target: Match.objectLike({
        DeadLetterConfig: Match.anyValue(),
        // Repeated by every delivery of a run: its launch template version is created once.
        Input: JSON.stringify({ scheduledTime: '<aws.scheduler.scheduled-time>' }),
      }),
    });
  });

  it('reads the Price List with a wildcard resource, the only one the Pricing API supports', () => {
    const read = statements(synth().template).find((s) => s.Sid === 'ReadPriceList');
    expect(read).toMatchObject({ Action: 'pricing:GetProducts', Resource: '*' });
  });

  it('limits changes to the configured enrolment (tag and names) and starts only the given workflow', () => {
    const all = statements(
      synth({ apply: true }, STATE_MACHINE, { names: ['web'], tag: { key: 'team:scale', value: 'on' } })
        .template,
    );
    expect(all.find((s) => s.Sid === 'MutateGroupsEnrolledByTag')).toMatchObject({
      Action: 'autoscaling:UpdateAutoScalingGroup',
      Condition: { StringEquals: { 'autoscaling:ResourceTag/team:scale': 'on' } },
    });
    expect(JSON.stringify(all.find((s) => s.Sid === 'MutateGroupsEnrolledByName')?.Resource)).toMatch(
      /autoScalingGroupName\/web/,
    );
    expect(all.find((s) => s.Sid === 'VersionEnrolledLaunchTemplatesByTag')).toMatchObject({
      Action: 'ec2:CreateLaunchTemplateVersion',
      Condition: { StringEquals: { 'aws:ResourceTag/team:scale': 'on' } },
    });
    expect(
      JSON.stringify(all.find((s) => s.Sid === 'VersionEnrolledLaunchTemplatesByTag')?.Resource),
    ).toMatch(/:ec2:eu-west-1:123456789012:launch-template\/\*/);
    expect(JSON.stringify(all)).not.toContain('prescale:enabled');
    expect(all.find((s) => s.Sid === 'StartRollingUpdate')).toMatchObject({
      Action: 'states:StartExecution',
      Resource: STATE_MACHINE,
    });
    // A redelivered run's rollout whose execution has closed: read to tell it from another input.
    expect(all.find((s) => s.Sid === 'ReadTakenRolloutName')).toMatchObject({
      Action: 'states:DescribeExecution',
      Resource: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':states:eu-west-1:123456789012:execution:prescale-rolling-update:*',
          ],
        ],
      },
    });
    expect(all.filter((s) => [s.Action].flat().includes('states:DescribeExecution'))).toHaveLength(1);
    // Any running rolling update holds its group: listed on the state machine, the one resource
    // ListExecutions is authorized on.
    expect(all.find((s) => s.Sid === 'ListRunningRollingUpdates')).toMatchObject({
      Action: 'states:ListExecutions',
      Resource: STATE_MACHINE,
    });
    expect(all.filter((s) => [s.Action].flat().includes('states:ListExecutions'))).toHaveLength(1);
    // Every write is narrowed by a condition or names its resources; none is on a bare wildcard.
    const wildcardWrites = all.filter(
      (s) =>
        [s.Action]
          .flat()
          .some((a) => /^(autoscaling:Update|ec2:Create|ec2:RunInstances|iam:PassRole)/.test(a)) &&
        s.Condition === undefined &&
        JSON.stringify(s.Resource ?? '*').match(/\*"/),
    );
    expect(wildcardWrites).toEqual([]);
  });

  it('grants no mutating permission when it only recommends', () => {
    const actions = statements(synth({ apply: false }).template).flatMap((s) => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['pricing:GetProducts', 'ec2:DescribeInstanceTypes']));
    expect(
      actions.filter((a) =>
        /UpdateAutoScalingGroup|CreateLaunchTemplateVersion|StartExecution|RunInstances/.test(a),
      ),
    ).toEqual([]);
  });

  it('reads and writes the state table', () => {
    const actions = statements(synth().template).flatMap((s) => [s.Action].flat());
    expect(actions).toEqual(
      expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']),
    );
  });

  it('warns when it may apply but has no rolling-update workflow', () => {
    const { stack } = synth({ apply: true }, null);
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('no rollingUpdateStateMachineArn'));
  });

  // CreateStateMachine's name: 1–80 characters, none of whitespace, < > { } [ ] ? * " # % \ ^ | ~ ` $ & , ; : /
  // or a control character; anything else is a name Step Functions takes.
  it('takes every state machine name Step Functions takes, and refuses each character it forbids', () => {
    const arn = (name: string, partition = 'aws') =>
      `arn:${partition}:states:eu-west-1:123456789012:stateMachine:${name}`;
    for (const name of ['prescale.rolling+update=v2@team', "a!b'(c)", 'Ü-update', 'x'.repeat(80)])
      expect(() => synth({}, arn(name))).not.toThrow();
    expect(() => synth({}, arn('prescale-rolling-update', 'aws-us-gov'))).not.toThrow();
    for (const bad of [...' \t<>{}[]?*"#%\\^|~`$&,;:/', '\u0000', '\u007f', '\u0085'])
      expect(() => synth({}, arn(`update${bad}x`))).toThrow(/state machine ARN/);
    expect(() => synth({}, arn('x'.repeat(81)))).toThrow(/state machine ARN/);
  });

  it('rejects a state machine ARN that is not one', () => {
    expect(() => synth({}, 'arn:aws:lambda:eu-west-1:123456789012:function:nope')).toThrow(
      /state machine ARN/,
    );
  });
});
