import { attemptStrayMutations } from '../../../../shared/simulation/aws-checks/attempt-stray-mutations';
import { DeployedAccount } from '../../../../shared/simulation/aws-checks/deployed-account';
import type { SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';
import { checksWorld } from '../../../helpers/checks-world';
import { workerTemplate } from '../../../helpers/worker-template';

/** A worker whose role may suspend processes of groups tagged prescale:enabled=true, and nothing else. */
const template = workerTemplate('functions/scale-groups/handler.ts', [
  {
    Effect: 'Allow',
    Action: 'autoscaling:SuspendProcesses',
    Resource: '*',
    Condition: { StringEquals: { 'aws:ResourceTag/prescale:enabled': 'true' } },
  },
]);

function world(): SimulatedWorld {
  return checksWorld(
    (['tagged', 'stray-false'] as const).map((name) => {
      const tags = { 'prescale:enabled': name === 'tagged' ? 'true' : 'false' };
      return { name, tags, instanceRole: { name: `${name}-instance-role`, tags } };
    }),
  );
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
