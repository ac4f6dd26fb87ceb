import { GROUP_TAGS } from '../contracts/env';
import type { UserConfig } from '../contracts/user-config';
import type { Clock } from '../ports/clock';
import { ResourceNotFoundError } from '../ports/errors';
import type { InstanceCatalog, RunningRollingUpdate } from '../ports/instance-catalog';
import type {
  MaintenanceEvents,
  ScheduledEventCode,
  ScheduledInstanceEvent,
} from '../ports/maintenance-events';
import type { GroupSnapshot, ScalingTarget } from '../ports/scaling-target';
import type { WorkflowStarter } from '../ports/workflow-starter';
import { launchTemplateOf, runningVersion } from './group-launch-template';
import { isEnrolled } from './is-enrolled';
import {
  alreadyRunning,
  type MaintenanceScanDay,
  type MaintenanceStart,
  startMaintenanceRefresh,
} from './start-maintenance-refresh';
import { otherManagingDeployment, rollingUpdateHold } from './update-hold';

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
  /**
   * The rolling-update workflow's running executions, whoever started them, each with its group
   * (`StepFunctionsRunningExecutions`): one waiting for its window holds no lock yet.
   * @throws what listing or reading them throws (a running one is never guessed away).
   */
  readonly runningRollingUpdates: () => Promise<readonly RunningRollingUpdate[]>;
}

/** What the scan did for one group with upcoming events. */
export type MaintenanceAction =
  | MaintenanceStart
  | {
      readonly kind: 'skipped';
      readonly groupName: string;
      readonly reason: string;
      /**
       * Present when the group is enrolled and has events on instances a refresh would replace, yet
       * nothing was started for them (a hold, protected instances under `Wait`, no usable version):
       * the first such event. Absent for a group not enrolled, one another deployment manages, one
       * a rolling update of which is running (held or not: its own refresh in progress is a hold),
       * and one whose events are all on instances a refresh would not replace (by design).
       */
      readonly unserved?: UnservedEvent;
    }
  /** Reading or starting failed for this group (the others went on): the scan fails after them. */
  | { readonly kind: 'failed'; readonly groupName: string; readonly reason: string };

/** The first event of an enrolled group that the scan left unserved. */
export interface UnservedEvent {
  readonly code: ScheduledEventCode;
  readonly instanceId: string;
  /** When the event may happen at the earliest (ISO 8601). */
  readonly notBefore: string;
}

