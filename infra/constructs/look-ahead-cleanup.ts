import { type CfnElement, CustomResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { ENV } from '../../shared/contracts/env';
import type { UserConfig } from '../../shared/contracts/user-config';
import { configEnvironment } from './config-environment';
import {
  acknowledgeEnrolledGroupWildcards,
  cleanUpOwnedGroupsStatements,
  enrolledGroupsStatements,
} from './enrolled-groups-policy';
import { PrescaleFunction } from './prescale-function';
import { prewarmReleaseStatement } from './prewarm-release-policy';

/**
 * How long the remover may take: every group's give-back and look-ahead, a few calls each, through
 * a throttled Auto Scaling API; with hundreds of groups, minutes. A run that would go past it stops
 * first, naming the groups it left (the handler's reserve). A minute below the provider framework's
 * onEvent function (15 minutes, Lambda's longest), which invokes the remover synchronously and
 * waits through its cold start too: a remover timing out still leaves the framework time to answer
 * CloudFormation, instead of CloudFormation waiting for the service timeout with no group named.
 */
const REMOVER_TIMEOUT = Duration.minutes(14);
/** The CDK provider framework's onEvent function's timeout (aws-cdk-lib sets it; not configurable). */
const FRAMEWORK_TIMEOUT = Duration.minutes(15);

export interface LookAheadCleanupProps {
  /** The validated user configuration (which groups are enrolled). */
  readonly config: UserConfig;
  readonly stateTable: dynamodb.ITableV2;
}

/**
 * Deletes the fail-static look-ahead (every `prescale-` scheduled action of the enrolled groups and
 * of the groups this deployment owns) when the stack is deleted, and gives the owned groups back
 * their own bounds: a custom resource whose `onEvent` Lambda does the removal on Delete, once it
 * has read the stack to tell its deletion from one copy of this resource replaced by another (a
 * renamed or moved construct, an update's rollback), which removes nothing.
 * Make the loop's resources depend on this construct so CloudFormation stops the loop first and
 * removes the actions last.
 */
export class LookAheadCleanup extends Construct {
  readonly function: PrescaleFunction;
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: LookAheadCleanupProps) {
    super(scope, id);
    this.function = new PrescaleFunction(this, 'Remover', {
      entry: 'functions/remove-look-ahead/handler.ts',
      description:
        'Prescale: deletes the prescale- scheduled actions of enrolled and owned groups at stack deletion',
      environment: {
        [ENV.config]: configEnvironment(props.config),
        [ENV.stateTableName]: props.stateTable.tableName,
      },
      timeout: REMOVER_TIMEOUT,
    });
    const fn = this.function.function;
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'DescribeGroupsAndActions',
        // Auto Scaling Describe* actions support no resource-level permissions: they need "*".
        // An owned group's bounds are given back only once no instance refresh runs on it.
        actions: [
          'autoscaling:DescribeAutoScalingGroups',
          'autoscaling:DescribeScheduledActions',
          'autoscaling:DescribeInstanceRefreshes',
        ],
        resources: ['*'],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadOwnStack',
        // On Delete the remover reads its stack's status and resources to tell the stack's
        // deletion (or the scaler's removal) from one copy of its resource replaced by another
        // (a renamed or moved construct, an update's rollback), when the deployment lives on.
        // Both actions take the stack's ARN; this stack's only.
        actions: ['cloudformation:DescribeStacks', 'cloudformation:ListStackResources'],
        resources: [Stack.of(this).stackId],
      }),
    );
    for (const statement of enrolledGroupsStatements(this, props.config.groups, [
      'autoscaling:BatchDeleteScheduledAction',
    ])) {
      fn.addToRolePolicy(statement);
    }
    // The groups this deployment owns, enrolled or not (one taken out and not given back yet):
    // their look-ahead, their own bounds back, and only the prescale:deployment tag, only where it
    // names this deployment.
    for (const statement of cleanUpOwnedGroupsStatements(this, this.function.role)) {
      fn.addToRolePolicy(statement);
    }
    // Each owned group's own bounds as Prescale recorded them, the campaign releases left to its
    // loop (Query), and the rolling updates' locks. The
    // table outlives this resource at deletion: the remover refers to it, so CloudFormation
    // deletes the remover (and this resource, which refers to the remover through its provider) first.
    props.stateTable.grant(fn, 'dynamodb:GetItem', 'dynamodb:Query');
    // Each owned group's unreleased campaign pre-warms (its window pointers, Query; each record,
    // GetItem), given back with it and marked released.
    fn.addToRolePolicy(prewarmReleaseStatement(props.stateTable));
    acknowledgeEnrolledGroupWildcards(this.function.role, props.config.groups);

    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: fn,
      logGroup: new logs.LogGroup(this, 'ProviderLogs', { retention: logs.RetentionDays.ONE_MONTH }),
    });
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::PrescaleLookAheadCleanup',
      // CloudFormation waits an hour by default for a response it never gets (one over its 4,096
      // bytes, a framework that failed to answer); twice the framework's timeout covers one run of
      // it to the end, with its start and answer.
      serviceTimeout: Duration.minutes(FRAMEWORK_TIMEOUT.toMinutes() * 2),
    });
    acknowledgeProvider(provider, Stack.of(this).getLogicalId(fn.node.defaultChild as CfnElement));
  }
}

/** The CDK Provider framework's own Lambda: its findings, each with the reason it is acceptable. */
function acknowledgeProvider(provider: cr.Provider, onEventLogicalId: string): void {
  Validations.of(provider).acknowledge(
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        'The CDK custom-resource framework Lambda logs with the AWS basic execution role; it runs only on stack create, update and delete.',
    },
    {
      id: `AwsSolutions-IAM5[Resource::<${onEventLogicalId}.Arn>:*]`,
      reason: 'The framework Lambda may invoke every version of the one onEvent function it serves.',
    },
    {
      id: 'AwsSolutions-L1',
      reason: 'The CDK custom-resource framework Lambda runtime is chosen by aws-cdk-lib, not by Prescale.',
    },
  );
}
