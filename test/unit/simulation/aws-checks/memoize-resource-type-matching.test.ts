import path from 'node:path';
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { memoizeResourceTypeMatching } from '../../../../shared/simulation/aws-checks/memoize-resource-type-matching';

const GROUP_ARN =
  'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:0f9a1c2e-0000-4000-8000-000000000001:autoScalingGroupName/web';
const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:prescale-alerts';

type Lookup = (service: string, action: string, resource: string) => Promise<{ key: string }[]>;
const engineModule = () =>
  require(
    path.join(
      path.dirname(require.resolve('@cloud-copilot/iam-simulate')),
      'simulation_engine/resourceTypes.js',
    ),
  ) as { getResourceTypesForAction: Lookup };

const simulation = (action: string, resource: string, tag: string): Simulation => ({
  request: {
    principal: 'arn:aws:sts::123456789012:assumed-role/worker/session',
    action,
    resource: { resource, accountId: '123456789012' },
    contextVariables: { 'aws:ResourceTag/prescale:enabled': tag },
  },
  identityPolicies: [
    {
      name: 'worker',
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['autoscaling:UpdateAutoScalingGroup', 'sns:Publish'],
            Resource: '*',
            Condition: { StringEquals: { 'aws:ResourceTag/prescale:enabled': 'true' } },
          },
        ],
      },
    },
  ],
  serviceControlPolicies: [],
  resourceControlPolicies: [],
});

describe('memoizeResourceTypeMatching', () => {
  it("answers as iam-simulate's own lookup, once per action and ARN", async () => {
    const original = engineModule().getResourceTypesForAction;
    const memoized = memoizeResourceTypeMatching();
    expect(engineModule().getResourceTypesForAction).toBe(memoized);
    expect(memoizeResourceTypeMatching()).toBe(memoized);
    for (const [service, action, arn] of [
      ['autoscaling', 'UpdateAutoScalingGroup', GROUP_ARN],
      ['sns', 'Publish', TOPIC_ARN],
    ] as const) {
      const first = memoized(service, action, arn);
      expect(memoized(service, action, arn)).toBe(first);
      expect((await first).map((t) => (t as { key: string }).key)).toEqual(
        (await original(service, action, arn)).map((t) => t.key),
      );
    }
    expect((await memoized('autoscaling', 'UpdateAutoScalingGroup', GROUP_ARN)).length).toBe(1);
  });

  it('does not keep a failed lookup', async () => {
    const memoized = memoizeResourceTypeMatching();
    const failed = memoized('autoscaling', 'NoSuchAction', GROUP_ARN);
    await expect(failed).rejects.toThrow();
    expect(memoized('autoscaling', 'NoSuchAction', GROUP_ARN)).not.toBe(failed);
    await expect(memoized('autoscaling', 'NoSuchAction', GROUP_ARN)).rejects.toThrow();
  });

  it('leaves every decision as it was: allowed on the tag, denied without it', async () => {
    memoizeResourceTypeMatching();
    for (const [action, arn] of [
      ['autoscaling:UpdateAutoScalingGroup', GROUP_ARN],
      ['sns:Publish', TOPIC_ARN],
    ] as const) {
      for (const [tag, expected] of [
        ['true', 'Allowed'],
        ['false', 'ImplicitlyDenied'],
        ['true', 'Allowed'],
      ] as const) {
        const result = await runSimulation(simulation(action, arn, tag), {});
        expect(result.resultType === 'error' ? result.errors : result.overallResult).toBe(expected);
      }
    }
  });
});
