import type { RollingUpdateRequestInput } from '../contracts/rolling-update';
import { MAX_WAIT_HOURS, type UserConfig } from '../contracts/user-config';
import { estimateRefreshDuration } from '../core/rolling-update/estimate-refresh-duration';
import { executionName } from '../core/rolling-update/execution-name';
import type { Clock } from '../ports/clock';
import { ResourceNotFoundError } from '../ports/errors';
import type { InstanceCatalog } from '../ports/instance-catalog';
import type { MaintenanceEvents, ScheduledInstanceEvent } from '../ports/maintenance-events';
import type { GroupSnapshot, ScalingTarget } from '../ports/scaling-target';
import type { WorkflowStarter } from '../ports/workflow-starter';
import { launchTemplateOf, runningVersion } from './group-launch-template';
import { rollingUpdateHold } from './update-hold';

/** What the daily maintenance scan reads and starts. */
export interface FindScheduledMaintenanceDeps {
  readonly scalingTarget: ScalingTarget;
  readonly maintenanceEvents: MaintenanceEvents;
  readonly launchTemplates: Pick<InstanceCatalog, 'launchTemplate'>;
  readonly starter: WorkflowStarter;
  readonly clock: Clock;
  /** The deployment-wide kill switch; a read that fails throws, never reads as "running". */
  readonly isGloballyPaused: () => Promise<boolean>;
  /** This deployment's name (its stack's): a group another deployment manages is refused. */
  readonly deployment: string;
}

/** What the scan did for one group with upcoming events. */
export type MaintenanceAction =
  | {
      /** `conflict`: the day's name for this group and version holds another request (nothing started). */
      readonly kind: 'started' | 'already-started' | 'conflict';
      readonly groupName: string;
      readonly executionName: string;
      readonly instanceIds: readonly string[];
      readonly deadline: string;
      /** The execution that already held the name: its status (`RUNNING`, `SUCCEEDED`, …). */
      readonly existingStatus?: string;
    }
  | { readonly kind: 'skipped'; readonly groupName: string; readonly reason: string };

/**
 * The refresh, as estimated, should be over this long before the first event: the estimate is of
 * today's desired capacity, and the window's headroom or slow health checks make it longer.
 */
const FINISH_BEFORE_EVENT_MS = 2 * 3_600_000;
/** A deadline closer than this starts the refresh at once. */
const MIN_WINDOW_MS = 3_600_000;

/** The explicit version the group runs, or why a refresh on it cannot be started. */
async function currentVersion(
  deps: FindScheduledMaintenanceDeps,
  group: GroupSnapshot,
): Promise<string | { readonly skipped: string }> {
  const template = launchTemplateOf(group);
  const unknown = { skipped: 'the current launch template version is unknown' };
  if (!template) return unknown;
  try {
    return (await runningVersion(deps.launchTemplates, template)) ?? unknown;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundError)) throw error;
    // The version exists but its image was deregistered: a refresh on it could launch nothing.
    return { skipped: `its launch template's ${error.resourceType} ${error.resourceId} no longer exists` };
  }
}

/**
 * Predictive maintenance: finds enrolled groups whose instances have upcoming EC2 scheduled
 * events (retirement, reboots) and starts the rolling-update workflow for each, refreshing the
 * group on its current version in a low-load window before the first event: the request's deadline
 * is its latest start, so it is the first event less the refresh's estimated duration
 * (`estimateRefreshDuration` of the group's desired capacity) and two hours more; a deadline
 * less than an hour away starts the refresh at once (`force`). Execution names carry the day, so a
 * retried scan starts nothing twice: the same request reads `already-started`, one whose deadline
 * or `force` moved since reads `conflict`, with the status of the execution that holds the day's
 * name (the same group to the same version). Does nothing unless `rollingUpdate.autoStartOnScheduledEvents`.
 * A group a rolling update's hold keeps (`rollingUpdateHold`: the kill switch, a pause, a refresh
 * in progress, forecast-only mode, dryRun, …) is skipped with the hold as the reason: the
 * workflow's validation would refuse it anyway.
 */
