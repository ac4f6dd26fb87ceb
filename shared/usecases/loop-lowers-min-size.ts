import type { GroupSettings } from '../contracts/group-settings-schema';
import { minSizeScaleInPace } from '../core/planning/min-size-scale-in-pace';
import type { GroupSnapshot } from '../ports/scaling-target';

/**
 * Whether the loop's runs lower a MinSize its plan no longer needs, at its own pace: not on a group
 * without scaling policies whose `scaleInPerTick` is 0 (only a release, its own or one left to the
 * loop, lowers it there).
 */
export const loopLowersMinSize = (
  settings: Pick<GroupSettings, 'scaleInPerTick' | 'maxChangePerTick'>,
  group: Pick<GroupSnapshot, 'hasScalingPolicies'>,
) =>
  minSizeScaleInPace({
    scaleInPerTick: settings.scaleInPerTick,
    maxChangePerTick: settings.maxChangePerTick,
    hasScalingPolicies: group.hasScalingPolicies,
  }) > 0;
