import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { PrescaleFunction } from '../prescale-function';
import { NOTHING_MORE_TRIED, ROLLBACK_ENDINGS } from './rollback-endings';
import { ON_ROLLBACK_ERROR, pointBackStates, revertStates, undoStates } from './rollback-undo-states';
import { GROUP, type WorkflowTasks } from './workflow-tasks';

const J = sfn.JsonPath;

export interface RollbackStatesProps {
  /** Where the rollback's outcome is recorded. */
  readonly recordOutcome: sfn.IChainable;
  /** Where the rollback is announced. */
  readonly topic: sns.ITopic;
  readonly decideRollback: PrescaleFunction;
  readonly planRestore: PrescaleFunction;
  /** Where an `adopt` step goes: the refresh the run's failed start created, watched as its own. */
  readonly adoptRefresh: sfn.IChainable;
}

/** Where the workflow's failures end: the rollback branch, and the refusal that skips it. */
export interface RollbackEntries {
  /** The rollback branch's entry, where every forward-path failure goes with `$.error` set. */
  readonly rollback: sfn.CustomState;
  /**
   * A refusal under the lock, before anything was changed (`$.error` set): notified and recorded
   * as such, with no rollback and no capacity restore, since there is nothing to undo.
   */
  readonly refusal: sfn.IChainable;
  /**
   * The group was deleted (or is being deleted) during the update (`$.error` set): notified and
   * recorded as such, with nothing more tried on it, since Auto Scaling would refuse it all.
   */
  readonly groupDeleted: sfn.IChainable;
}

/**
 * The rollback branch, in `scope`: describe → decide → act (roll back natively, or cancel and
 * revert, or point a fallback group back when its refresh never started) → wait, until nothing is
 * left to undo; then restore capacity, notify operators and record the outcome by what the branch
 * found: FailedNothingChanged, with no restore, when it failed before adding headroom;
 * RolledBack; LeftToOperator when the refresh was left to whoever suspended its processes;
 * LeftRunning, with no restore, when a refresh still replaced instances at the give-up;
 * SucceededNeedsAttention (SucceededCapacityNotRestored) when the refresh had succeeded already,
 * so it stays and only capacity is restored. A failing rollback step is noted (needs attention),
 * never retried forever. Also the refusal's way to the same notification and record.
 * @returns both entries.
 */
