import { Arn, ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct, IConstruct } from 'constructs';
import type { UserConfig } from '../../shared/contracts/user-config';
import { nagArn, nagText } from './nag-arn';

/**
 * IAM statements that allow `actions` only on enrolled groups: groups enrolled by tag through an
 * `autoscaling:ResourceTag` condition, groups enrolled by name through their ARNs. Never a bare `*`.
 */
export function enrolledGroupsStatements(
  scope: Construct,
  groups: UserConfig['groups'],
  actions: readonly string[],
): iam.PolicyStatement[] {
  const statements: iam.PolicyStatement[] = [];
  const anyGroupArn = Arn.format(
    {
      service: 'autoscaling',
      resource: 'autoScalingGroup',
      resourceName: '*',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    },
    Stack.of(scope),
  );
  if (groups.tag) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'MutateGroupsEnrolledByTag',
        actions: [...actions],
        resources: [anyGroupArn],
        conditions: { StringEquals: { [`autoscaling:ResourceTag/${groups.tag.key}`]: groups.tag.value } },
      }),
    );
  }
  if (groups.names.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'MutateGroupsEnrolledByName',
        actions: [...actions],
        resources: groups.names.map((name) =>
          Arn.format(
            {
              service: 'autoscaling',
              resource: 'autoScalingGroup',
              resourceName: `*:autoScalingGroupName/${name}`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            },
            Stack.of(scope),
          ),
        ),
      }),
    );
  }
  return statements;
}

/**
 * Acknowledges cdk-nag IAM5 on `role` for exactly the wildcard ARNs `enrolledGroupsStatements`
 * produces, with the reason: each is narrowed by a tag condition or names one group.
 */
export function acknowledgeEnrolledGroupWildcards(role: IConstruct, groups: UserConfig['groups']): void {
  if (groups.tag) {
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagArn(role, 'autoscaling', 'autoScalingGroup:*')}]`,
      reason: `Any group ARN, but only with the condition autoscaling:ResourceTag/${groups.tag.key}=${groups.tag.value} (enrolled groups).`,
    });
  }
  for (const name of groups.names) {
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagArn(role, 'autoscaling', `autoScalingGroup:*:autoScalingGroupName/${nagText(role, name)}`)}]`,
      reason: `The group ${nagText(role, name)} by name; the wildcard stands for its generated id, which is not known before it exists.`,
    });
  }
}
