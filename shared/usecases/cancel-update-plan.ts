import { InvalidConfigError, parseConfig } from '../contracts/parse-config';
import { type UpdatePlanCancel, updatePlanCancelSchema } from '../contracts/update-plan';
import type { CampaignDeadLetters } from '../ports/campaign-dead-letters';
import type { Clock } from '../ports/clock';
import type { UpdatePlanStore } from '../ports/update-plan-store';

/** What recording a cancel needs. */
export interface CancelUpdatePlanDeps {
  readonly plans: Pick<UpdatePlanStore, 'requestCancel'>;
  readonly clock: Clock;
  /** Where an event that cancels nothing goes, whole, with the reason (the rules' DLQ). */
  readonly deadLetters: Pick<CampaignDeadLetters, 'reject'>;
}

/**
 * Records an operator's cancel of a running plan (`Rolling Update Plan Cancel Requested`). The
 * plan sees it at its next step — before a slot, while waiting for one (within the check
 * interval), or when the running slot's children end — and undoes what it updated. Stopping the
 * plan's execution instead would skip the undo: Step Functions runs no Catch on a stopped execution.
 * A malformed detail, or a plan that is not recorded (yet: see `unrecordedPlanReason`), goes to the
 * dead-letter queue with the reason.
 * @throws TransientDependencyError when DynamoDB or SQS may answer later.
 */
export async function cancelUpdatePlan(
  deps: CancelUpdatePlanDeps,
  event: { readonly detail: unknown },
): Promise<
  | { readonly kind: 'cancel-requested'; readonly planExecutionName: string; readonly reason: string }
  | { readonly kind: 'rejected'; readonly reason: string }
> {
  let cancel: UpdatePlanCancel;
  try {
    cancel = parseConfig(updatePlanCancelSchema, event.detail, 'Rolling Update Plan Cancel Requested detail');
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    await deps.deadLetters.reject(event, error.message);
    return { kind: 'rejected', reason: error.message };
  }
  const outcome = await deps.plans.requestCancel(cancel.planExecutionName, {
    reason: cancel.reason,
    requestedAtMs: deps.clock.nowMs(),
  });
  if (outcome === 'not-found') {
    const reason = unrecordedPlanReason(cancel.planExecutionName);
    await deps.deadLetters.reject(event, reason);
    return { kind: 'rejected', reason };
  }
  return { kind: 'cancel-requested', planExecutionName: cancel.planExecutionName, reason: cancel.reason };
}

/**
 * Why a cancel found no plan record. The plan workflow writes it ("Record plan") only after
 * "Compute plan" (its Lambda may run two minutes a try) and "Lock plan groups", so a cancel sent
 * right after the plan's start finds none while the plan runs: the reason says to send it again,
 * not only that the name is wrong. (The record is the state machine's PutItem, which would drop a
 * cancel stored before it, so the cancel is not stored ahead of the record.)
 */
function unrecordedPlanReason(planExecutionName: string): string {
  return `no update plan named ${planExecutionName} is recorded; expected the execution name of a running plan. A plan is recorded only after its "Compute plan" and "Lock plan groups" steps (a few minutes after it starts): if it started just now, send this cancel again in a few minutes; a plan that ended before them (refused, or its groups busy) has nothing to cancel`;
}
