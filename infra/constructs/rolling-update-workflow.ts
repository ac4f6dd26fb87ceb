import { ArnFormat, Aws, type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { ENV } from '../../shared/contracts/env';
import { ROLLING_UPDATE_KEYS, ROLLING_UPDATE_REQUESTED } from '../../shared/contracts/rolling-update';
import type { UserConfig } from '../../shared/contracts/user-config';
import { acknowledgeEnrolledGroupWildcards, enrolledGroupsStatements } from './enrolled-groups-policy';
import { acknowledgeLaunchWildcards, launchStatements } from './launch-permissions-policy';
import { loadHistoryStatements } from './load-history-policy';
import { nagArn } from './nag-arn';
import { PrescaleFunction } from './prescale-function';
import { ScheduledFunction } from './scheduled-function';

export interface RollingUpdateWorkflowProps {
  /** The validated user configuration (`groups` scopes permissions; `rollingUpdate` sets defaults). */
  readonly config: UserConfig;
  /** Prescale's state table: the group LOCK item, rollout records, the loop's run records. */
  readonly stateTable: dynamodb.ITableV2;
  /** Prescale's bus; a rule starts the workflow on `Rolling Update Requested` (source `prescale`). */
  readonly eventBus: events.IEventBus;
  /** Where rollbacks are announced. */
  readonly topic: sns.ITopic;
  /** The topic's customer-managed key, when it has one (publishing needs it). @default none */
  readonly topicKey?: kms.IKey;
}

const J = sfn.JsonPath;
const S = tasks.DynamoAttributeValue;

/**
 * Step Functions names an AWS SDK integration error `<Service>.<Exception>`
 * (https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html#use-awssdk-integ-errors).
 * Errors the Auto Scaling model declares keep their exception name (`ResourceContentionFault` →
 * `AutoScaling.ResourceContentionException`); common errors it does not declare — `Throttling`
 * ("Rate exceeded", HTTP 400), `ServiceUnavailable`, `InternalFailure`
 * (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/CommonErrors.html) — arrive as the
 * service's generic `AutoScaling.AutoScalingException`; there is no `AutoScaling.ThrottlingException`.
 * Every Auto Scaling call the workflow makes is safe to repeat (absolute capacities; a repeated
 * start meets `InstanceRefreshInProgress`, a repeated rollback or cancel meets
 * `ActiveInstanceRefreshNotFound`, both caught), so reads and writes retry on both.
 */
export const AUTO_SCALING_TRANSIENT = [
  'AutoScaling.ResourceContentionException',
  'AutoScaling.AutoScalingException',
] as const;

/**
 * The rolling-update workflow: a Standard state machine that validates a request, waits for a
 * low-load window, adds headroom, starts an instance refresh with a DesiredConfiguration (never by
 * changing the group's launch template first, which would make rollback impossible), watches it
 * with the user's alarms and the observed load, restores capacity, and on any failure rolls back
 * (RollbackInstanceRefresh, or cancel and revert), restores, notifies and fails with the reason.
 * One rolling update per group at a time: the group's LOCK item, released on every path.
 * See docs/rolling-updates.md.
 */
export class RollingUpdateWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;
  /** Decision Lambdas, by handler folder name. */
  readonly functions: Readonly<Record<string, PrescaleFunction>>;
  /** Starts the workflow for `Rolling Update Requested` events with a named execution. */
  readonly requester: PrescaleFunction;
  readonly requestRule: events.Rule;
  /** Where request events that could not start the workflow are kept. */
  readonly requestDeadLetterQueue: sqs.Queue;
  /** The daily scheduled-event scan, when `rollingUpdate.autoStartOnScheduledEvents` is on. */
  readonly maintenanceScan?: ScheduledFunction;

  constructor(scope: Construct, id: string, props: RollingUpdateWorkflowProps) {
    super(scope, id);
    const { config } = props;
    const stack = Stack.of(this);
    const environment = {
      [ENV.config]: JSON.stringify(config),
      [ENV.stateTableName]: props.stateTable.tableName,
    };
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
    const readLoad = loadHistoryStatements(this, config);

    const fn = (name: string, description: string, statements: iam.PolicyStatement[]) => {
      const f = new PrescaleFunction(this, name, {
        entry: `functions/${name}/handler.ts`,
        description: `Prescale rolling update: ${description}`,
        environment,
        timeout: Duration.seconds(60),
      });
      for (const s of statements) f.function.addToRolePolicy(s);
      return f;
    };
    const validate = fn('validate-rolling-update', 'validates a request and plans the refresh', [
      describeGroups,
      describeLaunchTemplates,
    ]);
    // Both read group and plan locks (GetItem, strongly consistent) and nothing else.
    props.stateTable.grant(validate.function, 'dynamodb:GetItem');
    const checkConflicts = fn('check-update-conflicts', 'checks dependent groups after locking', []);
    props.stateTable.grant(checkConflicts.function, 'dynamodb:GetItem');
    const chooseWindow = fn('choose-update-window', 'forecasts load and chooses a window', [
      describeGroups,
      ...readLoad,
    ]);
    const planHeadroom = fn('plan-update-headroom', 'plans capacity to hold during the refresh', [
      describeGroups,
    ]);
    const watchProgress = fn('watch-refresh-progress', 'checks alarms and load during the refresh', [
      describeGroups,
      ...readLoad,
      new iam.PolicyStatement({
        sid: 'ReadAlarmStates',
        actions: ['cloudwatch:DescribeAlarms'],
        // Alarm names come with each request, so any alarm of this account and region.
        resources: [
          stack.formatArn({
            service: 'cloudwatch',
            resource: 'alarm',
            resourceName: '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    ]);
    Validations.of(watchProgress.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagArn(this, 'cloudwatch', 'alarm:*')}]`,
      reason:
        'DescribeAlarms (read only) on the alarms of this account and region; each request names its own alarms.',
    });
    const decideRollback = fn('decide-rollback-step', 'decides the next rollback step', []);
    const planRestore = fn('plan-capacity-restore', 'plans capacity after the refresh', [describeGroups]);
    props.stateTable.grantReadData(planRestore.function);
    this.functions = {
      'validate-rolling-update': validate,
      'choose-update-window': chooseWindow,
      'plan-update-headroom': planHeadroom,
      'watch-refresh-progress': watchProgress,
      'decide-rollback-step': decideRollback,
      'plan-capacity-restore': planRestore,
      'check-update-conflicts': checkConflicts,
    };

    // ---- states -------------------------------------------------------------------------------
    const invoke = (name: string, f: PrescaleFunction, resultPath: string, payload?: sfn.TaskInput) =>
      new tasks.LambdaInvoke(this, name, {
        lambdaFunction: f.function,
        payloadResponseOnly: true,
        resultPath,
        ...(payload ? { payload } : {}),
      }).addRetry({
        errors: ['TransientDependencyError'],
        interval: Duration.seconds(5),
        maxAttempts: 3,
        backoffRate: 2,
      });
    const autoScaling = (
      name: string,
      action: string,
      parameters: Record<string, unknown>,
      output: { resultPath?: string | null; resultSelector?: Record<string, unknown> } = {},
    ) =>
      new sfn.CustomState(this, name, {
        stateJson: {
          Type: 'Task',
          Resource: `arn:${Aws.PARTITION}:states:::aws-sdk:autoscaling:${action}`,
          Parameters: parameters,
          ...(output.resultSelector ? { ResultSelector: output.resultSelector } : {}),
          ResultPath: output.resultPath === undefined ? null : output.resultPath,
        },
      }).addRetry({
        errors: [...AUTO_SCALING_TRANSIENT],
        interval: Duration.seconds(2),
        maxAttempts: 5,
        backoffRate: 2,
        jitterStrategy: sfn.JitterType.FULL,
      });
    const group = { 'AutoScalingGroupName.$': '$.plan.groupName' };
    const toRollback = { resultPath: '$.error' };

    // Ends.
    const rolledOut = new sfn.Succeed(this, 'Rolled out', { outputPath: '$.outcome' });
    const deferred = new sfn.Succeed(this, 'Deferred', { outputPath: '$.outcome' });
    const rolledBack = new sfn.Fail(this, 'Rolled back', {
      errorPath: '$.outcome.error',
      causePath: '$.outcome.cause',
    });
    const howDidItEnd = new sfn.Choice(this, 'How did it end?')
      .when(sfn.Condition.stringEquals('$.outcome.status', 'Succeeded'), rolledOut)
      .when(sfn.Condition.stringEquals('$.outcome.status', 'Deferred'), deferred)
      .otherwise(rolledBack);
    const releaseLock = new tasks.DynamoDeleteItem(this, 'Release group lock', {
      table: props.stateTable,
      key: { pk: S.fromString(J.stringAt('$.plan.lockPk')), sk: S.fromString(ROLLING_UPDATE_KEYS.lockSk) },
      // Only our own lock: a deferred or failed-to-lock run holds none, and deletes nothing.
      conditionExpression: 'holder = :holder',
      expressionAttributeValues: { ':holder': S.fromString(J.stringAt('$$.Execution.Name')) },
      resultPath: J.DISCARD,
    })
      .addRetry({
        errors: ['DynamoDB.ProvisionedThroughputExceededException', 'DynamoDB.InternalServerErrorException'],
      })
      .addCatch(howDidItEnd, {
        errors: ['DynamoDB.ConditionalCheckFailedException'],
        resultPath: '$.releaseError',
      })
      .addCatch(howDidItEnd, { errors: ['States.ALL'], resultPath: '$.releaseError' })
      .next(howDidItEnd);
    const recordOutcome = new tasks.DynamoPutItem(this, 'Record outcome', {
      table: props.stateTable,
      item: {
        pk: S.fromString(J.stringAt('$.plan.recordPk')),
        sk: S.fromString(J.stringAt('$.plan.recordSk')),
        status: S.fromString(J.stringAt('$.outcome.status')),
        outcome: S.fromString(J.jsonToString(J.objectAt('$.outcome'))),
        plan: S.fromString(J.jsonToString(J.objectAt('$.plan'))),
        endedAt: S.fromString(J.stringAt('$$.State.EnteredTime')),
        expiresAt: S.numberFromString(J.stringAt('$.plan.recordExpiresAt')),
      },
      resultPath: J.DISCARD,
    })
      .addRetry({
        errors: ['DynamoDB.ProvisionedThroughputExceededException', 'DynamoDB.InternalServerErrorException'],
      })
      .addCatch(releaseLock, { errors: ['States.ALL'], resultPath: '$.recordError' })
      .next(releaseLock);

    // Rollback branch: describe → decide → act → wait, until nothing is left to undo.
    const summarizeRollback = new sfn.Pass(this, 'Summarize rollback', {
      parameters: {
        status: 'RolledBack',
        groupName: J.stringAt('$.plan.groupName'),
        targetVersion: J.stringAt('$.plan.targetVersion'),
        error: J.stringAt('$.error.Error'),
        cause: J.format('{} Rollback: {}', J.stringAt('$.error.Cause'), J.stringAt('$.rollback.reason')),
        needsAttention: J.stringAt('$.rollback.needsAttention'),
      },
      resultPath: '$.outcome',
    }).next(recordOutcome);
    const notify = new tasks.SnsPublish(this, 'Notify operators', {
      topic: props.topic,
      subject: 'Prescale rolling update rolled back',
      message: sfn.TaskInput.fromText(
        J.format(
          'Rolling update {} of Auto Scaling group {} to launch template version {} did not complete. Error: {}. Cause: {}. Rollback: {} (needs attention: {}).',
          J.stringAt('$$.Execution.Name'),
          J.stringAt('$.plan.groupName'),
          J.stringAt('$.plan.targetVersion'),
          J.stringAt('$.error.Error'),
          J.stringAt('$.error.Cause'),
          J.stringAt('$.rollback.reason'),
          J.stringAt('$.rollback.needsAttention'),
        ),
      ),
      resultPath: J.DISCARD,
    })
      .addCatch(summarizeRollback, { errors: ['States.ALL'], resultPath: '$.notifyError' })
      .next(summarizeRollback);
    const restoreAfterRollback = autoScaling('Restore capacity after rollback', 'updateAutoScalingGroup', {
      ...group,
      'MinSize.$': '$.restore.minSize',
      'DesiredCapacity.$': '$.restore.desiredCapacity',
    })
      .addCatch(notify, { errors: ['States.ALL'], resultPath: '$.restoreError' })
      .next(notify);
    const planRestoreAfterRollback = invoke('Plan capacity restore after rollback', planRestore, '$.restore')
      .addCatch(notify, { errors: ['States.ALL'], resultPath: '$.restoreError' })
      .next(restoreAfterRollback);
    const noteRollbackFailure = new sfn.Pass(this, 'Note rollback failure', {
      parameters: {
        action: 'failed',
        reason: J.format(
          'the rollback itself failed ({}: {}); check the group',
          J.stringAt('$.rollbackError.Error'),
          J.stringAt('$.rollbackError.Cause'),
        ),
        needsAttention: true,
      },
      resultPath: '$.rollback',
    }).next(planRestoreAfterRollback);
    const onRollbackError = { errors: ['States.ALL'], resultPath: '$.rollbackError' };

    const waitDuringRollback = new sfn.Wait(this, 'Wait during rollback', {
      time: sfn.WaitTime.secondsPath('$.plan.pollIntervalSeconds'),
    });
    const describeForRollback = autoScaling(
      'Describe refreshes for rollback',
      'describeInstanceRefreshes',
      { ...group, MaxRecords: 10 },
      { resultPath: '$.rollbackRefreshes', resultSelector: { 'refreshes.$': '$.InstanceRefreshes' } },
    ).addCatch(noteRollbackFailure, onRollbackError);
    waitDuringRollback.next(describeForRollback);
    const rollBack = autoScaling('Roll back refresh', 'rollbackInstanceRefresh', group);
    const cancel = autoScaling('Cancel refresh', 'cancelInstanceRefresh', group);
    rollBack
      // The refresh cannot be undone natively (e.g. it passed a point of no return): cancel, then revert.
      .addCatch(cancel, {
        errors: ['AutoScaling.IrreversibleInstanceRefreshException'],
        resultPath: '$.rollbackError',
      })
      // It ended meanwhile: look again.
      .addCatch(waitDuringRollback, {
        errors: ['AutoScaling.ActiveInstanceRefreshNotFoundException'],
        resultPath: '$.rollbackError',
      })
      .addCatch(noteRollbackFailure, onRollbackError)
      .next(waitDuringRollback);
    cancel
      .addCatch(waitDuringRollback, {
        errors: ['AutoScaling.ActiveInstanceRefreshNotFoundException'],
        resultPath: '$.rollbackError',
      })
      .addCatch(noteRollbackFailure, onRollbackError)
      .next(waitDuringRollback);
    const startRevert = autoScaling(
      'Start revert refresh',
      'startInstanceRefresh',
      {
        ...group,
        'DesiredConfiguration.$': '$.plan.revertDesiredConfiguration',
        'Preferences.$': '$.plan.revertPreferences',
      },
      { resultPath: '$.revert' },
    )
      .addCatch(noteRollbackFailure, onRollbackError)
      .next(waitDuringRollback);
    const startRevertWithoutDesired = autoScaling(
      'Start revert refresh without desired configuration',
      'startInstanceRefresh',
      { ...group, 'Preferences.$': '$.plan.revertPreferences' },
      { resultPath: '$.revert' },
    )
      .addCatch(noteRollbackFailure, onRollbackError)
      .next(waitDuringRollback);
    const pointGroupBack = autoScaling('Point group back at previous version', 'updateAutoScalingGroup', {
      ...group,
      MixedInstancesPolicy: {
        LaunchTemplate: {
          LaunchTemplateSpecification: {
            'LaunchTemplateId.$': '$.plan.launchTemplateId',
            'Version.$': '$.plan.previousVersion',
          },
        },
      },
    })
      .addCatch(noteRollbackFailure, onRollbackError)
      .next(startRevertWithoutDesired);
    const whichRevert = new sfn.Choice(this, 'Which revert path?')
      .when(sfn.Condition.stringEquals('$.plan.path', 'fallback'), pointGroupBack)
      .otherwise(startRevert);
    const whichRollbackStep = new sfn.Choice(this, 'Which rollback step?')
      .when(sfn.Condition.stringEquals('$.rollback.action', 'roll-back'), rollBack)
      .when(sfn.Condition.stringEquals('$.rollback.action', 'cancel'), cancel)
      .when(sfn.Condition.stringEquals('$.rollback.action', 'revert'), whichRevert)
      .when(sfn.Condition.stringEquals('$.rollback.action', 'wait'), waitDuringRollback)
      .otherwise(planRestoreAfterRollback);
    const decideRollbackStep = invoke('Choose rollback step', decideRollback, '$.rollback')
      .addCatch(noteRollbackFailure, onRollbackError)
      .next(whichRollbackStep);
    describeForRollback.next(decideRollbackStep);
    // Every failure of the forward path enters here with $.error set.
    const rollbackEntry = describeForRollback;

    // Success path.
    const summarizeRollout = new sfn.Pass(this, 'Summarize rollout', {
      parameters: {
        status: 'Succeeded',
        groupName: J.stringAt('$.plan.groupName'),
        targetVersion: J.stringAt('$.plan.targetVersion'),
        refreshId: J.stringAt('$.refresh.InstanceRefreshId'),
        window: J.stringAt('$.window.reason'),
        headroom: J.stringAt('$.headroom.reason'),
        restore: J.stringAt('$.restore.reason'),
      },
      resultPath: '$.outcome',
    }).next(recordOutcome);
    const restore = autoScaling('Restore capacity', 'updateAutoScalingGroup', {
      ...group,
      'MinSize.$': '$.restore.minSize',
      'DesiredCapacity.$': '$.restore.desiredCapacity',
    })
      .addCatch(rollbackEntry, { errors: ['States.ALL'], ...toRollback })
      .next(summarizeRollout);
    const planRestoreState = invoke('Plan capacity restore', planRestore, '$.restore')
      .addCatch(rollbackEntry, { errors: ['States.ALL'], ...toRollback })
      .next(restore);

    // Watch loop.
    const waitForProgress = new sfn.Wait(this, 'Wait before checking progress', {
      time: sfn.WaitTime.secondsPath('$.plan.pollIntervalSeconds'),
    });
    const describeProgress = autoScaling(
      'Describe refresh progress',
      'describeInstanceRefreshes',
      { ...group, 'InstanceRefreshIds.$': 'States.Array($.refresh.InstanceRefreshId)' },
      { resultPath: '$.refreshStatus', resultSelector: { 'refreshes.$': '$.InstanceRefreshes' } },
    ).addCatch(rollbackEntry, { errors: ['States.ALL'], ...toRollback });
    const watch = invoke('Check alarms and load', watchProgress, '$.progress').addCatch(rollbackEntry, {
      errors: ['States.ALL'],
      ...toRollback,
    });
    const noteProblem = new sfn.Pass(this, 'Note refresh problem', {
      inputPath: '$.progress.error',
      resultPath: '$.error',
    }).next(rollbackEntry);
    const raiseHeadroom = autoScaling('Raise headroom', 'updateAutoScalingGroup', {
      ...group,
      'MinSize.$': '$.progress.raiseTo.minSize',
      'DesiredCapacity.$': '$.progress.raiseTo.desiredCapacity',
    })
      .addCatch(rollbackEntry, { errors: ['States.ALL'], ...toRollback })
      .next(waitForProgress);
    const isDone = new sfn.Choice(this, 'Is the refresh done?')
      .when(sfn.Condition.stringEquals('$.progress.verdict', 'in-progress'), waitForProgress)
      .when(sfn.Condition.stringEquals('$.progress.verdict', 'needs-headroom'), raiseHeadroom)
      .when(sfn.Condition.stringEquals('$.progress.verdict', 'succeeded'), planRestoreState)
      .otherwise(noteProblem);
    waitForProgress.next(describeProgress).next(watch).next(isDone);

    // Start the refresh.
    const startRefresh = autoScaling(
      'Start instance refresh',
      'startInstanceRefresh',
      {
        ...group,
        'DesiredConfiguration.$': '$.plan.desiredConfiguration',
        'Preferences.$': '$.plan.preferences',
      },
      { resultPath: '$.refresh' },
    )
      // Someone else's refresh started meanwhile: undo only our headroom, never touch theirs.
      .addCatch(rollbackEntry, { errors: ['AutoScaling.InstanceRefreshInProgressException'], ...toRollback })
      .addCatch(rollbackEntry, { errors: ['States.ALL'], ...toRollback })
      .next(waitForProgress);
    const startRefreshWithoutDesired = autoScaling(
      'Start instance refresh without desired configuration',
      'startInstanceRefresh',
      { ...group, 'Preferences.$': '$.plan.preferences' },
      { resultPath: '$.refresh' },
    )
      .addCatch(rollbackEntry, { errors: ['AutoScaling.InstanceRefreshInProgressException'], ...toRollback })
      .addCatch(rollbackEntry, { errors: ['States.ALL'], ...toRollback })
      .next(waitForProgress);
    // Attribute-based selection only: no DesiredConfiguration is possible, so the group itself moves
    // to the new version (the previous one is recorded in the plan and the rollout record).
    const pointGroupAtTarget = autoScaling('Point group at target version', 'updateAutoScalingGroup', {
      ...group,
      MixedInstancesPolicy: {
        LaunchTemplate: {
          LaunchTemplateSpecification: {
            'LaunchTemplateId.$': '$.plan.launchTemplateId',
            'Version.$': '$.plan.targetVersion',
          },
        },
      },
    })
      .addCatch(rollbackEntry, { errors: ['States.ALL'], ...toRollback })
      .next(startRefreshWithoutDesired);
    const whichPath = new sfn.Choice(this, 'Which refresh path?')
      .when(sfn.Condition.stringEquals('$.plan.path', 'fallback'), pointGroupAtTarget)
      .otherwise(startRefresh);
    const recordStart = new tasks.DynamoPutItem(this, 'Record rollout start', {
      table: props.stateTable,
      item: {
        pk: S.fromString(J.stringAt('$.plan.recordPk')),
        sk: S.fromString(J.stringAt('$.plan.recordSk')),
        status: S.fromString('InProgress'),
        plan: S.fromString(J.jsonToString(J.objectAt('$.plan'))),
        headroom: S.fromString(J.jsonToString(J.objectAt('$.headroom'))),
        startedAt: S.fromString(J.stringAt('$$.State.EnteredTime')),
        expiresAt: S.numberFromString(J.stringAt('$.plan.recordExpiresAt')),
      },
      resultPath: J.DISCARD,
    })
      .addCatch(rollbackEntry, { errors: ['States.ALL'], ...toRollback })
      .next(whichPath);
    const addHeadroom = autoScaling('Add headroom', 'updateAutoScalingGroup', {
      ...group,
      'MinSize.$': '$.headroom.minSize',
      'DesiredCapacity.$': '$.headroom.desiredCapacity',
    })
      .addCatch(rollbackEntry, { errors: ['States.ALL'], ...toRollback })
      .next(recordStart);
    const planHeadroomState = invoke('Plan headroom', planHeadroom, '$.headroom')
      .addCatch(rollbackEntry, { errors: ['States.ALL'], ...toRollback })
      .next(addHeadroom);
    const startTracking = new sfn.Pass(this, 'Start tracking', {
      result: sfn.Result.fromObject({
        action: 'none',
        reason: 'nothing needed undoing',
        needsAttention: false,
      }),
      resultPath: '$.rollback',
    }).next(planHeadroomState);

    // Lock.
    const groupLocked = new sfn.Fail(this, 'Group is locked', {
      error: 'GroupLocked',
      cause: 'Another rolling update holds the lock on this group; nothing was changed.',
    });
    const lockFailed = new sfn.Fail(this, 'Could not lock group', {
      errorPath: '$.error.Error',
      causePath: '$.error.Cause',
    });
    // Written lock first, then the dependent groups and update plans read: of two dependent
    // updates that passed validation together, at least one sees the other (docs/rolling-updates.md).
    const dependentUpdating = new sfn.Fail(this, 'Dependent group is updating', {
      error: 'DependentGroupUpdating',
      causePath: '$.conflicts.reason',
    });
    const releaseAfterConflict = new tasks.DynamoDeleteItem(this, 'Release group lock after conflict', {
      table: props.stateTable,
      key: { pk: S.fromString(J.stringAt('$.plan.lockPk')), sk: S.fromString(ROLLING_UPDATE_KEYS.lockSk) },
      conditionExpression: 'holder = :holder',
      expressionAttributeValues: { ':holder': S.fromString(J.stringAt('$$.Execution.Name')) },
      resultPath: J.DISCARD,
    })
      .addRetry({
        errors: ['DynamoDB.ProvisionedThroughputExceededException', 'DynamoDB.InternalServerErrorException'],
      })
      .addCatch(dependentUpdating, { errors: ['States.ALL'], resultPath: '$.releaseError' })
      .next(dependentUpdating);
    const conflictCheckFailed = new sfn.Pass(this, 'Conflict check failed', {
      parameters: {
        kind: 'conflict',
        reason: J.format(
          'the dependent-group check failed ({}); nothing was changed',
          J.stringAt('$.conflicts.Error'),
        ),
      },
      resultPath: '$.conflicts',
    }).next(releaseAfterConflict);
    const checkDependents = invoke('Check dependent groups', checkConflicts, '$.conflicts')
      .addCatch(conflictCheckFailed, { errors: ['States.ALL'], resultPath: '$.conflicts' })
      .next(
        new sfn.Choice(this, 'Is a dependent group updating?')
          .when(sfn.Condition.stringEquals('$.conflicts.kind', 'conflict'), releaseAfterConflict)
          .otherwise(startTracking),
      );
    const acquireLock = new tasks.DynamoPutItem(this, 'Acquire group lock', {
      table: props.stateTable,
      item: {
        pk: S.fromString(J.stringAt('$.plan.lockPk')),
        sk: S.fromString(ROLLING_UPDATE_KEYS.lockSk),
        holder: S.fromString(J.stringAt('$$.Execution.Name')),
        acquiredAtMs: S.numberFromString(J.stringAt('$.window.lock.acquiredAtMs')),
        expiresAtMs: S.numberFromString(J.stringAt('$.window.lock.expiresAtMs')),
        expiresAt: S.numberFromString(J.stringAt('$.window.lock.expiresAt')),
      },
      // Exactly DynamoDbStateStore.acquireLock: free, expired, or already ours (a retried acquire).
      conditionExpression: 'attribute_not_exists(pk) OR expiresAtMs < :now OR holder = :holder',
      expressionAttributeValues: {
        ':now': S.numberFromString(J.stringAt('$.window.lock.acquiredAtMs')),
        ':holder': S.fromString(J.stringAt('$$.Execution.Name')),
      },
      resultPath: J.DISCARD,
    })
      .addRetry({
        errors: ['DynamoDB.ProvisionedThroughputExceededException', 'DynamoDB.InternalServerErrorException'],
      })
      .addCatch(groupLocked, { errors: ['DynamoDB.ConditionalCheckFailedException'], resultPath: '$.error' })
      .addCatch(lockFailed, { errors: ['States.ALL'], resultPath: '$.error' })
      .next(checkDependents);

    // Window.
    const summarizeDeferral = new sfn.Pass(this, 'Summarize deferral', {
      parameters: { status: 'Deferred', reason: J.stringAt('$.window.reason') },
      resultPath: '$.outcome',
    }).next(recordOutcome);
    const windowFailed = new sfn.Fail(this, 'Could not choose a window', {
      errorPath: '$.error.Error',
      causePath: '$.error.Cause',
    });
    const chooseWindowState = invoke('Choose update window', chooseWindow, '$.window').addCatch(
      windowFailed,
      {
        errors: ['States.ALL'],
        resultPath: '$.error',
      },
    );
    const waitForLowLoad = new sfn.Wait(this, 'Wait for low load', {
      time: sfn.WaitTime.secondsPath('$.window.waitSeconds'),
    }).next(chooseWindowState);
    chooseWindowState.next(
      new sfn.Choice(this, 'Is it a low-load window?')
        .when(sfn.Condition.stringEquals('$.window.decision', 'proceed'), acquireLock)
        .when(sfn.Condition.stringEquals('$.window.decision', 'wait'), waitForLowLoad)
        .otherwise(summarizeDeferral),
    );

    // Validation.
    const rejectedEnd = new sfn.Fail(this, 'Request rejected', {
      error: 'RollingUpdateRejected',
      causePath: '$.plan.reason',
    });
    const validationFailed = new sfn.Fail(this, 'Could not validate request', {
      errorPath: '$.error.Error',
      causePath: '$.error.Cause',
    });
    const validateState = invoke(
      'Validate request',
      validate,
      '$.plan',
      sfn.TaskInput.fromObject({ request: J.entirePayload, executionName: J.stringAt('$$.Execution.Name') }),
    )
      .addCatch(validationFailed, { errors: ['States.ALL'], resultPath: '$.error' })
      .next(
        new sfn.Choice(this, 'Is the request valid?')
          .when(sfn.Condition.stringEquals('$.plan.outcome', 'rejected'), rejectedEnd)
          .otherwise(chooseWindowState),
      );

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH });
    // Only state machines of this account may assume the role (confused deputy); the machine's own
    // ARN would be a cycle: https://docs.aws.amazon.com/step-functions/latest/dg/cross-service-confused-deputy-prevention.html
    const machineRole = new iam.Role(this, 'StateMachineRole', {
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
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      role: machineRole,
      comment:
        'Prescale rolling update: validate, wait for a low-load window, add headroom, refresh, watch, restore; roll back on any failure.',
      definitionBody: sfn.DefinitionBody.fromChainable(validateState),
      stateMachineType: sfn.StateMachineType.STANDARD,
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
    const role = this.stateMachine.role;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DescribeRefreshes',
        // DescribeInstanceRefreshes supports no resource-level permissions.
        actions: ['autoscaling:DescribeInstanceRefreshes'],
        resources: ['*'],
      }),
    );
    for (const statement of enrolledGroupsStatements(this, config.groups, [
      'autoscaling:UpdateAutoScalingGroup',
      'autoscaling:StartInstanceRefresh',
      'autoscaling:CancelInstanceRefresh',
      'autoscaling:RollbackInstanceRefresh',
    ])) {
      role.addToPrincipalPolicy(statement);
    }
    // Auto Scaling checks that whoever points a group at a launch template version (a desired
    // configuration, the fallback's UpdateAutoScalingGroup, a rollback) may launch from it.
    for (const statement of launchStatements(this, config)) role.addToPrincipalPolicy(statement);
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
    for (const f of Object.values(this.functions)) {
      const logicalId = stack.resolve((f.function.node.defaultChild as CfnElement).logicalId);
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason:
          'lambda:InvokeFunction on the decision function and its versions (<arn>:*), granted by LambdaInvoke.',
      });
    }
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray and CloudWatch Logs delivery (tracing, logging level ALL) and autoscaling:DescribeInstanceRefreshes support no resource-level permissions.',
    });
    acknowledgeLaunchWildcards(role, config);

    // EventBridge: `Rolling Update Requested` → a Lambda that starts a named execution.
    this.requester = new PrescaleFunction(this, 'request-rolling-update', {
      entry: 'functions/request-rolling-update/handler.ts',
      description: 'Prescale rolling update: starts the workflow for a Rolling Update Requested event',
      environment: { ...environment, [ENV.rollingUpdateStateMachineArn]: this.stateMachine.stateMachineArn },
      timeout: Duration.seconds(30),
    });
    this.stateMachine.grantStartExecution(this.requester.function);
    this.requestDeadLetterQueue = new sqs.Queue(this, 'RequestDeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const requestDeadLetters = this.requestDeadLetterQueue;
    Validations.of(requestDeadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the request rule target.',
    });
    this.requestRule = new events.Rule(this, 'RequestRule', {
      eventBus: props.eventBus,
      description: 'Starts a Prescale rolling update',
      eventPattern: {
        source: [ROLLING_UPDATE_REQUESTED.source],
        detailType: [ROLLING_UPDATE_REQUESTED.detailType],
      },
      targets: [
        new eventTargets.LambdaFunction(this.requester.function, {
          deadLetterQueue: requestDeadLetters,
          retryAttempts: 4,
          maxEventAge: Duration.hours(2),
        }),
      ],
    });

    if (config.rollingUpdate.autoStartOnScheduledEvents) {
      const scan = new PrescaleFunction(this, 'find-scheduled-maintenance', {
        entry: 'functions/find-scheduled-maintenance/handler.ts',
        description: 'Prescale rolling update: refreshes groups early ahead of EC2 scheduled events',
        environment: {
          ...environment,
          [ENV.rollingUpdateStateMachineArn]: this.stateMachine.stateMachineArn,
        },
        timeout: Duration.minutes(2),
      });
      scan.function.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'DescribeEventsAndGroups',
          // EC2 and Auto Scaling Describe* actions support no resource-level permissions.
          actions: [
            'ec2:DescribeInstanceStatus',
            'ec2:DescribeLaunchTemplateVersions',
            'ec2:DescribeImages',
            'autoscaling:DescribeAutoScalingInstances',
            'autoscaling:DescribeAutoScalingGroups',
            'autoscaling:DescribePolicies',
            'autoscaling:DescribeInstanceRefreshes',
          ],
          resources: ['*'],
        }),
      );
      this.stateMachine.grantStartExecution(scan.function);
      this.maintenanceScan = new ScheduledFunction(this, 'MaintenanceSchedule', {
        function: scan.function,
        rate: Duration.days(1),
        description: 'Prescale: daily scan for EC2 scheduled events on enrolled groups',
      });
    }
  }
}
