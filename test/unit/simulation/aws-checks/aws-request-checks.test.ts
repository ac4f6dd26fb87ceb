import { AwsRequestChecks, runAsHandler } from '../../../../shared/simulation/aws-checks/aws-request-checks';
import { DeployedAccount } from '../../../../shared/simulation/aws-checks/deployed-account';
import { checkDeployment, holds } from '../../../../shared/simulation/aws-checks/deployment-checks';
import type { CfnTemplate } from '../../../../shared/simulation/aws-checks/resolve-intrinsics';
import type { SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';
import { checksWorld } from '../../../helpers/checks-world';
import { workerTemplate } from '../../../helpers/worker-template';

const config = {
  groups: { tag: { key: 'prescale:enabled', value: 'true' } },
  mode: 'forecast-and-scale' as const,
};
const groupArn = {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub template, not a JS one.
  'Fn::Sub': 'arn:${AWS::Partition}:autoscaling:${AWS::Region}:${AWS::AccountId}:autoScalingGroup:*',
};

/** One worker function whose role may describe groups and update only groups tagged prescale:enabled=true. */
const template = workerTemplate(
  'functions/scale-groups/handler.ts',
  [
    { Effect: 'Allow', Action: 'autoscaling:DescribeAutoScalingGroups', Resource: '*' },
    {
      Effect: 'Allow',
      Action: 'autoscaling:UpdateAutoScalingGroup',
      Resource: groupArn,
      Condition: { StringEquals: { 'autoscaling:ResourceTag/prescale:enabled': 'true' } },
    },
  ],
  {
    Topic: { Type: 'AWS::SNS::Topic', Properties: {} },
    Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmActions: [{ Ref: 'Topic' }] } },
  },
);

function world(): SimulatedWorld {
  return checksWorld([
    { name: 'web', tags: { 'prescale:enabled': 'true' } },
    { name: 'stray', tags: { 'prescale:enabled': 'false' } },
  ]);
}

