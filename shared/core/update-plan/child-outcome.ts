/**
 * What a child's outcome means for the plan: its group deleted, changed by its owner, rolled out
 * (or maybe) before the child failed, or left with a refresh still running. Shared by the plan's steps and its undo. Pure.
 */
import type { RefreshProblem } from '../rolling-update/assess-refresh-progress';
import { childFailure } from './child-detail';
import {
  CHILD_DETAIL_NOT_CUT,
  type ChildOutcome,
  GROUP_CHANGED_SINCE_PLAN,
  GROUP_DELETED_DURING_UPDATE,
  GROUP_NO_LONGER_EXISTS,
  type PlanGroupRun,
  REFRESH_LEFT_RUNNING,
  ROLLED_OUT_ERROR,
} from './types';

/** The group run a child's outcome stands for, as the plan's progress records it. */
export const groupRun = (r: ChildOutcome): PlanGroupRun => ({
  groupName: r.groupName,
  slotIndex: r.slotIndex,
  childName: r.childName,
});

/**
 * Did the child fail with one of `errors`: its own Error, or (`startExecution.sync` fails with
 * States.TaskFailed) the child's Error inside its Cause, `childFailure` starting with `${error}:`?
 */
function failedWith(outcome: ChildOutcome, errors: readonly string[]): boolean {
  if (outcome.status !== 'Failed') return false;
  const failure = childFailure(outcome.detail ?? '');
  return errors.some((error) => outcome.error === error || failure.startsWith(`${error}:`));
}

/**
 * Did the child end because its group was deleted (GroupDeletedDuringUpdate once it had changed
 * the group, GroupNoLongerExists before)? The owner deleted it: not the new version failing, and
 * nothing is left to update or revert. Its Error is inside the Cause, as for {@link rolledOut}.
 */
export function groupDeleted(outcome: ChildOutcome): boolean {
  return failedWith(outcome, [GROUP_DELETED_DURING_UPDATE, GROUP_NO_LONGER_EXISTS]);
}

/**
 * Did the revert find its group on another launch template or version than the plan left it on
 * (`GroupChangedSincePlan`, inside the Cause as for {@link groupDeleted})? It changed nothing.
 */
export function groupChangedSincePlan(outcome: ChildOutcome): boolean {
  return failedWith(outcome, [GROUP_CHANGED_SINCE_PLAN]);
}

/**
 * Did the child end with a refresh still replacing instances under it ({@link REFRESH_LEFT_RUNNING},
 * inside the Cause as for {@link groupDeleted})? Its group may yet end on either version: neither
 * updated nor undone, it needs attention, and a revert started under that refresh would meet it.
 */
export function refreshLeftRunning(outcome: ChildOutcome): boolean {
  return failedWith(outcome, [REFRESH_LEFT_RUNNING]);
}

/**
 * The Error a child fails with when its refresh was in a status Prescale does not know: its
 * rollback waited, then handed the refresh over without rolling it back, so it may still complete.
 */
const REFRESH_STATUS_UNKNOWN: RefreshProblem = 'RefreshStatusUnknown';

/**
 * Did the child roll its group out before a later step failed, or may it have? `startExecution.sync`
 * fails with States.TaskFailed and the child's own Error inside its Cause (`childFailure`). One
 * whose report could not be cut ({@link CHILD_DETAIL_NOT_CUT}) may have, and so may one that gave
 * up on a refresh status it does not know ({@link REFRESH_STATUS_UNKNOWN}).
 */
export function rolledOut(outcome: ChildOutcome): boolean {
  if (outcome.status !== 'Failed') return false;
  const failure = childFailure(outcome.detail ?? '');
  // Whether these rolled out is unknown: reverting a group that did not is harmless, leaving one
  // on a failed version is not. Unlike failedWith, a bare Error with no cause after it counts too.
  return (
    [ROLLED_OUT_ERROR, REFRESH_STATUS_UNKNOWN].some(
      (error) => outcome.error === error || failure.startsWith(`${error}:`) || failure === error,
    ) || outcome.detail === CHILD_DETAIL_NOT_CUT
  );
}
