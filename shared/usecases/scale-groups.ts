import { workerTimeoutSeconds } from '../contracts/function-timeouts';
import type { UserConfig } from '../contracts/user-config';
import { MAX_UPSTREAM_GROUPS_PER_BATCH, nearestUpstreams } from '../core/dependencies/nearest-upstreams';
import type { DependencyEdge } from '../core/dependencies/types';
import { hasUsableLoad } from '../core/forecast/has-usable-load';
import type { LoadObservation } from '../core/forecast/types';
import { isLookAheadAction } from '../core/planning/diff-look-ahead';
import type { Clock } from '../ports/clock';
import type { GroupOwnership } from '../ports/group-ownership';
import type { GroupWorkItem } from '../ports/group-work-queue';
import type { HistoryQuery, MetricHistory } from '../ports/metric-history';
import type { GroupSnapshot, LaunchFailures, ScalingTarget } from '../ports/scaling-target';
import type { ScheduledCapacity } from '../ports/scheduled-capacity';
import type { FloorCheck, RunLease, RunOutcome, StateStore } from '../ports/state-store';
import { applyGroupPlan } from './apply-group-plan';
import { type ClearedBeforePlanning, clearHeldLookAhead } from './clear-held-look-ahead';
import {
  type CampaignWindowsFn,
  type ForecastFn,
  forecastHistoryQuery,
  type GroupForecast,
  groupForecaster,
} from './group-forecaster';
import { latestActual } from './group-planned-load';
import { isEnrolled } from './is-enrolled';
import { isGroupGone } from './is-group-gone';
import { noHistoryReason } from './no-history-reason';
import { planGroupRun } from './plan-group-run';
import { readHistoriesAndKillSwitch } from './read-histories-and-kill-switch';
import { recordGroupRun } from './record-group-run';
import { resolveGroupSettings } from './resolve-group-settings';
import type { StaleHistory } from './stale-history';
import type { LookAheadResult } from './sync-look-ahead';
import type { ScaleInWindowLearner } from './warm-scale-in-window';

export type { ForecastFn } from './group-forecaster';

export interface ScaleGroupsDeps {
  readonly scalingTarget: ScalingTarget;
  readonly metricHistory: MetricHistory;
  readonly stateStore: StateStore;
  readonly clock: Clock;
  readonly forecast: ForecastFn;
  /** Deployment-wide kill switch. */
  readonly isGloballyPaused: () => Promise<boolean>;
  /** Which deployment manages each group; a run that may act takes a group no deployment owns first. */
  readonly groupOwnership: GroupOwnership;
  /** Dependency edges (declared and discovered); @default the config's declared edges. */
  readonly dependencyEdges?: () => Promise<readonly DependencyEdge[]>;
  /** Active and upcoming campaigns per group; none when campaigns are not deployed. */
  readonly campaignsFor?: CampaignWindowsFn;
  /** Scheduled actions for the fail-static look-ahead; without it no look-ahead is written. */
  readonly scheduledCapacity?: ScheduledCapacity;
  /** Learns the window of predictive scale-in (see `PlanGroupRunDeps`); @default `learnScaleInWindow`. */
  readonly learnScaleInWindow?: ScaleInWindowLearner;
}

