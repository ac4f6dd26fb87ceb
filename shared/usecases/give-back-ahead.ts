import { GROUP_TAGS } from '../contracts/env';
import type { UserConfig } from '../contracts/user-config';
import { decideHold } from '../core/planning/decide-hold';
import { lookAheadSettledAtMs } from '../core/rolling-update/look-ahead-due';
import type { GroupSnapshot } from '../ports/scaling-target';
import type { ScheduledCapacity } from '../ports/scheduled-capacity';
import { resolveGroupSettings } from './resolve-group-settings';

/** What the check reads besides the group: its scheduled actions, and who decides. */
export interface GiveBackAheadDeps {
  readonly scheduledCapacity: Pick<ScheduledCapacity, 'scheduledActions'>;
  /** This deployment's name (its stack's). */
  readonly deployment: string;
}

/**
 * The time a rolling update of `group` must not start before, with why, when the scaling loop
 * stands down on the group but keeps its look-ahead's give-back of the group's own MinSize
 * (`keepsGiveBack`: forecast-only mode, an EC2 predictive scaling policy scaling the group) and
 * that give-back has not run yet. A lock taken before it runs has the loop's next run delete it (a
 * rolling update restores its own MinSize), and the restore then puts back the pre-warm it was to
 * give back, kept for good while the loop stands down; one due before that run lowers MinSize
 * under the headroom. Undefined when no such action is listed (the loop deleted it, or it ran).
 * @throws what `ScheduledCapacity.scheduledActions` throws.
 */
export async function giveBackAhead(
  deps: GiveBackAheadDeps,
  config: UserConfig,
  group: GroupSnapshot,
  { nowMs, globallyPaused }: { readonly nowMs: number; readonly globallyPaused: boolean },
): Promise<{ readonly atMs: number; readonly reason: string } | undefined> {
  const pausedTagValue = group.tags[GROUP_TAGS.paused];
  const managedBy = group.tags[GROUP_TAGS.deployment];
  const hold = decideHold({
    deployment: deps.deployment,
    ...(managedBy !== undefined ? { managedBy } : {}),
    mode: resolveGroupSettings(config, group.name, group.tags).mode,
    dryRun: config.dryRun,
    ...(pausedTagValue !== undefined ? { pausedTagValue } : {}),
    globallyPaused,
    instanceRefreshInProgress: group.instanceRefreshInProgress,
    deleting: group.deleting,
    suspendedProcesses: group.suspendedProcesses,
    ...(group.predictiveScalingPolicy !== undefined
      ? { predictiveScalingPolicy: group.predictiveScalingPolicy }
      : {}),
  });
  if (hold.kind === 'proceed' || hold.keepsGiveBack !== true) return undefined;
  const atMs = lookAheadSettledAtMs(await deps.scheduledCapacity.scheduledActions(group.name), nowMs);
  if (atMs === undefined) return undefined;
  return {
    atMs,
    reason: `Prescale's look-ahead gives ${group.name} its own MinSize back by ${new Date(atMs).toISOString()} (the scaling loop keeps that action while it stands down: ${hold.reason}), and an update's lock would delete it and keep the pre-warm`,
  };
}
