import { GROUP_TAGS } from '../contracts/env';
import type { RollingUpdateRequest } from '../contracts/rolling-update';
import type { UserConfig } from '../contracts/user-config';
import { REFRESH_BLOCKING_PROCESSES } from '../core/rolling-update/types';
import type { GroupSnapshot } from '../ports/scaling-target';
import { isEnrolled } from './is-enrolled';
import { ignoredTagReasons, resolveGroupSettings } from './resolve-group-settings';

/**
 * Why a hold keeps `group` from being updated now by `deployment`, if one does: another Prescale
 * deployment manages it (its `prescale:deployment` tag), its pause tag (any value but `false`),
 * or a process an instance refresh needs suspended (a refresh would replace no instance until it
 * resumes). Both the rolling update's validation and the update plan ask.
 */
export function updateHoldReason(group: GroupSnapshot, deployment: string): string | undefined {
  const managedBy = otherManagingDeployment(group, deployment);
  if (managedBy !== undefined) {
    return `group ${group.name} is managed by Prescale deployment "${managedBy}" (its ${GROUP_TAGS.deployment} tag), not "${deployment}": send the request to that deployment's event bus`;
  }
  const paused = group.tags[GROUP_TAGS.paused];
  if (paused !== undefined && paused.toLowerCase() !== 'false') {
    return `group ${group.name} is paused by its ${GROUP_TAGS.paused} tag`;
  }
  const blocking = group.suspendedProcesses.filter((p) => REFRESH_BLOCKING_PROCESSES.has(p));
  if (blocking.length > 0) {
    return `processes suspended on ${group.name}: ${blocking.join(', ')}; an instance refresh would replace no instance until they are resumed`;
  }
  return undefined;
}

/**
 * The other Prescale deployment that manages `group` (the name in its `prescale:deployment` tag),
 * when it is not `deployment`: the first of `updateHoldReason`'s holds, which the maintenance scan
 * tells from the others (that deployment's own scan serves the group's events, not this one).
 */
export function otherManagingDeployment(group: GroupSnapshot, deployment: string): string | undefined {
  const managedBy = group.tags[GROUP_TAGS.deployment];
  return managedBy !== undefined && managedBy !== deployment ? managedBy : undefined;
}

/** What a rolling update's holds read besides the group and config. */
export interface RollingUpdateHoldFacts {
  /** The deployment asked (its stack name): a group another deployment manages is refused. */
  readonly deployment: string;
  /** The deployment-wide kill switch is on. */
  readonly globallyPaused: boolean;
  /** Why the update was asked for: an automatic start is Prescale acting, `manual` an operator. */
  readonly reason: RollingUpdateRequest['reason'];
}

/**
 * Why a rolling update must not touch `group` now, or undefined when it may: the kill switch,
 * the group no longer enrolled, an instance refresh in progress, an operator's hold
 * (`updateHoldReason`), forecast-only mode for an automatic start (an operator's explicit request
 * is not the forecast loop acting, so forecast-only lets it through), a dry run, or instances the
 * refresh would wait on and then fail (`waitedOnInstancesRefusal`).
 * Validation asks when the request arrives, the maintenance scan before it starts one, and the
 * window choice again each time it looks, so a hold set (or an instance protected or put in
 * Standby) while the workflow waited for low load stops it before the lock, the headroom and the
 * refresh.
 */
export function rollingUpdateHold(
  config: UserConfig,
  group: GroupSnapshot,
  facts: RollingUpdateHoldFacts,
): string | undefined {
  const groupName = group.name;
  if (facts.globallyPaused) {
    return 'Prescale is paused for all groups (kill switch); nothing was changed';
  }
  if (!isEnrolled(config, group)) {
    return `group ${groupName} is not enrolled in Prescale (by name or by the enrolment tag)`;
  }
  if (group.instanceRefreshInProgress) {
    return `an instance refresh is already in progress on ${groupName}; nothing was changed`;
  }
  const held = updateHoldReason(group, facts.deployment);
  if (held) return `${held}; nothing was changed`;
  const { mode, ignoredTags } = resolveGroupSettings(config, groupName, group.tags);
  if (facts.reason !== 'manual' && mode === 'forecast-only') {
    // A mistyped prescale:mode holds the group forecast-only: say so, as the loop does.
    const misread = ignoredTagReasons(ignoredTags.filter((t) => t.startsWith(GROUP_TAGS.mode)));
    return [
      `group ${groupName} is in forecast-only mode, which starts no automatic update (reason ${facts.reason})`,
      ...misread,
      'nothing was changed',
    ].join('; ');
  }
  if (config.dryRun) {
    return `dry run: the request for ${groupName} is valid, and nothing was changed (dryRun is on)`;
  }
  return waitedOnInstancesRefusal(config, group);
}

/**
 * Why a refresh of `group` would wait an hour on some of its instances, then fail, if it would:
 * instances protected from scale in under `Wait` (`protectedInstancesRefusal`), or in Standby
 * (`standbyInstancesRefusal`). Part of `rollingUpdateHold`; asked alone once the lock is held.
 */
export function waitedOnInstancesRefusal(config: UserConfig, group: GroupSnapshot): string | undefined {
  return protectedInstancesRefusal(config, group) ?? standbyInstancesRefusal(group);
}

/**
 * Instances protected from scale in under `Wait`, Auto Scaling's default: the refresh replaces the
 * others, waits an hour for their protection to go and fails, rolling back what it replaced, after
 * the window was spent. Refused before anything is touched instead, naming the way out.
 */
function protectedInstancesRefusal(config: UserConfig, group: GroupSnapshot): string | undefined {
  const count = group.protectedInstances ?? 0;
  if (count === 0 || config.rollingUpdate.scaleInProtectedInstances !== 'Wait') return undefined;
  return `${count} instance(s) of ${group.name} are protected from scale in: a refresh would wait an hour for their protection to go, then fail; set rollingUpdate.scaleInProtectedInstances to Ignore (they keep the old configuration) or Refresh (they are replaced too), or remove their protection`;
}

/**
 * Instances in Standby: Prescale sends no `StandbyInstances` preference, so the refresh keeps Auto
 * Scaling's default, `Wait`: it waits an hour for them to return to service, then fails, rolling
 * back what it replaced, after the window was spent. Refused before anything is touched instead,
 * naming the way out.
 */
function standbyInstancesRefusal(group: GroupSnapshot): string | undefined {
  const count = group.standbyInstances ?? 0;
  if (count === 0) return undefined;
  return `${count} instance(s) of ${group.name} are in Standby: a refresh would wait an hour for them to return to service, then fail; return them to service (ExitStandby) or detach them, then ask again`;
}