/** One group's result, for the log, metrics and the run record. */
export type GroupRunResult =
  | {
      readonly kind: 'ran';
      readonly groupName: string;
      readonly outcome: RunOutcome;
      readonly models: readonly string[];
      readonly forecastMedianNow: number;
      readonly forecastPlannedNow: number;
      readonly planningQuantile: number;
      readonly quantileReason: string;
      readonly plannedCapacity: number;
      readonly inServiceCapacity: number;
      /** The history's newest load; absent on a stale history (`staleHistory`): that is not the load now. */
      readonly actualLoad?: number;
      /** Mean absolute error of past medians against actual load, over the scored window. */
      readonly forecastAbsError?: number;
      readonly leadTimeSeconds: number;
      readonly lowConfidence: boolean;
      /** Predicted demand needs more than MaxSize (plus any allowed raise) can give. */
      readonly demandAboveMax: boolean;
      readonly raisedByUpstreams: readonly { readonly groupName: string; readonly steps: number }[];
      /**
       * Each incoming edge's learned load ratio (slope, r²) and whether it carried load; absent
       * when every incoming edge declares its ratio, or there is none.
       */
      readonly learnedLoadRatios?: GroupForecast['learnedLoadRatios'];
      /**
       * Upstream groups the batch did not describe or forecast, past `MAX_UPSTREAM_GROUPS_PER_BATCH`
       * (nearest kept first): their load did not reach this group's forecast. Absent when none.
       */
      readonly upstreamsLeftOut?: UpstreamsLeftOut;
      /** What the run did to the scheduled look-ahead; absent without `scheduledCapacity`. */
      readonly lookAhead?: LookAheadResult;
      /** The newest judgement of the group's forecast floor (`groupFloorCheck`); absent before the first or with the check off. */
      readonly floorCheck?: FloorCheck;
      /** Launches Auto Scaling could not make since the previous run (capacity planned that is not coming); absent when none failed. */
      readonly launchFailures?: LaunchFailures;
      /** The load history stopped hours before now, so the run released nothing (`staleHistory`); absent when fresh. */
      readonly staleHistory?: StaleHistory;
      /** Why the run's claim was not marked done (its lease runs out by itself); absent when it was. */
      readonly claimNotCompleted?: string;
    }
  /**
   * Not run: this tick's run is done or under way (a duplicate delivery), another tick's run of
   * the group holds it (work delivered late beside it), or a newer tick has run (stale work).
   */
  | { readonly kind: 'duplicate'; readonly groupName: string }
  /**
   * The group has no load history yet (new group, or metrics not collected): nothing to plan from.
   * `lookAhead` when the group is held or in dry run: its look-ahead was cleared all the same.
   */
  | {
      readonly kind: 'no-history';
      readonly groupName: string;
      readonly reason: string;
      readonly lookAhead?: LookAheadResult;
    }
  | { readonly kind: 'not-found'; readonly groupName: string }
  /**
   * Not run: the group left Prescale (its enrolment tag removed) after the dispatcher queued it.
   * The dispatcher's next tick gives its bounds back; acting on it now would be refused by the
   * tag-scoped IAM, a failure retried until dead-lettered for a group the user took out.
   */
  | { readonly kind: 'not-enrolled'; readonly groupName: string }
  | {
      readonly kind: 'failed';
      readonly groupName: string;
      readonly tickMs: number;
      readonly error: Error;
      /** What the run did to the look-ahead before it failed: cleared when the group is held or in dry run. */
      readonly lookAhead?: LookAheadResult;
    };

/** Upstream groups left out of a group's forecast, and why. */
export interface UpstreamsLeftOut {
  /** Nearest first, then by name. */
  readonly groupNames: readonly string[];
  readonly reason: string;
}

async function scaleOneGroup(
  deps: ScaleGroupsDeps,
  config: UserConfig,
  group: GroupSnapshot,
  item: GroupWorkItem,
  history: readonly LoadObservation[],
  globallyPaused: boolean,
  forecastFor: (groupName: string) => Promise<GroupForecast>,
  before: ClearedBeforePlanning,
  upstreamsLeftOut: UpstreamsLeftOut | undefined,
): Promise<GroupRunResult> {
  // Read before planning, held or not, not only for the look-ahead: the MinSize the owner's own
  // recurring actions set is the plan's floor, and a run held before planning may be applied yet
  // (the hold read again after planning: a lock gone, a lock read that failed). Only the read the
  // deletion of a held run's look-ahead made is not repeated.
  const scheduledActions =
    before.actionsLeft ??
    (deps.scheduledCapacity ? await deps.scheduledCapacity.scheduledActions(group.name) : undefined);
  const ownerActions = (scheduledActions ?? []).filter((a) => !isLookAheadAction(a.name));
  const run = await planGroupRun(deps, config, group, history, forecastFor, ownerActions);
  const applied = await applyGroupPlan(deps, config, group, run, globallyPaused);
  const cleared = before.lookAhead;
  const { lookAhead, outcome } = await recordGroupRun(deps, config, group, item, run, applied, {
    ...(cleared?.kind === 'cleared' ? { clearedBeforePlanning: cleared.removed } : {}),
    ...(scheduledActions ? { scheduledActions } : {}),
  });
  const { forecast, plan, nowStep, absErrors } = run;
  // ActualLoad is the load now: a stale history's newest datapoint is hours old, published as now
  // it would draw a flat line beside the forecast and a forecast error against the wrong step.
  const actualLoad = run.staleHistory ? undefined : latestActual(history);
  return {
    kind: 'ran',
    groupName: group.name,
    outcome,
    models: forecast.selection.models,
    forecastMedianNow: forecast.mean[nowStep] ?? 0,
    forecastPlannedNow: run.plannedLoad[nowStep] ?? 0,
    planningQuantile: run.quantile.quantile,
    quantileReason: run.quantile.reason,
    plannedCapacity: plan.minSize,
    inServiceCapacity: group.inServiceCapacity,
    ...(actualLoad !== undefined ? { actualLoad } : {}),
    ...(absErrors.length > 0
      ? { forecastAbsError: absErrors.reduce((a, b) => a + b, 0) / absErrors.length }
      : {}),
    leadTimeSeconds: run.leadTime.leadTimeSeconds,
    lowConfidence: forecast.selection.lowConfidence,
    demandAboveMax: plan.requiredNow > plan.maxSize,
    raisedByUpstreams: run.raisedByUpstreams,
    ...(run.learnedLoadRatios.length > 0 ? { learnedLoadRatios: run.learnedLoadRatios } : {}),
    ...(upstreamsLeftOut ? { upstreamsLeftOut } : {}),
    ...(lookAhead ? { lookAhead } : {}),
    ...(run.floorCheck ? { floorCheck: run.floorCheck } : {}),
    ...(run.launchFailures ? { launchFailures: run.launchFailures } : {}),
    ...(run.staleHistory ? { staleHistory: run.staleHistory } : {}),
  };
}

