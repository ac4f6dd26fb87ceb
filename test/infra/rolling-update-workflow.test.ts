import { Match } from 'aws-cdk-lib/assertions';
import { LAMBDA_THROTTLED } from '../../infra/constructs/rolling-update/workflow-tasks';
import { synthesizedTemplate, TEST_CONFIG } from '../helpers/build-test-app';
import { extractDefinition, lambdaTasks } from './rolling-update-harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const aslValidator = require('asl-validator') as (d: unknown) => {
  isValid: boolean;
  errorsText: () => string;
};

const CONFIG = {
  ...TEST_CONFIG,
  rollingUpdate: { alarmNames: ['web-5xx'], autoStartOnScheduledEvents: true },
};
// Only read: synthesized once a run for every rolling-update file on this configuration.
const template = synthesizedTemplate(CONFIG);
const definition = extractDefinition(template);

describe('RollingUpdateWorkflow definition', () => {
  it('is valid Amazon States Language', () => {
    const result = aslValidator(definition);
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('retries throttling on every Lambda task, with jittered backoff', () => {
    const tasks = lambdaTasks(definition);
    expect(tasks.length).toBeGreaterThan(5);
    for (const [, task] of tasks) {
      expect(task.Retry).toContainEqual(
        expect.objectContaining({ ErrorEquals: [LAMBDA_THROTTLED], JitterStrategy: 'FULL' }),
      );
    }
  });

  it('names its states for the console', () => {
    expect(Object.keys(definition.States as object)).toEqual(
      expect.arrayContaining([
        'Validate request',
        'Wait for low load',
        'Add headroom',
        'Start instance refresh',
        'Roll back refresh',
        'Release group lock',
        'Deferred',
        'Rolled back',
        'Left to operator',
        'Refused: group changed since validation',
        'Refused: launch template version unusable',
        'Refused: group no longer exists',
        'Group deleted during update',
        'Rolled out, needs attention',
        'Rolled out, capacity not restored',
        'Left running, capacity held',
      ]),
    );
  });

  it('uses direct service integrations for Auto Scaling, DynamoDB and SNS', () => {
    const states = definition.States as Record<
      string,
      { Resource?: string; Parameters?: Record<string, unknown> }
    >;
    expect(states['Start instance refresh']?.Resource).toBe(
      'arn:aws:states:::aws-sdk:autoscaling:startInstanceRefresh',
    );
    expect(states['Start instance refresh']?.Parameters).toMatchObject({
      'DesiredConfiguration.$': '$.plan.desiredConfiguration',
      'Preferences.$': '$.plan.preferences',
    });
    expect(states['Acquire group lock']?.Resource).toBe('arn:aws:states:::dynamodb:putItem');
    expect(states['Acquire group lock']?.Parameters).toMatchObject({
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAtMs <= :now OR holder = :holder',
      Item: { sk: { S: 'LOCK' }, holder: { 'S.$': '$$.Execution.Name' } },
    });
    expect(states['Notify operators']?.Resource).toBe('arn:aws:states:::sns:publish');
  });

  it('catches named errors before States.ALL', () => {
    const start = (definition.States as Record<string, { Catch: { ErrorEquals: string[] }[] }>)[
      'Start instance refresh'
    ];
    expect(start?.Catch.map((c) => c.ErrorEquals)).toEqual([
      ['AutoScaling.InstanceRefreshInProgressException'],
      ['States.ALL'],
    ]);
  });
});

describe('RollingUpdateWorkflow infrastructure', () => {
  it('passes cdk-nag for the whole stack', () => {
    // A synth runs cdk-nag and throws on a finding; a synth that throws is never kept.
    expect(() => synthesizedTemplate(CONFIG)).not.toThrow();
  });

  it('logs every execution with its data and traces it', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true, Destinations: Match.anyValue() },
    });
  });

  it('grants the state machine mutating Auto Scaling actions only on enrolled groups', () => {
    const roles = template.findResources('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'states.amazonaws.com' } })]),
        },
      },
    });
    const [roleId] = Object.keys(roles);
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p.Properties.Roles).includes(roleId as string),
    );
    const statements = policies.flatMap(
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
    expect(mutating.flatMap((s) => [s.Action].flat())).toEqual(
      expect.arrayContaining([
        'autoscaling:StartInstanceRefresh',
        'autoscaling:RollbackInstanceRefresh',
        'autoscaling:CancelInstanceRefresh',
        'autoscaling:UpdateAutoScalingGroup',
      ]),
    );
    for (const s of mutating) {
      const byTag = JSON.stringify(s.Condition ?? {}).includes('autoscaling:ResourceTag/prescale:enabled');
      const byName = JSON.stringify(s.Resource).includes('autoScalingGroupName/web');
      expect(byTag || byName).toBe(true);
      expect(s.Resource).not.toBe('*');
    }
    const dynamo = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')));
    for (const s of dynamo) expect(JSON.stringify(s.Resource)).toContain('PrescaleStateTable');
    expect(statements.some((s) => [s.Action].flat().includes('sns:Publish'))).toBe(true);
  });

  // Which events reach request-rolling-update is run, not read: the deploy matrix and
  // test/architecture/documented-put-events.test.ts put them on the deployed bus and its rules.
  it('retries the request rule’s deliveries, with a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('requestrollingupdateFunction'), 'Arn'] },
          DeadLetterConfig: Match.anyValue(),
          RetryPolicy: Match.anyValue(),
        }),
      ],
    });
  });

  it('scans for scheduled events daily when enabled', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(1 day)' });
  });
});
