import type { CampaignRunStore, PrewarmRecord } from '../ports/campaign-store';
import type { GroupOwnership } from '../ports/group-ownership';
import type { CapacityChange, GroupBounds, ScalingTarget, WarmPoolSettings } from '../ports/scaling-target';
import { type GroupState, prescaleWarmPoolMinSizeOn } from '../ports/state-store';

/** A warm pool a release left at the MinSize Prescale put on it, and the pool's own. */
export interface WarmPoolKept {
  /** The pool as it is, Prescale's MinSize on it (its other settings to restate with PutWarmPool). */
  readonly pool: WarmPoolSettings;
  readonly ownMinSize: number;
}

/**
 * Writes the group's own bounds and its warm pool's own MinSize back, then deletes its tag, last:
 * a release that fails keeps it, and the next dispatch tries again. The pool goes back on a paused
 * or forecast-only group too, whose bounds stay: its MinSize is not the group's capacity (only how
 * many pre-initialised instances wait), Prescale put it there, and no scheduled action (the way
 * the bounds go back at their time) can change a pool.
 */
export async function giveBack(
  deps: {
    readonly scalingTarget: Pick<ScalingTarget, 'updateCapacity' | 'setWarmPoolMinSize'>;
    readonly groupOwnership: Pick<GroupOwnership, 'release'>;
    readonly prewarms: Pick<CampaignRunStore, 'markReleased'>;
  },
  groupName: string,
  bounds: GroupBounds,
  {
    restored,
    poolBack,
    prewarms,
    nowMs,
  }: {
    readonly restored: CapacityChange;
    readonly poolBack: number | undefined;
    readonly prewarms: readonly PrewarmRecord[];
    readonly nowMs: number;
  },
): Promise<void> {
  if (Object.keys(restored).length > 0) await deps.scalingTarget.updateCapacity(groupName, restored);
  if (poolBack !== undefined && bounds.warmPool)
    await deps.scalingTarget.setWarmPoolMinSize(groupName, poolBack, bounds.warmPool);
  // Given back with the group (or the owner's since, or raised on a group since replaced): the
  // campaign's release, should the group be enrolled again before it, lowers nothing twice.
  for (const record of prewarms)
    await deps.prewarms.markReleased(record.campaignId, groupName, nowMs, bounds.minSize);
  await deps.groupOwnership.release(groupName);
}

/** The pool a held final release leaves at Prescale's MinSize (`poolBack` its own), if any. */
export function poolKept(
  pool: GroupBounds['warmPool'],
  poolBack: number | undefined,
): { readonly warmPoolKept?: WarmPoolKept } {
  return pool && poolBack !== undefined ? { warmPoolKept: { pool, ownMinSize: poolBack } } : {};
}

/**
 * The warm pool's own MinSize to give back, where the pool is still at the one Prescale last put on
 * it (`prescaleWarmPoolMinSizeOn`: recorded, or pending from a write of unknown outcome; in a state
 * written before that was kept, at any but its own): a MinSize the owner set
 * since is theirs, as the loop's own give-back reads it (`warmPoolGivenBack`). `recordedOnly` (a
 * group whose runs do not size it: paused, forecast-only, a dry run) drops that fallback: held and
 * dry runs record the pool's own MinSize without ever sizing it, so there a pool moved off it
 * without Prescale's recorded is the owner's. The fallback stays where runs size the pool: a run
 * that failed between its PutWarmPool and its record leaves the pool's own MinSize alone recorded.
 */
export function poolMinSizeBack(
  state: GroupState | undefined,
  pool: GroupBounds['warmPool'],
  { recordedOnly }: { readonly recordedOnly: boolean },
): number | undefined {
  const own = state?.userWarmPoolMinSize;
  if (!pool || own === undefined || pool.minSize === own) return undefined;
  const set = prescaleWarmPoolMinSizeOn(state, pool.minSize);
  if (set === undefined) return recordedOnly ? undefined : own;
  return pool.minSize === set ? own : undefined;
}
