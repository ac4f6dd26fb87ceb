import type { UserConfig } from '../contracts/user-config';
import { validateDependencyGraph } from '../core/dependencies/validate-dependency-graph';
import type { Clock } from '../ports/clock';
import type { GroupWorkItem, GroupWorkQueue } from '../ports/group-work-queue';
import type { ScalingTarget } from '../ports/scaling-target';
import type { StateStore } from '../ports/state-store';
import {
  type ReleasedGroup,
  type ReleaseGroupsTakenOutDeps,
  releaseGroupsTakenOut,
} from './release-groups-taken-out';

export interface DispatchScalingRunDeps {
  readonly scalingTarget: Pick<ScalingTarget, 'findGroupNames'>;
  readonly queue: GroupWorkQueue;
  readonly clock: Clock;
  /** Where the loop's runs leave their state; when given, silent groups are reported. */
  readonly stateStore?: Pick<StateStore, 'getGroupState'>;
  /**
   * Gives back the groups this deployment owns that are no longer enrolled
   * (`releaseGroupsTakenOut`); under the kill switch or in a dry run only deletes their look-ahead
   * (but its give-back of MinSize), as held runs do. Absent, none is.
   */
  readonly release?: ReleaseGroupsTakenOutDeps & {
    readonly isGloballyPaused: () => Promise<boolean>;
    /**
     * The time now, for the give-back: the tick's time (`clock`) may be an interval and Lambda's
     * retries old, and an owner's scheduled MinSize that ran since would be undone.
     */
    readonly clock: Clock;
  };
}

/**
 * Work items SQS did not take, sent twice: the dispatch fails with it after reporting, so Lambda
 * retries it for the same tick and, failing still, its on-failure queue keeps the groups named.
 */
export class GroupsNotQueuedError extends Error {
  override readonly name = 'GroupsNotQueuedError';
  constructor(readonly groupNames: readonly string[]) {
    super(
      `SQS did not take the work items of ${groupNames.length} group(s), sent twice: ${groupNames.join(', ')}; they get no run this tick unless the dispatch's retry queues them`,
    );
  }
}

/** What one dispatch did. */
export interface DispatchResult {
  readonly tickMs: number;
  readonly enrolledGroups: number;
  /**
   * Groups `groups.names` names that Auto Scaling does not know (misspelt, deleted, in another
   * region): DescribeAutoScalingGroups leaves them out without an error, so this is the only word
   * of them. A name the tag enrols is found, whichever lookup found it.
   */
  readonly namedGroupsNotFound: readonly string[];
  readonly enqueued: number;
  readonly failedToEnqueue: readonly string[];
  /**
   * Enrolled groups whose last run is older than two loop intervals (Prescale silent for them);
   * groups never run yet are not counted. Empty without a state store.
   */
  readonly staleGroups: readonly string[];
  /** Groups this deployment owned that are no longer enrolled, and what giving each back did. */
  readonly takenOut: readonly ReleasedGroup[];
  /** Why no group taken out was looked for: a failed read (the kill switch's, the groups'). */
  readonly takenOutSkipped?: string;
  /**
   * Each dependency the configuration names on a group not enrolled this tick, with why: an edge
   * either end of which, or an X-Ray service whose group, is not among the groups found. The
   * runs leave it out (the queue's order, the workers' forecasts). Synth refuses them when groups
   * are enrolled by name only, so here they come from tag enrolment or a named group gone.
   */
  readonly dependenciesLeftOut: readonly string[];
}

/**
 * Starts one scaling-loop tick: finds the enrolled groups and queues one work item per group
 * (those SQS did not take sent once more; any still not queued are reported, `failedToEnqueue`).
 * The tick is the schedule time floored to the rate, so a retried or duplicated schedule delivery
 * produces the same work items and the workers' run claims turn it into a no-op. With a state
 * store it also reports the groups whose last run is older than two intervals (the health alarm).
 */
