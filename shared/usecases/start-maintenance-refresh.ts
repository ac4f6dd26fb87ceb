import { MAINTENANCE_SCAN_INTERVAL_HOURS } from '../contracts/maintenance-scan';
import type { RollingUpdateRequestInput } from '../contracts/rolling-update';
import { MAX_WAIT_HOURS, type UserConfig } from '../contracts/user-config';
import { executionName } from '../core/rolling-update/execution-name';
import { refreshedInstances } from '../core/rolling-update/refreshed-instances';
import type { RunningRollingUpdate } from '../ports/instance-catalog';
import type { ScheduledInstanceEvent } from '../ports/maintenance-events';
import type { GroupSnapshot } from '../ports/scaling-target';
import type { WorkflowStarter } from '../ports/workflow-starter';
import { configuredRefreshEstimate } from './plan-child-refresh';

/**
 * The refresh, as estimated, should be over this long before the first event: the estimate is of
 * today's desired capacity, and the window's headroom or slow health checks make it longer.
 */
const FINISH_BEFORE_EVENT_MS = 2 * 3_600_000;
/** A deadline closer than this starts the refresh at once. */
const MIN_WINDOW_MS = 3_600_000;
/**
 * How long before the latest start a request's deadline falls: the interval to the next scan and
 * an hour for its retries. The window choice defers a request that finds no low-load window by its
 * deadline, and the scan is what asks again; with a deadline at the latest start the next scan came
 * after it, too late for the event. So the deadline leaves the next scan its turn: a refresh
 * deferred at it (or one waiting while that scan skips the group as busy) is started by the next
 * scan, forced, before its latest start; and one whose latest start comes before the next scan is
 * forced now. Chosen over having the workflow proceed at a scheduled-maintenance deadline: a
 * deadline the week's cap set is not the event's, and proceeding there would start the refresh,
 * at any load, days before it had to.
 */
const FOLLOW_UP_MS = (MAINTENANCE_SCAN_INTERVAL_HOURS + 1) * 3_600_000;

/** What the scan's start of a group's refresh found under the day's execution name. */
export interface MaintenanceStart {
  /** `conflict`: the day's name for this group and version holds a request not the scan's (nothing started). */
  readonly kind: 'started' | 'already-started' | 'conflict';
  readonly groupName: string;
  readonly executionName: string;
  readonly instanceIds: readonly string[];
  readonly deadline: string;
  /** The execution that already held the name: its status (`RUNNING`, `SUCCEEDED`, …). */
  readonly existingStatus?: string;
}

/** The skip of a group another execution of the workflow updates (not unserved: it replaces the same instances). */
export interface MaintenanceBusySkip {
  readonly kind: 'skipped';
  readonly groupName: string;
  readonly reason: string;
}

/** What one scan reads once for all its groups that a start needs. */
export interface MaintenanceScanDay {
  readonly nowMs: number;
  /** The start of today (UTC), which execution names carry. */
  readonly dayMs: number;
  readonly running: () => Promise<readonly RunningRollingUpdate[]>;
}

/**
 * Starts the day's rolling update of a group whose events a refresh serves, unless another
 * execution of the workflow runs for it (not unserved: that one replaces the same instances).
 * Execution names carry the day, so a retried scan starts nothing twice: it reads
 * `already-started` when the day's name holds the scan's own request for the group and version,
 * and `conflict` when it holds another's.
 */
