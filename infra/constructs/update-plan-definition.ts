import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { UPDATE_PLAN_KEYS } from '../../shared/contracts/update-plan';
import type { PrescaleFunction } from './prescale-function';
import { type WorkflowTasks, workflowTasks } from './rolling-update/workflow-tasks';
import { childrenMap } from './update-plan-children';
import { planEndStates } from './update-plan-endings';

/** The plan's decision Lambdas, by handler folder name. */
export type UpdatePlanFunctions = Readonly<
  Record<
    | 'read-plan-calendar'
    | 'compute-update-plan'
    | 'lock-update-plan'
    | 'release-update-plan'
    | 'advance-update-plan',
    PrescaleFunction
  > &
    /** Only with `dependencies.xray.enabled`: reads the stored discovery for "Compute plan". */
    Partial<Record<'read-plan-discovery', PrescaleFunction>>
>;

export interface UpdatePlanDefinitionProps {
  /** Plan records are written here. */
  readonly stateTable: dynamodb.ITableV2;
  /** The single-group rolling-update workflow each group runs as a child execution. */
  readonly rollingUpdateStateMachine: sfn.IStateMachine;
  /** Where undone plans are announced. */
  readonly topic: sns.ITopic;
  /** Most groups one slot updates at once (`rollingUpdate.planMaxConcurrentUpdates`). */
  readonly maxConcurrentUpdates: number;
  readonly functions: UpdatePlanFunctions;
}

const J = sfn.JsonPath;
const S = tasks.DynamoAttributeValue;
type Invoke = WorkflowTasks['invoke'];

/**
 * The update-plan states, created in `scope` (state names are their construct IDs), built from
 * the end backwards: the ends, the decide → wait | run slot | undo loop, then compute and lock.
 * @returns the start state, "Read campaign calendar".
 */
export function updatePlanDefinition(scope: Construct, props: UpdatePlanDefinitionProps): sfn.IChainable {
  // The same Lambda task (and retries: throttling, TransientDependencyError) as the rolling-update workflow.
  const { invoke } = workflowTasks(scope);
  const releaseLocks = planEndStates(scope, invoke, props);
  const decide = decisionLoop(scope, invoke, props, releaseLocks);
  const lockGroups = lockAndRecordStates(scope, invoke, props, { decide, releaseLocks });
  return computeStates(scope, invoke, props, lockGroups);
}

/**
 * The loop: decide → wait | run slot | undo → decide …; anything else releases the locks. A
 * decision that fails runs the last step's fallback undo.
 * The whole state: the plan, the last step (with its children's results) and any caught error.
 * @returns "Decide next plan step", the loop's entry.
 */
function decisionLoop(
  scope: Construct,
  invoke: Invoke,
  props: UpdatePlanDefinitionProps,
  releaseLocks: sfn.IChainable,
): sfn.TaskStateBase {
  const advance = props.functions['advance-update-plan'];
  const decide = invoke('Decide next plan step', advance, '$.step');
  // The same function cuts a failed or held child's detail (pure, and needed only then).
  const cutDetail = (name: string) =>
    invoke(name, advance, '$.detail', sfn.TaskInput.fromObject({ report: J.entirePayload }));
  const runSlot = runSlotState(scope, props, decide, cutDetail);
  const undo = undoState(scope, props, decide, cutDetail);
  decide.addCatch(decisionFailure(scope, undo, releaseLocks), {
    errors: ['States.ALL'],
    resultPath: '$.decideError',
  });
  const waitForSlot = new sfn.Wait(scope, 'Wait for the next slot', {
    time: sfn.WaitTime.secondsPath('$.step.waitSeconds'),
  }).next(decide);
  decide.next(
    new sfn.Choice(scope, 'What next?')
      .when(sfn.Condition.stringEquals('$.step.action', 'wait'), waitForSlot)
      .when(sfn.Condition.stringEquals('$.step.action', 'run-slot'), runSlot)
      .when(sfn.Condition.stringEquals('$.step.action', 'undo'), undo)
      .otherwise(releaseLocks),
  );
  return decide;
}

/**
 * A decision that still fails after its retries. The last step prepared the undo of everything it
 * may have updated (`$.step.fallback`), and the state machine runs it without the Lambda, keeping
 * `$.step`'s progress for the decision after it. A step without one (none yet, or an undo) ends
 * the plan: locks released, operators notified.
 */
