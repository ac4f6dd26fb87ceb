import type { WorkflowState } from '../contracts/rolling-update';
import type { UserConfig } from '../contracts/user-config';
import type { OwnerMinSizeRun } from '../core/planning/owner-scheduled-min-size';
import { planRestore, type RestorePlan } from '../core/rolling-update/plan-restore';
import type { Clock } from '../ports/clock';
import type { GroupSnapshot, ScalingTarget } from '../ports/scaling-target';
import type { ScheduledCapacity } from '../ports/scheduled-capacity';
import type { RunRecord, StateStore } from '../ports/state-store';
import { groupIfStillThere } from './describe-group';
import { groupDeletedDuringUpdate } from './group-no-longer-exists';
import { ownerFloorNow } from './group-owner-floor';
import { isGroupGone } from './is-group-gone';

/**
 * What the restore reads: the group now, the scaling loop's latest run record and group state,
 * the owner's scheduled actions, the time.
 */
export interface PlanCapacityRestoreDeps {
  readonly scalingTarget: ScalingTarget;
  readonly stateStore: Pick<StateStore, 'recentRunRecords' | 'getGroupState'>;
  readonly scheduledCapacity: Pick<ScheduledCapacity, 'scheduledActions'>;
  readonly clock: Clock;
}

/** Run records older than this many loop intervals no longer say what the loop needs now. */
const FRESH_TICKS = 3;

/**
 * The loop's planned capacity for now from its latest run, when the loop scales the group and
 * raises its floor from the plan: with `forecastFloor` off the loop keeps the user's MinSize, so a
 * restore to its plan would set a floor the user turned off. A run held by anything but this
 * update's own lock (`heldOnlyByLock`: the pause tag, the kill switch, another update's lock,
 * suspended processes, …) gives none: that hold outlasts the update, and the lock-held runs
 * deleted the look-ahead's give-back, so a floor restored to its plan would stay until it lifts.
 */
function loopNeedNow(records: readonly RunRecord[], nowMs: number, lockHolder: string): number | undefined {
  const latest = records[records.length - 1];
  if (latest?.mode !== 'forecast-and-scale' || latest.outcome.kind === 'dry-run') return undefined;
  if (latest.outcome.kind === 'held' && latest.outcome.heldOnlyByLock !== lockHolder) return undefined;
  if (latest.raisesFloor === false) return undefined;
  const index = Math.floor((nowMs - latest.forecastStartMs) / (latest.stepSeconds * 1000));
  const clamped = Math.min(Math.max(0, index), latest.plannedCapacity.length - 1);
  return latest.plannedCapacity[clamped];
}

/**
 * What the workflow itself set: the MinSize it wrote last (a raise under load, else its
 * headroom), whatever else is someone else's; and the most desired it set, its headroom or a
 * later raise, above which a DesiredCapacity is someone else's to keep. A raise may be below the
 * headroom, after the owner's schedule or a person lowered the group during the refresh.
 */
function workflowHeadroom(state: WorkflowState): { minSize: number; desiredCapacity: number } | undefined {
  const added = state.headroom
    ? { minSize: state.headroom.minSize, desiredCapacity: state.headroom.desiredCapacity }
    : undefined;
  const { raised } = state;
  if (!raised) return added;
  if (!added) return raised;
  return {
    minSize: raised.minSize,
    desiredCapacity: Math.max(added.desiredCapacity, raised.desiredCapacity),
  };
}

/**
 * How long before the lock was taken a run of the owner's action still counts as run during the
 * refresh: Auto Scaling may run an action a little after its time, after "Plan headroom" described
 * the group. One that ran before that description is in the original already, so counting it
 * changes nothing unless someone set MinSize in between.
 */
const OWNER_RUN_LATE_MS = 5 * 60_000;

/**
 * The run of the owner's own scheduled actions whose MinSize holds now, as the scaling loop keeps
 * it (`ownerFloorNow`: a one-time action that has run and still holds included, from the loop's
 * group state), when they set one; `gone` when Auto Scaling no longer has the group (deleted
 * since it was described).
 */
