import {
  GROUP_DELETED_DURING_UPDATE,
  GROUP_NO_LONGER_EXISTS,
  type ValidPlan,
} from '../contracts/rolling-update';
import { validatedAt } from './replan-refresh';

type GroupOfPlan = Pick<ValidPlan, 'groupName' | 'targetVersion' | 'validatedAtMs'>;
/** A Step Functions error, as the run ends with it. */
type RunError = { readonly Error: string; readonly Cause: string };

/**
 * Why a run ends when its group was deleted before anything was started (while it waited for a
 * window, or before the lock was taken): the Error `GroupNoLongerExists` and a Cause naming the
 * group, whether it is gone or still being deleted (`deleting`: Status "Delete in progress", so
 * an operator looking for it finds it, being deleted), when it was validated, and that nothing
 * was changed.
 */
export function groupNoLongerExists(plan: GroupOfPlan, found: 'gone' | 'deleting'): RunError {
  const { groupName, targetVersion } = plan;
  const state =
    found === 'deleting'
      ? `is being deleted (Status "Delete in progress"; it was not when the update was validated${validatedAt(plan)})`
      : `no longer exists (it did when the update was validated${validatedAt(plan)})`;
  return {
    Error: GROUP_NO_LONGER_EXISTS,
    Cause: `Auto Scaling group ${groupName} ${state}: the update to version ${targetVersion} was not started and nothing was changed`,
  };
}

/**
 * Why a run ends when its group was deleted (or is being deleted) once the update had changed it:
 * the Error `GroupDeletedDuringUpdate`, and a Cause naming the group. Nothing is left to roll back
 * or restore, and Auto Scaling would refuse it.
 */
export function groupDeletedDuringUpdate(plan: GroupOfPlan): RunError {
  return {
    Error: GROUP_DELETED_DURING_UPDATE,
    Cause: `Auto Scaling group ${plan.groupName} was deleted during the update to version ${plan.targetVersion}`,
  };
}