function decisionFailure(
  scope: Construct,
  undo: sfn.IChainable,
  releaseLocks: sfn.IChainable,
): sfn.IChainable {
  const undoAfterFailure = new sfn.Pass(scope, 'Undo after decision failure', {
    parameters: {
      action: 'undo',
      label: J.stringAt('$.step.fallback.label'),
      waitSeconds: 0,
      children: J.listAt('$.step.fallback.children'),
      progress: J.objectAt('$.step.progress'),
      error: J.stringAt('$.decideError.Error'),
      cause: J.format('the plan could not decide its next step ({})', J.stringAt('$.decideError.Cause')),
    },
    resultPath: '$.step',
  }).next(undo);
  const noteFailure = new sfn.Pass(scope, 'Note decision failure', {
    parameters: {
      action: 'fail',
      label: 'Decision failed',
      error: J.stringAt('$.decideError.Error'),
      cause: J.format(
        'the plan could not decide its next step ({}); groups it updated and did not revert (see the Undo updated groups results, if any) need attention',
        J.stringAt('$.decideError.Cause'),
      ),
    },
    resultPath: '$.step',
  }).next(releaseLocks);
  return new sfn.Choice(scope, 'Can the plan undo on its own?')
    .when(sfn.Condition.isPresent('$.step.fallback'), undoAfterFailure)
    .otherwise(noteFailure);
}

/** A slot: its groups as child executions, at most `maxConcurrentUpdates` at once. */
function runSlotState(
  scope: Construct,
  props: UpdatePlanDefinitionProps,
  decide: sfn.IChainable,
  cutDetail: (name: string) => sfn.TaskStateBase,
): sfn.Map {
  return childrenMap(
    scope,
    props.rollingUpdateStateMachine,
    decide,
    {
      child: 'Update group',
      failed: 'Group update failed',
      question: 'Did the group update?',
      succeeded: 'Group updated',
      deferred: 'Group deferred',
      held: 'Group held',
      deferredReason: 'no low-load window before the end of its slot',
      cut: 'Cut group report',
      notCut: 'Group report not cut',
      taken: {
        read: 'Read group update already started',
        question: 'Did the started update end?',
        ended: 'Group update already ended',
        endedStatus: 'Group update already ended, status',
        failed: 'Group update already failed',
      },
      map: 'Run slot',
      comment: 'One child rolling update per group of the slot; $.step.label says which slot and groups.',
      maxConcurrency: props.maxConcurrentUpdates,
      mapFailed: 'Note slot failure',
    },
    cutDetail,
  );
}

/** The undo: reverts one at a time, latest slot first, downstream before upstream. */
function undoState(
  scope: Construct,
  props: UpdatePlanDefinitionProps,
  decide: sfn.IChainable,
  cutDetail: (name: string) => sfn.TaskStateBase,
): sfn.Map {
  return childrenMap(
    scope,
    props.rollingUpdateStateMachine,
    decide,
    {
      child: 'Revert group',
      failed: 'Revert failed',
      question: 'Did the revert succeed?',
      succeeded: 'Group reverted',
      deferred: 'Revert deferred',
      held: 'Revert held',
      deferredReason: 'the revert found no window before its deadline',
      cut: 'Cut revert report',
      notCut: 'Revert report not cut',
      taken: {
        read: 'Read revert already started',
        question: 'Did the started revert end?',
        ended: 'Revert already ended',
        endedStatus: 'Revert already ended, status',
        failed: 'Revert already failed',
      },
      map: 'Undo updated groups',
      comment: 'Reverts the groups this plan updated, in reverse dependency order; $.step.label lists them.',
      maxConcurrency: 1,
      mapFailed: 'Note undo failure',
    },
    cutDetail,
  );
}

/**
 * Lock every member group (all or none), then record the plan and enter the loop. A lock step that
 * fails (a timeout, a release that threw) may have left some of the plan's locks: "Release plan
 * locks" (only this plan's) runs before the plan fails.
 */
