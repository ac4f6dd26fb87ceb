import type { RollbackResult, WorkflowState } from '../contracts/rolling-update';
import type { RefreshProblem } from '../core/rolling-update/assess-refresh-progress';
import { chooseRollbackStep } from '../core/rolling-update/choose-rollback-step';
import type { RefreshStatus } from '../core/rolling-update/types';
import type { Clock } from '../ports/clock';

/** The rollback decision reads only the execution state and the time. */
export interface DecideRollbackStepDeps {
  readonly clock: Clock;
}

/** How long the rollback branch waits for Auto Scaling when no lock time is known. */
const DEFAULT_GIVE_UP_MS = 6 * 3_600_000;
/** Hand over to operators this long before the lock expires, so the lock is released in time. */
const LOCK_MARGIN_MS = 30 * 60_000;
/** The watch's problem after which the refresh is someone else's: nothing is undone. */
const LEFT_TO_OPERATOR: RefreshProblem = 'ProcessesSuspended';

/**
 * The rollback branch's next step (`chooseRollbackStep`) from the refreshes the branch just
 * described, the refresh this execution started (if any), the revert it started (if any), whether
 * the fallback path pointed the group at the target (and the branch back) and the recorded
 * previous version. Gives up waiting shortly before the lock expires, and undoes nothing
 * when someone suspended the refresh's processes (the watch's `ProcessesSuspended`).
 */
export async function decideRollbackStep(
  deps: DecideRollbackStepDeps,
  state: WorkflowState,
): Promise<RollbackResult> {
  const nowMs = deps.clock.nowMs();
  const lockExpiresAtMs = state.window ? Number(state.window.lock.expiresAtMs) : Number.NaN;
  const giveUpAtMs = Number.isFinite(lockExpiresAtMs)
    ? lockExpiresAtMs - LOCK_MARGIN_MS
    : nowMs + DEFAULT_GIVE_UP_MS;
  const refreshes = (state.rollbackRefreshes?.refreshes ?? []).map((r) => ({
    id: r.InstanceRefreshId,
    status: r.Status as RefreshStatus,
  }));
  const canRevert =
    state.plan.previousVersion !== undefined &&
    (state.plan.path === 'fallback' || state.plan.revertDesiredConfiguration !== undefined);
  return chooseRollbackStep({
    nativeRollback: state.plan.nativeRollback,
    ...(state.refresh ? { forwardRefreshId: state.refresh.InstanceRefreshId } : {}),
    ...(state.revert ? { revertRefreshId: state.revert.InstanceRefreshId } : {}),
    ...(state.pointedAtTarget ? { groupPointedAtTarget: true } : {}),
    ...(state.pointedBack ? { groupPointedBack: true } : {}),
    refreshes,
    ...(canRevert ? { previousVersion: state.plan.previousVersion } : {}),
    ...(state.plan.previousVersion === state.plan.targetVersion
      ? { previousVersion: state.plan.previousVersion, sameVersion: true }
      : {}),
    nowMs,
    giveUpAtMs,
    ...(state.error?.Error === LEFT_TO_OPERATOR
      ? { leftToOperator: 'processes the refresh needs were suspended during it' }
      : {}),
  });
}
