import { GROUP_TAGS } from '../contracts/env';
import type { UserConfig } from '../contracts/user-config';
import { suspendedCapacityProcesses } from '../core/planning/decide-hold';
import type { LookAheadGiveBack } from '../core/planning/look-ahead-give-back';
import type { CampaignRunStore } from '../ports/campaign-store';
import type { GroupOwnership } from '../ports/group-ownership';
import type { CapacityChange, GroupBounds, ScalingTarget } from '../ports/scaling-target';
import type { ScheduledCapacity, ScheduledCapacityAction } from '../ports/scheduled-capacity';
import type { GroupState, StateStore } from '../ports/state-store';
import { isGroupGone } from './is-group-gone';
import { resolveGroupSettings } from './resolve-group-settings';
import { clearOwnActions } from './sync-look-ahead';
import { giveBack, poolKept, poolMinSizeBack, type WarmPoolKept } from './taken-out-give-back';
import { minSizeLeftReason, ownBounds, ownMinSizeOf, prescaleMinSizesOn } from './taken-out-own-bounds';
import { prewarmLeftReason, takenOutPrewarms } from './taken-out-prewarms';

/**
 * Groups given back per dispatch: each takes about seven calls, and the dispatcher has a minute
 * (`DISPATCHER_TIMEOUT_SECONDS`) for its queueing too. Any more wait for the next dispatch.
 */
export const RELEASES_PER_DISPATCH = 20;

export interface ReleaseGroupsTakenOutDeps {
  readonly scalingTarget: Pick<
    ScalingTarget,
    'findGroupBounds' | 'instanceRefreshInProgress' | 'updateCapacity' | 'setWarmPoolMinSize'
  >;
  readonly scheduledCapacity: ScheduledCapacity;
  readonly groupOwnership: GroupOwnership;
  readonly stateStore: Pick<StateStore, 'getGroupState' | 'getLock' | 'leftReleases'>;
  /**
   * The campaign pre-warms' raises: one not released yet is on the group with no loop run's
   * record of it, and the campaign's release, once the group is out, holds and lowers nothing.
   */
  readonly prewarms: Pick<CampaignRunStore, 'unreleasedPrewarms' | 'markReleased'>;
}

/** One group this deployment owned that is no longer enrolled, and what its release did. */
export type ReleasedGroup =
  | {
      readonly kind: 'released';
      readonly groupName: string;
      /** `prescale-` actions deleted. */
      readonly removedActions: number;
      /**
       * The group's own bounds given back, when Prescale's were still on it; never on a paused
       * group or in forecast-only mode, where Prescale changes no capacity.
       */
      readonly restored: CapacityChange;
      /**
       * The warm pool's own MinSize given back, where the pool is still at Prescale's
       * (`poolMinSizeBack`): on a paused or forecast-only group too, since no scheduled action can
       * change a pool and no later run of this deployment comes.
       */
      readonly restoredWarmPoolMinSize?: number;
      /**
       * On a paused or forecast-only group, whose bounds stay: the look-ahead's last action, left in
       * place to give the group back its own MinSize at its time (`clearOwnActions`).
       */
      readonly givesBack?: LookAheadGiveBack;
      /**
       * Why a bound was not given back though the group's own differs (`minSizeLeftReason`): a
       * MinSize none of Prescale's changes left, its owner's since Prescale's last run, stays.
       */
      readonly notRestored?: string;
    }
  /**
   * The kill switch is set or the run is a dry run: the group's `prescale-` actions are deleted (as
   * a held run deletes an enrolled group's) but for the one that gives its MinSize back
   * (`givesBack`); its bounds, warm pool and tag stay, so the first dispatch without the hold gives
   * it back. Or someone else is changing the group's capacity (an instance refresh, suspended
   * capacity processes): every `prescale-` action goes, the give-back too (as the loop's held runs
   * do then), and the rest waits for the first dispatch after.
   */
  | {
      readonly kind: 'held';
      readonly groupName: string;
      readonly reason: string;
      readonly removedActions: number;
      readonly givesBack?: LookAheadGiveBack;
      /**
       * At stack deletion (`final`), where no later dispatch comes: its tag deleted all the same,
       * the look-ahead's give-back left to give MinSize back at its time.
       */
      readonly tagReleased?: true;
      /**
       * With `tagReleased`: the warm pool left at Prescale's MinSize, which nothing gives back (no
       * scheduled action can change a pool), for its owner to set back once the change is over.
       */
      readonly warmPoolKept?: WarmPoolKept;
      /**
       * With `tagReleased`: the MinSize an unreleased campaign pre-warm raised the group to, which
       * stays (`prewarmLeftReason`): no campaign release reaches the group once its tag is gone.
       */
      readonly notRestored?: string;
    }
  /** A rolling update holds it, or the dispatch has given back its share: released at a later dispatch. */
  | { readonly kind: 'waiting'; readonly groupName: string; readonly reason: string }
  /**
   * Auto Scaling is deleting it (it refuses every change) or has deleted it since it was read: its
   * actions and tags go with it, nothing is left to give back.
   */
  | { readonly kind: 'gone'; readonly groupName: string; readonly reason: string }
  | { readonly kind: 'failed'; readonly groupName: string; readonly error: string };