export function rollbackStates(
  scope: Construct,
  t: WorkflowTasks,
  props: RollbackStatesProps,
): RollbackEntries {
  const { planRestore: planRestoreAfterRollback, notify, groupDeleted } = rollbackEnding(scope, t, props);
  const noteRollbackFailure = new sfn.Pass(scope, 'Note rollback failure', {
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

  const waitDuringRollback = new sfn.Wait(scope, 'Wait during rollback', {
    time: sfn.WaitTime.secondsPath('$.window.pollIntervalSeconds'),
  });
  const describeForRollback = t
    .autoScaling(
      'Describe refreshes for rollback',
      'describeInstanceRefreshes',
      { ...GROUP, MaxRecords: 10 },
      { resultPath: '$.rollbackRefreshes', resultSelector: { 'refreshes.$': '$.InstanceRefreshes' } },
    )
    .addCatch(noteRollbackFailure, ON_ROLLBACK_ERROR);
  waitDuringRollback.next(describeForRollback);
  const whichRollbackStep = rollbackStepChoice(scope, t, props, {
    noteRollbackFailure,
    waitDuringRollback,
    planRestoreAfterRollback,
  });
  const decideRollbackStep = t
    .invoke('Choose rollback step', props.decideRollback, '$.rollback')
    .addCatch(noteRollbackFailure, ON_ROLLBACK_ERROR)
    .next(whichRollbackStep);
  describeForRollback.next(decideRollbackStep);
  const refusal = new sfn.Pass(scope, 'End refused', {
    result: sfn.Result.fromObject(ROLLBACK_ENDINGS.refused),
    resultPath: '$.ending',
  }).next(notify);
  return { rollback: describeForRollback, refusal, groupDeleted };
}

/**
 * The branch's loop acts on the decided step: each undo goes back to `waitDuringRollback`, a
 * failing one to `noteRollbackFailure`, and an ending action (or none) to the restore.
 * @returns the Choice on `$.rollback.action`.
 */
function rollbackStepChoice(
  scope: Construct,
  t: WorkflowTasks,
  props: RollbackStatesProps,
  loop: {
    readonly noteRollbackFailure: sfn.IChainable;
    readonly waitDuringRollback: sfn.Wait;
    readonly planRestoreAfterRollback: sfn.IChainable;
  },
): sfn.Choice {
  const { noteRollbackFailure, waitDuringRollback, planRestoreAfterRollback } = loop;
  const { rollBack, cancel } = undoStates(t, waitDuringRollback);
  const pointBack = pointBackStates(t, noteRollbackFailure, waitDuringRollback);
  const whichRevert = revertStates(scope, t, noteRollbackFailure, waitDuringRollback);
  // A decision without an action (a null payload) would fail the Choice with States.Runtime,
  // past every Catch: no restore, no notification, the lock held until it expires.
  const noteNoRollbackStep = new sfn.Pass(scope, 'Note no rollback step', {
    result: sfn.Result.fromObject({
      action: 'failed',
      reason: 'the rollback step could not be decided (no action came back); check the group',
      needsAttention: true,
    }),
    resultPath: '$.rollback',
  }).next(planRestoreAfterRollback);
  return (
    new sfn.Choice(scope, 'Which rollback step?')
      // Not(IsPresent), not IsPresent false, which aws-local-stepfunctions never matches.
      .when(sfn.Condition.not(sfn.Condition.isPresent('$.rollback.action')), noteNoRollbackStep)
      .when(sfn.Condition.stringEquals('$.rollback.action', 'adopt'), props.adoptRefresh)
      .when(sfn.Condition.stringEquals('$.rollback.action', 'roll-back'), rollBack)
      .when(sfn.Condition.stringEquals('$.rollback.action', 'cancel'), cancel)
      .when(sfn.Condition.stringEquals('$.rollback.action', 'revert'), whichRevert)
      .when(
        sfn.Condition.stringEquals('$.rollback.action', 'adopt-revert'),
        new sfn.Pass(scope, 'Watch the revert it started', {
          parameters: { InstanceRefreshId: J.stringAt('$.rollback.refreshId') },
          resultPath: '$.revert',
        }).next(waitDuringRollback),
      )
      .when(sfn.Condition.stringEquals('$.rollback.action', 'point-back'), pointBack)
      .when(sfn.Condition.stringEquals('$.rollback.action', 'wait'), waitDuringRollback)
      .otherwise(planRestoreAfterRollback)
  );
}

/**
 * After the rollback: name the ending, plan and restore capacity, notify, summarize and record. A
 * group found deleted when the restore is planned ends there, as deleted, with nothing restored.
 * @returns its first state, the notification, where a refusal joins it, and the deleted group's ending.
 */
function rollbackEnding(
  scope: Construct,
  t: WorkflowTasks,
  props: RollbackStatesProps,
): { planRestore: sfn.IChainable; notify: sfn.IChainable; groupDeleted: sfn.IChainable } {
  const notify = notifyAndSummarize(scope, props);
  const groupDeleted = new sfn.Pass(scope, 'Nothing left to undo', {
    result: sfn.Result.fromObject(NOTHING_MORE_TRIED),
    resultPath: '$.rollback',
  })
    .next(
      new sfn.Pass(scope, 'End group deleted', {
        result: sfn.Result.fromObject(ROLLBACK_ENDINGS.groupDeleted),
        resultPath: '$.ending',
      }),
    )
    .next(notify);
  const restoreFailed = restoreFailureStates(scope, notify);
  const restoreAfterRollback = t
    .autoScaling('Restore capacity after rollback', 'updateAutoScalingGroup', {
      ...GROUP,
      'MinSize.$': '$.restore.minSize',
      'DesiredCapacity.$': '$.restore.desiredCapacity',
    })
    .addCatch(restoreFailed, ON_RESTORE_ERROR)
    .next(notify);
  const planRestore = t
    .invoke('Plan capacity restore after rollback', props.planRestore, '$.restore')
    .addCatch(restoreFailed, ON_RESTORE_ERROR)
    .next(
      new sfn.Choice(scope, 'Is the group still there after the rollback?')
        .when(sfn.Condition.isPresent('$.restore.groupDeleted'), groupDeleted)
        .otherwise(restoreAfterRollback),
    );
  const ending = (id: string, result: (typeof ROLLBACK_ENDINGS)[keyof typeof ROLLBACK_ENDINGS]) =>
    new sfn.Pass(scope, id, { result: sfn.Result.fromObject(result), resultPath: '$.ending' }).next(
      planRestore,
    );
  // No headroom yet ("Plan headroom" failed, say): nothing was started or changed, and a restore
  // would write the min and desired it just read over a scale-out made meanwhile.
  const nothingChanged = new sfn.Pass(scope, 'End failed, nothing changed', {
    result: sfn.Result.fromObject(ROLLBACK_ENDINGS.failedNothingChanged),
    resultPath: '$.ending',
  }).next(notify);
  const howItEnds = new sfn.Choice(scope, 'How did the rollback end?')
    .when(sfn.Condition.not(sfn.Condition.isPresent('$.headroom')), nothingChanged)
    .when(sfn.Condition.stringEquals('$.rollback.action', 'hold'), holdCapacity(scope, restoreFailed))
    .when(
      sfn.Condition.stringEquals('$.rollback.action', 'leave'),
      ending('End left to operator', ROLLBACK_ENDINGS.leftToOperator),
    )
    .when(
      sfn.Condition.stringEquals('$.rollback.action', 'keep'),
      ending('End rolled out', ROLLBACK_ENDINGS.rolledOut),
    )
    .otherwise(ending('End rolled back', ROLLBACK_ENDINGS.rolledBack));
  return { planRestore: howItEnds, notify, groupDeleted };
}

/**
 * A refresh still replaces instances past the give-up (`hold`): a restore under it would change
 * the capacity it works with, so none is made; the run ends left running (not rolled back: the
 * refresh may still put the new version on every instance), as one whose restore failed, with
 * the operators told to set capacity back by hand. @returns its first state.
 */
function holdCapacity(scope: Construct, restoreFailed: sfn.IChainable): sfn.IChainable {
  return new sfn.Pass(scope, 'End left running, capacity held', {
    result: sfn.Result.fromObject(ROLLBACK_ENDINGS.leftRunning),
    resultPath: '$.ending',
  }).next(
    new sfn.Pass(scope, 'Note capacity held', {
      result: sfn.Result.fromObject({
        Error: 'InstanceRefreshInProgress',
        Cause: 'a refresh is still replacing instances, so no restore was made under it',
      }),
      resultPath: '$.restoreError',
    }).next(restoreFailed),
  );
}

/** Catch options for a failed capacity restore after the rollback: note it, then notify. */
const ON_RESTORE_ERROR = { errors: ['States.ALL'], resultPath: '$.restoreError' };

/**
 * A restore that failed (after its retries) leaves the headroom on the group: MinSize held up
 * stops the group scaling in, and nobody would know. The failure joins the rollback's reason
 * (Cause, message, record), marks the run as needing attention and names it in the subject (and,
 * after a refresh that succeeded, in the status and end state).
 * @returns the first of the two notes, which goes on to `notify`.
 */
function restoreFailureStates(scope: Construct, notify: sfn.IChainable): sfn.IChainable {
  const nameTheEnding = new sfn.Pass(scope, 'Note capacity not restored', {
    parameters: {
      status: J.stringAt('$.ending.notRestored.status'),
      label: J.stringAt('$.ending.label'),
      subject: J.stringAt('$.ending.notRestored.subject'),
      summary: J.stringAt('$.ending.notRestored.summary'),
    },
    resultPath: '$.ending',
  }).next(notify);
  return new sfn.Pass(scope, 'Note restore failure', {
    parameters: {
      action: J.stringAt('$.rollback.action'),
      reason: J.format(
        '{}; capacity was NOT restored ({}: {}): MinSize and DesiredCapacity may still hold the headroom the update added, set them back by hand',
        J.stringAt('$.rollback.reason'),
        J.stringAt('$.restoreError.Error'),
        J.stringAt('$.restoreError.Cause'),
      ),
      needsAttention: true,
    },
    resultPath: '$.rollback',
  }).next(nameTheEnding);
}

/**
 * Tells the operators how the branch ended, in the ending's words (a failed publish does not stop
 * it), then summarizes the outcome and records it. @returns the notify state.
 */
function notifyAndSummarize(scope: Construct, props: RollbackStatesProps): sfn.IChainable {
  const summarizeRollback = new sfn.Pass(scope, 'Summarize rollback', {
    parameters: {
      status: J.stringAt('$.ending.status'),
      groupName: J.stringAt('$.plan.groupName'),
      targetVersion: J.stringAt('$.plan.targetVersion'),
      error: J.stringAt('$.error.Error'),
      cause: J.format(
        '{} {}: {}',
        J.stringAt('$.error.Cause'),
        J.stringAt('$.ending.label'),
        J.stringAt('$.rollback.reason'),
      ),
      // The cause with the step's Error first, for an ending that fails with an Error of its own
      // (`outcomeStates`: the rolled-out endings, nothing changed), where the step's would
      // otherwise be lost.
      causeWithError: J.format(
        '{}: {} {}: {}',
        J.stringAt('$.error.Error'),
        J.stringAt('$.error.Cause'),
        J.stringAt('$.ending.label'),
        J.stringAt('$.rollback.reason'),
      ),
      needsAttention: J.stringAt('$.rollback.needsAttention'),
    },
    resultPath: '$.outcome',
  }).next(props.recordOutcome);
  const notify = new tasks.SnsPublish(scope, 'Notify operators', {
    topic: props.topic,
    subject: J.stringAt('$.ending.subject'),
    message: sfn.TaskInput.fromText(
      J.format(
        'Rolling update {} of Auto Scaling group {} to launch template version {} {}. Error: {}. Cause: {}. {}: {} (needs attention: {}).',
        J.stringAt('$$.Execution.Name'),
        J.stringAt('$.plan.groupName'),
        J.stringAt('$.plan.targetVersion'),
        J.stringAt('$.ending.summary'),
        J.stringAt('$.error.Error'),
        J.stringAt('$.error.Cause'),
        J.stringAt('$.ending.label'),
        J.stringAt('$.rollback.reason'),
        J.stringAt('$.rollback.needsAttention'),
      ),
    ),
    resultPath: J.DISCARD,
  })
    .addCatch(summarizeRollback, { errors: ['States.ALL'], resultPath: '$.notifyError' })
    .next(summarizeRollback);
  return notify;
}
