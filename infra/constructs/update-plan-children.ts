import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { HELD_REASON_PREFIX } from '../../shared/contracts/rolling-update';
import { CHILD_DETAIL_NOT_CUT } from '../../shared/contracts/update-plan';

const J = sfn.JsonPath;

/**
 * The errors of starting (or polling) a child that say nothing about the child itself, as the
 * optimized `states:startExecution` integration names them (`<Service>.<Java client exception>`,
 * like `DynamoDB.ProvisionedThroughputExceededException`): the account's running-execution limit,
 * the client's base exception for throttling and 5xx, and a transport failure. The limit also
 * under the name AWS's own nested-workflow example retries (`StepFunctions.ExecutionLimitExceeded`,
 * Step Functions Developer Guide, "Start workflow executions from a task state"), as which of the
 * two a real account reports is not observable here. Not `States.TaskFailed`: a child that ran and
 * failed is reported, never started again.
 */
export const START_CHILD_TRANSIENT = [
  'StepFunctions.ExecutionLimitExceeded',
  'StepFunctions.ExecutionLimitExceededException',
  'StepFunctions.AWSStepFunctionsException',
  'StepFunctions.SdkClientException',
] as const;

/**
 * The error StartExecution answers when the child's name is taken by an execution that has ended
 * (or by one with another input): under both of the names the integration may give it, as for
 * the running-execution limit above. A retried start whose first attempt did start the child
 * meets it once that child has ended (a group already on its version ends in seconds).
 */
export const CHILD_NAME_TAKEN = [
  'StepFunctions.ExecutionAlreadyExists',
  'StepFunctions.ExecutionAlreadyExistsException',
] as const;

/** Errors of the SDK integration's DescribeExecution worth trying again (throttling arrives as the generic one). */
const DESCRIBE_TRANSIENT = ['Sfn.SfnException', 'Sfn.SdkClientException'];

/** Fields of one Map item (a `PlanChild`) that the iteration reports back. */
const CHILD_FIELDS = {
  groupName: J.stringAt('$.groupName'),
  label: J.stringAt('$.label'),
  childName: J.stringAt('$.childName'),
  slotIndex: J.numberAt('$.slotIndex'),
};

/** Each iteration's input names its slot and group, so the console reads as the plan. */
const SLOT_ITEM = {
  step: J.stringAt('$.step.label'),
  label: J.stringAt('$$.Map.Item.Value.label'),
  groupName: J.stringAt('$$.Map.Item.Value.groupName'),
  childName: J.stringAt('$$.Map.Item.Value.childName'),
  slotIndex: J.numberAt('$$.Map.Item.Value.slotIndex'),
  input: J.objectAt('$$.Map.Item.Value.input'),
};

/** The state names and limits of one Map of child executions (a slot, or the undo). */
export interface ChildrenMapStates {
  readonly child: string;
  readonly failed: string;
  readonly question: string;
  readonly succeeded: string;
  readonly deferred: string;
  /** A child deferred by a hold, reported with the child's own reason (`held: …`). */
  readonly held: string;
  /** Why a child deferred for want of a window counts as deferred, as the outcome says it. */
  readonly deferredReason: string;
  /** The Lambda task that cuts a failed or held child's detail to size (`cutDetail`). */
  readonly cut: string;
  /** What a child's report holds when that task failed: {@link CHILD_DETAIL_NOT_CUT}. */
  readonly notCut: string;
  /** The states that read a child whose name was taken ({@link CHILD_NAME_TAKEN}) and report it. */
  readonly taken: {
    readonly read: string;
    readonly question: string;
    readonly ended: string;
    readonly endedStatus: string;
    readonly failed: string;
  };
  readonly map: string;
  readonly comment: string;
  readonly maxConcurrency: number;
  readonly mapFailed: string;
}

/**
 * A Map over `$.step.children` that runs each as a child execution and records each one's outcome
 * (succeeded, deferred, or failed). A deferral's detail is the child's reason when a hold deferred
 * it (`held: group … is paused by its … tag`), so the plan says what to clear; otherwise (no window
 * opened) the map's own words. A failed or held child's detail (a `startExecution.sync` Cause
 * carries the child's input, up to 32,768 characters of its cause; a hold's reason is the child's
 * own text) is cut to size by `cutDetail` (a Lambda task whose result is the detail) before the
 * Map collects it: a `States.DataLimitExceeded` of the collected results could not be caught, and
 * the plan would end with no undo, no notification and its locks held. If that task fails, the
 * detail is {@link CHILD_DETAIL_NOT_CUT}. When the Map itself fails, the step notes it with no
 * results. Either way the plan goes back to `decide`.
 */