export async function dispatchScalingRun(
  deps: DispatchScalingRunDeps,
  config: UserConfig,
): Promise<DispatchResult> {
  const rateMs = config.scheduleRateMinutes * 60_000;
  const tickMs = Math.floor(deps.clock.nowMs() / rateMs) * rateMs;
  // Names only: the workers describe each group themselves when they run it.
  const groups = (
    await deps.scalingTarget.findGroupNames({
      names: config.groups.names,
      ...(config.groups.tag ? { tag: config.groups.tag } : {}),
    })
  ).map((name) => ({ name }));
  const enrolled = new Set(groups.map((g) => g.name));
  // Upstream groups first: workers forecast upstreams again when needed, but the order keeps a
  // front end's batch ahead of its back ends' when the queue is long.
  const graph = validateDependencyGraph(
    [...enrolled],
    config.dependencies.edges.filter((e) => enrolled.has(e.from) && enrolled.has(e.to)),
  );
  const rank = new Map(graph.kind === 'valid' ? graph.order.map((name, i) => [name, i]) : []);
  const items: GroupWorkItem[] = groups
    .map((g) => ({ groupName: g.name, tickMs }))
    .sort((a, b) => (rank.get(a.groupName) ?? 0) - (rank.get(b.groupName) ?? 0));
  // Once more for the entries SQS did not take: the next dispatch is a whole interval away.
  const notTaken = await deps.queue.enqueue(items);
  const failed = notTaken.length > 0 ? await deps.queue.enqueue(notTaken) : [];
  const staleGroups: string[] = [];
  if (deps.stateStore) {
    for (const group of groups) {
      const state = await deps.stateStore.getGroupState(group.name);
      if (state && state.updatedAtMs < tickMs - 2 * rateMs) staleGroups.push(group.name);
    }
  }
  return {
    tickMs,
    enrolledGroups: groups.length,
    // Against the groups enrolled, not the names lookup alone: both lookups return only groups
    // that exist, and a named group the tag found gets its run, so it is not missing.
    namedGroupsNotFound: [...new Set(config.groups.names)].filter((name) => !enrolled.has(name)),
    enqueued: items.length - failed.length,
    failedToEnqueue: failed.map((f) => f.groupName),
    staleGroups,
    ...(await groupsTakenOut(deps, config, enrolled)),
    dependenciesLeftOut: dependenciesLeftOut(config, [...enrolled]),
  };
}

/**
 * The dependencies naming a group not in `enrolled`, each as the graph check words it (`edge 1
 * (web → apii): unknown group "apii"; expected one of the enrolled groups (api, web)`) with what
 * the runs do with it. An X-Ray service is named only with discovery on: off, it is never read.
 */
function dependenciesLeftOut(config: UserConfig, enrolled: readonly string[]): string[] {
  const { edges, xray } = config.dependencies;
  const graph = validateDependencyGraph(enrolled, edges);
  const leftOut = (graph.kind === 'invalid' ? graph.problems : [])
    .filter((p) => p.kind === 'unknown-group')
    .map((p) => `${p.message}: the edge is left out of this tick's runs`);
  const known = new Set(enrolled);
  for (const [service, group] of Object.entries(xray?.enabled ? xray.serviceToGroup : {}))
    if (!known.has(group))
      leftOut.push(
        `xray.serviceToGroup ${service} → ${group}: unknown group "${group}", not enrolled: the edges X-Ray shows for ${service} are left out of this tick's runs`,
      );
  return leftOut;
}

/**
 * The release of the groups taken out; its failure is reported, the dispatch stands. Under the
 * kill switch or in a dry run their look-ahead still goes (it is Prescale's own mutation still to
 * happen, and no run of the group deletes it any more), the rest waits for a dispatch without them.
 */
async function groupsTakenOut(
  deps: DispatchScalingRunDeps,
  config: UserConfig,
  enrolled: ReadonlySet<string>,
): Promise<Pick<DispatchResult, 'takenOut' | 'takenOutSkipped'>> {
  if (!deps.release) return { takenOut: [] };
  try {
    const held = config.dryRun
      ? 'dry run: the look-ahead deleted, nothing else changed'
      : (await deps.release.isGloballyPaused())
        ? 'the kill switch is set: the look-ahead deleted, nothing else changed'
        : undefined;
    const options = { nowMs: deps.release.clock.nowMs(), ...(held !== undefined ? { held } : {}) };
    return { takenOut: await releaseGroupsTakenOut(deps.release, config, enrolled, options) };
  } catch (error) {
    return { takenOut: [], takenOutSkipped: `${(error as Error).name}: ${(error as Error).message}` };
  }
}
