import type { UserConfig } from '../contracts/user-config';
import type { HoldDecision } from '../core/planning/decide-hold';
import type { Clock } from '../ports/clock';
import type { GroupOwnership } from '../ports/group-ownership';
import type { GroupSnapshot, ScalingTarget } from '../ports/scaling-target';
import type { StateStore } from '../ports/state-store';
import { decideGroupHold } from './decide-group-hold';
import { resolveGroupSettings } from './resolve-group-settings';

/** A group as it stands now, and whether it may be changed now. */
export interface GroupReadAgain {
  readonly group: GroupSnapshot;
  readonly hold: HoldDecision;
}

/**
 * Reads a group again right before a campaign action changes it: undefined once it is gone. The
 * action read all its groups at once, then forecast and planned each in turn, so a rolling update
 * may have locked the group and set its refresh's headroom since, or its policies scaled it out: a
 * change planned from that read would cut the one and terminate what the other launched.
 */
export type ReadGroupAgain = (groupName: string) => Promise<GroupReadAgain | undefined>;

/**
 * The `ReadGroupAgain` of a campaign action: the group described again, and its hold decided again
 * as the first decision was (`decideGroupHold`: its lock read now, refresh, suspended processes,
 * pause tag, its mode from its tags now, the dry run, the kill switch read again).
 */
export function readGroupAgain(
  deps: {
    readonly scalingTarget: Pick<ScalingTarget, 'describeGroups'>;
    readonly stateStore: Pick<StateStore, 'getLock'>;
    readonly clock: Clock;
    readonly isGloballyPaused: () => Promise<boolean>;
    readonly groupOwnership: Pick<GroupOwnership, 'deployment'>;
  },
  config: UserConfig,
): ReadGroupAgain {
  return async (groupName) => {
    const [group] = await deps.scalingTarget.describeGroups({ names: [groupName] });
    if (group?.name !== groupName) return undefined;
    const hold = await decideGroupHold(deps.stateStore, group, {
      deployment: deps.groupOwnership.deployment,
      mode: resolveGroupSettings(config, groupName, group.tags).mode,
      dryRun: config.dryRun,
      globallyPaused: await deps.isGloballyPaused(),
      nowMs: deps.clock.nowMs(),
    });
    return { group, hold };
  };
}