async function ownerMinSizeNow(
  deps: Pick<PlanCapacityRestoreDeps, 'stateStore' | 'scheduledCapacity'>,
  group: GroupSnapshot,
  nowMs: number,
): Promise<OwnerMinSizeRun | 'gone' | undefined> {
  const listed = await deps.scheduledCapacity.scheduledActions(group.name).catch((error: unknown) => {
    if (isGroupGone(error, group.name)) return 'gone' as const;
    throw error;
  });
  if (listed === 'gone') return listed;
  const previous = await deps.stateStore.getGroupState(group.name);
  return ownerFloorNow(previous, listed, group, nowMs);
}

/**
 * Whether the owner's run holding now ran during the refresh: after the lock was taken just
 * before "Plan headroom" (`window.lock.acquiredAtMs`, which every run that added headroom
 * recorded), less the lateness Auto Scaling allows itself. Then the owner's schedule changed the
 * group meanwhile (a night's scale-down), and the original no longer says what they want.
 */
function ranDuringRefresh(run: OwnerMinSizeRun, state: WorkflowState): boolean {
  const lockedAtMs = Number(state.window?.lock.acquiredAtMs);
  return Number.isFinite(lockedAtMs) && run.atMs > lockedAtMs - OWNER_RUN_LATE_MS;
}

/** What the restore plans: the capacities to set, or the group's deletion, which leaves none to set. */
export type CapacityRestore =
  | RestorePlan
  | { readonly groupDeleted: true; readonly error: ReturnType<typeof groupDeletedDuringUpdate> };

/**
 * Min/desired after the refresh or its rollback (`planRestore`): back to the values before the
 * headroom, but not below what the scaling loop's latest run plans for now (read from the state
 * table) where the loop raises the floor from its plan and that run acted or only this update's
 * lock held it, nor below the MinSize the owner's
 * scheduled actions hold now or one someone set during the refresh; the owner's MinSize in place
 * of the original, desired no higher than the group holds now, when their action ran during the
 * refresh (`ranDuringRefresh`: a night's scale-down is not undone); a forced start's kept
 * look-ahead give-back (`keptGiveBack`), which the lock had the loop delete, is given back in its
 * place, early if its time has not come (the loop stands down, so nothing else would; one "Plan
 * headroom" moved past the lock's expiry fires on its own, so nothing is given back early for it:
 * the loop may be down, its pre-warm still to come); keeping any raise of
 * desired others made during the refresh. A group deleted meanwhile (gone, or being deleted,
 * also when Auto Scaling stops knowing it between the reads) has nothing to restore:
 * `groupDeleted`, with the error the run ends with (GroupDeletedDuringUpdate), so the state
 * machine ends the run at once instead of failing the step into the rollback branch, whose Auto
 * Scaling calls on the missing group would be refused and retried as transient.
 * @throws TransientDependencyError when Auto Scaling or DynamoDB may answer later.
 */
export async function planCapacityRestore(
  deps: PlanCapacityRestoreDeps,
  config: UserConfig,
  state: WorkflowState,
): Promise<CapacityRestore> {
  const nowMs = deps.clock.nowMs();
  const group = await groupIfStillThere(deps.scalingTarget, state.plan.groupName);
  const deleted = { groupDeleted: true, error: groupDeletedDuringUpdate(state.plan) } as const;
  if (group === undefined) return deleted;
  const records = await deps.stateStore.recentRunRecords(
    group.name,
    nowMs - FRESH_TICKS * config.scheduleRateMinutes * 60_000,
  );
  const loopNeed = loopNeedNow(records, nowMs, state.plan.executionName);
  const headroom = workflowHeadroom(state);
  const ownerRun = headroom ? await ownerMinSizeNow(deps, group, nowMs) : undefined;
  if (ownerRun === 'gone') return deleted;
  return planRestore({
    original: state.headroom?.original ?? state.plan.original,
    ...(headroom ? { headroom } : {}),
    current: { minSize: group.minSize, maxSize: group.maxSize, desiredCapacity: group.desiredCapacity },
    ...(loopNeed !== undefined ? { loopNeed } : {}),
    ...(ownerRun !== undefined
      ? { ownerMinSize: ownerRun.minSize, ownerSetDuringRefresh: ranDuringRefresh(ownerRun, state) }
      : {}),
    ...(state.window?.keptGiveBack ? { keptGiveBack: state.window.keptGiveBack.minSize } : {}),
  });
}
