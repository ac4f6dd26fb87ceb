import * as path from 'node:path';
import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { ENV } from '../../shared/contracts/env';
import { UPDATE_PLAN_KEYS } from '../../shared/contracts/update-plan';
import type { UserConfig } from '../../shared/contracts/user-config';
import { loadHistoryStatements } from './load-history-policy';
import { nagArn } from './nag-arn';
import { PrescaleFunction } from './prescale-function';
import { acknowledgeLambdaInvokeWildcards } from './rolling-update/workflow-state-machine';
import { workflowTasks } from './rolling-update/workflow-tasks';
import { UpdatePlanRequests } from './update-plan-requests';

/** The directory of the `highs` package's WebAssembly binary. */
const HIGHS_BUILD_DIRECTORY = path.dirname(require.resolve('highs'));

export interface UpdatePlanWorkflowProps {
  /** The validated user configuration (`dependencies`, `rollingUpdate.planMaxConcurrentUpdates`). */
  readonly config: UserConfig;
  /** Prescale's state table: plan locks (`GROUP#<name>` / `PLAN`), plan records, group locks. */
  readonly stateTable: dynamodb.ITableV2;
  /** The single-group rolling-update workflow each group runs as a child execution. */
  readonly rollingUpdateStateMachine: sfn.IStateMachine;
  /** Prescale's bus: `Rolling Update Plan Requested` / `… Cancel Requested` (source `prescale`). */
  readonly eventBus: events.IEventBus;
  /** Where undone plans are announced. */
  readonly topic: sns.ITopic;
  /** The topic's customer-managed key, when it has one (publishing needs it). @default none */
  readonly topicKey?: kms.IKey;
}

const J = sfn.JsonPath;
const S = tasks.DynamoAttributeValue;

/** Fields of one Map item (a `PlanChild`) that the iteration reports back. */
const CHILD_FIELDS = {
  groupName: J.stringAt('$.groupName'),
  label: J.stringAt('$.label'),
  childName: J.stringAt('$.childName'),
  slotIndex: J.numberAt('$.slotIndex'),
};

/**
 * The update-plan workflow: updates several dependent groups in the slots the dependency-aware
 * planner chose. A Lambda computes the plan (with every rejected alternative), another takes the
 * plan lock of every member group (all or none), then a Standard state machine runs it slot by
 * slot — wait for the slot, run its groups as child rolling-update executions
 * (`startExecution.sync:2`, a Map with bounded concurrency), continue only when all succeeded.
 * A failed or deferred group, a task error or a cancel undoes the groups already updated, in
 * reverse dependency order, each through a child rolling update back to its previous version;
 * then every plan lock is released, operators are notified and the execution fails with the
 * reason and what was undone. See docs/rolling-updates.md.
 */
