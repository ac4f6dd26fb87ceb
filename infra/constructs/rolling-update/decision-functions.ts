import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { UPDATE_PLAN_KEYS } from '../../../shared/contracts/update-plan';
import type { UserConfig } from '../../../shared/contracts/user-config';
import { acknowledgeEnrolledGroupWildcards, enrolledGroupsStatements } from '../enrolled-groups-policy';
import { readKillSwitch } from '../kill-switch-policy';
import { leadingKeysStatement } from '../leading-keys-policy';
import { loadHistoryStatements } from '../load-history-policy';
import { nagArn } from '../nag-arn';
import { PrescaleFunction } from '../prescale-function';

/** The workflow's decision Lambdas, by handler folder name. */
export type DecisionFunctionName =
  | 'validate-rolling-update'
  | 'choose-update-window'
  | 'plan-update-headroom'
  | 'watch-refresh-progress'
  | 'decide-rollback-step'
  | 'plan-capacity-restore'
  | 'check-update-conflicts';

/** The decision Lambdas, in the order the state machine role acknowledges their invoke grants. */
export type DecisionFunctions = Readonly<Record<DecisionFunctionName, PrescaleFunction>>;

export interface DecisionFunctionsProps {
  readonly config: UserConfig;
  readonly stateTable: dynamodb.ITableV2;
  /** Environment every decision function gets (configuration, state table name). */
  readonly environment: Record<string, string>;
  /** The kill switch validation and the window choice read (GetParameter only). */
  readonly killSwitch: ssm.IStringParameter;
}

/**
 * The decision Lambdas, created in `scope`, each with only the reads it needs: Auto Scaling and
 * EC2 Describe*, load history, alarm states, and GetItem/reads on the state table.
 */
export function decisionFunctions(scope: Construct, props: DecisionFunctionsProps): DecisionFunctions {
  const { config, stateTable, environment, killSwitch } = props;
  const { describeGroups, describeLaunchTemplates, describeScheduledActions } = describeStatements();
  const readLoad = loadHistoryStatements(scope, config);

  const fn = functionMaker(scope, environment);
  const validate = fn('validate-rolling-update', 'validates a request and plans the refresh', [
    describeGroups,
    describeLaunchTemplates,
    readAlarmStates(scope),
    readKillSwitch(killSwitch),
  ]);
  // Both read group and plan locks (GetItem, strongly consistent) and nothing else.
  stateTable.grant(validate.function, 'dynamodb:GetItem');
  const checkConflicts = fn('check-update-conflicts', 'checks dependent groups after locking', []);
  stateTable.grant(checkConflicts.function, 'dynamodb:GetItem');
  // It waits for a look-ahead give-back still due on a group the loop stands down on.
  const chooseWindow = fn('choose-update-window', 'forecasts load and chooses a window', [
    describeGroups,
    describeScheduledActions,
    ...readLoad,
    readKillSwitch(killSwitch),
  ]);
  // Its forecast reads the group's campaigns from the calendar, as the loop's does.
  stateTable.grant(chooseWindow.function, 'dynamodb:Query', 'dynamodb:BatchGetItem');
  // A plan's child reads its plan's record (`PLAN#<plan>` / `RECORD`) for a cancel before it starts: no other item.
  chooseWindow.function.addToRolePolicy(
    leadingKeysStatement(stateTable, {
      sid: 'ReadPlanRecords',
      actions: ['dynamodb:GetItem'],
      partitionKeyPrefix: UPDATE_PLAN_KEYS.planPk(''),
    }),
  );
  // It resolves a group's $Latest/$Default again under the lock: a version moved since validation is refused.
  // Under the lock it deletes the loop's look-ahead due during the refresh (a give-back ending a
  // MaxSize raise is put again once the lock expires): on enrolled groups only, as the loop's grant.
  const planHeadroom = fn('plan-update-headroom', 'replans the refresh and its headroom on the group now', [
    describeGroups,
    describeLaunchTemplates,
    describeScheduledActions,
    ...enrolledGroupsStatements(
      scope,
      config.groups,
      ['autoscaling:BatchDeleteScheduledAction', 'autoscaling:BatchPutScheduledUpdateGroupAction'],
      { sid: 'ClearLookAhead' },
    ),
  ]);
  acknowledgeEnrolledGroupWildcards(planHeadroom.role, config.groups);
  const watchProgress = fn('watch-refresh-progress', 'checks alarms and load during the refresh', [
    describeGroups,
    ...readLoad,
    readAlarmStates(scope),
  ]);
  acknowledgeAlarmReads(scope, [validate, watchProgress]);
  const decideRollback = fn('decide-rollback-step', 'decides the next rollback step', []);
  const planRestore = fn('plan-capacity-restore', 'plans capacity after the refresh', [
    describeGroups,
    // The owner's scheduled MinSize is a floor the restore never goes below.
    describeScheduledActions,
  ]);
  // It reads the loop's run records and group state only (grantReadData would add scans and stream reads).
  stateTable.grant(planRestore.function, 'dynamodb:Query', 'dynamodb:GetItem');
  return {
    'validate-rolling-update': validate,
    'choose-update-window': chooseWindow,
    'plan-update-headroom': planHeadroom,
    'watch-refresh-progress': watchProgress,
    'decide-rollback-step': decideRollback,
    'plan-capacity-restore': planRestore,
    'check-update-conflicts': checkConflicts,
  };
}

