import { ArnFormat, type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { UserConfig } from '../../../shared/contracts/user-config';
import { acknowledgeEnrolledGroupWildcards, enrolledGroupsStatements } from '../enrolled-groups-policy';
import { acknowledgeLaunchWildcards, launchStatements } from '../launch-permissions-policy';
import type { PrescaleFunction } from '../prescale-function';
import { stateMachineLogGroup } from '../state-machine-log-group';

export interface WorkflowStateMachineProps {
  readonly config: UserConfig;
  /** The start state of the definition. */
  readonly definition: sfn.IChainable;
  /** The decision Lambdas the definition invokes (their invoke grants are acknowledged). */
  readonly functions: readonly PrescaleFunction[];
  /** The notification topic's customer-managed key, when it has one. @default none */
  readonly topicKey?: kms.IKey;
}

/**
 * The Standard state machine in `scope`, with its log group (one month, level ALL, tracing on)
 * and a role only this account's state machines may assume, allowed to change and refresh the
 * enrolled groups only.
 */
export function workflowStateMachine(
  scope: Construct,
  props: WorkflowStateMachineProps,
): { stateMachine: sfn.StateMachine; logGroup: logs.LogGroup } {
  const stack = Stack.of(scope);
  const logGroup = stateMachineLogGroup(scope);
  // Only state machines of this account may assume the role (confused deputy); the machine's own
  // ARN would be a cycle: https://docs.aws.amazon.com/step-functions/latest/dg/cross-service-confused-deputy-prevention.html
  const machineRole = new iam.Role(scope, 'StateMachineRole', {
    assumedBy: new iam.ServicePrincipal('states.amazonaws.com', {
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: {
          'aws:SourceArn': stack.formatArn({
            service: 'states',
            resource: 'stateMachine',
            resourceName: '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      },
    }),
  });
  const stateMachine = new sfn.StateMachine(scope, 'StateMachine', {
    role: machineRole,
    comment:
      'Prescale rolling update: validate, wait for a low-load window, add headroom, refresh, watch, restore; roll back on any failure.',
    definitionBody: sfn.DefinitionBody.fromChainable(props.definition),
    stateMachineType: sfn.StateMachineType.STANDARD,
    tracingEnabled: true,
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
  });
  grantGroupChanges(scope, stateMachine.role, props);
  return { stateMachine, logGroup };
}

/** The role's own statements (refreshes of enrolled groups, launch permissions, the topic key) and its cdk-nag acknowledgements. */
function grantGroupChanges(scope: Construct, role: iam.IRole, props: WorkflowStateMachineProps): void {
  const { config } = props;
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'DescribeRefreshes',
      // DescribeInstanceRefreshes supports no resource-level permissions.
      actions: ['autoscaling:DescribeInstanceRefreshes'],
      resources: ['*'],
    }),
  );
  for (const statement of enrolledGroupsStatements(scope, config.groups, [
    'autoscaling:UpdateAutoScalingGroup',
    'autoscaling:StartInstanceRefresh',
    'autoscaling:CancelInstanceRefresh',
    'autoscaling:RollbackInstanceRefresh',
  ])) {
    role.addToPrincipalPolicy(statement);
  }
  // Auto Scaling checks that whoever points a group at a launch template version (a desired
  // configuration, the fallback's UpdateAutoScalingGroup, a rollback) may launch from it.
  for (const statement of launchStatements(scope, config)) role.addToPrincipalPolicy(statement);
  if (props.topicKey) {
    // Publishing to a topic encrypted with a customer-managed key needs the key.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'EncryptNotifications',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.topicKey.keyArn],
      }),
    );
  }
  acknowledgeEnrolledGroupWildcards(role, config.groups);
  acknowledgeLambdaInvokeWildcards(role, props.functions);
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'X-Ray and CloudWatch Logs delivery (tracing, logging level ALL) and autoscaling:DescribeInstanceRefreshes support no resource-level permissions.',
  });
  acknowledgeLaunchWildcards(role, config);
}

/**
 * Acknowledges the `<function>.Arn:*` resources LambdaInvoke grants a state machine role (the
 * function and its versions), one finding per decision function.
 */
export function acknowledgeLambdaInvokeWildcards(
  role: iam.IRole,
  functions: readonly PrescaleFunction[],
): void {
  const stack = Stack.of(role);
  for (const f of functions) {
    const logicalId = stack.resolve((f.function.node.defaultChild as CfnElement).logicalId);
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
      reason:
        'lambda:InvokeFunction on the decision function and its versions (<arn>:*), granted by LambdaInvoke.',
    });
  }
}
