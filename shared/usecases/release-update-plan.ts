import type { PlannedUpdate } from '../contracts/update-plan';
import type { UpdatePlanStore } from '../ports/update-plan-store';

/**
 * Releases the plan lock of every member group that this plan holds (others' locks are left
 * alone), on every path out of the plan. Returns the groups it released.
 * @throws TransientDependencyError when DynamoDB may answer later (the state machine retries).
 */
export async function releaseUpdatePlan(
  deps: { readonly planLocks: Pick<UpdatePlanStore, 'releasePlanLock'> },
  plan: Pick<PlannedUpdate, 'planName' | 'groups'>,
): Promise<{ released: string[] }> {
  const released: string[] = [];
  for (const { groupName } of plan.groups) {
    await deps.planLocks.releasePlanLock(groupName, plan.planName);
    released.push(groupName);
  }
  return { released };
}
