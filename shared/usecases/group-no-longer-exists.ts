import { GROUP_NO_LONGER_EXISTS, type ValidPlan } from '../contracts/rolling-update';
import { validatedAt } from './replan-refresh';

/**
 * Why a run ends when its group was deleted before anything was started (while it waited for a
 * window, or before the lock was taken): the Error `GroupNoLongerExists` and a Cause naming the
 * group, when it was validated, and that nothing was changed.
 */
export function groupNoLongerExists(plan: Pick<ValidPlan, 'groupName' | 'targetVersion' | 'validatedAtMs'>): {
  readonly Error: string;
  readonly Cause: string;
} {
  const { groupName, targetVersion } = plan;
  return {
    Error: GROUP_NO_LONGER_EXISTS,
    Cause: `Auto Scaling group ${groupName} no longer exists (it did when the update was validated${validatedAt(plan)}): the update to version ${targetVersion} was not started and nothing was changed`,
  };
}
