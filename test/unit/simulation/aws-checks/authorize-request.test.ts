import * as iamSimulate from '@cloud-copilot/iam-simulate';
import { RequestAuthorizer } from '../../../../shared/simulation/aws-checks/authorize-request';
import { DeployedAccount } from '../../../../shared/simulation/aws-checks/deployed-account';
import type { CfnTemplate } from '../../../../shared/simulation/aws-checks/resolve-intrinsics';
import { LAMBDA_TRUST_POLICY } from '../../../helpers/lambda-trust-policy';

/** One role allowed to update the groups tagged prescale:enabled with `enabledValue`. */
const template = (enabledValue: string): CfnTemplate => ({
  Resources: {
    WorkerRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: LAMBDA_TRUST_POLICY,
        Policies: [
          {
            PolicyName: 'worker',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Action: 'autoscaling:UpdateAutoScalingGroup',
                  Resource: '*',
                  Condition: { StringEquals: { 'aws:ResourceTag/prescale:enabled': enabledValue } },
                },
              ],
            },
          },
        ],
      },
    },
  },
});

const account = (enabledValue: string) =>
  new DeployedAccount(template(enabledValue), { region: 'us-east-1' });
const update = (roleArn: string, tag: string) => ({
  principal: roleArn,
  action: 'autoscaling:UpdateAutoScalingGroup',
  resourceArn: 'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:uuid:autoScalingGroupName/web',
  context: { 'aws:ResourceTag/prescale:enabled': tag },
});

describe('RequestAuthorizer', () => {
  afterEach(() => jest.restoreAllMocks());

  it('answers each account by its own policies, though the request is the same', async () => {
    const yes = account('yes');
    const [roleArn] = [...yes.roles.keys()] as [string];
    const asked = update(roleArn, 'yes');
    expect(await new RequestAuthorizer(yes).authorize(asked)).toEqual({ kind: 'allowed' });
    expect(await new RequestAuthorizer(account('true')).authorize(asked)).toMatchObject({ kind: 'denied' });
    expect(await new RequestAuthorizer(account('true')).authorize(update(roleArn, 'true'))).toEqual({
      kind: 'allowed',
    });
  });

  it('evaluates a request on the same policies once, whichever authorizer asks', async () => {
    const evaluations = jest.spyOn(iamSimulate, 'runSimulation');
    const [first, second] = [account('on'), account('on')];
    const [roleArn] = [...first.roles.keys()] as [string];
    const asked = update(roleArn, 'on');
    expect(await new RequestAuthorizer(first).authorize(asked)).toEqual({ kind: 'allowed' });
    expect(await new RequestAuthorizer(second).authorize(asked)).toEqual({ kind: 'allowed' });
    expect(await new RequestAuthorizer(second).authorize(update(roleArn, 'off'))).toMatchObject({
      kind: 'denied',
    });
    expect(evaluations).toHaveBeenCalledTimes(2);
  });
});