/** A run's time: whether it may start on another group, and the reason given for those it leaves. */
export interface TimeBudget {
  readonly left: () => boolean;
  readonly reason: string;
}

/**
 * Gives back each group this deployment owns (its `prescale:deployment` tag) that is no longer
 * enrolled: taking a group out of Prescale would otherwise leave its look-ahead firing the last
 * plan for up to a day and its tag holding it for every other deployment. Deletes its `prescale-`
 * actions, gives back its own MinSize (while MinSize is one Prescale left: one its owner set since is
 * left and named, `notRestored`; and MaxSize, while Prescale's raise of it stands) unless
 * the group is paused or forecast-only (where the look-ahead's last action, which gives MinSize
 * back, stays instead), and its warm pool's own MinSize where the pool is still at Prescale's
 * (paused or forecast-only too: no scheduled action can), then deletes the tag, last, so that a
 * release that fails is tried again at the next dispatch. `held` (the kill switch, a dry run; an instance refresh or suspended capacity
 * processes, where the give-back goes too) deletes the look-ahead alone, as held runs do, and
 * leaves the rest for a later dispatch. The give-back stays only while the group's bounds are still
 * the ones Prescale left (its state: `lookAheadGiveBack`), never undoing the operator's. A group an
 * update holds waits for its lock to go, one Auto Scaling is deleting is left alone (it refuses
 * every change, and is soon gone), and past `RELEASES_PER_DISPATCH` groups the rest wait for the
 * next dispatch.
 * `enrolled` are the groups the dispatch found.
 */
export async function releaseGroupsTakenOut(
  deps: ReleaseGroupsTakenOutDeps,
  config: UserConfig,
  enrolled: ReadonlySet<string>,
  {
    nowMs,
    held,
    maxGroups = RELEASES_PER_DISPATCH,
    final = false,
    hasTime,
  }: {
    readonly nowMs: number;
    readonly held?: string;
    /** Groups given back in this call; the rest wait. The stack-deletion cleanup takes them all. */
    readonly maxGroups?: number;
    /** Stack deletion: no later dispatch will come (`releaseGroup`'s `final`). */
    readonly final?: boolean;
    /** Whether another group may be started: once not, the rest wait, with the budget's reason. */
    readonly hasTime?: TimeBudget;
  },
): Promise<ReleasedGroup[]> {
  const owned = await deps.scalingTarget.findGroupBounds({
    names: [],
    tag: { key: GROUP_TAGS.deployment, value: deps.groupOwnership.deployment },
  });
  const results: ReleasedGroup[] = [];
  const takenOut = [...owned].filter(([name]) => !enrolled.has(name)).sort(([a], [b]) => a.localeCompare(b));
  for (const [i, [groupName, bounds]] of takenOut.entries()) {
    if (i >= maxGroups) {
      const reason = `${takenOut.length} groups taken out: ${maxGroups} given back per dispatch`;
      results.push({ kind: 'waiting', groupName, reason });
      continue;
    }
    if (hasTime && !hasTime.left()) {
      results.push({ kind: 'waiting', groupName, reason: hasTime.reason });
      continue;
    }
    try {
      const { mode } = resolveGroupSettings(config, groupName, bounds.tags);
      results.push(
        await releaseGroup(deps, groupName, bounds, {
          nowMs,
          scales: mode === 'forecast-and-scale',
          dryRun: config.dryRun,
          final,
          ...(held !== undefined ? { held } : {}),
        }),
      );
    } catch (error) {
      if (isGroupGone(error, groupName)) {
        const reason = 'the group was deleted since it was read: nothing left to give back';
        results.push({ kind: 'gone', groupName, reason });
        continue;
      }
      results.push({
        kind: 'failed',
        groupName,
        error: `${(error as Error).name}: ${(error as Error).message}`,
      });
    }
  }
  return results;
}