export async function findScheduledMaintenance(
  deps: FindScheduledMaintenanceDeps,
  config: UserConfig,
): Promise<MaintenanceAction[]> {
  if (!config.rollingUpdate.autoStartOnScheduledEvents) return [];
  const nowMs = deps.clock.nowMs();
  const byGroup = eventsByGroup(await deps.maintenanceEvents.upcomingEvents());
  if (byGroup.size === 0) return [];
  const enrolled = await deps.scalingTarget.describeGroups(config.groups);
  const groups = new Map(enrolled.map((g) => [g.name, g]));
  const globallyPaused = await deps.isGloballyPaused();
  const dayMs = Math.floor(nowMs / 86_400_000) * 86_400_000;
  const actions: MaintenanceAction[] = [];
  for (const [groupName, groupEvents] of [...byGroup].sort(([a], [b]) => a.localeCompare(b))) {
    const group = groups.get(groupName);
    if (!group) {
      actions.push({ kind: 'skipped', groupName, reason: 'not enrolled in Prescale' });
      continue;
    }
    const held = rollingUpdateHold(config, group, {
      deployment: deps.deployment,
      globallyPaused,
      reason: 'scheduled-maintenance',
    });
    if (held) {
      actions.push({ kind: 'skipped', groupName, reason: held });
      continue;
    }
    const version = await currentVersion(deps, group);
    if (typeof version !== 'string') {
      actions.push({ kind: 'skipped', groupName, reason: version.skipped });
      continue;
    }
    const firstEventMs = Math.min(...groupEvents.map((e) => e.notBeforeMs || nowMs));
    // The deadline is the latest start: the whole refresh must fit between it and the event.
    const latestStartMs = firstEventMs - refreshDurationMs(config, group) - FINISH_BEFORE_EVENT_MS;
    // Retirement notices come about two weeks early: a deadline the workflow accepts, within a week.
    const deadlineMs = Math.min(latestStartMs, nowMs + MAX_WAIT_HOURS * 3_600_000);
    const force = deadlineMs - nowMs < MIN_WINDOW_MS;
    const name = executionName(group.name, version, dayMs);
    const deadline = new Date(Math.max(nowMs, deadlineMs)).toISOString();
    const request: RollingUpdateRequestInput = {
      groupName: group.name,
      launchTemplateVersion: version,
      reason: 'scheduled-maintenance',
      force,
      deadline,
    };
    const start = await deps.starter.start(name, request);
    actions.push({
      kind: start.kind,
      groupName,
      executionName: name,
      instanceIds: [...new Set(groupEvents.map((e) => e.instanceId))].sort(),
      deadline,
      ...(start.existingStatus ? { existingStatus: start.existingStatus } : {}),
    });
  }
  return actions;
}

/**
 * The estimated refresh of the group's desired capacity under the configured preferences, which
 * the scan's request leaves unchanged (no checkpoints), as the window choice estimates it.
 */
function refreshDurationMs(config: UserConfig, group: GroupSnapshot): number {
  const { instanceWarmupSeconds, minHealthyPercentage, maxHealthyPercentage } = config.rollingUpdate;
  const estimate = estimateRefreshDuration({
    instances: group.desiredCapacity,
    instanceWarmupSeconds,
    minHealthyPercentage,
    maxHealthyPercentage,
  });
  return estimate.durationSeconds * 1000;
}

/** The events of instances in Auto Scaling groups, by group. */
function eventsByGroup(events: readonly ScheduledInstanceEvent[]): Map<string, ScheduledInstanceEvent[]> {
  const byGroup = new Map<string, ScheduledInstanceEvent[]>();
  for (const e of events) {
    if (e.groupName) byGroup.set(e.groupName, [...(byGroup.get(e.groupName) ?? []), e]);
  }
  return byGroup;
}
