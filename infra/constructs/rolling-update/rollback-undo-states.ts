import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { GROUP, type WorkflowTasks } from './workflow-tasks';

/**
 * The rollback branch's actions on the group (`rollbackStates`): roll back or cancel the forward
 * refresh, revert to the previous version, or point a fallback group back. Each goes on to
 * "Wait during rollback", so the branch describes and decides again.
 */

/** Catch options for a failed rollback step: note it and restore capacity. */
export const ON_ROLLBACK_ERROR = { errors: ['States.ALL'], resultPath: '$.rollbackError' };

/**
 * A revert start that met a refresh in progress: the revert its own first attempt started (it
 * took effect, then failed, and StartInstanceRefresh takes no client token), which the next
 * decision recognises and watches, or someone else's, which it waits out before any restore.
 */
const REVERT_MET_REFRESH = {
  errors: ['AutoScaling.InstanceRefreshInProgressException'],
  resultPath: '$.rollbackError',
};

/**
 * A roll-back or cancel that failed (after its retries): look again, and let the next decision
 * wait on the rollback or cancel it may have started after all, or try again, until the give-up.
 * A repeated call on a refresh already rolling back or cancelling is not documented to answer
 * ActiveInstanceRefreshNotFound ("an active instance refresh or rollback … was not found"), so
 * no error here is taken for the branch failing: that restored capacity under a rollback still
 * replacing instances. One refused permission is not asked again: the next decision holds
 * (`chooseRollbackStep`'s `undoRefusedPermission`), since IAM would refuse it again.
 */
const ON_UNDO_ERROR = { errors: ['States.ALL'], resultPath: '$.rollbackError' };

/**
 * Undo the refresh natively (RollbackInstanceRefresh), or cancel it when it cannot be undone;
 * either way wait and look again. @returns both tasks, for the step choice.
 */
export function undoStates(
  t: WorkflowTasks,
  waitDuringRollback: sfn.Wait,
): { rollBack: sfn.CustomState; cancel: sfn.CustomState } {
  const rollBack = t.autoScaling('Roll back refresh', 'rollbackInstanceRefresh', { ...GROUP });
  const cancel = t.autoScaling('Cancel refresh', 'cancelInstanceRefresh', { ...GROUP });
  rollBack
    // The refresh cannot be undone natively (e.g. it passed a point of no return): cancel, then revert.
    .addCatch(cancel, {
      errors: ['AutoScaling.IrreversibleInstanceRefreshException'],
      resultPath: '$.rollbackError',
    })
    .addCatch(waitDuringRollback, ON_UNDO_ERROR)
    .next(waitDuringRollback);
  cancel.addCatch(waitDuringRollback, ON_UNDO_ERROR).next(waitDuringRollback);
  return { rollBack, cancel };
}

/** The launch template spec of the plan's previous version, as the fallback path points a group. */
const PREVIOUS_VERSION_POLICY = {
  LaunchTemplate: {
    LaunchTemplateSpecification: {
      'LaunchTemplateId.$': '$.plan.launchTemplateId',
      'Version.$': '$.plan.previousVersion',
    },
  },
};

/**
 * The fallback path pointed the group at the target version and then no refresh started (an
 * operator's was running, say): point it back, note it in `$.pointedBack`, and look again.
 * @returns the task.
 */
export function pointBackStates(
  t: WorkflowTasks,
  noteRollbackFailure: sfn.IChainable,
  waitDuringRollback: sfn.Wait,
): sfn.IChainable {
  return t
    .autoScaling(
      'Point group back, no refresh started',
      'updateAutoScalingGroup',
      { ...GROUP, MixedInstancesPolicy: PREVIOUS_VERSION_POLICY },
      { resultPath: '$.pointedBack', resultSelector: { pointed: true } },
    )
    .addCatch(noteRollbackFailure, ON_ROLLBACK_ERROR)
    .next(waitDuringRollback);
}

/**
 * The revert after a cancel: a refresh back to the previous version, with a desired configuration,
 * or (fallback path) by pointing the group back first. @returns the choice between the two.
 */
export function revertStates(
  scope: Construct,
  t: WorkflowTasks,
  noteRollbackFailure: sfn.IChainable,
  waitDuringRollback: sfn.Wait,
): sfn.Choice {
  const startRevert = t
    .autoScaling(
      'Start revert refresh',
      'startInstanceRefresh',
      {
        ...GROUP,
        'DesiredConfiguration.$': '$.plan.revertDesiredConfiguration',
        'Preferences.$': '$.plan.revertPreferences',
      },
      { resultPath: '$.revert' },
    )
    .addCatch(waitDuringRollback, REVERT_MET_REFRESH)
    .addCatch(noteRollbackFailure, ON_ROLLBACK_ERROR)
    .next(waitDuringRollback);
  const startRevertWithoutDesired = t
    .autoScaling(
      'Start revert refresh without desired configuration',
      'startInstanceRefresh',
      { ...GROUP, 'Preferences.$': '$.plan.revertPreferences' },
      { resultPath: '$.revert' },
    )
    .addCatch(waitDuringRollback, REVERT_MET_REFRESH)
    .addCatch(noteRollbackFailure, ON_ROLLBACK_ERROR)
    .next(waitDuringRollback);
  const pointGroupBack = t
    .autoScaling('Point group back at previous version', 'updateAutoScalingGroup', {
      ...GROUP,
      MixedInstancesPolicy: PREVIOUS_VERSION_POLICY,
    })
    .addCatch(noteRollbackFailure, ON_ROLLBACK_ERROR)
    .next(startRevertWithoutDesired);
  return new sfn.Choice(scope, 'Which revert path?')
    .when(sfn.Condition.stringEquals('$.plan.path', 'fallback'), pointGroupBack)
    .otherwise(startRevert);
}
