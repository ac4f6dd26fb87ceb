import { attemptStrayMutations } from '../../../../shared/simulation/aws-checks/attempt-stray-mutations';
import { DeployedAccount } from '../../../../shared/simulation/aws-checks/deployed-account';
import type { CfnTemplate } from '../../../../shared/simulation/aws-checks/resolve-intrinsics';
import { SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';
import { LAMBDA_TRUST_POLICY } from '../../../helpers/lambda-trust-policy';

/** A worker whose role may suspend processes of groups tagged prescale:enabled=true, and nothing else. */
const template: CfnTemplate = {
  Resources: {
    WorkerRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: LAMBDA_TRUST_POLICY } },
    WorkerPolicy: {
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyName: 'worker',
        Roles: [{ Ref: 'WorkerRole' }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'autoscaling:SuspendProcesses',
              Resource: '*',
              Condition: { StringEquals: { 'aws:ResourceTag/prescale:enabled': 'true' } },
            },
          ],
        },
      },
    },
    Worker: {
      Type: 'AWS::Lambda::Function',
      Metadata: { 'prescale:entry': 'functions/scale-groups/handler.ts' },
      Properties: { Role: { 'Fn::GetAtt': ['WorkerRole', 'Arn'] } },
    },
  },
};

function world(): SimulatedWorld {
  const w = new SimulatedWorld({ startMs: Date.UTC(2026, 0, 5), seed: 1 });
  for (const [name, value] of [
    ['tagged', 'true'],
    ['stray-false', 'false'],
  ] as const)
    w.createGroup({
      name,
      minSize: 1,
      maxSize: 10,
      desiredCapacity: 2,
      instanceType: 'm7g.large',
      tags: { 'prescale:enabled': value },
      instanceRole: { name: `${name}-instance-role`, tags: { 'prescale:enabled': value } },
      launchDelaySeconds: 60,
      launchJitterSeconds: 0,
      warmupSeconds: 60,
      warmPoolLaunchSeconds: 30,
    });
  return w;
}

describe('attemptStrayMutations', () => {
  const account = new DeployedAccount(template, { region: 'us-east-1' });

  it('asks every group mutation, launch-template change and role pass with the group’s own tags', async () => {
    const attempts = await attemptStrayMutations(account, world(), ['stray-false']);
    expect([...new Set(attempts.map((a) => a.call))]).toEqual(
      expect.arrayContaining([
        'autoscaling:SuspendProcesses',
        'autoscaling:UpdateAutoScalingGroup',
        'ec2:CreateLaunchTemplateVersion',
        'iam:PassRole',
      ]),
    );
    expect(attempts.filter((a) => a.outcome === 'allowed')).toEqual([]);
  });

  it('reports a mutation the role may make, so a leak in the policies is seen', async () => {
    const attempts = await attemptStrayMutations(account, world(), ['tagged']);
    expect(attempts.filter((a) => a.outcome === 'allowed').map((a) => `${a.principal} ${a.call}`)).toEqual([
      'scale-groups autoscaling:SuspendProcesses',
    ]);
  });

  it('names a group that is not in the world', async () => {
    await expect(attemptStrayMutations(account, world(), ['absent'])).rejects.toThrow(/no group absent/);
  });
});
