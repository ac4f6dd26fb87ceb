import type { UserConfig } from '../contracts/user-config';
import { giveBackDue } from '../core/rolling-update/look-ahead-due';
import type { GroupSnapshot } from '../ports/scaling-target';
import type { ScheduledCapacity } from '../ports/scheduled-capacity';
import { decideGroupHold, NO_LOCKS } from './decide-group-hold';
import { isGroupGone } from './is-group-gone';
import { resolveGroupSettings } from './resolve-group-settings';

/** What the check reads besides the group: its scheduled actions, and who decides. */
export interface GiveBackAheadDeps {
  readonly scheduledCapacity: Pick<ScheduledCapacity, 'scheduledActions'>;
  /** This deployment's name (its stack's). */
  readonly deployment: string;
}

/** A give-back the loop keeps: when an update may start, the MinSize it gives back, and why. */
export interface GiveBackAhead {
  readonly atMs: number;
  readonly minSize: number;
  readonly reason: string;
}

/**
 * The time a rolling update of `group` must not start before, with why, when the scaling loop
 * stands down on the group but keeps its look-ahead's give-back of the group's own MinSize
 * (`keepsGiveBack`: forecast-only mode, an EC2 predictive scaling policy scaling the group) and
 * that give-back has not run yet. A lock taken before it runs has the loop's next run delete it (a
 * rolling update restores its own MinSize), and the restore then puts back the pre-warm it was to
 * give back, kept for good while the loop stands down; one due before that run lowers MinSize
 * under the headroom. While the loop has not cleared the rest of the look-ahead since it stood
 * down, its next run decides what stays: the update looks again after it. Undefined when no such
 * action is listed (the loop deleted it, or it ran), or the group is gone (the lock refuses it).
 * @throws what `ScheduledCapacity.scheduledActions` throws, but for the group gone.
 */
export async function giveBackAhead(
  deps: GiveBackAheadDeps,
  config: UserConfig,
  group: GroupSnapshot,
  { nowMs, globallyPaused }: { readonly nowMs: number; readonly globallyPaused: boolean },
): Promise<GiveBackAhead | undefined> {
  // The loop's own decision, without a lock: the update has taken none yet.
  const hold = await decideGroupHold(NO_LOCKS, group, {
    deployment: deps.deployment,
    mode: resolveGroupSettings(config, group.name, group.tags).mode,
    dryRun: config.dryRun,
    globallyPaused,
    nowMs,
  });
  if (hold.kind === 'proceed' || hold.keepsGiveBack !== true) return undefined;
  const actions = await deps.scheduledCapacity.scheduledActions(group.name).catch((error: unknown) => {
    if (isGroupGone(error, group.name)) return [];
    throw error;
  });
  const due = giveBackDue(actions, group, nowMs);
  if (due === undefined) return undefined;
  const standsDown = `the scaling loop stands down: ${hold.reason}`;
  if (due.kind === 'not-cleared')
    return {
      atMs: nowMs + config.scheduleRateMinutes * 60_000,
      minSize: due.minSize,
      reason: `Prescale's look-ahead on ${group.name} is not cleared since ${standsDown}; its next run keeps or deletes the give-back of MinSize ${due.minSize}`,
    };
  return {
    atMs: due.settledAtMs,
    minSize: due.minSize,
    reason: `Prescale's look-ahead gives ${group.name} its own MinSize ${due.minSize} back by ${new Date(due.settledAtMs).toISOString()} (kept while ${standsDown}), and an update's lock would delete it and keep the pre-warm`,
  };
}