function lockAndRecordStates(
  scope: Construct,
  invoke: Invoke,
  props: UpdatePlanDefinitionProps,
  next: { readonly decide: sfn.TaskStateBase; readonly releaseLocks: sfn.IChainable },
): sfn.IChainable {
  const { decide } = next;
  const recordPlan = new tasks.DynamoPutItem(scope, 'Record plan', {
    table: props.stateTable,
    item: {
      pk: S.fromString(J.stringAt('$.plan.recordPk')),
      sk: S.fromString(UPDATE_PLAN_KEYS.recordSk),
      plan: S.fromString(J.jsonToString(J.objectAt('$.plan'))),
      startedAt: S.fromString(J.stringAt('$$.Execution.StartTime')),
      expiresAt: S.numberFromString(J.stringAt('$.plan.recordExpiresAt')),
    },
    // Never over this execution's own record: a retried write whose first attempt took effect
    // would drop a cancel recorded in between (the operator told cancel-requested, the plan going
    // on). A record of an earlier execution of the same name (names are free again 90 days after
    // it ended, records kept up to recordRetentionDays past its locks) is this plan's to replace.
    conditionExpression: 'attribute_not_exists(pk) OR startedAt <> :startedAt',
    expressionAttributeValues: { ':startedAt': S.fromString(J.stringAt('$$.Execution.StartTime')) },
    resultPath: J.DISCARD,
  })
    .addRetry({
      errors: ['DynamoDB.ProvisionedThroughputExceededException', 'DynamoDB.InternalServerErrorException'],
    })
    // This execution's record is there already (a retry's first attempt wrote it): recorded.
    .addCatch(decide, { errors: ['DynamoDB.ConditionalCheckFailedException'], resultPath: J.DISCARD })
    .addCatch(decide, { errors: ['States.ALL'], resultPath: '$.error' })
    .next(decide);
  const busy = new sfn.Fail(scope, 'Plan groups are busy', {
    error: 'UpdatePlanLocked',
    causePath: '$.lock.reason',
  });
  const lockFailed = new sfn.Pass(scope, 'Note lock failure', {
    parameters: {
      action: 'lock-failed',
      label: 'Could not lock plan groups',
      error: J.stringAt('$.error.Error'),
      cause: J.stringAt('$.error.Cause'),
    },
    resultPath: '$.step',
  }).next(next.releaseLocks);
  return invoke(
    'Lock plan groups',
    props.functions['lock-update-plan'],
    '$.lock',
    sfn.TaskInput.fromObject({ plan: J.objectAt('$.plan') }),
  )
    .addCatch(lockFailed, { errors: ['States.ALL'], resultPath: '$.error' })
    .next(
      new sfn.Choice(scope, 'Are the plan groups free?')
        .when(sfn.Condition.stringEquals('$.lock.kind', 'conflict'), busy)
        .otherwise(recordPlan),
    );
}

/**
 * Read the groups' campaigns, then (when the plan uses it) the stored dependency discovery, then
 * compute the plan with both; a refused plan ends here, with its reason, and a read or a
 * computation that fails after its retries in "Could not compute plan".
 */
function computeStates(
  scope: Construct,
  invoke: Invoke,
  props: UpdatePlanDefinitionProps,
  lockGroups: sfn.IChainable,
): sfn.IChainable {
  const refusedEnd = new sfn.Fail(scope, 'Plan refused', {
    error: 'UpdatePlanRefused',
    causePath: '$.plan.reason',
  });
  const computeFailed = new sfn.Fail(scope, 'Could not compute plan', {
    errorPath: '$.error.Error',
    causePath: '$.error.Cause',
  });
  const discoveryReader = props.functions['read-plan-discovery'];
  // The plan replaces the state: the request and the reads are not needed after it, and would
  // otherwise ride along in every state of the run (the calendar up to PLAN_CALENDAR_MAX_BYTES,
  // the discovery ~60 KB).
  const compute = invoke(
    'Compute plan',
    props.functions['compute-update-plan'],
    { replaceStateWith: 'plan' },
    sfn.TaskInput.fromObject({
      // The request as sent, not the state: the state holds the calendar and the discovery too,
      // which would then reach the planner twice.
      request: J.objectAt('$$.Execution.Input'),
      executionName: J.stringAt('$$.Execution.Name'),
      calendar: J.objectAt('$.calendar'),
      ...(discoveryReader ? { discovery: J.objectAt('$.discovery') } : {}),
    }),
  )
    .addCatch(computeFailed, { errors: ['States.ALL'], resultPath: '$.error' })
    .next(
      new sfn.Choice(scope, 'Is there a plan?')
        .when(sfn.Condition.stringEquals('$.plan.outcome', 'refused'), refusedEnd)
        .otherwise(lockGroups),
    );
  // The planner bundles no DynamoDB client (its bundle is near the ceiling): a Lambda of its own
  // reads the calendar (three dependent reads, each paginated), another the discovery (only its
  // edges among the plan's groups: the whole account's would pass the state's 256 KiB).
  const readCalendar = invoke(
    'Read campaign calendar',
    props.functions['read-plan-calendar'],
    '$.calendar',
    sfn.TaskInput.fromObject({ request: J.entirePayload }),
  ).addCatch(computeFailed, { errors: ['States.ALL'], resultPath: '$.error' });
  if (!discoveryReader) return readCalendar.next(compute);
  const readDiscovery = invoke(
    'Read discovered dependencies',
    discoveryReader,
    '$.discovery',
    sfn.TaskInput.fromObject({ request: J.objectAt('$$.Execution.Input') }),
  ).addCatch(computeFailed, { errors: ['States.ALL'], resultPath: '$.error' });
  return readCalendar.next(readDiscovery).next(compute);
}