/** What a release read of one group and what clearing its look-ahead left: each outcome's inputs. */
interface ClearedGroup {
  readonly groupName: string;
  readonly bounds: GroupBounds;
  readonly nowMs: number;
  /** The group's scheduled actions as read before its `prescale-` ones were deleted. */
  readonly existing: readonly ScheduledCapacityAction[];
  readonly state: GroupState | undefined;
  readonly removedActions: number;
  /** The look-ahead's last action, kept to give the group's own MinSize back at its time. */
  readonly givesBack: LookAheadGiveBack | undefined;
  /** The warm pool's own MinSize to give back (`poolMinSizeBack`). */
  readonly poolBack: number | undefined;
}

/**
 * One group's release. `final` (stack deletion: no later dispatch comes, and nothing of this
 * deployment stays) gives a forecast-only group's bounds back too, and a group a lock, a refresh
 * or suspended processes hold does not wait: its look-ahead goes but for the give-back of its own
 * MinSize at its time, and its tag goes (a deletion that failed on such a group stood for hours);
 * a warm pool still at Prescale's MinSize is left to that change and named (`warmPoolKept`).
 */
async function releaseGroup(
  deps: ReleaseGroupsTakenOutDeps,
  groupName: string,
  bounds: GroupBounds,
  {
    nowMs,
    scales,
    dryRun,
    held,
    final,
  }: {
    readonly nowMs: number;
    /** The group's mode is forecast-and-scale. */
    readonly scales: boolean;
    /** The deployment's runs are dry runs: they size no group, whatever its mode. */
    readonly dryRun: boolean;
    readonly held?: string;
    readonly final: boolean;
  },
): Promise<ReleasedGroup> {
  // Auto Scaling refuses every change to a group it is deleting, and its actions and tags go with it.
  if (bounds.deleting) return { kind: 'gone', groupName, reason: 'the group is being deleted' };
  const lock = await deps.stateStore.getLock(groupName, nowMs);
  const locked = lock
    ? `locked by ${lock.holder} until ${new Date(lock.expiresAtMs).toISOString()}`
    : undefined;
  if (locked !== undefined && !final) return { kind: 'waiting', groupName, reason: locked };
  // A paused group is its owner's to size, and forecast-only mode sizes none: the actions and the
  // tag go, the bounds stay, but for the MinSize the look-ahead's last action gives back at its
  // time (the tag gone, no later run of this deployment could), and the warm pool's MinSize
  // Prescale put on it goes back now (`giveBack`): undoing its own change sizes nothing. Held, the
  // tag stays too.
  const pausedTag = bounds.tags[GROUP_TAGS.paused];
  const paused = pausedTag !== undefined && pausedTag.toLowerCase() !== 'false';
  const busy = locked ?? (await capacityChangedElsewhere(deps.scalingTarget, groupName, bounds));
  const keepsGiveBack = final
    ? busy !== undefined || paused
    : busy === undefined && (held !== undefined || paused || !scales);
  const cleared = await clearTakenOutLookAhead(deps, groupName, bounds, { nowMs, keepsGiveBack });
  // Where the group's runs do not size it (paused, forecast-only, a dry run), only the MinSize Prescale
  // recorded putting on the pool shows the pool's is Prescale's: one held from its first run was never
  // sized, stack deletion or not (until 2026-12-07 `final` wrote its first-seen MinSize over the owner's).
  const poolBack = poolMinSizeBack(cleared.state, bounds.warmPool, {
    recordedOnly: paused || !scales || dryRun,
  });
  const group: ClearedGroup = { groupName, bounds, nowMs, ...cleared, poolBack };
  const heldBy = held ?? busy;
  if (heldBy !== undefined && final) return releaseHeldAtDeletion(deps, group, heldBy);
  if (heldBy !== undefined) {
    const { removedActions } = group;
    return { kind: 'held', groupName, reason: heldBy, removedActions, ...keptGiveBack(group) };
  }
  if (paused || !(scales || final)) return releaseLeavingBounds(deps, group);
  return releaseToOwnBounds(deps, group);
}

/**
 * Deletes the group's `prescale-` actions but, with `keepsGiveBack`, the look-ahead's last one,
 * which gives its own MinSize back at its time (`clearOwnActions`); with what it read to do so.
 */
async function clearTakenOutLookAhead(
  deps: Pick<ReleaseGroupsTakenOutDeps, 'scheduledCapacity' | 'stateStore'>,
  groupName: string,
  bounds: GroupBounds,
  { nowMs, keepsGiveBack }: { readonly nowMs: number; readonly keepsGiveBack: boolean },
): Promise<Pick<ClearedGroup, 'existing' | 'state' | 'removedActions' | 'givesBack'>> {
  const existing = await deps.scheduledCapacity.scheduledActions(groupName);
  const state = await deps.stateStore.getGroupState(groupName);
  const { removed, givesBack } = await clearOwnActions(
    deps.scheduledCapacity,
    { name: groupName, ...bounds },
    existing,
    { nowMs, keepsGiveBack, left: state },
  );
  return { existing, state, removedActions: removed, givesBack };
}