export function childrenMap(
  scope: Construct,
  stateMachine: sfn.IStateMachine,
  decide: sfn.IChainable,
  states: ChildrenMapStates,
  cutDetail: (name: string) => sfn.TaskStateBase,
): sfn.Map {
  const cut = cutDetail(states.cut);
  // Into the detail it replaces: the error (its Cause may be long too) is overwritten at once.
  cut.addCatch(
    new sfn.Pass(scope, states.notCut, {
      result: sfn.Result.fromString(CHILD_DETAIL_NOT_CUT),
      resultPath: '$.detail',
    }),
    { errors: ['States.ALL'], resultPath: '$.detail' },
  );
  const child = childExecution(scope, states.child, stateMachine);
  const failed = childFailed(scope, states.failed).next(cut);
  const question = new sfn.Choice(scope, states.question);
  child.addCatch(takenChild(scope, stateMachine, states.taken, { question, failed }), {
    errors: [...CHILD_NAME_TAKEN],
    resultPath: '$.child',
  });
  child.addCatch(failed, { errors: ['States.ALL'], resultPath: '$.child' });
  child.next(
    question
      .when(
        sfn.Condition.stringEquals('$.child.status', 'Succeeded'),
        childOutcome(scope, states.succeeded, 'Succeeded'),
      )
      .when(
        sfn.Condition.and(
          sfn.Condition.isPresent('$.child.output.reason'),
          sfn.Condition.stringMatches('$.child.output.reason', `${HELD_REASON_PREFIX}*`),
        ),
        childOutcome(scope, states.held, 'Deferred', J.stringAt('$.child.output.reason')).next(cut),
      )
      .otherwise(childOutcome(scope, states.deferred, 'Deferred', states.deferredReason)),
  );
  const map = new sfn.Map(scope, states.map, {
    comment: states.comment,
    itemsPath: '$.step.children',
    itemSelector: SLOT_ITEM,
    maxConcurrency: states.maxConcurrency,
    // Into the step, so the decision that reads them replaces them with the step it returns.
    resultPath: '$.step.results',
  });
  map.itemProcessor(child);
  map
    .addCatch(noResults(scope, states.mapFailed, decide), {
      errors: ['States.ALL'],
      resultPath: '$.error',
    })
    .next(decide);
  return map;
}

/**
 * One group's child rolling update, run to its end (`startExecution.sync:2`), started again after
 * a transient error ({@link START_CHILD_TRANSIENT}): one throttled start would otherwise undo every
 * group already updated, or leave a group un-reverted.
 */
function childExecution(
  scope: Construct,
  name: string,
  stateMachine: sfn.IStateMachine,
): tasks.StepFunctionsStartExecution {
  const child = new tasks.StepFunctionsStartExecution(scope, name, {
    stateMachine,
    integrationPattern: sfn.IntegrationPattern.RUN_JOB,
    // Named after the plan, slot and group (`plan-…-s2-api`): readable, and idempotent on retry
    // (StartExecution with a running execution's name and input returns that execution; with an
    // ended one's, ExecutionAlreadyExists: that child is read and reported, never run twice).
    name: J.stringAt('$.childName'),
    // Links the child to this execution in the console (and the child's input names it).
    associateWithParent: true,
    input: sfn.TaskInput.fromObject({
      groupName: J.stringAt('$.input.groupName'),
      launchTemplateVersion: J.stringAt('$.input.launchTemplateVersion'),
      reason: J.stringAt('$.input.reason'),
      force: J.stringAt('$.input.force'),
      skipMatching: J.stringAt('$.input.skipMatching'),
      deadline: J.stringAt('$.input.deadline'),
      planExecutionName: J.stringAt('$.input.planExecutionName'),
      // Every child of a plan computed by this deployment's "Compute plan" has it; a running plan
      // computed before (none) keeps the definition it started with, which does not pass it on.
      expectedLaunchTemplate: J.objectAt('$.input.expectedLaunchTemplate'),
    }),
    // The whole output too: a Deferred child's `reason` says whether a hold or the load deferred it
    // (a Rolled out output has no `reason`, and a path that matches nothing would fail the task).
    resultSelector: {
      'status.$': '$.Output.status',
      'output.$': '$.Output',
      'executionArn.$': '$.ExecutionArn',
    },
    resultPath: '$.child',
  });
  child.addRetry({
    errors: [...START_CHILD_TRANSIENT],
    interval: Duration.seconds(5),
    maxAttempts: 6,
    backoffRate: 2,
    maxDelay: Duration.seconds(120),
    jitterStrategy: sfn.JitterType.FULL,
  });
  return child;
}

