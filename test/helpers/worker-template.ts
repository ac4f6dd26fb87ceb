import type { CfnTemplate } from '../../shared/simulation/aws-checks/resolve-intrinsics';
import { LAMBDA_TRUST_POLICY } from './lambda-trust-policy';

/**
 * A template with one Lambda function (`Worker`, running the handler at `entry`) whose role
 * (`WorkerRole`) has exactly `statements`, plus any `more` resources: the smallest deployment the
 * request checks can authorize a handler's calls against.
 */
export function workerTemplate(
  entry: string,
  statements: readonly object[],
  more: CfnTemplate['Resources'] = {},
): CfnTemplate {
  return {
    Resources: {
      WorkerRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: LAMBDA_TRUST_POLICY } },
      WorkerPolicy: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          PolicyName: 'worker',
          Roles: [{ Ref: 'WorkerRole' }],
          PolicyDocument: { Version: '2012-10-17', Statement: statements },
        },
      },
      Worker: {
        Type: 'AWS::Lambda::Function',
        Metadata: { 'prescale:entry': entry },
        Properties: { Role: { 'Fn::GetAtt': ['WorkerRole', 'Arn'] } },
      },
      ...more,
    },
  };
}
