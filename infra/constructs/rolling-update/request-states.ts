import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { GROUP_CHANGED_SINCE_PLAN, GROUP_NO_LONGER_EXISTS } from '../../../shared/contracts/rolling-update';
import { ROLLING_UPDATE_REJECTED } from '../../../shared/contracts/rolling-update-errors';
import type { PrescaleFunction } from '../prescale-function';
import { NOTHING_UNDONE, type WorkflowTasks } from './workflow-tasks';

const J = sfn.JsonPath;

export interface RequestStatesProps {
  readonly validate: PrescaleFunction;
  readonly chooseWindow: PrescaleFunction;
  /** Where a run in a low-load window goes: the lock. */
  readonly proceed: sfn.IChainable;
  /** Where a deferral's outcome is recorded. */
  readonly recordOutcome: sfn.IChainable;
  /** Where a refusal goes, with `$.error` and `$.rollback` set: notified and recorded, nothing undone. */
  readonly refusalEntry: sfn.IChainable;
  /** Where a deferred scheduled-maintenance refresh is reported (the rollbacks' topic). */
  readonly topic: sns.ITopic;
}

/**
 * The workflow's first states, in `scope`: validate the request (a rejected one fails, with
 * `GroupNoLongerExists` when a plan's child finds its group deleted, `GroupChangedSincePlan` when
 * it finds it on another launch template or version than the plan expects), then choose a low-load
 * window, waiting and asking again until it says proceed or defer.
 * @returns "Validate request", the start state.
 */
export function requestStates(scope: Construct, t: WorkflowTasks, props: RequestStatesProps): sfn.IChainable {
  const chooseWindowState = windowStates(scope, t, props);
  const rejectedEnd = new sfn.Fail(scope, 'Request rejected', {
    error: ROLLING_UPDATE_REJECTED,
    causePath: '$.plan.reason',
  });
  // A plan's child whose group was deleted before it started: an Error the plan reads as the
  // group's deletion (nothing to update or undo there), not as a failed update.
  const groupGoneEnd = new sfn.Fail(scope, 'Request rejected: group no longer exists', {
    error: GROUP_NO_LONGER_EXISTS,
    causePath: '$.plan.reason',
  });
  // A plan's child whose group its owner changed since the plan computed or updated it: an Error
  // the plan reads as a group to leave alone (the owner's release stands), not as a failed update.
  const groupChangedEnd = new sfn.Fail(scope, 'Request rejected: group changed since plan', {
    error: GROUP_CHANGED_SINCE_PLAN,
    causePath: '$.plan.reason',
  });
  const validationFailed = new sfn.Fail(scope, 'Could not validate request', {
    errorPath: '$.error.Error',
    causePath: '$.error.Cause',
  });
  return t
    .invoke(
      'Validate request',
      props.validate,
      '$.plan',
      sfn.TaskInput.fromObject({ request: J.entirePayload, executionName: J.stringAt('$$.Execution.Name') }),
    )
    .addCatch(validationFailed, { errors: ['States.ALL'], resultPath: '$.error' })
    .next(
      new sfn.Choice(scope, 'Is the request valid?')
        .when(
          sfn.Condition.and(
            sfn.Condition.isPresent('$.plan.error'),
            sfn.Condition.stringEquals('$.plan.error', GROUP_NO_LONGER_EXISTS),
          ),
          groupGoneEnd,
        )
        .when(
          sfn.Condition.and(
            sfn.Condition.isPresent('$.plan.error'),
            sfn.Condition.stringEquals('$.plan.error', GROUP_CHANGED_SINCE_PLAN),
          ),
          groupChangedEnd,
        )
        .when(sfn.Condition.stringEquals('$.plan.outcome', 'rejected'), rejectedEnd)
        .otherwise(chooseWindowState),
    );
}

/**
 * Choose a window → proceed, wait and choose again, record a deferral (`deferralStates`), or
 * refuse (the group was deleted while the update waited: ended as the lock's refusal of it, with
 * no lock held).
 * @returns "Choose update window".
 */