export async function startMaintenanceRefresh(
  starter: WorkflowStarter,
  config: UserConfig,
  scan: MaintenanceScanDay,
  group: GroupSnapshot,
  { version, replaced }: { readonly version: string; readonly replaced: readonly ScheduledInstanceEvent[] },
): Promise<MaintenanceStart | MaintenanceBusySkip> {
  const groupName = group.name;
  const name = executionName(groupName, version, scan.dayMs);
  const running = await scan.running();
  const isTheDays = (r: RunningRollingUpdate) => r.executionArn.endsWith(`:${name}`);
  // The day's own execution is left to the start, which tells the scan's own request from another's.
  const busy = running.find((r) => r.groupName === groupName && !isTheDays(r));
  // Not unserved: that execution replaces the same instances, and tells the topic if it defers.
  if (busy) return { kind: 'skipped', groupName, reason: alreadyRunning(busy) };
  const request = maintenanceRequest(config, group, version, replaced, scan);
  const start = await starter.start(name, request);
  // Step Functions answers the start of a running execution's name and input with success
  // ("considered idempotent"), starting nothing: listed running before, it is a retried scan's.
  // Another input is the day's scan's own request when it asks the same refresh for maintenance
  // (a retry's deadline or `force` moves with the clock): read from the holder, as the listing
  // may not show it yet and a person's request made at 00:00 UTC bears the same name.
  const rerun =
    (start.kind === 'started' && running.some(isTheDays)) ||
    (start.kind === 'conflict' && isScansRequest(start.existingInput, request));
  const existingStatus = rerun && start.kind === 'started' ? 'RUNNING' : start.existingStatus;
  return {
    kind: rerun ? 'already-started' : start.kind,
    groupName,
    executionName: name,
    instanceIds: [...new Set(replaced.map((e) => e.instanceId))].sort(),
    deadline: request.deadline,
    ...(existingStatus ? { existingStatus } : {}),
  };
}

/**
 * Why a group with a running rolling update gets no refresh: that update replaces its instances
 * too (a like-for-like refresh, or another version's), and a second would refresh the group again
 * once the first ends, since the scan's later days name new executions.
 */
export function alreadyRunning(update: RunningRollingUpdate): string {
  return `a rolling update of it is already running (${update.executionArn}); it replaces the instances EC2 scheduled events for, so no other was started`;
}

/** Whether the input of the execution holding the day's name asked the scan's refresh of `request`. */
function isScansRequest(
  existing: Readonly<Record<string, unknown>> | undefined,
  request: RollingUpdateRequestInput,
): boolean {
  return (
    existing?.reason === 'scheduled-maintenance' &&
    existing.groupName === request.groupName &&
    existing.launchTemplateVersion === request.launchTemplateVersion
  );
}

/**
 * The scan's request to refresh `group` on `version` ahead of `replaced`, its events a refresh
 * serves. The latest start leaves the whole refresh and two hours before the first event; the
 * deadline falls `FOLLOW_UP_MS` before it, and a deadline less than an hour away forces the start,
 * its deadline then the latest start (or now, when that has passed). Capped from the day's start,
 * not from now, so that a scan retried the same day asks the same and reads `already-started`.
 */
function maintenanceRequest(
  config: UserConfig,
  group: GroupSnapshot,
  version: string,
  replaced: readonly ScheduledInstanceEvent[],
  scan: Pick<MaintenanceScanDay, 'nowMs' | 'dayMs'>,
): RollingUpdateRequestInput & { readonly deadline: string } {
  const { nowMs, dayMs } = scan;
  const firstEventMs = Math.min(...replaced.map((e) => e.notBeforeMs || nowMs));
  const latestStartMs = firstEventMs - refreshDurationMs(config, group) - FINISH_BEFORE_EVENT_MS;
  // Retirement notices come about two weeks early: a deadline the workflow accepts, within a week.
  const deadlineMs = Math.min(latestStartMs - FOLLOW_UP_MS, dayMs + MAX_WAIT_HOURS * 3_600_000);
  const force = deadlineMs - nowMs < MIN_WINDOW_MS;
  return {
    groupName: group.name,
    launchTemplateVersion: version,
    reason: 'scheduled-maintenance',
    force,
    deadline: new Date(force ? Math.max(nowMs, latestStartMs) : deadlineMs).toISOString(),
  };
}

/**
 * The estimated refresh of the group's desired capacity and warm pool (`refreshedInstances`) under
 * the configured preferences, which the scan's request leaves unchanged (no checkpoints), as the
 * window choice estimates it.
 */
function refreshDurationMs(config: UserConfig, group: GroupSnapshot): number {
  return configuredRefreshEstimate(config, refreshedInstances(group)).durationSeconds * 1000;
}
