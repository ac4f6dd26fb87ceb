import type { RollbackResult, WorkflowState } from '../contracts/rolling-update';
import type { RefreshProblem } from '../core/rolling-update/assess-refresh-progress';
import { chooseRollbackStep } from '../core/rolling-update/choose-rollback-step';
import {
  ownStartedRefresh,
  ownStartedRevert,
  type StartedRefresh,
} from '../core/rolling-update/own-started-refresh';
import { isPermissionRefusal } from '../core/rolling-update/permission-refusal';
import { rollbackGiveUpTime } from '../core/rolling-update/rollback-give-up-time';
import type { RefreshStatus } from '../core/rolling-update/types';
import type { Clock } from '../ports/clock';

/** The rollback decision reads only the execution state and the time. */
export interface DecideRollbackStepDeps {
  readonly clock: Clock;
}

/** The watch's problem after which the refresh is someone else's: nothing is undone. */
const LEFT_TO_OPERATOR: RefreshProblem = 'ProcessesSuspended';
/** What a start meets when the group has a refresh running: maybe its own, started by an attempt that then failed. */
const START_CONFLICT = 'AutoScaling.InstanceRefreshInProgressException';

type Described = NonNullable<WorkflowState['rollbackRefreshes']>['refreshes'][number];

/** The main launch template of a DesiredConfiguration in the API's shape, plain or mixed. */
function desiredLaunchTemplate(desired: unknown): { id?: string; version?: string } | undefined {
  type Spec = { LaunchTemplateId?: string; Version?: string };
  const d = (desired ?? {}) as {
    LaunchTemplate?: Spec;
    MixedInstancesPolicy?: { LaunchTemplate?: { LaunchTemplateSpecification?: Spec } };
  };
  const spec = d.LaunchTemplate ?? d.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification;
  return spec ? { id: spec.LaunchTemplateId, version: spec.Version } : undefined;
}

/** A described refresh in the fields that tell whose it is (`ownStartedRefresh`). */
function startedRefresh(r: Described): StartedRefresh {
  const startedAtMs = typeof r.StartTime === 'string' ? Date.parse(r.StartTime) : (r.StartTime ?? undefined);
  const launchTemplate = desiredLaunchTemplate(r.DesiredConfiguration);
  return {
    id: r.InstanceRefreshId,
    ...(startedAtMs !== undefined && Number.isFinite(startedAtMs) ? { startedAtMs } : {}),
    ...(launchTemplate ? { launchTemplate } : {}),
    preferences: r.Preferences ?? {},
  };
}

/**
 * The refresh this run's failed start created after all, when the start met a refresh in
 * progress before the run knew of any of its own (`ownStartedRefresh`). Auto Scaling reports
 * StartTime to the second, so the lock's time is taken to the second too.
 */
function startedUnseen(state: WorkflowState): string | undefined {
  if (state.refresh || state.error?.Error !== START_CONFLICT || !state.window) return undefined;
  const { plan } = state;
  const asked = desiredLaunchTemplate(plan.desiredConfiguration);
  return ownStartedRefresh((state.rollbackRefreshes?.refreshes ?? []).map(startedRefresh), {
    notBeforeMs: lockedAtMs(state),
    ...(asked?.id !== undefined && asked.version !== undefined
      ? { launchTemplate: { id: asked.id, version: asked.version } }
      : {}),
    targetVersion: plan.targetVersion,
    preferences: plan.preferences,
  });
}

/** When the run took the group's lock, to the second as Auto Scaling reports StartTime. */
const lockedAtMs = (state: WorkflowState) =>
  Math.floor(Number(state.window?.lock.acquiredAtMs ?? 0) / 1000) * 1000;

/**
 * The revert refresh this run's failed revert start created after all, when that start met a
 * refresh in progress (`ownStartedRevert`): one back to the previous version, with the revert's
 * preferences, started no earlier than the forward refresh.
 */
function revertStartedUnseen(state: WorkflowState): string | undefined {
  const { plan, refresh } = state;
  if (!revertStartConflict(state) || !refresh || plan.previousVersion === undefined) return undefined;
  const asked = desiredLaunchTemplate(plan.revertDesiredConfiguration);
  return ownStartedRevert(
    (state.rollbackRefreshes?.refreshes ?? []).map(startedRefresh),
    refresh.InstanceRefreshId,
    {
      notBeforeMs: lockedAtMs(state),
      ...(plan.path === 'native' && asked?.id !== undefined && asked.version !== undefined
        ? { launchTemplate: { id: asked.id, version: asked.version } }
        : {}),
      targetVersion: plan.previousVersion,
      preferences: plan.revertPreferences,
    },
  );
}

/** Whether the revert's start met a refresh in progress, before the run knew of a revert of its own. */
const revertStartConflict = (state: WorkflowState) =>
  !state.revert && state.rollbackError?.Error === START_CONFLICT;

/**
 * The rollback branch's next step (`chooseRollbackStep`) from the refreshes the branch just
 * described, the refresh this execution started (if any; one its failed start created after all
 * is adopted), the revert it started (if any; one its failed revert start created after all is
 * adopted too), whether the fallback path pointed the group at
 * the target (and the branch back) and the recorded
 * previous version. Gives up waiting in time to restore before the lock expires
 * (`rollbackGiveUpTime`: by two poll intervals, 30 minutes at least), and undoes nothing
 * when someone suspended the refresh's processes (the watch's `ProcessesSuspended`). A roll-back
 * or cancel refused permission (`$.rollbackError`, `isPermissionRefusal`) holds at once.
 */
export async function decideRollbackStep(
  deps: DecideRollbackStepDeps,
  state: WorkflowState,
): Promise<RollbackResult> {
  const nowMs = deps.clock.nowMs();
  const giveUpAtMs = rollbackGiveUpTime({
    ...(state.window ? { lockExpiresAtMs: Number(state.window.lock.expiresAtMs) } : {}),
    pollIntervalSeconds: state.window?.pollIntervalSeconds ?? 0,
    nowMs,
  });
  const refreshes = (state.rollbackRefreshes?.refreshes ?? []).map((r) => ({
    id: r.InstanceRefreshId,
    status: r.Status as RefreshStatus,
  }));
  const canRevert =
    state.plan.previousVersion !== undefined &&
    (state.plan.path === 'fallback' || state.plan.revertDesiredConfiguration !== undefined);
  const unseen = startedUnseen(state);
  const unseenRevert = revertStartedUnseen(state);
  return chooseRollbackStep({
    nativeRollback: state.plan.nativeRollback,
    ...(state.refresh ? { forwardRefreshId: state.refresh.InstanceRefreshId } : {}),
    ...(unseen !== undefined ? { startedUnseen: unseen } : {}),
    ...(state.revert ? { revertRefreshId: state.revert.InstanceRefreshId } : {}),
    ...(revertStartConflict(state) ? { revertStartConflict: true } : {}),
    ...(unseenRevert !== undefined ? { revertStartedUnseen: unseenRevert } : {}),
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
    ...(state.error && isPermissionRefusal(state.error) ? { refusedPermission: true } : {}),
    ...(state.rollbackError
      ? { undoRefusal: `${state.rollbackError.Error}: ${state.rollbackError.Cause ?? ''}` }
      : {}),
    ...(state.rollbackError && isPermissionRefusal(state.rollbackError)
      ? { undoRefusedPermission: true }
      : {}),
  });
}
