import type { GroupSettings } from '../contracts/group-settings-schema';
import {
  type GroupWarmupFields,
  groupLeadTimeSeconds,
  groupWarmupSeconds,
} from '../core/planning/group-lead-time';
import type { GroupState } from '../ports/state-store';

/**
 * A group's lead time in seconds as the loop plans with it (`groupLeadTimeSeconds`), from what a
 * campaign action holds of the group: its stored state (the lead time the loop learned last), its
 * settings (`defaultLeadTimeSeconds`) and its snapshot (the warm-up). For the campaign receiver,
 * pre-warm and release, which do not read the group's launches themselves.
 */
export function storedLeadTime(
  state: Pick<GroupState, 'learnedLeadTimeSeconds'> | undefined,
  settings: Pick<GroupSettings, 'defaultLeadTimeSeconds'>,
  group: GroupWarmupFields,
): number {
  return groupLeadTimeSeconds({
    learnedLeadTimeSeconds: state?.learnedLeadTimeSeconds,
    defaultLeadTimeSeconds: settings.defaultLeadTimeSeconds,
    warmupSeconds: groupWarmupSeconds(group),
  });
}