/** The skipped groups whose events a refresh would have served: what `MaintenanceGroupsUnserved` counts. */
export function unservedGroups(
  actions: readonly MaintenanceAction[],
): (MaintenanceAction & { readonly kind: 'skipped'; readonly unserved: UnservedEvent })[] {
  return actions.flatMap((a) => (a.kind === 'skipped' && a.unserved ? [{ ...a, unserved: a.unserved }] : []));
}

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
 * group on its current version in a low-load window before the first event: the latest start is
 * the first event less the refresh's estimated duration (`estimateRefreshDuration` of the group's
 * desired capacity and warm pool, `refreshedInstances`) and two hours more, and the request's
 * deadline falls the next scan's interval and an hour before it (`startMaintenanceRefresh`); a deadline
 * less than an hour away starts the refresh at once (`force`). Execution names carry the day, so a
 * retried scan starts nothing twice: it reads `already-started`, with the status of the execution
 * that holds the day's name, when that is the scan's own request for the group and version (the
 * same input listed running, or closed; or its deadline or `force` moved since), and `conflict`
 * when it is another's (a person's request made at 00:00 UTC). A group any other running execution of the workflow
 * updates (an earlier day's scan still waiting for its window, an update plan's child, a person's
 * or an event's request) is skipped, naming it: a day's execution waiting for low load holds no
 * lock, and each day names a new one. Does nothing unless `rollingUpdate.autoStartOnScheduledEvents`.
 * A group another Prescale deployment manages (its `prescale:deployment` tag) is skipped as one not
 * enrolled is: that deployment's scan serves it. A group a rolling update's hold keeps
 * (`rollingUpdateHold`: the kill switch, a pause, a refresh in progress, forecast-only mode,
 * dryRun, …) is skipped with the hold as the reason: the workflow's validation would refuse it
 * anyway. Every skip of an enrolled group that leaves an event a refresh would have served carries
 * that group's first such event as `unserved` (`unservedGroups`); not the skip of a group whose
 * events are all on instances a refresh does not replace, nor of one a rolling update of which is
 * running, held or not (an earlier day's execution in its refresh is held by that refresh).
 */
export async function findScheduledMaintenance(
  deps: FindScheduledMaintenanceDeps,
  config: UserConfig,
): Promise<MaintenanceAction[]> {
  if (!config.rollingUpdate.autoStartOnScheduledEvents) return [];
  const nowMs = deps.clock.nowMs();
  const byGroup = eventsByGroup(await deps.maintenanceEvents.upcomingEvents());
  if (byGroup.size === 0) return [];
  const groups = await enrolledWithEvents(deps.scalingTarget, config, [...byGroup.keys()]);
  const globallyPaused = await deps.isGloballyPaused();
  // Listed once, when a group first gets as far as a start or a hold.
  let listed: Promise<readonly RunningRollingUpdate[]> | undefined;
  const scan: ScanContext = {
    nowMs,
    dayMs: Math.floor(nowMs / 86_400_000) * 86_400_000,
    globallyPaused,
    running: () => {
      listed ??= deps.runningRollingUpdates();
      return listed;
    },
  };
  const actions: MaintenanceAction[] = [];
  for (const [groupName, groupEvents] of [...byGroup].sort(([a], [b]) => a.localeCompare(b))) {
    const group = groups.get(groupName);
    if (!group) {
      actions.push({ kind: 'skipped', groupName, reason: 'not enrolled in Prescale' });
      continue;
    }
    // One group's failure (a throttled start, a template read refused) leaves the others their turn.
    actions.push(
      await maintainGroup(deps, config, scan, group, groupEvents).catch(
        (error: Error): MaintenanceAction => ({
          kind: 'failed',
          groupName,
          reason: `${error.name}: ${error.message}`,
        }),
      ),
    );
  }
  return actions;
}

/**
 * Why a refresh of the group would not replace the instance the event is for, if so: one already
 * leaving the group (terminating, detaching), one in Standby (the refresh waits on it under Auto
 * Scaling's default `StandbyInstances: Wait`, then fails; a group with one is refused as a hold,
 * `standbyInstancesRefusal`, and this names the instance when the group was read before it went
 * into Standby), or one protected from scale in where `scaleInProtectedInstances` is `Ignore` (the
 * refresh leaves it on its old instance). Refreshing for it would change nothing for the event,
 * and the next day's scan would find it again and start another. An instance stopped or hibernated
 * in the warm pool (its events are read too: `IncludeAllInstances`) needs no refresh: the event
 * finds it stopped (a stop or retirement stops an EBS-backed instance, as every stopped one is),
 * and starting a stopped instance moves it to new hardware, as Auto Scaling does to bring it into
 * service (until 2026-12-07 such an event started a refresh of the whole group). A pool instance
 * running, or still launching into the pool, is served like any other.
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-retirement.html
 */
function notReplacedBecause(event: ScheduledInstanceEvent, config: UserConfig): string | undefined {
  const state = event.lifecycleState ?? '';
  if (/Terminat|Detach/.test(state)) return `already leaving the group (${state})`;
  if (state === 'Warmed:Stopped' || state === 'Warmed:Hibernated')
    return `stopped in the warm pool (${state}): the event finds it stopped, and the start that brings it into service moves it to healthy hardware`;
  if (state === 'Standby')
    return 'in Standby, which a refresh waits an hour on, then fails (return it to service first)';
  if (event.protectedFromScaleIn && config.rollingUpdate.scaleInProtectedInstances === 'Ignore')
    return 'protected from scale in, which a refresh leaves in place under scaleInProtectedInstances Ignore';
  return undefined;
}

/** What one scan reads once for all its groups. */
interface ScanContext extends MaintenanceScanDay {
  readonly globallyPaused: boolean;
}

/** Starts the refresh of one enrolled group with upcoming events, or says why not. */
async function maintainGroup(
  deps: FindScheduledMaintenanceDeps,
  config: UserConfig,
  scan: ScanContext,
  group: GroupSnapshot,
  groupEvents: readonly ScheduledInstanceEvent[],
): Promise<MaintenanceAction> {
  const { nowMs } = scan;
  const groupName = group.name;
  const replaced = groupEvents.filter((e) => notReplacedBecause(e, config) === undefined);
  const unserved = firstUnserved(replaced, nowMs);
  // A skip that leaves an event a refresh would have served says which (the scan warns and counts it).
  const skipped = (reason: string): MaintenanceAction => ({
    kind: 'skipped',
    groupName,
    reason,
    ...(unserved ? { unserved } : {}),
  });
  // Enrolled in two deployments: the one that owns the group serves (and counts) its events.
  const owner = otherManagingDeployment(group, deps.deployment);
  if (owner !== undefined) {
    return {
      kind: 'skipped',
      groupName,
      reason: `managed by Prescale deployment "${owner}" (its ${GROUP_TAGS.deployment} tag), whose own scan serves its events`,
    };
  }
  const held = rollingUpdateHold(config, group, {
    deployment: deps.deployment,
    globallyPaused: scan.globallyPaused,
    reason: 'scheduled-maintenance',
  });
  // Instances the refresh would wait on (protected under `Wait`, in Standby) included: the
  // workflow's validation would refuse it, so it is not started.
  if (held) return heldGroup(scan, groupName, held, skipped);
  if (replaced.length === 0) {
    const why = groupEvents.map((e) => `${e.instanceId} ${notReplacedBecause(e, config)}`);
    return {
      kind: 'skipped',
      groupName,
      reason: `no refresh replaces the instances with events: ${[...new Set(why)].join('; ')}`,
    };
  }
  const version = await currentVersion(deps, group);
  if (typeof version !== 'string') return skipped(version.skipped);
  return startMaintenanceRefresh(deps.starter, config, scan, group, { version, replaced });
}

/**
 * The skip of a held group: unserved, unless a rolling update of it runs, whoever started it (its
 * own refresh in progress, the hold, included): that update replaces the same instances, and tells
 * the topic if it defers, so the next scan, finding none running, counts the group if still held.
 * An instance refresh with no execution of the workflow behind it (an operator's, another tool's)
 * is counted: the scan cannot tell which instances it replaces, or whether it will succeed.
 */
async function heldGroup(
  scan: ScanContext,
  groupName: string,
  held: string,
  skipped: (reason: string) => MaintenanceAction,
): Promise<MaintenanceAction> {
  const running = (await scan.running()).find((r) => r.groupName === groupName);
  if (running) return { kind: 'skipped', groupName, reason: `${held}; ${alreadyRunning(running)}` };
  return skipped(held);
}

/** The first of `replaced` (the events a refresh would serve), as a skip reports it unserved. */
function firstUnserved(
  replaced: readonly ScheduledInstanceEvent[],
  nowMs: number,
): UnservedEvent | undefined {
  const first = replaced.reduce<ScheduledInstanceEvent | undefined>(
    (a, e) => (a === undefined || e.notBeforeMs < a.notBeforeMs ? e : a),
    undefined,
  );
  if (!first) return undefined;
  return {
    code: first.code,
    instanceId: first.instanceId,
    notBefore: new Date(first.notBeforeMs || nowMs).toISOString(),
  };
}

/**
 * The enrolled groups among `names` (those with events), described by name alone: describing every
 * enrolled group costs a DescribePolicies and a DescribeInstanceRefreshes each, for groups the scan
 * never looks at. Enrolment by tag is read from the named groups' tags (DescribeAutoScalingGroups,
 * 50 names a call), as `isEnrolled` reads it.
 */
async function enrolledWithEvents(
  scalingTarget: ScalingTarget,
  config: UserConfig,
  names: readonly string[],
): Promise<Map<string, GroupSnapshot>> {
  const { tag } = config.groups;
  const named = new Set(config.groups.names);
  const tagsByName = tag ? await scalingTarget.findGroupTags({ names }) : new Map<string, never>();
  const enrolled = names.filter((n) => named.has(n) || (tag && tagsByName.get(n)?.[tag.key] === tag.value));
  if (enrolled.length === 0) return new Map();
  const described = await scalingTarget.describeGroups({ names: enrolled });
  return new Map(described.filter((g) => isEnrolled(config, g)).map((g) => [g.name, g]));
}

/** The events of instances in Auto Scaling groups, by group. */
function eventsByGroup(events: readonly ScheduledInstanceEvent[]): Map<string, ScheduledInstanceEvent[]> {
  const byGroup = new Map<string, ScheduledInstanceEvent[]>();
  for (const e of events) {
    if (e.groupName) byGroup.set(e.groupName, [...(byGroup.get(e.groupName) ?? []), e]);
  }
  return byGroup;
}