export class UpdatePlanWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;
  /** Decision Lambdas, by handler folder name. */
  readonly functions: Readonly<Record<string, PrescaleFunction>>;
  /** Starts the workflow for `Rolling Update Plan Requested` events with a named execution. */
  readonly requester: PrescaleFunction;
  /** Records `Rolling Update Plan Cancel Requested` on the plan's record. */
  readonly canceller: PrescaleFunction;
  /** Where plan and cancel events that could not be handled are kept. */
  readonly requestDeadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: UpdatePlanWorkflowProps) {
    super(scope, id);
    const { config } = props;
    const stack = Stack.of(this);
    const environment = {
      [ENV.config]: JSON.stringify(config),
      [ENV.stateTableName]: props.stateTable.tableName,
    };
    const fn = (name: string, description: string, timeout = Duration.seconds(60), memorySize?: number) =>
      new PrescaleFunction(this, name, {
        entry: `functions/${name}/handler.ts`,
        description: `Prescale update plan: ${description}`,
        environment,
        timeout,
        ...(memorySize ? { memorySize } : {}),
      });

    const compute = fn(
      'compute-update-plan',
      'forecasts the groups and solves the plan',
      Duration.minutes(2),
      1024,
    );
    compute.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'DescribeGroups',
        // Auto Scaling and EC2 Describe* actions support no resource-level permissions.
        actions: [
          'autoscaling:DescribeAutoScalingGroups',
          'autoscaling:DescribePolicies',
          'autoscaling:DescribeInstanceRefreshes',
          'ec2:DescribeLaunchTemplateVersions',
        ],
        resources: ['*'],
      }),
    );
    for (const s of loadHistoryStatements(this, config)) compute.function.addToRolePolicy(s);
    // esbuild bundles highs' loader but not its .wasm file; the layer puts it at /opt/highs.wasm.
    compute.function.addLayers(
      new lambda.LayerVersion(this, 'HighsWasm', {
        code: lambda.Code.fromAsset(HIGHS_BUILD_DIRECTORY, { exclude: ['*', '!highs.wasm'] }),
        compatibleArchitectures: [lambda.Architecture.ARM_64, lambda.Architecture.X86_64],
        description: 'HiGHS WebAssembly binary for the update planner',
      }),
    );
    Validations.of(compute.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Auto Scaling and EC2 Describe* actions support no resource-level permissions.',
    });
    const lock = fn('lock-update-plan', 'takes the plan lock of every member group');
    // Exactly what the adapters call: conditional puts, reads, deletes of lock items.
    props.stateTable.grant(lock.function, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem');
    const release = fn('release-update-plan', 'releases the plan locks');
    props.stateTable.grant(release.function, 'dynamodb:DeleteItem');
    const advance = fn('advance-update-plan', 'decides the next step of a plan');
    props.stateTable.grant(advance.function, 'dynamodb:GetItem');
    this.functions = {
      'compute-update-plan': compute,
      'lock-update-plan': lock,
      'release-update-plan': release,
      'advance-update-plan': advance,
    };

    // The same Lambda task (and retry on TransientDependencyError) as the rolling-update workflow.
    const { invoke } = workflowTasks(this);

    // ---- ends -------------------------------------------------------------------------------------
    const planCompleted = new sfn.Succeed(this, 'Plan completed', { outputPath: '$.outcome' });
    const planUndone = new sfn.Fail(this, 'Plan undone', {
      errorPath: '$.step.error',
      causePath: '$.step.cause',
    });
    const summarize = new sfn.Pass(this, 'Summarize plan', {
      parameters: {
        status: 'Succeeded',
        planName: J.stringAt('$.plan.planName'),
        summary: J.listAt('$.plan.summary'),
        slots: J.listAt('$.plan.slots'),
        rejected: J.listAt('$.plan.rejected'),
        headroomCostUsd: J.numberAt('$.plan.headroomCostUsd'),
        warnings: J.listAt('$.plan.warnings'),
        log: J.listAt('$.step.progress.log'),
      },
      resultPath: '$.outcome',
    }).next(planCompleted);
    const notify = new tasks.SnsPublish(this, 'Notify operators', {
      topic: props.topic,
      subject: 'Prescale update plan undone',
      message: sfn.TaskInput.fromText(
        J.format(
          'Update plan {} did not complete. Error: {}. {} Plan: {}',
          J.stringAt('$$.Execution.Name'),
          J.stringAt('$.step.error'),
          J.stringAt('$.step.cause'),
          J.jsonToString(J.listAt('$.plan.summary')),
        ),
      ),
      resultPath: J.DISCARD,
    })
      .addCatch(planUndone, { errors: ['States.ALL'], resultPath: '$.notifyError' })
      .next(planUndone);
    const howDidItEnd = new sfn.Choice(this, 'How did the plan end?')
      .when(sfn.Condition.stringEquals('$.step.action', 'done'), summarize)
      .otherwise(notify);
    const releaseLocks = invoke(
      'Release plan locks',
      release,
      '$.released',
      sfn.TaskInput.fromObject({ plan: J.objectAt('$.plan') }),
    )
      .addCatch(howDidItEnd, { errors: ['States.ALL'], resultPath: '$.releaseError' })
      .next(howDidItEnd);

    // ---- the loop: decide → wait | run slot | undo → decide … ----------------------------------
    // The whole state: the plan, the last step, its children's results and any caught error.
    const decide = invoke('Decide next plan step', advance, '$.step');
    const decideFailed = new sfn.Pass(this, 'Note decision failure', {
      parameters: {
        action: 'fail',
        label: 'Decision failed',
        error: J.stringAt('$.decideError.Error'),
        cause: J.format(
          'the plan could not decide its next step ({}); groups it already updated were NOT undone and need attention',
          J.stringAt('$.decideError.Cause'),
        ),
      },
      resultPath: '$.step',
    }).next(releaseLocks);
    decide.addCatch(decideFailed, { errors: ['States.ALL'], resultPath: '$.decideError' });

    const childTask = (name: string) =>
      new tasks.StepFunctionsStartExecution(this, name, {
        stateMachine: props.rollingUpdateStateMachine,
        integrationPattern: sfn.IntegrationPattern.RUN_JOB,
        // Named after the plan, slot and group (`plan-…-s2-api`): readable, and idempotent on retry.
        name: J.stringAt('$.childName'),
        // Links the child to this execution in the console (and the child's input names it).
        associateWithParent: true,
        input: sfn.TaskInput.fromObject({
          groupName: J.stringAt('$.input.groupName'),
          launchTemplateVersion: J.stringAt('$.input.launchTemplateVersion'),
          reason: J.stringAt('$.input.reason'),
          force: J.stringAt('$.input.force'),
          deadline: J.stringAt('$.input.deadline'),
          planExecutionName: J.stringAt('$.input.planExecutionName'),
        }),
        resultSelector: { 'status.$': '$.Output.status', 'executionArn.$': '$.ExecutionArn' },
        resultPath: '$.child',
      });
    const outcome = (name: string, status: string, detail?: string) =>
      new sfn.Pass(this, name, {
        parameters: {
          ...CHILD_FIELDS,
          status,
          executionArn: J.stringAt('$.child.executionArn'),
          ...(detail ? { detail } : {}),
        },
      });
    const failed = (name: string) =>
      new sfn.Pass(this, name, {
        parameters: {
          ...CHILD_FIELDS,
          status: 'Failed',
          error: J.stringAt('$.child.Error'),
          detail: J.stringAt('$.child.Cause'),
        },
      });

    // A slot: its groups as child executions, at most `planMaxConcurrentUpdates` at once.
    const updateGroup = childTask('Update group');
    updateGroup.addCatch(failed('Group update failed'), { errors: ['States.ALL'], resultPath: '$.child' });
    updateGroup.next(
      new sfn.Choice(this, 'Did the group update?')
        .when(
          sfn.Condition.stringEquals('$.child.status', 'Succeeded'),
          outcome('Group updated', 'Succeeded'),
        )
        .otherwise(outcome('Group deferred', 'Deferred', 'no low-load window before the end of its slot')),
    );
    // Each iteration's input names its slot and group, so the console reads as the plan.
    const itemSelector = {
      step: J.stringAt('$.step.label'),
      label: J.stringAt('$$.Map.Item.Value.label'),
      groupName: J.stringAt('$$.Map.Item.Value.groupName'),
      childName: J.stringAt('$$.Map.Item.Value.childName'),
      slotIndex: J.numberAt('$$.Map.Item.Value.slotIndex'),
      input: J.objectAt('$$.Map.Item.Value.input'),
    };
    const runSlot = new sfn.Map(this, 'Run slot', {
      comment: 'One child rolling update per group of the slot; $.step.label says which slot and groups.',
      itemsPath: '$.step.children',
      itemSelector,
      maxConcurrency: config.rollingUpdate.planMaxConcurrentUpdates,
      resultPath: '$.results',
    });
    runSlot.itemProcessor(updateGroup);
    // A Map that fails as a whole leaves no results: clear the last slot's, so none is counted twice.
    const noResults = (name: string) =>
      new sfn.Pass(this, name, { result: sfn.Result.fromArray([]), resultPath: '$.results' }).next(decide);
    runSlot
      .addCatch(noResults('Note slot failure'), { errors: ['States.ALL'], resultPath: '$.error' })
      .next(decide);

    // The undo: reverts one at a time, latest slot first, downstream before upstream.
    const revertGroup = childTask('Revert group');
    revertGroup.addCatch(failed('Revert failed'), { errors: ['States.ALL'], resultPath: '$.child' });
    revertGroup.next(
      new sfn.Choice(this, 'Did the revert succeed?')
        .when(
          sfn.Condition.stringEquals('$.child.status', 'Succeeded'),
          outcome('Group reverted', 'Succeeded'),
        )
        .otherwise(outcome('Revert deferred', 'Deferred', 'the revert found no window before its deadline')),
    );
    const undo = new sfn.Map(this, 'Undo updated groups', {
      comment: 'Reverts the groups this plan updated, in reverse dependency order; $.step.label lists them.',
      itemsPath: '$.step.children',
      itemSelector,
      maxConcurrency: 1,
      resultPath: '$.results',
    });
    undo.itemProcessor(revertGroup);
    undo
      .addCatch(noResults('Note undo failure'), { errors: ['States.ALL'], resultPath: '$.error' })
      .next(decide);

    const waitForSlot = new sfn.Wait(this, 'Wait for the next slot', {
      time: sfn.WaitTime.secondsPath('$.step.waitSeconds'),
    }).next(decide);
    decide.next(
      new sfn.Choice(this, 'What next?')
        .when(sfn.Condition.stringEquals('$.step.action', 'wait'), waitForSlot)
        .when(sfn.Condition.stringEquals('$.step.action', 'run-slot'), runSlot)
        .when(sfn.Condition.stringEquals('$.step.action', 'undo'), undo)
        .otherwise(releaseLocks),
    );

    // ---- start: compute, lock, record ------------------------------------------------------------
    const recordPlan = new tasks.DynamoPutItem(this, 'Record plan', {
      table: props.stateTable,
      item: {
        pk: S.fromString(J.stringAt('$.plan.recordPk')),
        sk: S.fromString(UPDATE_PLAN_KEYS.recordSk),
        plan: S.fromString(J.jsonToString(J.objectAt('$.plan'))),
        startedAt: S.fromString(J.stringAt('$$.Execution.StartTime')),
        expiresAt: S.numberFromString(J.stringAt('$.plan.recordExpiresAt')),
      },
      resultPath: J.DISCARD,
    })
      .addRetry({
        errors: ['DynamoDB.ProvisionedThroughputExceededException', 'DynamoDB.InternalServerErrorException'],
      })
      .addCatch(decide, { errors: ['States.ALL'], resultPath: '$.error' })
      .next(decide);
    const busy = new sfn.Fail(this, 'Plan groups are busy', {
      error: 'UpdatePlanLocked',
      causePath: '$.lock.reason',
    });
    const lockFailed = new sfn.Fail(this, 'Could not lock plan groups', {
      errorPath: '$.error.Error',
      causePath: '$.error.Cause',
    });
    const lockGroups = invoke(
      'Lock plan groups',
      lock,
      '$.lock',
      sfn.TaskInput.fromObject({ plan: J.objectAt('$.plan') }),
    )
      .addCatch(lockFailed, { errors: ['States.ALL'], resultPath: '$.error' })
      .next(
        new sfn.Choice(this, 'Are the plan groups free?')
          .when(sfn.Condition.stringEquals('$.lock.kind', 'conflict'), busy)
          .otherwise(recordPlan),
      );
    const refusedEnd = new sfn.Fail(this, 'Plan refused', {
      error: 'UpdatePlanRefused',
      causePath: '$.plan.reason',
    });
    const computeFailed = new sfn.Fail(this, 'Could not compute plan', {
      errorPath: '$.error.Error',
      causePath: '$.error.Cause',
    });
    const computeState = invoke(
      'Compute plan',
      compute,
      '$.plan',
      sfn.TaskInput.fromObject({ request: J.entirePayload, executionName: J.stringAt('$$.Execution.Name') }),
    )
      .addCatch(computeFailed, { errors: ['States.ALL'], resultPath: '$.error' })
      .next(
        new sfn.Choice(this, 'Is there a plan?')
          .when(sfn.Condition.stringEquals('$.plan.outcome', 'refused'), refusedEnd)
          .otherwise(lockGroups),
      );

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment:
        'Prescale update plan: compute the plan, lock its groups, run it slot by slot as child rolling updates; undo in reverse dependency order on failure or cancel.',
      definitionBody: sfn.DefinitionBody.fromChainable(computeState),
      stateMachineType: sfn.StateMachineType.STANDARD,
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
    const role = this.stateMachine.role;
    if (props.topicKey) {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'EncryptNotifications',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [props.topicKey.keyArn],
        }),
      );
    }
    acknowledgeLambdaInvokeWildcards(role, Object.values(this.functions));
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray and CloudWatch Logs delivery (tracing, logging level ALL) support no resource-level permissions.',
    });
    // startExecution.sync:2 grants, as documented for nested workflows: StartExecution on the child
    // state machine, DescribeExecution/StopExecution on its executions (names are per plan, hence
    // the suffix wildcard), and PutTargets/PutRule/DescribeRule on the managed rule
    // StepFunctionsGetEventsForStepFunctionsExecutionRule only.
    // https://docs.aws.amazon.com/step-functions/latest/dg/stepfunctions-iam.html
    const childName = stack.splitArn(
      props.rollingUpdateStateMachine.stateMachineArn,
      ArnFormat.COLON_RESOURCE_NAME,
    ).resourceName as string;
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagArn(this, 'states', 'execution:')}${JSON.stringify(stack.resolve(childName))}*]`,
      reason:
        'DescribeExecution/StopExecution on executions of the rolling-update state machine only, as startExecution.sync needs; child names are per plan.',
    });

    // ---- EventBridge: request and cancel ----------------------------------------------------------
    const requests = new UpdatePlanRequests(this, 'Requests', {
      stateMachine: this.stateMachine,
      stateTable: props.stateTable,
      eventBus: props.eventBus,
      environment,
    });
    this.requester = requests.requester;
    this.canceller = requests.canceller;
    this.requestDeadLetterQueue = requests.deadLetterQueue;
  }
}
