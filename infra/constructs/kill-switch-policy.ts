import * as iam from 'aws-cdk-lib/aws-iam';
import type * as ssm from 'aws-cdk-lib/aws-ssm';

/**
 * What every function that reads the kill switch needs: `SsmKillSwitch` calls GetParameter only
 * (`grantRead` would add three more actions).
 */
export function readKillSwitch(killSwitch: ssm.IStringParameter): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'ReadKillSwitch',
    actions: ['ssm:GetParameter'],
    resources: [killSwitch.parameterArn],
  });
}
