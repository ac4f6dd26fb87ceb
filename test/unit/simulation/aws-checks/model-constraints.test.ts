import { handlerCalls } from '../../../../shared/simulation/aws-checks/handler-calls';
import {
  constraintViolations,
  modelConstraints,
} from '../../../../shared/simulation/aws-checks/model-constraints';
import { withEveryCall } from '../../../deploy/model-constraints-extract';
import { DEPLOY_CONFIGURATIONS } from '../../../infra/deploy-matrix/deploy-configurations';

describe('constraintViolations', () => {
  it('finds a string longer than its maximum length', () => {
    expect(
      constraintViolations('autoscaling', 'UpdateAutoScalingGroup', {
        AutoScalingGroupName: 'w'.repeat(256),
      }),
    ).toEqual([
      {
        path: ['AutoScalingGroupName'],
        value: 'w'.repeat(256),
        on: 'member',
        rule: { kind: 'max-length', limit: 255 },
      },
    ]);
  });

  it('finds an empty string below its minimum length', () => {
    expect(
      constraintViolations('autoscaling', 'UpdateAutoScalingGroup', { AutoScalingGroupName: '' }),
    ).toEqual([
      { path: ['AutoScalingGroupName'], value: '', on: 'member', rule: { kind: 'min-length', limit: 1 } },
    ]);
  });

  it('counts a string length in code points, as Smithy does', () => {
    // 255 emoji are 510 UTF-16 code units but 255 characters.
    expect(
      constraintViolations('autoscaling', 'UpdateAutoScalingGroup', {
        AutoScalingGroupName: '😀'.repeat(255),
      }),
    ).toEqual([]);
  });

  it('finds nested numbers out of their range', () => {
    expect(
      constraintViolations('autoscaling', 'StartInstanceRefresh', {
        AutoScalingGroupName: 'web',
        Preferences: { MinHealthyPercentage: 101, MaxHealthyPercentage: 99 },
      }),
    ).toEqual([
      {
        path: ['Preferences', 'MinHealthyPercentage'],
        value: 101,
        on: 'member',
        rule: { kind: 'max-value', limit: 100 },
      },
      {
        path: ['Preferences', 'MaxHealthyPercentage'],
        value: 99,
        on: 'member',
        rule: { kind: 'min-value', limit: 100 },
      },
    ]);
  });

  it('finds each list element out of range, by its index', () => {
    expect(
      constraintViolations('autoscaling', 'StartInstanceRefresh', {
        AutoScalingGroupName: 'web',
        Preferences: { CheckpointPercentages: [0, 50, 100] },
      }),
    ).toEqual([
      {
        path: ['Preferences', 'CheckpointPercentages', 0],
        value: 0,
        on: 'list-element',
        rule: { kind: 'min-value', limit: 1 },
      },
    ]);
  });

  it('finds a value outside its enum', () => {
    expect(
      constraintViolations('autoscaling', 'PutWarmPool', { AutoScalingGroupName: 'web', PoolState: 'Warm' }),
    ).toEqual([
      {
        path: ['PoolState'],
        value: 'Warm',
        on: 'member',
        rule: { kind: 'enum', values: ['Stopped', 'Running', 'Hibernated'] },
      },
    ]);
  });

  it('matches a pattern against the whole value', () => {
    const name = (Name: string) => constraintViolations('scheduler', 'DeleteSchedule', { Name });
    expect(name('campaign-1-web')).toEqual([]);
    expect(name('campaign 1')).toEqual([
      {
        path: ['Name'],
        value: 'campaign 1',
        on: 'member',
        rule: { kind: 'pattern', pattern: '^[0-9a-zA-Z-_.]+$' },
      },
    ]);
  });

  it('reads a pattern with a surrogate pair range as code points', () => {
    // XmlStringMaxLen255's pattern allows U+10000–U+10FFFF as \uD800\uDC00-\uDBFF\uDFFF.
    expect(
      constraintViolations('autoscaling', 'UpdateAutoScalingGroup', {
        AutoScalingGroupName: 'web',
        ServiceLinkedRoleARN: 'arn:aws:iam::123456789012:role/😀',
      }),
    ).toEqual([]);
    expect(
      constraintViolations('autoscaling', 'UpdateAutoScalingGroup', {
        AutoScalingGroupName: 'web',
        ServiceLinkedRoleARN: 'role\u0001',
      })?.map((v) => v.rule.kind),
    ).toEqual(['pattern']);
  });

  it('checks the keys of a map', () => {
    expect(
      constraintViolations('dynamodb', 'BatchGetItem', {
        RequestItems: { ['t'.repeat(1025)]: { Keys: [{ pk: { S: 'a' } }] } },
      })?.map((v) => [v.on, v.rule.kind]),
    ).toEqual([['map-key', 'max-length']]);
  });

  it('accepts an EC2 instance type newer than the model (an open enum), but checks other EC2 enums', () => {
    expect(
      constraintViolations('ec2', 'DescribeSpotPriceHistory', {
        InstanceTypes: ['m99g.large'],
        ProductDescriptions: ['Linux/UNIX'],
      }),
    ).toEqual([]);
    expect(modelConstraints().openEnums).toEqual({ ec2: ['InstanceType'] });
    expect(
      constraintViolations('ec2', 'DescribeInstanceTypeOfferings', { LocationType: 'galaxy' })?.map(
        (v) => v.rule.kind,
      ),
    ).toEqual(['enum']);
  });

  it('does not check members the constraint model does not know', () => {
    expect(
      constraintViolations('autoscaling', 'UpdateAutoScalingGroup', {
        AutoScalingGroupName: 'web',
        AMemberNewerThanBotocore: 'x'.repeat(5000),
      }),
    ).toEqual([]);
  });

  it('answers undefined for an operation the constraint file was not generated for', () => {
    expect(constraintViolations('autoscaling', 'DeleteAutoScalingGroup', {})).toBeUndefined();
  });
});

describe('modelConstraints', () => {
  it('records the package and version the constraints come from', () => {
    expect(modelConstraints().source).toEqual(
      expect.objectContaining({
        botocoreVersion: expect.stringMatching(/^\d+\.\d+\.\d+$/),
        license: 'Apache-2.0',
      }),
    );
  });

  it('covers every call the handlers make in every deploy configuration, with every optional call on', () => {
    const configs = DEPLOY_CONFIGURATIONS.flatMap((c) => [c.config, withEveryCall(c.config)]);
    const missing = configs.flatMap((config) =>
      Object.values(handlerCalls(config)).flatMap((specs) =>
        specs
          .filter(([service]) => service !== 'lambda')
          .map(([service, operation]) => `${service}:${operation}`)
          .filter((call) => {
            const [service, operation] = call.split(':') as [string, string];
            return !(operation in (modelConstraints().services[service]?.operations ?? {}));
          }),
      ),
    );
    // A new call: run `npm run models:constraints` (docs/dependencies.md says how to get botocore).
    expect([...new Set(missing)]).toEqual([]);
  });

  it('keeps only patterns JavaScript reads as Java does, listing the ones it skips', () => {
    for (const service of Object.values(modelConstraints().services))
      for (const shape of Object.values(service.shapes))
        if (shape.pattern !== undefined)
          expect(() => new RegExp(`^(?:${shape.pattern})$`, 'u')).not.toThrow();
    for (const skipped of Object.values(modelConstraints().skippedPatterns).flat())
      expect(skipped.reason).not.toEqual('');
  });
});
