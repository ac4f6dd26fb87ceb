import { parseConfig } from '../contracts/parse-config';
import { updatePlanCancelSchema } from '../contracts/update-plan';
import type { Clock } from '../ports/clock';
import { ResourceNotFoundError } from '../ports/errors';
import type { UpdatePlanStore } from '../ports/update-plan-store';

/**
 * Records an operator's cancel of a running plan (`Rolling Update Plan Cancel Requested`). The
 * plan sees it at its next step — before a slot, while waiting for one (within the check
 * interval), or when the running slot's children end — and undoes what it updated. Stopping the
 * plan's execution instead would skip the undo: Step Functions runs no Catch on a stopped execution.
 * @throws InvalidConfigError when the detail is not a valid cancel request.
 * @throws ResourceNotFoundError when no plan of that name was recorded.
 */
export async function cancelUpdatePlan(
  deps: { readonly plans: Pick<UpdatePlanStore, 'requestCancel'>; readonly clock: Clock },
  event: { readonly detail: unknown },
): Promise<{ planExecutionName: string; reason: string }> {
  const cancel = parseConfig(
    updatePlanCancelSchema,
    event.detail,
    'Rolling Update Plan Cancel Requested detail',
  );
  const outcome = await deps.plans.requestCancel(cancel.planExecutionName, {
    reason: cancel.reason,
    requestedAtMs: deps.clock.nowMs(),
  });
  if (outcome === 'not-found') throw new ResourceNotFoundError('update plan', cancel.planExecutionName);
  return { planExecutionName: cancel.planExecutionName, reason: cancel.reason };
}
