import { GROUP_TAGS } from '../contracts/env';
import type { UserConfig } from '../contracts/user-config';
import type { CapacityChange, ScalingTarget } from '../ports/scaling-target';
import { isGroupGone } from './is-group-gone';
import {
  type ReleasedGroup,
  type ReleaseGroupsTakenOutDeps,
  releaseGroupsTakenOut,
  type TimeBudget,
} from './release-groups-taken-out';
import { deleteOwnActions } from './sync-look-ahead';
import type { WarmPoolKept } from './taken-out-give-back';
import { type WaitForScalingRunsDeps, waitForScalingRuns } from './wait-for-scaling-runs';

export interface RemoveLookAheadDeps extends ReleaseGroupsTakenOutDeps {
  readonly scalingTarget: ReleaseGroupsTakenOutDeps['scalingTarget'] & Pick<ScalingTarget, 'findGroupTags'>;
  readonly stateStore: ReleaseGroupsTakenOutDeps['stateStore'] & WaitForScalingRunsDeps['stateStore'];
  readonly sleep: WaitForScalingRunsDeps['sleep'];
  readonly clock: WaitForScalingRunsDeps['clock'];
}

/** What the removal did, per group. */
export interface RemoveLookAheadResult {
  readonly groups: number;
  /** `prescale-` actions deleted, by group (groups without any are left out). */
  readonly removed: Readonly<Record<string, number>>;
  /** The group's own bounds given back, by group (groups whose bounds were already theirs are left out). */
  readonly restored: Readonly<Record<string, CapacityChange & { readonly warmPoolMinSize?: number }>>;
  /** Groups another deployment manages, by name: their `prescale-` actions are its look-ahead, left. */
  readonly leftToOtherDeployments: Readonly<Record<string, string>>;
  /**
   * Groups given up without their bounds, by why: a rolling update's lock, an instance refresh or
   * suspended capacity processes change its capacity now, so Prescale's MinSize is left to the
   * look-ahead's give-back, kept at its time where Prescale's bounds still stand (the reason says
   * when); its tag deleted all the same, since no later run of this deployment comes. A warm pool
   * still at Prescale's MinSize is left to that change too, and the reason names it with the
   * `put-warm-pool` command that sets it back (nothing else will: no scheduled action can). A
   * group given back whose MinSize its owner set by hand since Prescale's last run keeps that
   * MinSize, and is named here too, with Prescale's and its own (no command: the owner's stays).
   */
  readonly notRestored: Readonly<Record<string, string>>;
  /** Groups whose `prescale:deployment` tag, naming this deployment, was deleted. */
  readonly released: readonly string[];
  /** Groups not cleaned up (an error): such a group keeps its tag, so a retried deletion gives it back. */
  readonly failed: readonly { readonly groupName: string; readonly error: string }[];
}

/**
 * Removes Prescale from the groups at stack deletion (or by hand before an uninstall), so nothing
 * of this deployment acts or stays once it is gone. Each group this deployment owns (its
 * `prescale:deployment` tag) is given back as the dispatcher gives back a group taken out of the
 * enrolment (`releaseGroupsTakenOut`): its `prescale-` actions deleted, its own MinSize (never above
 * MaxSize, never below its owner's scheduled floor; one its owner set since is left, `notRestored`), MaxSize and warm-pool MinSize back where
 * Prescale's still stand, then its tag deleted. The kill switch does not hold this: the look-ahead's
 * last action, which a held run keeps, would give the same bounds back, and deleting it without
 * them would leave Prescale's for good. A group whose bounds cannot be given back now (locked,
 * refreshed, processes suspended) keeps the look-ahead's give-back alone and loses its tag
 * (`notRestored`): a deletion failed on it stood for hours. A forecast-only group's bounds are
 * given back too (nothing of this deployment stays). Every other enrolled group loses
 * its `prescale-` actions, but one another deployment manages: they are that deployment's
 * look-ahead. Actions of anyone else stay. One group's failure does not stop the others.
 * Once `hasTime` says no more, no other group is started: each left is `failed` with its reason
 * (keeping its tag and actions, so the deletion tried again goes on where this one stopped).
 * First it waits out the scaling runs still holding a group (`waitForScalingRuns`, reading their
 * claims again every few seconds until `waitDeadlineMs`; none without it): the worker deleted
 * before the cleanup may still be writing one, and would undo its give-back. A group still held
 * then is left as it is, `failed` too.
 */