/**
 * One tick of the scaling loop for a batch of groups: load all histories in one batched call,
 * then per group claim its run (duplicates are skipped), delete its look-ahead when it is held or
 * in dry run (before planning, so a failing run cannot leave it to fire), forecast, plan, bound,
 * apply and mark the run done. Everything before the claims may fail as a whole (the queue moves
 * the batch to its dead-letter queue, nothing was claimed, and the next tick runs the groups
 * again; a failed history or kill-switch read still deletes
 * the look-ahead of the batch's held groups first), except a history read the source refuses for
 * one group's query: the groups are then read one by one and only that group fails; after that, one group's failure never stops the
 * others: it is returned as `failed` and its claim is released. A group runs one tick at a time,
 * in tick order (`claimRun`): a tick's work delivered late beside the next tick's, or after it,
 * does not run, so two runs never plan and write one group and its state side by side. A run
 * killed mid-batch (a timeout) leaves leases that a second delivery of the same work (SQS delivers
 * at least once) or the next tick takes over once they expire, one worker timeout after that
 * worker's start: each claim is judged at its own time, and one refused is tried again once after
 * the rest of the batch, so a tick whose work came while an older worker that started late still
 * held the group runs once that worker is gone, not only the tick after.
 */
export async function scaleGroups(
  deps: ScaleGroupsDeps,
  config: UserConfig,
  items: readonly GroupWorkItem[],
): Promise<GroupRunResult[]> {
  const nowMs = deps.clock.nowMs();
  const lease = runLease(config, nowMs);
  const results: GroupRunResult[] = [];
  if (items.length === 0) return results;

  const { edges, byName, queries, leftOut } = await batchGroups(deps, config, items, nowMs);
  const { histories, refused, globallyPaused } = await readHistoriesAndKillSwitch(
    deps,
    config,
    items,
    byName,
    {
      queries,
      nowMs,
    },
  );
  const forecastFor = groupForecaster(deps, config, byName, histories, edges, nowMs);

  const runItem = async (item: GroupWorkItem, retried = false): Promise<GroupRunResult> => {
    const group = byName.get(item.groupName);
    if (!group) return { kind: 'not-found', groupName: item.groupName };
    if (!isEnrolled(config, group)) return { kind: 'not-enrolled', groupName: group.name };
    const clearWhenHeld = () => clearHeldLookAhead(deps, config, group, { globallyPaused, nowMs });
    const refusal = refused.get(group.name);
    // Its own read was refused: this group fails (its work dead-lettered), the batch goes on.
    if (refusal) return claimAndScale(deps, item, lease, clearWhenHeld, () => Promise.reject(refusal));
    const history = histories.get(group.name) ?? [];
    if (!hasUsableLoad(history)) {
      const { lookAhead } = await clearWhenHeld();
      return {
        kind: 'no-history',
        groupName: group.name,
        reason: noHistoryReason(config, group, history.length),
        ...(lookAhead ? { lookAhead } : {}),
      };
    }
    return claimAndScale(deps, item, lease, clearWhenHeld, async (cleared) => {
      // Claimed on a retry, after the run that held the group: that run may have written the group
      // since the batch read it, and planning from the older read would undo its change.
      const [current] = retried ? await deps.scalingTarget.describeGroups({ names: [group.name] }) : [group];
      if (current?.name !== group.name) return { kind: 'not-found', groupName: group.name };
      if (!isEnrolled(config, current)) return { kind: 'not-enrolled', groupName: group.name };
      const cut = leftOut.get(group.name);
      return scaleOneGroup(deps, config, current, item, history, globallyPaused, forecastFor, cleared, cut);
    });
  };
  for (const item of items) results.push(await runItem(item));
  // A claim refused while an older tick's run held the group (its worker started late, or died
  // with its lease) is tried once more after the rest of the batch: that lease may have run out by
  // then, and the tick runs instead of being skipped. The claim's condition still decides.
  for (const [i, item] of items.entries()) {
    if (results[i]?.kind === 'duplicate') results[i] = await runItem(item, true);
  }
  return results;
}