describe('AwsRequestChecks', () => {
  const account = new DeployedAccount(template, { region: 'us-east-1' });

  it('lets a request through when the deployed role allows it on the tagged group', async () => {
    const checks = new AwsRequestChecks(account, config);
    const w = world();
    await expect(
      runAsHandler('scale-groups', () =>
        checks.check(w, 'autoscaling', 'UpdateAutoScalingGroupCommand', {
          AutoScalingGroupName: 'web',
          MinSize: 3,
        }),
      ),
    ).resolves.toBeUndefined();
    expect(checks.neededDenies()).toEqual([]);
  });

  it('answers AccessDenied, as Auto Scaling does, for a group the configuration does not enroll', async () => {
    const checks = new AwsRequestChecks(account, config);
    const w = world();
    const denied = runAsHandler('scale-groups', () =>
      checks.check(w, 'autoscaling', 'UpdateAutoScalingGroupCommand', {
        AutoScalingGroupName: 'stray',
        MinSize: 3,
      }),
    );
    await expect(denied).rejects.toMatchObject({ name: 'AccessDenied', $fault: 'client' });
    // Expected for a non-enrolled group: recorded, but not a needed call denied.
    expect(checks.neededDenies()).toEqual([]);
  });

  it('answers the service error for a call the role lacks, and counts it as a needed call denied', async () => {
    const checks = new AwsRequestChecks(account, config);
    const denied = runAsHandler('scale-groups', () =>
      checks.check(world(), 'ssm', 'GetParameterCommand', { Name: '/prescale/kill-switch' }),
    );
    await expect(denied).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(checks.neededDenies().map((d) => d.action)).toEqual(['ssm:GetParameter']);
  });

  it('answers ValidationError for a request the API model refuses, before authorizing it', async () => {
    const checks = new AwsRequestChecks(account, config);
    const invalid = runAsHandler('scale-groups', () =>
      checks.check(world(), 'autoscaling', 'UpdateAutoScalingGroupCommand', { MinSize: 3 }),
    );
    await expect(invalid).rejects.toMatchObject({ name: 'ValidationError' });
    expect(checks.ledger.violations).toHaveLength(1);
  });

  it('answers the service error with AWS wording for a length, range, pattern or enum the model refuses', async () => {
    const checks = new AwsRequestChecks(account, config);
    const invalid = runAsHandler('scale-groups', () =>
      checks.check(world(), 'autoscaling', 'PutWarmPoolCommand', {
        AutoScalingGroupName: 'web',
        MinSize: -1,
        PoolState: 'Warm',
      }),
    );
    await expect(invalid).rejects.toMatchObject({
      name: 'ValidationError',
      $metadata: { httpStatusCode: 400 },
      message:
        "2 validation errors detected: Value '-1' at 'minSize' failed to satisfy constraint: Member must have value greater than or equal to 0; Value 'Warm' at 'poolState' failed to satisfy constraint: Member must satisfy enum value set: [Stopped, Running, Hibernated]",
    });
    expect(checks.ledger.violations).toEqual([
      {
        principal: 'scale-groups',
        call: 'autoscaling:PutWarmPool',
        messages: [
          "Value '-1' at 'minSize' failed to satisfy constraint: Member must have value greater than or equal to 0",
          "Value 'Warm' at 'poolState' failed to satisfy constraint: Member must satisfy enum value set: [Stopped, Running, Hibernated]",
        ],
      },
    ]);
    expect(checks.ledger.decisions.size).toBe(0);
  });

  it("gives a function's template Timeout and MemorySize, and CloudFormation's 3 s and 128 MB where it sets none", () => {
    const sized = JSON.parse(JSON.stringify(template)) as CfnTemplate;
    Object.assign(sized.Resources.Worker?.Properties ?? {}, { Timeout: 270, MemorySize: 1024 });
    expect(
      new AwsRequestChecks(new DeployedAccount(sized, { region: 'us-east-1' }), config).deployedLimits(
        'scale-groups',
      ),
    ).toEqual({
      timeoutSeconds: 270,
      memoryMB: 1024,
    });
    expect(new AwsRequestChecks(account, config).deployedLimits('scale-groups')).toEqual({
      timeoutSeconds: 3,
      memoryMB: 128,
    });
    expect(new AwsRequestChecks(account, config).deployedLimits('prewarm-campaign')).toBeUndefined();
  });

  it("answers a publish to an encrypted topic whose key the role may not use with SNS's KMSAccessDenied", async () => {
    // The role may publish to the topic (and nothing else): no kms:GenerateDataKey on its key.
    const encrypted = workerTemplate(
      'functions/scale-groups/handler.ts',
      [{ Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: 'Topic' } }],
      {
        Key: { Type: 'AWS::KMS::Key', Properties: {} },
        Topic: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
        Other: { Type: 'AWS::SNS::Topic', Properties: {} },
      },
    );
    const deployed = new DeployedAccount(encrypted, { region: 'us-east-1' });
    const [topicArn] = [...deployed.topicKeys.keys()];
    const publish = (TopicArn: string) =>
      runAsHandler('scale-groups', () =>
        new AwsRequestChecks(deployed, config).check(world(), 'sns', 'PublishCommand', {
          TopicArn,
          Message: 'held',
        }),
      );
    await expect(publish(topicArn as string)).rejects.toMatchObject({
      name: 'KMSAccessDenied',
      message: expect.stringContaining('kms:GenerateDataKey'),
    });
    // A topic the role may not publish to at all: SNS's own AuthorizationError.
    await expect(publish((topicArn as string).replace(/[^:]+$/, 'Other'))).rejects.toMatchObject({
      name: 'AuthorizationError',
    });
    // Granted the key by IAM: the key's default policy (no KeyPolicy given) lets the account's IAM decide.
    const granted = new DeployedAccount(
      workerTemplate(
        'functions/scale-groups/handler.ts',
        [
          { Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: 'Topic' } },
          { Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: { 'Fn::GetAtt': ['Key', 'Arn'] } },
        ],
        { Key: encrypted.Resources.Key, Topic: encrypted.Resources.Topic } as CfnTemplate['Resources'],
      ),
      { region: 'us-east-1' },
    );
    await expect(
      runAsHandler('scale-groups', () =>
        new AwsRequestChecks(granted, config).check(world(), 'sns', 'PublishCommand', {
          TopicArn: topicArn,
          Message: 'held',
        }),
      ),
    ).resolves.toBeUndefined();
  });

  it('refuses a request sent outside any handler: there is no principal to authorize it as', async () => {
    const checks = new AwsRequestChecks(account, config);
    await expect(
      checks.check(world(), 'autoscaling', 'DescribeAutoScalingGroupsCommand', {}),
    ).rejects.toThrow(/outside runAsHandler/);
  });
});

describe('checkDeployment', () => {
  it('finds an alarm whose topic policy does not let CloudWatch publish', async () => {
    const checks = await checkDeployment(new DeployedAccount(template, { region: 'us-east-1' }), config);
    const refused = checks.filter((c) => c.kind === 'service delivery' && !holds(c));
    expect(refused.map((c) => `${c.principal} ${c.action}`)).toEqual([
      'cloudwatch.amazonaws.com sns:Publish',
    ]);
  });
});