export async function removeLookAhead(
  deps: RemoveLookAheadDeps,
  config: UserConfig,
  {
    nowMs: startMs,
    hasTime,
    waitDeadlineMs = startMs,
  }: { readonly nowMs: number; readonly hasTime?: TimeBudget; readonly waitDeadlineMs?: number },
): Promise<RemoveLookAheadResult> {
  const { heldPastBudget, nowMs } = await waitForScalingRuns(deps, await groupsToClean(deps, config), {
    nowMs: startMs,
    deadlineMs: waitDeadlineMs,
  });
  // After the stack no group is enrolled: every one this deployment owns is taken out, all at once,
  // but those a run still holds (passed as enrolled, so left alone), read again after the wait.
  const givenBack = await releaseGroupsTakenOut(deps, config, new Set(heldPastBudget.keys()), {
    nowMs,
    maxGroups: Number.POSITIVE_INFINITY,
    final: true,
    ...(hasTime ? { hasTime } : {}),
  });
  const tally = tallyGivenBack(givenBack, heldPastBudget);
  const owned = new Set(givenBack.map((g) => g.groupName));
  // Names and tags only: the enrolled groups not owned need no snapshot (Prescale never sized them).
  const enrolled = await deps.scalingTarget.findGroupTags({
    names: config.groups.names,
    ...(config.groups.tag ? { tag: config.groups.tag } : {}),
  });
  const notOwned = [...enrolled]
    .filter(([name]) => !owned.has(name) && !heldPastBudget.has(name))
    .sort(([a], [b]) => a.localeCompare(b));
  const cleared = await clearEnrolledNotOwned(deps, notOwned, hasTime);
  const groups = new Set([...owned, ...enrolled.keys(), ...heldPastBudget.keys()]).size;
  return {
    groups,
    removed: { ...tally.removed, ...cleared.removed },
    restored: tally.restored,
    notRestored: tally.notRestored,
    leftToOtherDeployments: cleared.leftToOtherDeployments,
    released: tally.released,
    failed: [...tally.failed, ...cleared.failed],
  };
}

/**
 * What the release of the owned groups did, as the removal reports it; the groups a run held past
 * the wait `failed` first.
 */
function tallyGivenBack(
  givenBack: readonly ReleasedGroup[],
  heldPastBudget: ReadonlyMap<string, string>,
): Pick<RemoveLookAheadResult, 'removed' | 'restored' | 'notRestored' | 'released' | 'failed'> {
  const removed: Record<string, number> = {};
  const restored: Record<string, CapacityChange & { warmPoolMinSize?: number }> = {};
  const released: string[] = [];
  const notRestored: Record<string, string> = {};
  const failed = [...heldPastBudget].map(([groupName, error]) => ({ groupName, error }));
  for (const group of givenBack) {
    const { groupName } = group;
    if (group.kind === 'released') {
      if (group.removedActions > 0) removed[groupName] = group.removedActions;
      const warmPool =
        group.restoredWarmPoolMinSize !== undefined ? { warmPoolMinSize: group.restoredWarmPoolMinSize } : {};
      if (Object.keys(group.restored).length > 0 || group.restoredWarmPoolMinSize !== undefined)
        restored[groupName] = { ...group.restored, ...warmPool };
      if (group.notRestored !== undefined) notRestored[groupName] = group.notRestored;
      released.push(groupName);
    } else if (group.kind === 'held' && group.tagReleased) {
      if (group.removedActions > 0) removed[groupName] = group.removedActions;
      notRestored[groupName] = notRestoredReason(group);
      released.push(groupName);
    } else if (group.kind === 'failed') failed.push({ groupName, error: group.error });
    else if (group.kind !== 'gone')
      failed.push({ groupName, error: `its own bounds not given back yet: ${group.reason}` });
  }
  return { removed, restored, notRestored, released, failed };
}

/**
 * Deletes the `prescale-` actions of the enrolled groups this deployment does not own, but of those
 * another deployment manages (its look-ahead, left). Once `hasTime` says no more, each left is
 * `failed` with its reason; a group deleted since it was listed is passed over.
 */
