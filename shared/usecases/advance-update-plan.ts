import type { AdvanceUpdatePlanEvent } from '../contracts/update-plan';
import { nextPlanStep } from '../core/update-plan/next-plan-step';
import type { PlanStep } from '../core/update-plan/types';
import type { Clock } from '../ports/clock';
import type { UpdatePlanStore } from '../ports/update-plan-store';

/** What deciding the plan's next step reads: the cancel request and the time. */
export interface AdvanceUpdatePlanDeps {
  readonly plans: Pick<UpdatePlanStore, 'cancelRequest'>;
  readonly clock: Clock;
}

/** How often a waiting plan looks for a cancel, and how long a revert may wait to start. */
export interface AdvanceUpdatePlanOptions {
  /** @default 900 (15 minutes) */
  readonly checkIntervalSeconds?: number;
  /** @default 3600 */
  readonly undoDeadlineSeconds?: number;
}

/**
 * Decides the parent state machine's next step (`nextPlanStep`) from the plan, the last step and
 * what its children did, after reading whether an operator cancelled the plan. A cancel seen
 * after a slot started is acted on when the slot's children end: running refreshes are not cut.
 * @throws TransientDependencyError when DynamoDB may answer later.
 */
export async function advanceUpdatePlan(
  deps: AdvanceUpdatePlanDeps,
  event: AdvanceUpdatePlanEvent,
  options: AdvanceUpdatePlanOptions = {},
): Promise<PlanStep> {
  const finishing = event.step?.action === 'undo' || event.step?.action === 'fail';
  const cancel = finishing ? undefined : await deps.plans.cancelRequest(event.plan.planName);
  return nextPlanStep({
    plan: event.plan,
    ...(event.step ? { previous: event.step } : {}),
    ...(event.step?.results ? { results: event.step.results } : {}),
    ...(event.error ? { error: event.error } : {}),
    ...(cancel ? { cancel } : {}),
    nowMs: deps.clock.nowMs(),
    checkIntervalSeconds: options.checkIntervalSeconds ?? 900,
    undoDeadlineSeconds: options.undoDeadlineSeconds ?? 3600,
  });
}