/**
 * Held at stack deletion, where no later dispatch comes: the tag goes all the same, the bounds and
 * the warm pool stay to the change under way, and what stays of Prescale's is named.
 */
async function releaseHeldAtDeletion(
  deps: ReleaseGroupsTakenOutDeps,
  { groupName, bounds, nowMs, existing, state, removedActions, givesBack, poolBack }: ClearedGroup,
  heldBy: string,
): Promise<ReleasedGroup> {
  // Read before the tag goes: the raise stays with the group's bounds, and is named.
  const prewarmLeft = await prewarmLeftReason(deps, groupName, bounds, existing, state, nowMs, givesBack);
  await deps.groupOwnership.release(groupName);
  // Not written during someone else's change (a refresh replaces the pool's instances too), as
  // the loop holds then: named for its owner instead.
  const pool = poolKept(bounds.warmPool, poolBack);
  const left = prewarmLeft !== undefined ? { notRestored: prewarmLeft } : {};
  return {
    kind: 'held',
    groupName,
    reason: heldBy,
    removedActions,
    ...keptGiveBack({ givesBack }),
    ...pool,
    ...left,
    tagReleased: true,
  };
}

/** A paused or forecast-only group: its bounds stay its owner's, its warm pool's MinSize goes back. */
async function releaseLeavingBounds(
  deps: ReleaseGroupsTakenOutDeps,
  { groupName, bounds, nowMs, existing, state, removedActions, givesBack, poolBack }: ClearedGroup,
): Promise<ReleasedGroup> {
  // Its bounds stay its owner's: a pre-warm's raise on them stays too, and is named.
  const prewarmLeft = await prewarmLeftReason(deps, groupName, bounds, existing, state, nowMs, givesBack);
  await giveBack(deps, groupName, bounds, { restored: {}, poolBack, prewarms: [], nowMs });
  const pool = poolBack !== undefined ? { restoredWarmPoolMinSize: poolBack } : {};
  const left = prewarmLeft !== undefined ? { notRestored: prewarmLeft } : {};
  return {
    kind: 'released',
    groupName,
    removedActions,
    restored: {},
    ...pool,
    ...keptGiveBack({ givesBack }),
    ...left,
  };
}

/**
 * A group Prescale sizes: its own bounds back where Prescale's still stand (`ownBounds`), its
 * pre-warms' records marked released with them, and a MinSize its owner set since left and named.
 */
async function releaseToOwnBounds(
  deps: ReleaseGroupsTakenOutDeps,
  { groupName, bounds, nowMs, existing, state, removedActions, givesBack, poolBack }: ClearedGroup,
): Promise<ReleasedGroup> {
  const prewarms = await takenOutPrewarms(deps, groupName, bounds);
  const ownMin = ownMinSizeOf(existing, state, bounds, nowMs) ?? prewarms?.before;
  const own = ownBounds(bounds, state, ownMin, [
    await prescaleMinSizesOn(deps.stateStore, groupName, bounds, state, nowMs),
    prewarms?.afters,
  ]);
  const { restored } = own;
  await giveBack(deps, groupName, bounds, { restored, poolBack, prewarms: prewarms?.records ?? [], nowMs });
  const pool = poolBack !== undefined ? { restoredWarmPoolMinSize: poolBack } : {};
  const minSizeLeft = own.minSizeLeft ? { notRestored: minSizeLeftReason(own.minSizeLeft) } : {};
  return {
    kind: 'released',
    groupName,
    removedActions,
    restored,
    ...pool,
    ...keptGiveBack({ givesBack }),
    ...minSizeLeft,
  };
}

/** The look-ahead's give-back, on a result, where it was kept. */
function keptGiveBack({ givesBack }: Pick<ClearedGroup, 'givesBack'>): {
  readonly givesBack?: LookAheadGiveBack;
} {
  return givesBack ? { givesBack } : {};
}

/**
 * Why someone else is changing the group's capacity, as the loop holds for it (`decideHold`):
 * capacity processes they suspended, or an instance refresh under way (read only when none is
 * suspended). Giving the bounds back then would force their desired capacity down mid-change.
 * Undefined when neither applies.
 */
async function capacityChangedElsewhere(
  target: Pick<ScalingTarget, 'instanceRefreshInProgress'>,
  groupName: string,
  bounds: GroupBounds,
): Promise<string | undefined> {
  const suspended = suspendedCapacityProcesses(bounds.suspendedProcesses);
  if (suspended.length > 0) return `processes suspended on the group: ${suspended.join(', ')}`;
  if (await target.instanceRefreshInProgress(groupName)) return 'an instance refresh is in progress';
  return undefined;
}