async function clearEnrolledNotOwned(
  deps: RemoveLookAheadDeps,
  notOwned: readonly (readonly [string, Readonly<Record<string, string>>])[],
  hasTime: TimeBudget | undefined,
): Promise<Pick<RemoveLookAheadResult, 'removed' | 'leftToOtherDeployments' | 'failed'>> {
  const removed: Record<string, number> = {};
  const leftToOtherDeployments: Record<string, string> = {};
  const failed: { groupName: string; error: string }[] = [];
  for (const [groupName, tags] of notOwned) {
    const managedBy = tags[GROUP_TAGS.deployment];
    if (managedBy !== undefined && managedBy !== deps.groupOwnership.deployment) {
      leftToOtherDeployments[groupName] = managedBy;
      continue;
    }
    if (hasTime && !hasTime.left()) {
      failed.push({ groupName, error: hasTime.reason });
      continue;
    }
    try {
      const existing = await deps.scheduledCapacity.scheduledActions(groupName);
      const count = await deleteOwnActions(deps.scheduledCapacity, groupName, existing);
      if (count > 0) removed[groupName] = count;
    } catch (error) {
      // Deleted since it was listed: its scheduled actions and tags went with it.
      if (isGroupGone(error, groupName)) continue;
      failed.push({ groupName, error: `${(error as Error).name}: ${(error as Error).message}` });
    }
  }
  return { removed, leftToOtherDeployments, failed };
}

/**
 * The groups the cleanup changes, whose runs it waits out: those this deployment owns, and the
 * enrolled ones no other deployment manages (a run may take one first, and write its look-ahead).
 */
async function groupsToClean(deps: RemoveLookAheadDeps, config: UserConfig): Promise<string[]> {
  const owned = await deps.scalingTarget.findGroupTags({
    names: [],
    tag: { key: GROUP_TAGS.deployment, value: deps.groupOwnership.deployment },
  });
  const enrolled = await deps.scalingTarget.findGroupTags({
    names: config.groups.names,
    ...(config.groups.tag ? { tag: config.groups.tag } : {}),
  });
  const ours = [...enrolled].filter(([, tags]) => {
    const managedBy = tags[GROUP_TAGS.deployment];
    return managedBy === undefined || managedBy === deps.groupOwnership.deployment;
  });
  return [...new Set([...owned.keys(), ...ours.map(([name]) => name)])].sort();
}

/** Why a group held at deletion keeps Prescale's bounds, and what gives them back, or who must. */
function notRestoredReason(group: Extract<ReleasedGroup, { kind: 'held' }>): string {
  const giveBack = group.givesBack
    ? `: its look-ahead's last action gives MinSize ${group.givesBack.minSize} back at ${new Date(group.givesBack.startMs).toISOString()}`
    : '';
  const pool = group.warmPoolKept
    ? `; its warm pool keeps Prescale's MinSize ${group.warmPoolKept.pool.minSize} (its own ${group.warmPoolKept.ownMinSize}): set it back once that change is over, with the pool's other settings restated: ${putWarmPoolCommand(group.groupName, group.warmPoolKept)}`
    : '';
  const prewarm = group.notRestored !== undefined ? `; ${group.notRestored}` : '';
  return `${group.reason}${giveBack}${pool}${prewarm}`;
}

/**
 * The CLI command giving the pool its own MinSize back, restating its other settings as the
 * adapter's PutWarmPool does: one left out takes AWS's default (PoolState Stopped, scale-in
 * terminating instead of reusing them).
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutWarmPool.html
 */
function putWarmPoolCommand(groupName: string, { pool, ownMinSize }: WarmPoolKept): string {
  // An Auto Scaling group name may hold spaces and quotes: quoted for a POSIX shell where it does.
  const name = /^[\w.-]+$/.test(groupName) ? groupName : `'${groupName.replaceAll("'", "'\\''")}'`;
  return [
    `aws autoscaling put-warm-pool --auto-scaling-group-name ${name} --min-size ${ownMinSize}`,
    ...(pool.maxGroupPreparedCapacity !== undefined
      ? [`--max-group-prepared-capacity ${pool.maxGroupPreparedCapacity}`]
      : []),
    ...(pool.poolState ? [`--pool-state ${pool.poolState}`] : []),
    ...(pool.reuseOnScaleIn !== undefined
      ? [`--instance-reuse-policy ReuseOnScaleIn=${pool.reuseOnScaleIn}`]
      : []),
  ].join(' ');
}
