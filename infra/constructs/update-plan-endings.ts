import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { PrescaleFunction } from './prescale-function';
import type { WorkflowTasks } from './rolling-update/workflow-tasks';

/** What the ends of an update plan read of `UpdatePlanDefinitionProps`. */
export interface UpdatePlanEndingsProps {
  /** Where undone plans, and locks not released, are announced. */
  readonly topic: sns.ITopic;
  /** The Lambda behind "Release plan locks". */
  readonly functions: Readonly<Record<'release-update-plan', PrescaleFunction>>;
}

const J = sfn.JsonPath;
type Invoke = WorkflowTasks['invoke'];

/**
 * Release the plan locks, then succeed with the summary, fail a plan that could not lock its
 * groups, or notify operators and fail: after an undo, and after every slot succeeded when the
 * locks could not be released (they would refuse the groups' updates, silently, until they expire).
 */
export function planEndStates(
  scope: Construct,
  invoke: Invoke,
  props: UpdatePlanEndingsProps,
): sfn.IChainable {
  const planCompleted = new sfn.Succeed(scope, 'Plan completed');
  const planUndone = new sfn.Fail(scope, 'Plan undone', {
    errorPath: '$.step.error',
    causePath: '$.step.cause',
  });
  const summarize = new sfn.Pass(scope, 'Summarize plan', {
    parameters: {
      status: 'Succeeded',
      planName: J.stringAt('$.plan.planName'),
      summary: J.listAt('$.plan.summary'),
      slots: J.listAt('$.plan.slots'),
      rejected: J.listAt('$.plan.rejected'),
      headroomCostUsd: J.numberAt('$.plan.headroomCostUsd'),
      warnings: J.listAt('$.plan.warnings'),
      log: J.listAt('$.step.progress.log'),
      // Groups their owner deleted while the plan ran: not updated, and no failure of the plan.
      deleted: J.listAt('$.step.progress.deleted'),
    },
    // No resultPath: the summary replaces the state, which beside the plan it repeats would pass 256 KiB.
  }).next(planCompleted);
  const notify = notifyThenEnd(scope, props, {
    id: 'Notify operators',
    subject: 'Prescale update plan undone',
    message: J.format(
      'Update plan {} did not complete. Error: {}. {} Plan: {}',
      J.stringAt('$$.Execution.Name'),
      J.stringAt('$.step.error'),
      J.stringAt('$.step.cause'),
      J.jsonToString(J.listAt('$.plan.summary')),
    ),
    end: planUndone,
  });
  const lockFailed = new sfn.Fail(scope, 'Could not lock plan groups', {
    errorPath: '$.step.error',
    causePath: '$.step.cause',
  });
  const releaseFailed = releaseFailureStates(scope, props);
  const done = sfn.Condition.stringEquals('$.step.action', 'done');
  const lockStepFailed = sfn.Condition.stringEquals('$.step.action', 'lock-failed');
  const releaseError = sfn.Condition.isPresent('$.releaseError');
  const howDidItEnd = new sfn.Choice(scope, 'How did the plan end?')
    .when(sfn.Condition.and(sfn.Condition.or(done, lockStepFailed), releaseError), releaseFailed)
    .when(done, summarize)
    .when(lockStepFailed, lockFailed)
    .when(releaseError, undoneLocksKeptStates(scope, props, planUndone))
    .otherwise(notify);
  return invoke(
    'Release plan locks',
    props.functions['release-update-plan'],
    '$.released',
    sfn.TaskInput.fromObject({ plan: J.objectAt('$.plan') }),
  )
    .addCatch(howDidItEnd, { errors: ['States.ALL'], resultPath: '$.releaseError' })
    .next(howDidItEnd);
}

