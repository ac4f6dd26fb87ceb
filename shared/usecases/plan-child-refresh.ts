import type { UserConfig } from '../contracts/user-config';
import { estimateRefreshDuration } from '../core/rolling-update/estimate-refresh-duration';
import { refreshAllowanceSeconds } from '../core/rolling-update/refresh-allowance';
import { type RefreshedGroup, refreshedInstances } from '../core/rolling-update/refreshed-instances';
import type { GroupSnapshot } from '../ports/scaling-target';

/**
 * Why `slotMinutes` is too short for the group's refresh, if it is. A child may start as late as
 * its slot's end and run its whole refresh after it; the next slot must not have ended by then, or
 * the plan finds that slot missed and undoes the groups it updated correctly. So a slot must be at
 * least the refresh as Prescale estimates it for the child (`estimateRefreshDuration` with the
 * configured preferences the child uses, bake time included, on the group's desired capacity and warm pool,
 * `refreshedInstances`, as the child's window check counts them). Headroom only lengthens
 * it: each slot is checked again on the refresh of the headroom its peak needs (`slotRequirement`),
 * and one too short for that is a rejected slot; this check names the length to ask for instead.
 */
export function slotShorterThanRefresh(config: UserConfig, group: GroupSnapshot, slotMinutes: number) {
  const { instanceWarmupSeconds, bakeTimeSeconds } = config.rollingUpdate;
  const instances = refreshedInstances(group);
  const estimate = configuredRefreshEstimate(config, instances);
  const refreshMinutes = Math.ceil(estimate.durationSeconds / 60);
  if (refreshMinutes <= slotMinutes) return undefined;
  const counted = group.warmPool
    ? `${instances} instance(s) with its warm pool's`
    : `${instances} instance(s)`;
  return `slotMinutes ${slotMinutes} is shorter than the estimated refresh of group ${group.name}, ${refreshMinutes} minutes (${counted} in ${estimate.batches} batch(es) of launch + ${instanceWarmupSeconds} s warmup${bakeTimeSeconds > 0 ? `, then ${bakeTimeSeconds} s bake` : ''}): its refresh could run past the next slot's end, which would undo the plan; expected slotMinutes of at least ${refreshMinutes}`;
}

/**
 * A refresh of `instances` as Prescale estimates it with the configured preferences, which a plan
 * child and the maintenance scan's request use unchanged (no checkpoints).
 */
export function configuredRefreshEstimate(config: UserConfig, instances: number) {
  const { instanceWarmupSeconds, minHealthyPercentage, maxHealthyPercentage, bakeTimeSeconds } =
    config.rollingUpdate;
  return estimateRefreshDuration({
    instances,
    instanceWarmupSeconds,
    minHealthyPercentage,
    maxHealthyPercentage,
    bakeTimeSeconds,
  });
}

/**
 * Each group's refresh allowance as its plan child (a revert too) sets it: `refreshAllowanceSeconds`
 * of the estimate on its desired capacity and warm pool, as the slot check estimates it.
 */
export function revertAllowancesSeconds(
  config: UserConfig,
  groups: readonly (RefreshedGroup & { readonly groupName: string })[],
): Map<string, number> {
  return new Map(
    groups.map((g) => [
      g.groupName,
      refreshAllowanceSeconds(configuredRefreshEstimate(config, refreshedInstances(g)).durationSeconds),
    ]),
  );
}