/**
 * A child whose start answered that its name is taken: the retry of a start that reached Step
 * Functions (a 5xx answer to a start that took effect) finds its own child ended. It is read
 * (DescribeExecution on `<rolling-update executions>:<childName>`) and reported as the sync start
 * would have: succeeded with its output, or failed with its description as the Cause. Still
 * running (another input) or unreadable: failed with the taken name's error, as before.
 */
function takenChild(
  scope: Construct,
  stateMachine: sfn.IStateMachine,
  names: ChildrenMapStates['taken'],
  next: { readonly question: sfn.IChainable; readonly failed: sfn.IChainable },
): sfn.IChainable {
  const read = readTakenChild(scope, stateMachine, names.read, next.failed);
  const ended = takenChildEnded(scope, names, next.question);
  const failed = takenChildFailed(scope, names.failed, next.failed);
  return read.next(
    new sfn.Choice(scope, names.question)
      .when(sfn.Condition.stringEquals('$.described.Status', 'SUCCEEDED'), ended)
      .when(
        sfn.Condition.or(
          ...['FAILED', 'TIMED_OUT', 'ABORTED'].map((s) =>
            sfn.Condition.stringEquals('$.described.Status', s),
          ),
        ),
        failed,
      )
      .otherwise(next.failed),
  );
}

/** DescribeExecution on the taken name's child, into `$.described`; unreadable goes to `failed`. */
function readTakenChild(
  scope: Construct,
  stateMachine: sfn.IStateMachine,
  name: string,
  failed: sfn.IChainable,
): tasks.CallAwsService {
  const stack = Stack.of(scope);
  const machineName = stack.splitArn(
    stateMachine.stateMachineArn,
    ArnFormat.COLON_RESOURCE_NAME,
  ).resourceName;
  const executions = stack.formatArn({
    service: 'states',
    resource: 'execution',
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    resourceName: `${machineName}`,
  });
  const read = new tasks.CallAwsService(scope, name, {
    service: 'sfn',
    action: 'describeExecution',
    iamAction: 'states:DescribeExecution',
    // The statement startExecution.sync already has: the rolling-update state machine's executions.
    iamResources: [`${executions}*`],
    parameters: { ExecutionArn: J.format(`${executions}:{}`, J.stringAt('$.childName')) },
    resultPath: '$.described',
  });
  read.addRetry({
    errors: DESCRIBE_TRANSIENT,
    interval: Duration.seconds(2),
    maxAttempts: 4,
    backoffRate: 2,
  });
  // The taken name's error stays in $.child: the report says why the child could not be read.
  read.addCatch(failed, { errors: ['States.ALL'], resultPath: '$.described' });
  return read;
}

/** The sync start's result: the child's output (a string here) as JSON, its status out of it. */
function takenChildEnded(
  scope: Construct,
  names: ChildrenMapStates['taken'],
  question: sfn.IChainable,
): sfn.IChainable {
  return new sfn.Pass(scope, names.ended, {
    parameters: {
      'output.$': 'States.StringToJson($.described.Output)',
      executionArn: J.stringAt('$.described.ExecutionArn'),
    },
    resultPath: '$.child',
  }).next(
    new sfn.Pass(scope, names.endedStatus, {
      parameters: {
        status: J.stringAt('$.child.output.status'),
        output: J.objectAt('$.child.output'),
        executionArn: J.stringAt('$.child.executionArn'),
      },
      resultPath: '$.child',
    }).next(question),
  );
}

/** The sync start's failure: States.TaskFailed with the child's description as the Cause. */
function takenChildFailed(scope: Construct, name: string, failed: sfn.IChainable): sfn.IChainable {
  return new sfn.Pass(scope, name, {
    parameters: { Error: 'States.TaskFailed', 'Cause.$': 'States.JsonToString($.described)' },
    resultPath: '$.child',
  }).next(failed);
}

/** The iteration's report of a child that ended. */
function childOutcome(scope: Construct, name: string, status: string, detail?: string): sfn.Pass {
  return new sfn.Pass(scope, name, {
    parameters: {
      ...CHILD_FIELDS,
      status,
      executionArn: J.stringAt('$.child.executionArn'),
      ...(detail ? { detail } : {}),
    },
  });
}

/** The iteration's report of a child that could not run or failed. */
function childFailed(scope: Construct, name: string): sfn.Pass {
  return new sfn.Pass(scope, name, {
    parameters: {
      ...CHILD_FIELDS,
      status: 'Failed',
      error: J.stringAt('$.child.Error'),
      detail: J.stringAt('$.child.Cause'),
    },
  });
}

/** A Map that fails as a whole leaves no results: the step gets an empty list, read as such. */
function noResults(scope: Construct, name: string, decide: sfn.IChainable): sfn.IChainable {
  return new sfn.Pass(scope, name, { result: sfn.Result.fromArray([]), resultPath: '$.step.results' }).next(
    decide,
  );
}