function windowStates(scope: Construct, t: WorkflowTasks, props: RequestStatesProps): sfn.IChainable {
  const deferral = deferralStates(scope, props);
  const noteGroupDeleted = new sfn.Pass(scope, 'Note group deleted while waiting', {
    inputPath: '$.window.error',
    resultPath: '$.error',
  })
    .next(
      new sfn.Pass(scope, 'Nothing was started', {
        result: sfn.Result.fromObject(NOTHING_UNDONE),
        resultPath: '$.rollback',
      }),
    )
    .next(props.refusalEntry);
  const windowFailed = new sfn.Fail(scope, 'Could not choose a window', {
    errorPath: '$.error.Error',
    causePath: '$.error.Cause',
  });
  const chooseWindowState = t
    .invoke('Choose update window', props.chooseWindow, '$.window')
    .addCatch(windowFailed, {
      errors: ['States.ALL'],
      resultPath: '$.error',
    });
  const waitForLowLoad = new sfn.Wait(scope, 'Wait for low load', {
    time: sfn.WaitTime.secondsPath('$.window.waitSeconds'),
  }).next(chooseWindowState);
  chooseWindowState.next(
    new sfn.Choice(scope, 'Is it a low-load window?')
      .when(sfn.Condition.stringEquals('$.window.decision', 'proceed'), props.proceed)
      .when(sfn.Condition.stringEquals('$.window.decision', 'wait'), waitForLowLoad)
      .when(sfn.Condition.stringEquals('$.window.decision', 'refuse'), noteGroupDeleted)
      .otherwise(deferral),
  );
  return chooseWindowState;
}

/**
 * Record a deferral, notifying the topic first for a scheduled-maintenance request.
 * @returns "Deferred ahead of scheduled events?".
 */
function deferralStates(scope: Construct, props: RequestStatesProps): sfn.IChainable {
  const summarizeDeferral = new sfn.Pass(scope, 'Summarize deferral', {
    parameters: { status: 'Deferred', reason: J.stringAt('$.window.reason') },
    resultPath: '$.outcome',
  }).next(props.recordOutcome);
  // The scan's refresh ahead of EC2 scheduled events, deferred (no window before its deadline, or a
  // hold): the execution ends in a Succeed state no alarm watches. The scan's deadline is a day and
  // an hour before the latest start, so its next run, still before that start, finds the deadline
  // less than an hour away and starts the refresh at once (unless a hold still keeps the group).
  // Operators hear of it here; a failed publish does not change the outcome, as the rollbacks'
  // notice does not.
  const notifyDeferral = new tasks.SnsPublish(scope, 'Notify deferred maintenance', {
    topic: props.topic,
    subject: 'Prescale scheduled-maintenance refresh deferred',
    message: sfn.TaskInput.fromText(
      J.format(
        'Rolling update {} of Auto Scaling group {} to launch template version {}, started ahead of EC2 scheduled events (reason scheduled-maintenance), was deferred and started no refresh: {}. The next daily scan asks again before the latest start of the refresh and starts it at once, whatever the load, unless a hold (the kill switch, a pause, a refresh in progress) still keeps the group: then the instances meet their events unless replaced before them.',
        J.stringAt('$$.Execution.Name'),
        J.stringAt('$.plan.groupName'),
        J.stringAt('$.plan.targetVersion'),
        J.stringAt('$.window.reason'),
      ),
    ),
    resultPath: J.DISCARD,
  })
    .addCatch(summarizeDeferral, { errors: ['States.ALL'], resultPath: '$.notifyError' })
    .next(summarizeDeferral);
  return new sfn.Choice(scope, 'Deferred ahead of scheduled events?')
    .when(
      sfn.Condition.and(
        sfn.Condition.isPresent('$.plan.reason'),
        sfn.Condition.stringEquals('$.plan.reason', 'scheduled-maintenance'),
      ),
      notifyDeferral,
    )
    .otherwise(summarizeDeferral);
}
