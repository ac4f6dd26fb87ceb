import type { UserConfig } from '../contracts/user-config';
import type { ScalingTarget } from '../ports/scaling-target';
import type { ScheduledCapacity } from '../ports/scheduled-capacity';
import { deleteOwnActions } from './sync-look-ahead';

export interface RemoveLookAheadDeps {
  readonly scalingTarget: Pick<ScalingTarget, 'findGroupNames'>;
  readonly scheduledCapacity: ScheduledCapacity;
}

/** What the removal did, per group. */
export interface RemoveLookAheadResult {
  readonly groups: number;
  /** `prescale-` actions deleted, by group (groups without any are left out). */
  readonly removed: Readonly<Record<string, number>>;
  readonly failed: readonly { readonly groupName: string; readonly error: string }[];
}

/**
 * Deletes every `prescale-` scheduled action of every enrolled group (stack deletion, or by hand
 * before an uninstall), so no look-ahead acts after Prescale is gone. Actions of anyone else stay.
 * One group's failure does not stop the others: it is listed in `failed`.
 */
export async function removeLookAhead(
  deps: RemoveLookAheadDeps,
  config: UserConfig,
): Promise<RemoveLookAheadResult> {
  // Names only: the removal needs no snapshot (no policies, refreshes or capacity read).
  const groups = await deps.scalingTarget.findGroupNames({
    names: config.groups.names,
    ...(config.groups.tag ? { tag: config.groups.tag } : {}),
  });
  const removed: Record<string, number> = {};
  const failed: { groupName: string; error: string }[] = [];
  for (const groupName of groups) {
    try {
      const existing = await deps.scheduledCapacity.scheduledActions(groupName);
      const count = await deleteOwnActions(deps.scheduledCapacity, groupName, existing);
      if (count > 0) removed[groupName] = count;
    } catch (error) {
      failed.push({ groupName, error: `${(error as Error).name}: ${(error as Error).message}` });
    }
  }
  return { groups: groups.length, removed, failed };
}