/** Makes a decision Lambda of `functions/<name>` with `statements` on its role. */
function functionMaker(scope: Construct, environment: Record<string, string>) {
  return (name: string, description: string, statements: iam.PolicyStatement[]): PrescaleFunction => {
    const f = new PrescaleFunction(scope, name, {
      entry: `functions/${name}/handler.ts`,
      description: `Prescale rolling update: ${description}`,
      environment,
      timeout: Duration.seconds(60),
    });
    for (const s of statements) f.function.addToRolePolicy(s);
    return f;
  };
}

/** cdk-nag's wildcard finding on `readAlarmStates`, acknowledged with why, on each reader's role. */
function acknowledgeAlarmReads(scope: Construct, readers: readonly PrescaleFunction[]): void {
  for (const reader of readers)
    Validations.of(reader.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagArn(scope, 'cloudwatch', 'alarm:*')}]`,
      reason:
        'DescribeAlarms (read only) on the alarms of this account and region; each request names its own alarms.',
    });
}

function readAlarmStates(scope: Construct): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'ReadAlarmStates',
    actions: ['cloudwatch:DescribeAlarms'],
    // Alarm names come with each request, so any alarm of this account and region.
    resources: [
      Stack.of(scope).formatArn({
        service: 'cloudwatch',
        resource: 'alarm',
        resourceName: '*',
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    ],
  });
}

/** Describe* reads (no resource-level permissions), shared by the functions that need them. */
function describeStatements(): {
  describeGroups: iam.PolicyStatement;
  describeLaunchTemplates: iam.PolicyStatement;
  describeScheduledActions: iam.PolicyStatement;
} {
  const describeGroups = new iam.PolicyStatement({
    sid: 'DescribeGroups',
    // Auto Scaling and EC2 Describe* actions support no resource-level permissions.
    actions: [
      'autoscaling:DescribeAutoScalingGroups',
      'autoscaling:DescribePolicies',
      'autoscaling:DescribeInstanceRefreshes',
    ],
    resources: ['*'],
  });
  // Ec2InstanceCatalog.launchTemplate: the version, then its AMI's architecture.
  const describeLaunchTemplates = new iam.PolicyStatement({
    sid: 'DescribeLaunchTemplates',
    // EC2 Describe* actions support no resource-level permissions.
    actions: ['ec2:DescribeLaunchTemplateVersions', 'ec2:DescribeImages'],
    resources: ['*'],
  });
  const describeScheduledActions = new iam.PolicyStatement({
    sid: 'DescribeScheduledActions',
    // Auto Scaling Describe* actions support no resource-level permissions.
    actions: ['autoscaling:DescribeScheduledActions'],
    resources: ['*'],
  });
  return { describeGroups, describeLaunchTemplates, describeScheduledActions };
}
