import {
  GROUP_CHANGED_SINCE_VALIDATION,
  type HeadroomResult,
  LAUNCH_TEMPLATE_VERSION_UNUSABLE,
  type PlannedRefresh,
  type WorkflowState,
} from '../contracts/rolling-update';
import type { UserConfig } from '../contracts/user-config';
import { planHeadroom } from '../core/rolling-update/plan-headroom';
import type { Clock } from '../ports/clock';
import type { ScalingTarget } from '../ports/scaling-target';
import type { ScheduledCapacity } from '../ports/scheduled-capacity';
import { clearLookAheadForRefresh, type LookAheadClearedForRefresh } from './clear-look-ahead-for-refresh';
import { findGroup } from './describe-group';
import { groupNoLongerExists } from './group-no-longer-exists';
import { isGroupGone } from './is-group-gone';
import { type ReplanRefreshDeps, replanRefresh, validatedAt } from './replan-refresh';
import { resolveGroupSettings } from './resolve-group-settings';
import { waitedOnInstancesRefusal } from './update-hold';

/**
 * What headroom planning reads: the group as it is now (under the lock), and its version; and the
 * group's scheduled actions, the look-ahead's due during the refresh deleted.
 */
export interface PlanUpdateHeadroomDeps extends ReplanRefreshDeps {
  readonly scalingTarget: ScalingTarget;
  readonly scheduledCapacity: ScheduledCapacity;
  readonly clock: Clock;
}

/**
 * Plans the refresh on the group as it is now (read under the lock, just before the refresh
 * starts): the validated plan rebuilt on it (`replanRefresh`), and the capacity to hold during the
 * refresh from it and the p90 peak the window choice predicted: desired and MinSize raised so the
 * part kept healthy carries the peak, never above MaxSize (`planHeadroom`). The group's current
 * values are returned as the headroom's `original`, to be restored afterwards. Planned, the
 * group's `prescale-` actions due before the refresh deadline that would cut the headroom are
 * deleted (`clearLookAheadForRefresh`: the loop's look-ahead would otherwise cut it while the loop
 * is down), their give-back moved past the lock's expiry (`movedGiveBack`). A group changed
 * too much for the plan (another launch template, version or way of selecting types), or a
 * version it launches or returns to that cannot launch now, is `changed`, with the error the run
 * ends with (GroupChangedSinceValidation, LaunchTemplateVersionUnusable); so is a group with
 * instances the refresh would wait an hour on, then fail (protected from scale in under `Wait`, or
 * in Standby, since validation: GroupChangedSinceValidation), and a group deleted since validation
 * (GroupNoLongerExists): nothing was changed, so there is nothing to roll back.
 * @throws TransientDependencyError when Auto Scaling or EC2 may answer later.
 */
export async function planUpdateHeadroom(
  deps: PlanUpdateHeadroomDeps,
  config: UserConfig,
  state: WorkflowState,
): Promise<PlannedRefresh> {
  const found = await findGroup(deps.scalingTarget, state.plan.groupName);
  if (found.kind !== 'there') return { kind: 'changed', error: groupNoLongerExists(state.plan, found.kind) };
  const { group } = found;
  // Protected or put in Standby while the workflow waited: the refresh would wait an hour, then fail.
  const waitedOn = waitedOnInstancesRefusal(config, group);
  if (waitedOn) {
    const Cause = `${waitedOn} (the update was validated${validatedAt(state.plan)} without them): the update to version ${state.plan.targetVersion} was not started and nothing was changed`;
    return { kind: 'changed', error: { Error: GROUP_CHANGED_SINCE_VALIDATION, Cause } };
  }
  const replanned = await replanRefresh(deps, state.plan, group);
  if (replanned.kind !== 'current') {
    const error =
      replanned.kind === 'changed' ? GROUP_CHANGED_SINCE_VALIDATION : LAUNCH_TEMPLATE_VERSION_UNUSABLE;
    return { kind: 'changed', error: { Error: error, Cause: replanned.reason } };
  }
  const { settings } = resolveGroupSettings(config, group.name, group.tags);
  const headroom = planHeadroom({
    current: { minSize: group.minSize, maxSize: group.maxSize, desiredCapacity: group.desiredCapacity },
    peakLoad: state.window?.peakLoad ?? 0,
    targetLoadPerInstance: settings.targetLoadPerInstance,
    minHealthyPercentage: replanned.plan.preferences.MinHealthyPercentage,
  });
  const cleared = await clearLookAheadForRefresh(
    deps.scheduledCapacity,
    group,
    headroom,
    refreshSpan(deps, state),
  ).catch((error: unknown) => {
    // Deleted since it was described: refused as above, with nothing changed.
    if (isGroupGone(error, group.name)) return 'gone' as const;
    throw error;
  });
  if (cleared === 'gone') return { kind: 'changed', error: groupNoLongerExists(state.plan, 'gone') };
  return { kind: 'planned', plan: replanned.plan, headroom: withLookAheadCleared(headroom, cleared) };
}

/**
 * Until when the headroom must hold: the refresh deadline; and when the lock expires. Without a
 * window (none was chosen), every `prescale-` action goes, as the loop's next run under the lock
 * deletes them.
 */
function refreshSpan(
  deps: Pick<PlanUpdateHeadroomDeps, 'clock'>,
  { window }: WorkflowState,
): { readonly nowMs: number; readonly untilMs: number; readonly lockExpiresAtMs?: number } {
  const nowMs = deps.clock.nowMs();
  if (!window) return { nowMs, untilMs: Number.POSITIVE_INFINITY };
  return { nowMs, untilMs: window.refreshDeadlineMs, lockExpiresAtMs: Number(window.lock.expiresAtMs) };
}

/** The headroom with what clearing the look-ahead did, said in its reason too. */
function withLookAheadCleared(headroom: HeadroomResult, cleared: LookAheadClearedForRefresh): HeadroomResult {
  if (cleared.removed === 0) return headroom;
  const moved = cleared.movedGiveBack;
  const notes = [
    `deleted ${cleared.removed} Prescale look-ahead action(s) due before the refresh deadline that would cut the headroom`,
    ...(moved
      ? [
          `its give-back (MinSize ${moved.minSize}${moved.maxSize !== undefined ? `, MaxSize ${moved.maxSize}` : ''}) moved to ${moved.name}, after the lock`,
        ]
      : []),
  ];
  return {
    ...headroom,
    reason: `${headroom.reason}; ${notes.join(', ')}`,
    lookAheadRemoved: cleared.removed,
    ...(moved ? { movedGiveBack: { name: moved.name, atMs: moved.atMs } } : {}),
  };
}
