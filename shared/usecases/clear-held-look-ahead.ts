import type { UserConfig } from '../contracts/user-config';
import { leavesLookAhead } from '../core/planning/decide-hold';
import { isLookAheadAction } from '../core/planning/diff-look-ahead';
import type { GroupOwnership } from '../ports/group-ownership';
import type { GroupSnapshot } from '../ports/scaling-target';
import type { ScheduledCapacity, ScheduledCapacityAction } from '../ports/scheduled-capacity';
import type { StateStore } from '../ports/state-store';
import { decideGroupHold } from './decide-group-hold';
import { resolveGroupSettings } from './resolve-group-settings';
import { clearOwnActions, type LookAheadResult } from './sync-look-ahead';

/** What a run did to the look-ahead before it planned, and the group's actions it read doing so. */
export interface ClearedBeforePlanning {
  /** Absent when the group may be changed: its look-ahead stays until the run replaces it. */
  readonly lookAhead?: LookAheadResult;
  /**
   * The group's scheduled actions left after the deletion (`cleared`): the run plans from them (the
   * owner's scheduled MinSize is its floor) without reading them a second time.
   */
  readonly actionsLeft?: readonly ScheduledCapacityAction[];
}

/**
 * Before planning: when the group is held (kill switch, pause tag, lock, refresh, suspended
 * processes, forecast-only) or the run is a dry run, deletes its `prescale-` actions at once, so a
 * failure in planning (forecast, history, state reads) cannot leave them to fire on a group
 * Prescale must keep its hands off; only the one that gives the group its own MinSize back stays
 * (`clearOwnActions`, while the group's bounds are still those Prescale left, as its state
 * says). A group another deployment manages, or one Auto Scaling is deleting, keeps
 * them (`leavesLookAhead`, `left`). A group Prescale may change keeps its look-ahead until the
 * run replaces it: when Prescale's own run fails, that is the fail-static plan. Never throws: a
 * failure comes back as `failed`.
 */
export async function clearHeldLookAhead(
  deps: {
    readonly scheduledCapacity?: ScheduledCapacity;
    readonly stateStore: Pick<StateStore, 'getLock' | 'getGroupState'>;
    readonly groupOwnership: Pick<GroupOwnership, 'deployment'>;
  },
  config: UserConfig,
  group: GroupSnapshot,
  { globallyPaused, nowMs }: { readonly globallyPaused: boolean; readonly nowMs: number },
): Promise<ClearedBeforePlanning> {
  if (!deps.scheduledCapacity) return {};
  try {
    const { mode } = resolveGroupSettings(config, group.name, group.tags);
    const hold = await decideGroupHold(deps.stateStore, group, {
      deployment: deps.groupOwnership.deployment,
      mode,
      dryRun: config.dryRun,
      globallyPaused,
      nowMs,
    });
    if (hold.kind === 'proceed') return {};
    if (hold.kind === 'hold' && leavesLookAhead(hold))
      return { lookAhead: { kind: 'left', reason: hold.reason } };
    const existing = await deps.scheduledCapacity.scheduledActions(group.name);
    const keepsGiveBack = hold.keepsGiveBack === true;
    // Unread, the state cannot tell the operator's bounds from Prescale's: the give-back goes too.
    const left = keepsGiveBack
      ? await deps.stateStore.getGroupState(group.name).catch(() => undefined)
      : undefined;
    const cleared = await clearOwnActions(deps.scheduledCapacity, group, existing, {
      nowMs,
      keepsGiveBack,
      left,
    });
    return {
      lookAhead: { kind: 'cleared', ...cleared, reason: hold.reason },
      actionsLeft: existing.filter((a) => !isLookAheadAction(a.name) || a.name === cleared.givesBack?.name),
    };
  } catch (error) {
    return { lookAhead: { kind: 'failed', error: error as Error } };
  }
}