/** The claim a run takes on each of its groups, from `nowMs`. */
function runLease(config: UserConfig, nowMs: number) {
  return {
    nowMs,
    // A live run never outlasts the worker's timeout; after it, the claim is abandoned.
    leaseUntilMs: nowMs + workerTimeoutSeconds(config.scheduleRateMinutes) * 1000,
    expiresAtMs: nowMs + config.recordRetentionDays * 86_400_000,
  };
}

/**
 * The batch's groups and the groups upstream of them (transitively: they are forecast too, in
 * memory only, so a campaign or surprise on a front end reaches its back ends even when they sit
 * in another batch), with the history query of each. At most `MAX_UPSTREAM_GROUPS_PER_BATCH`
 * upstream groups, nearest first (`nearestUpstreams`): a shared back end called by most of the
 * fleet would otherwise describe and read the whole fleet, past the worker's memory and timeout.
 * `leftOut` names, per batch group, the upstream groups cut.
 */
async function batchGroups(
  deps: ScaleGroupsDeps,
  config: UserConfig,
  items: readonly GroupWorkItem[],
  nowMs: number,
): Promise<{
  edges: readonly DependencyEdge[];
  byName: Map<string, GroupSnapshot>;
  queries: HistoryQuery[];
  leftOut: Map<string, UpstreamsLeftOut>;
}> {
  const edges = deps.dependencyEdges ? await deps.dependencyEdges() : config.dependencies.edges;
  const needed = nearestUpstreams(
    items.map((i) => i.groupName),
    edges,
  );
  const groups = await deps.scalingTarget.describeGroups({ names: [...needed.groupNames] });
  const queries = groups.map((group) =>
    forecastHistoryQuery(group.name, resolveGroupSettings(config, group.name, group.tags).settings, nowMs),
  );
  const leftOut = new Map<string, UpstreamsLeftOut>();
  for (const [name, groupNames] of needed.leftOut) {
    const reason = `${groupNames.length} upstream group(s) past the ${MAX_UPSTREAM_GROUPS_PER_BATCH} a batch forecasts (nearest kept first) were not read: their load is not in this forecast`;
    leftOut.set(name, { groupNames, reason });
  }
  return { edges, byName: new Map(groups.map((g) => [g.name, g])), queries, leftOut };
}

/**
 * Runs `scale` under the group's claim on its tick: a duplicate when a run holds the group or a
 * newer tick has claimed it, the
 * claim marked done after a success and released after a failure. `beforeScale` runs first, under
 * the claim (a duplicate delivery does not touch the group), and its result reaches `scale` and,
 * when `scale` fails, the failure.
 */
async function claimAndScale(
  deps: ScaleGroupsDeps,
  item: GroupWorkItem,
  lease: RunLease,
  beforeScale: () => Promise<ClearedBeforePlanning>,
  scale: (cleared: ClearedBeforePlanning) => Promise<GroupRunResult>,
): Promise<GroupRunResult> {
  const groupName = item.groupName;
  let claimedRun = false;
  let cleared: LookAheadResult | undefined;
  try {
    // The claim's own time, not the batch's start: a lease that ran out meanwhile is free to take.
    claimedRun = await deps.stateStore.claimRun(groupName, item.tickMs, {
      ...lease,
      nowMs: deps.clock.nowMs(),
    });
    if (!claimedRun) return { kind: 'duplicate', groupName };
    const before = await beforeScale();
    cleared = before.lookAhead;
    const result = await scale(before);
    return await completeRun(deps, item, result);
  } catch (error) {
    // Give the tick back so a second delivery of the work (SQS delivers at least once) runs it
    // again instead of skipping a duplicate.
    if (claimedRun) await deps.stateStore.releaseRun(groupName, item.tickMs).catch(() => undefined);
    // Deleted since it was described: gone, as if the read had missed it, not a failure to retry.
    if (isGroupGone(error, groupName)) return { kind: 'not-found', groupName };
    return {
      kind: 'failed',
      groupName,
      tickMs: item.tickMs,
      error: error as Error,
      ...(cleared ? { lookAhead: cleared } : {}),
    };
  }
}

/**
 * Marks the run done once it has scaled the group and recorded it. A failure to (DynamoDB throttled
 * past the SDK's retries) fails nothing: the group was changed and the run recorded, and the claim's
 * lease runs out by itself (the next tick's claim is newer). Giving the tick back and failing it
 * instead would dead-letter its work and count a run that succeeded in the loop's failure alarms.
 */
async function completeRun(
  deps: ScaleGroupsDeps,
  item: GroupWorkItem,
  result: GroupRunResult,
): Promise<GroupRunResult> {
  try {
    await deps.stateStore.completeRun(item.groupName, item.tickMs);
    return result;
  } catch (error) {
    const claimNotCompleted = `${(error as Error).name}: ${(error as Error).message}`;
    return result.kind === 'ran' ? { ...result, claimNotCompleted } : result;
  }
}
