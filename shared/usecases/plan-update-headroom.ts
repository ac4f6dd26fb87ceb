import type { HeadroomResult, WorkflowState } from '../contracts/rolling-update';
import type { UserConfig } from '../contracts/user-config';
import { planHeadroom } from '../core/rolling-update/plan-headroom';
import type { ScalingTarget } from '../ports/scaling-target';
import { describeGroup } from './describe-group';
import { resolveGroupSettings } from './resolve-group-settings';

/** What headroom planning reads: the group as it is now (under the lock). */
export interface PlanUpdateHeadroomDeps {
  readonly scalingTarget: ScalingTarget;
}

/**
 * Plans the capacity to hold during the refresh from the group as it is now (read under the lock)
 * and the p90 peak the window choice predicted: desired and MinSize raised so the part kept
 * healthy carries the peak, never above MaxSize (`planHeadroom`). The group's current values are
 * returned as `original`, to be restored afterwards.
 * @throws ResourceNotFoundError when the group no longer exists.
 */
export async function planUpdateHeadroom(
  deps: PlanUpdateHeadroomDeps,
  config: UserConfig,
  state: WorkflowState,
): Promise<HeadroomResult> {
  const group = await describeGroup(deps.scalingTarget, state.plan.groupName);
  const { settings } = resolveGroupSettings(config, group.name, group.tags);
  return planHeadroom({
    current: { minSize: group.minSize, maxSize: group.maxSize, desiredCapacity: group.desiredCapacity },
    peakLoad: state.window?.peakLoad ?? 0,
    targetLoadPerInstance: settings.targetLoadPerInstance,
    minHealthyPercentage: state.plan.preferences.MinHealthyPercentage,
  });
}