/**
 * A plan undone (or failed) whose locks could not be released: notified as undone, with the
 * release error, until when its groups stay locked and which lock items free them sooner (until
 * 2026-12-07 the release error was dropped here). The execution still fails with the plan's own
 * error and cause ("Plan undone"): the note rides in the notification only, whose 256 KiB hold
 * both causes where an execution's 32,768-character Cause might not.
 */
function undoneLocksKeptStates(
  scope: Construct,
  props: UpdatePlanEndingsProps,
  planUndone: sfn.Fail,
): sfn.IChainable {
  const notify = notifyThenEnd(scope, props, {
    id: 'Notify undone, locks not released',
    subject: 'Prescale update plan undone',
    message: J.format(
      'Update plan {} did not complete. Error: {}. {} Then releasing the plan locks failed ({}: {}): the groups stay locked until {} (epoch ms), and rolling updates and plans of them are refused until then; delete their GROUP#<group> / PLAN items (groups {}) to free them sooner. Plan: {}',
      J.stringAt('$$.Execution.Name'),
      J.stringAt('$.step.error'),
      J.stringAt('$.step.cause'),
      J.stringAt('$.releaseError.Error'),
      J.stringAt('$.releaseError.Cause'),
      J.stringAt('$.plan.lockExpiresAtMs'),
      J.jsonToString(J.listAt('$.lockedGroups.names')),
      J.jsonToString(J.listAt('$.plan.summary')),
    ),
    end: planUndone,
  });
  // The group names on their own (a wildcard path, which only a Pass's parameters take).
  return new sfn.Pass(scope, 'Note locks kept after undo', {
    parameters: { 'names.$': '$.plan.groups[*].groupName' },
    resultPath: '$.lockedGroups',
  }).next(notify);
}

/** An SNS notification to operators, then `end`, which a notification that fails reaches too. */
function notifyThenEnd(
  scope: Construct,
  props: UpdatePlanEndingsProps,
  { id, subject, message, end }: { id: string; subject: string; message: string; end: sfn.Fail },
): sfn.IChainable {
  return new tasks.SnsPublish(scope, id, {
    topic: props.topic,
    subject,
    message: sfn.TaskInput.fromText(message),
    resultPath: J.DISCARD,
  })
    .addCatch(end, { errors: ['States.ALL'], resultPath: '$.notifyError' })
    .next(end);
}

/**
 * A release of the plan locks that failed after every slot succeeded or after the lock step
 * failed: noted (which locks stay, until when), notified with its own subject and ended in its own
 * Fail state, since "undone" would send operators to revert updates that stand.
 */
function releaseFailureStates(scope: Construct, props: UpdatePlanEndingsProps): sfn.Pass {
  const locksNotReleased = new sfn.Fail(scope, 'Plan locks not released', {
    errorPath: '$.step.error',
    causePath: '$.step.cause',
  });
  const notifyLocksNotReleased = notifyThenEnd(scope, props, {
    id: 'Notify locks not released',
    subject: 'Prescale update plan locks not released',
    message: J.format(
      'Update plan {}: {} Error: {}. Plan: {}',
      J.stringAt('$$.Execution.Name'),
      J.stringAt('$.step.cause'),
      J.stringAt('$.step.error'),
      J.jsonToString(J.listAt('$.plan.summary')),
    ),
    end: locksNotReleased,
  });
  const releaseFailed = new sfn.Pass(scope, 'Note release failure', {
    parameters: {
      action: 'fail',
      label: 'Plan locks not released',
      error: J.stringAt('$.releaseError.Error'),
      cause: J.format(
        '{}; then releasing the plan locks failed ({}): the groups stay locked until {} (epoch ms), and rolling updates and plans of them are refused until then; delete their GROUP#<group> / PLAN items to free them sooner',
        J.stringAt('$.step.label'),
        J.stringAt('$.releaseError.Cause'),
        J.stringAt('$.plan.lockExpiresAtMs'),
      ),
    },
    resultPath: '$.step',
  });
  releaseFailed.next(notifyLocksNotReleased);
  return releaseFailed;
}
