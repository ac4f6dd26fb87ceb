import { GROUP_TAGS } from '../contracts/env';
import type { UserConfig } from '../contracts/user-config';
import type { GroupOwnership } from '../ports/group-ownership';
import type { ScalingTarget } from '../ports/scaling-target';
import type { ScheduledCapacity } from '../ports/scheduled-capacity';
import { isGroupGone } from './is-group-gone';
import { deleteOwnActions } from './sync-look-ahead';

export interface RemoveLookAheadDeps {
  readonly scalingTarget: Pick<ScalingTarget, 'findGroupTags'>;
  readonly scheduledCapacity: ScheduledCapacity;
  readonly groupOwnership: GroupOwnership;
}

/** What the removal did, per group. */
export interface RemoveLookAheadResult {
  readonly groups: number;
  /** `prescale-` actions deleted, by group (groups without any are left out). */
  readonly removed: Readonly<Record<string, number>>;
  /** Groups another deployment manages, by name: their `prescale-` actions are its look-ahead, left. */
  readonly leftToOtherDeployments: Readonly<Record<string, string>>;
  /** Groups whose `prescale:deployment` tag, naming this deployment, was deleted. */
  readonly released: readonly string[];
  readonly failed: readonly { readonly groupName: string; readonly error: string }[];
}

/**
 * Deletes every `prescale-` scheduled action of every enrolled group and of every group this
 * deployment owns (its `prescale:deployment` tag: one taken out of the enrolment and not given back
 * yet, a rolling update holding it or the kill switch set), at stack deletion or by hand before an
 * uninstall, so no look-ahead acts after Prescale is gone, and this deployment's
 * `prescale:deployment` tag, so another deployment may take the group on. A group another
 * deployment manages keeps its actions: they are that deployment's look-ahead. Actions of anyone
 * else stay. One group's failure does not stop the others: it is listed in `failed`.
 */
export async function removeLookAhead(
  deps: RemoveLookAheadDeps,
  config: UserConfig,
): Promise<RemoveLookAheadResult> {
  // Names and tags only: the removal needs no snapshot (no policies, refreshes or capacity read).
  const enrolled = await deps.scalingTarget.findGroupTags({
    names: config.groups.names,
    ...(config.groups.tag ? { tag: config.groups.tag } : {}),
  });
  // Nothing of this deployment stays behind once it is gone, enrolled or not: after the stack no
  // dispatch gives a group taken out back.
  const owned = await deps.scalingTarget.findGroupTags({
    names: [],
    tag: { key: GROUP_TAGS.deployment, value: deps.groupOwnership.deployment },
  });
  const groups = new Map([...enrolled, ...owned]);
  const removed: Record<string, number> = {};
  const leftToOtherDeployments: Record<string, string> = {};
  const released: string[] = [];
  const failed: { groupName: string; error: string }[] = [];
  for (const [groupName, tags] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const managedBy = tags[GROUP_TAGS.deployment];
    if (managedBy !== undefined && managedBy !== deps.groupOwnership.deployment) {
      leftToOtherDeployments[groupName] = managedBy;
      continue;
    }
    try {
      const existing = await deps.scheduledCapacity.scheduledActions(groupName);
      const count = await deleteOwnActions(deps.scheduledCapacity, groupName, existing);
      if (count > 0) removed[groupName] = count;
      if (managedBy !== undefined) {
        await deps.groupOwnership.release(groupName);
        released.push(groupName);
      }
    } catch (error) {
      // Deleted since it was listed: its scheduled actions and tags went with it.
      if (isGroupGone(error, groupName)) continue;
      failed.push({ groupName, error: `${(error as Error).name}: ${(error as Error).message}` });
    }
  }
  return { groups: groups.size, removed, leftToOtherDeployments, released, failed };
}
