import { GROUP_TAGS } from '../contracts/env';
import type { UserConfig } from '../contracts/user-config';
import { workerTimeoutSeconds } from '../contracts/worker-timeout';
import type { DependencyEdge } from '../core/dependencies/types';
import { forecastQuantile } from '../core/forecast/forecast-quantile';
import { planningLoad } from '../core/forecast/planning-load';
import type { AnomalyHandling, CampaignWindow, LoadObservation } from '../core/forecast/types';
import { adaptPlanningQuantile, DEFAULT_QUANTILE_CONTROLLER } from '../core/planning/adapt-planning-quantile';
import { capPlannedLoad } from '../core/planning/cap-planned-load';
import { decideHold } from '../core/planning/decide-hold';
import { estimateLeadTime } from '../core/planning/estimate-lead-time';
import { planCapacity } from '../core/planning/plan-capacity';
import { scoreProvisioning } from '../core/planning/score-provisioning';
import { sizeWarmPool } from '../core/planning/size-warm-pool';
import type { Clock } from '../ports/clock';
import type { GroupWorkItem } from '../ports/group-work-queue';
import type { HistoryQuery, MetricHistory } from '../ports/metric-history';
import type { CapacityChange, GroupSnapshot, ScalingTarget } from '../ports/scaling-target';
import type { ScheduledCapacity } from '../ports/scheduled-capacity';
import type { GroupState, RunOutcome, RunRecord, StateStore } from '../ports/state-store';
import { type ForecastFn, type GroupForecast, groupForecaster } from './group-forecaster';
import {
  joinPastSteps,
  ownWindowSteps,
  PAST_PLAN_LOOKBACK_MS,
  stepsLeftToScore,
  unscoredPastSteps,
} from './past-plan-steps';
import { resolveGroupSettings } from './resolve-group-settings';
import { type LookAheadResult, syncLookAhead } from './sync-look-ahead';

export type { ForecastFn } from './group-forecaster';

export interface ScaleGroupsDeps {
  readonly scalingTarget: ScalingTarget;
  readonly metricHistory: MetricHistory;
  readonly stateStore: StateStore;
  readonly clock: Clock;
  readonly forecast: ForecastFn;
  /** Deployment-wide kill switch. */
  readonly isGloballyPaused: () => Promise<boolean>;
  /** Dependency edges (declared and discovered); @default the config's declared edges. */
  readonly dependencyEdges?: () => Promise<readonly DependencyEdge[]>;
  /** Active and upcoming campaigns per group; none when campaigns are not deployed. */
  readonly campaignsFor?: (groupName: string, fromMs: number, toMs: number) => Promise<CampaignWindow[]>;
  /** Scheduled actions for the fail-static look-ahead; without it no look-ahead is written. */
  readonly scheduledCapacity?: ScheduledCapacity;
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
      readonly actualLoad?: number;
      /** Mean absolute error of past medians against actual load, over the scored window. */
      readonly forecastAbsError?: number;
      readonly leadTimeSeconds: number;
      readonly lowConfidence: boolean;
      /** Predicted demand needs more than MaxSize (plus any allowed raise) can give. */
      readonly demandAboveMax: boolean;
      readonly raisedByUpstreams: readonly { readonly groupName: string; readonly steps: number }[];
      /** What the run did to the scheduled look-ahead; absent without `scheduledCapacity`. */
      readonly lookAhead?: LookAheadResult;
    }
  | { readonly kind: 'duplicate'; readonly groupName: string }
  /** The group has no load history yet (new group, or metrics not collected): nothing to plan from. */
  | { readonly kind: 'no-history'; readonly groupName: string }
  | { readonly kind: 'not-found'; readonly groupName: string }
  | { readonly kind: 'failed'; readonly groupName: string; readonly tickMs: number; readonly error: Error };

const HIGH_QUANTILE = 0.99;
/** The band `capPlannedLoad` reads to judge whether the forecast can place a step (the old start quantile). */
const SPREAD_QUANTILE = 0.9;
const MAX_WARM_POOL = 20;

/** The highest finite load of the observations within `windowMs` of the newest one. */
function recentPeak(history: readonly LoadObservation[], windowMs: number): number | undefined {
  let newestMs = Number.NEGATIVE_INFINITY;
  for (const o of history) if (Number.isFinite(o.value)) newestMs = Math.max(newestMs, o.timestampMs);
  let peak: number | undefined;
  for (const o of history) {
    if (Number.isFinite(o.value) && o.timestampMs > newestMs - windowMs) peak = Math.max(peak ?? 0, o.value);
  }
  return peak;
}

function latestActual(history: readonly LoadObservation[]): number | undefined {
  let latest: LoadObservation | undefined;
  for (const o of history)
    if (Number.isFinite(o.value) && (!latest || o.timestampMs > latest.timestampMs)) latest = o;
  return latest?.value;
}

function diffChange(
  group: GroupSnapshot,
  plan: { minSize: number; maxSize: number; desiredCapacity: number },
) {
  const change: { -readonly [K in keyof CapacityChange]: CapacityChange[K] } = {};
  if (plan.minSize !== group.minSize) change.minSize = plan.minSize;
  if (plan.maxSize !== group.maxSize) change.maxSize = plan.maxSize;
  if (plan.desiredCapacity !== group.desiredCapacity) change.desiredCapacity = plan.desiredCapacity;
  return change;
}

async function scaleOneGroup(
  deps: ScaleGroupsDeps,
  config: UserConfig,
  group: GroupSnapshot,
  item: GroupWorkItem,
  history: readonly LoadObservation[],
  globallyPaused: boolean,
  forecastFor: (groupName: string) => Promise<GroupForecast>,
): Promise<GroupRunResult> {
  const nowMs = deps.clock.nowMs();
  const { settings, mode, ignoredTags } = resolveGroupSettings(config, group.name, group.tags);
  const tickIntervalMs = config.scheduleRateMinutes * 60_000;
  const previous = await deps.stateStore.getGroupState(group.name);

  // Only steps not scored yet: each step feeds the controller once.
  const scoredSinceMs = Math.max(nowMs - PAST_PLAN_LOOKBACK_MS, previous?.scoredUntilMs ?? 0);
  const pastSteps = await unscoredPastSteps(
    deps.stateStore,
    group.name,
    previous,
    scoredSinceMs,
    tickIntervalMs,
  );
  const { steps, absErrors, scoredUntilMs } = joinPastSteps(pastSteps, history, scoredSinceMs);
  const controller = {
    ...DEFAULT_QUANTILE_CONTROLLER,
    minQuantile: settings.planningQuantileMin,
    maxQuantile: settings.planningQuantileMax,
  };
  const quantile = adaptPlanningQuantile(
    previous?.planningQuantile ?? settings.planningQuantile,
    // The steps scored now ended since the last run: the capacity in service now served them.
    scoreProvisioning(
      steps.map((step) => ({ ...step, servedCapacity: group.inServiceCapacity })),
      settings.targetLoadPerInstance,
    ),
    controller,
  );

  const warmupSeconds = group.defaultInstanceWarmupSeconds ?? 0;
  const launches = await deps.scalingTarget.recentLaunches(group.name, 20);
  const leadTime = estimateLeadTime(launches, warmupSeconds, settings.defaultLeadTimeSeconds);

  const { forecast, raisedByUpstreams } = await forecastFor(group.name);
  // With planForDailyPeaks, the per-step quantile raised to the daily-peak bound (`planningLoad`).
  const plannedLoad = capPlannedLoad(
    settings.planForDailyPeaks
      ? planningLoad(forecast, quantile.quantile)
      : forecastQuantile(forecast, quantile.quantile),
    forecast.mean,
    latestActual(history),
    settings.maxPlanningRatio,
    // Whether the forecast can place a step is judged on a fixed band, whatever the controller plans.
    forecastQuantile(forecast, SPREAD_QUANTILE),
  );
  const nowStep = Math.max(0, Math.floor((nowMs - forecast.startMs) / (forecast.stepSeconds * 1000)));
  // A metric step longer than the window cannot show a fall within it (an hourly average lags the
  // newest minutes by up to an hour), so predictive scale-in would cut what the policy just added.
  const windowMs = settings.scaleInAheadWindowMinutes * 60_000;
  const peakLoad =
    settings.scaleInAhead && settings.stepSeconds * 1000 <= windowMs
      ? recentPeak(history, windowMs)
      : undefined;
  const plan = planCapacity({
    plannedLoad,
    forecastStartMs: forecast.startMs,
    stepSeconds: forecast.stepSeconds,
    nowMs,
    targetLoadPerInstance: settings.targetLoadPerInstance,
    leadTimeSeconds: leadTime.leadTimeSeconds,
    tickIntervalSeconds: tickIntervalMs / 1000,
    ...(peakLoad !== undefined
      ? { recentPeakLoad: peakLoad, recentPeakTargetRatio: settings.scaleInAheadTargetRatio }
      : {}),
    bounds: {
      currentMinSize: group.minSize,
      currentMaxSize: group.maxSize,
      currentDesiredCapacity: group.desiredCapacity,
      floorCapacity: settings.floorCapacity,
      maxChangePerTick: settings.maxChangePerTick,
      scaleInPerTick: settings.scaleInPerTick,
      maxRaiseOverMaxSize: settings.maxRaiseOverMaxSize,
      ...(previous?.originalMaxSize !== undefined ? { originalMaxSize: previous.originalMaxSize } : {}),
      hasScalingPolicies: group.hasScalingPolicies,
      inServiceCapacity: group.inServiceCapacity,
    },
  });

  const lock = await deps.stateStore.getLock(group.name, nowMs);
  const hold = decideHold({
    mode,
    dryRun: config.dryRun,
    ...(group.tags[GROUP_TAGS.paused] !== undefined ? { pausedTagValue: group.tags[GROUP_TAGS.paused] } : {}),
    globallyPaused,
    instanceRefreshInProgress: group.instanceRefreshInProgress,
    ...(lock ? { lockHolder: lock.holder } : {}),
    suspendedProcesses: group.suspendedProcesses,
  });

  const change = diffChange(group, plan);
  const before = { minSize: group.minSize, maxSize: group.maxSize, desiredCapacity: group.desiredCapacity };
  const reasonParts = [
    `need ${plan.requiredNow} by ${new Date(nowMs + leadTime.leadTimeSeconds * 1000 + tickIntervalMs).toISOString()}`,
    `p${Math.round(quantile.quantile * 100)} plan`,
    `lead time ${leadTime.leadTimeSeconds}s (${leadTime.source})`,
    ...plan.limits,
    ...raisedByUpstreams.map((u) => `forecast raised by upstream ${u.groupName} on ${u.steps} steps`),
    ...ignoredTags.map((t) => `ignored tag ${t}`),
  ];
  let outcome: RunOutcome;
  let warmPoolMinSize: number | undefined;
  if (group.warmPool) {
    const leadSteps = Math.max(
      1,
      Math.ceil((leadTime.leadTimeSeconds + tickIntervalMs / 1000) / forecast.stepSeconds),
    );
    const high = forecastQuantile(forecast, HIGH_QUANTILE).slice(nowStep, nowStep + leadSteps);
    // A pool larger than the room left under MaxSize can never enter service: bound it there.
    const roomUnderMax = Math.max(0, plan.maxSize - plan.desiredCapacity);
    warmPoolMinSize = Math.min(
      roomUnderMax,
      sizeWarmPool(plan.minSize, high, settings.targetLoadPerInstance, MAX_WARM_POOL),
    );
  }
  const warmPoolChanges = warmPoolMinSize !== undefined && warmPoolMinSize !== group.warmPool?.minSize;
  if (hold.kind === 'hold') {
    outcome = { kind: 'held', reason: hold.reason };
  } else if (Object.keys(change).length === 0 && !warmPoolChanges) {
    outcome = { kind: 'unchanged', reason: reasonParts.join('; ') };
  } else if (hold.kind === 'dry-run') {
    outcome = {
      kind: 'dry-run',
      reason: `${hold.reason}; ${reasonParts.join('; ')}`,
      wouldSet: { ...change, ...(warmPoolChanges ? { warmPoolMinSize: warmPoolMinSize as number } : {}) },
    };
  } else {
    if (Object.keys(change).length > 0) await deps.scalingTarget.updateCapacity(group.name, change);
    if (warmPoolChanges && group.warmPool) {
      await deps.scalingTarget.setWarmPoolMinSize(group.name, warmPoolMinSize as number, group.warmPool);
    }
    outcome = {
      kind: 'applied',
      before,
      after: { minSize: plan.minSize, maxSize: plan.maxSize, desiredCapacity: plan.desiredCapacity },
      reason: reasonParts.join('; '),
    };
  }

  // The group's own MinSize, restored when the look-ahead ends: first seen, or (enrolled before it
  // was recorded, MinSize already Prescale's) no higher than the floor the user set.
  const userMinSize =
    previous?.userMinSize ??
    (previous === undefined ? group.minSize : Math.min(group.minSize, settings.floorCapacity));
  const userMaxSize = previous?.originalMaxSize ?? group.maxSize;
  const maxSizeAfterRun = outcome.kind === 'applied' ? plan.maxSize : group.maxSize;
  const lookAhead = deps.scheduledCapacity
    ? await syncLookAhead(deps.scheduledCapacity, {
        groupName: group.name,
        hold,
        plan: {
          perStepCapacity: plan.perStepCapacity,
          forecastStartMs: forecast.startMs,
          stepSeconds: forecast.stepSeconds,
          nowMs,
          leadTimeSeconds: leadTime.leadTimeSeconds,
          tickIntervalSeconds: tickIntervalMs / 1000,
          hours: config.lookAhead.hours,
          stepHours: config.lookAhead.stepHours,
          currentMinSize: outcome.kind === 'applied' ? plan.minSize : group.minSize,
          floorCapacity: settings.floorCapacity,
          maxSize: userMaxSize,
          maxChangePerTick: settings.maxChangePerTick,
          scaleInPerTick: settings.scaleInPerTick,
          setsDesiredCapacity: !group.hasScalingPolicies,
          userMinSize,
          ...(maxSizeAfterRun > userMaxSize ? { raisedMaxSize: maxSizeAfterRun } : {}),
        },
      })
    : undefined;

  const applied = outcome.kind === 'applied';
  const raisedMax = applied && plan.maxSize > (previous?.originalMaxSize ?? group.maxSize);
  const restoredMax =
    applied && previous?.originalMaxSize !== undefined && plan.maxSize === previous.originalMaxSize;
  const originalMaxSize = raisedMax
    ? (previous?.originalMaxSize ?? group.maxSize)
    : restoredMax
      ? undefined
      : previous?.originalMaxSize;
  const plannedCapacity = plan.perStepCapacity.map((c) =>
    Math.min(Math.max(c, settings.floorCapacity), plan.maxSize),
  );
  const nextScoredUntilMs = scoredUntilMs ?? previous?.scoredUntilMs;
  const ownSteps = ownWindowSteps(
    {
      tickMs: item.tickMs,
      forecastStartMs: forecast.startMs,
      stepSeconds: forecast.stepSeconds,
      plannedLoad,
      medianLoad: forecast.mean,
      plannedCapacity,
    },
    tickIntervalMs,
  );
  const nextState: GroupState = {
    planningQuantile: quantile.quantile,
    ...(nextScoredUntilMs !== undefined ? { scoredUntilMs: nextScoredUntilMs } : {}),
    unscoredSteps: stepsLeftToScore(pastSteps, ownSteps, nextScoredUntilMs, nowMs),
    ...(originalMaxSize !== undefined ? { originalMaxSize } : {}),
    ...(leadTime.source === 'learned' ? { learnedLeadTimeSeconds: leadTime.leadTimeSeconds } : {}),
    userMinSize,
    ...(lookAhead?.kind === 'scheduled' ? { lookAheadUntilMs: lookAhead.coveredUntilMs } : {}),
    updatedAtMs: nowMs,
  };
  await deps.stateStore.putGroupState(group.name, nextState);

  const expiresAtMs = nowMs + config.recordRetentionDays * 86_400_000;
  await deps.stateStore.putRunRecord(
    {
      groupName: group.name,
      tickMs: item.tickMs,
      mode,
      forecastStartMs: forecast.startMs,
      stepSeconds: forecast.stepSeconds,
      plannedLoad,
      medianLoad: forecast.mean,
      planningQuantile: quantile.quantile,
      plannedCapacity,
      models: forecast.selection.models,
      ...(forecast.anomalyHandling ? { anomalies: anomalySummary(forecast.anomalyHandling) } : {}),
      ...(forecast.dailyPeaks
        ? {
            dailyPeaks: forecast.dailyPeaks.map(({ startMs, peakLoad, peakAtMs }) => ({
              startMs,
              peakLoad,
              peakAtMs,
            })),
          }
        : {}),
      outcome,
    },
    expiresAtMs,
  );

  const actualLoad = latestActual(history);
  return {
    kind: 'ran',
    groupName: group.name,
    outcome,
    models: forecast.selection.models,
    forecastMedianNow: forecast.mean[nowStep] ?? 0,
    forecastPlannedNow: plannedLoad[nowStep] ?? 0,
    planningQuantile: quantile.quantile,
    quantileReason: quantile.reason,
    plannedCapacity: plan.minSize,
    inServiceCapacity: group.inServiceCapacity,
    ...(actualLoad !== undefined ? { actualLoad } : {}),
    ...(absErrors.length > 0
      ? { forecastAbsError: absErrors.reduce((a, b) => a + b, 0) / absErrors.length }
      : {}),
    leadTimeSeconds: leadTime.leadTimeSeconds,
    lowConfidence: forecast.selection.lowConfidence,
    demandAboveMax: plan.requiredNow > plan.maxSize,
    raisedByUpstreams,
    ...(lookAhead ? { lookAhead } : {}),
  };
}

/** The run record's summary of a forecast's anomaly handling. */
function anomalySummary(handling: AnomalyHandling): NonNullable<RunRecord['anomalies']> {
  const kept = Object.values(handling.keptSteps).reduce((a, b) => a + b, 0);
  return { replacedSteps: handling.replacedSteps, keptSteps: kept, capReached: handling.capReached };
}

/**
 * One tick of the scaling loop for a batch of groups: load all histories in one batched call,
 * then per group claim its run (duplicates are skipped), forecast, plan, bound, apply and mark the
 * run done. Everything before the claims may fail as a whole (the queue redelivers the batch and
 * nothing was claimed); after that, one group's failure never stops the others: it is returned as
 * `failed` and its claim is released. A run killed mid-batch (a timeout) leaves leases that a
 * redelivery takes over once they expire, one worker timeout later.
 */
export async function scaleGroups(
  deps: ScaleGroupsDeps,
  config: UserConfig,
  items: readonly GroupWorkItem[],
): Promise<GroupRunResult[]> {
  const nowMs = deps.clock.nowMs();
  const lease = {
    nowMs,
    // A live run never outlasts the worker's timeout; after it, the claim is abandoned.
    leaseUntilMs: nowMs + workerTimeoutSeconds(config.scheduleRateMinutes) * 1000,
    expiresAtMs: nowMs + config.recordRetentionDays * 86_400_000,
  };
  const results: GroupRunResult[] = [];
  if (items.length === 0) return results;

  // Upstream groups (transitively) are forecast too, in memory only, so a campaign or surprise on
  // a front end reaches its back ends even when they sit in another batch.
  const edges = deps.dependencyEdges ? await deps.dependencyEdges() : config.dependencies.edges;
  const needed = ancestorsOf(
    items.map((i) => i.groupName),
    edges,
  );
  const groups = await deps.scalingTarget.describeGroups({ names: [...needed] });
  const byName = new Map(groups.map((g) => [g.name, g]));
  const queries: HistoryQuery[] = [];
  for (const group of groups) {
    const { settings } = resolveGroupSettings(config, group.name, group.tags);
    const endMs = Math.floor(nowMs / (settings.stepSeconds * 1000)) * settings.stepSeconds * 1000;
    queries.push({
      groupName: group.name,
      metric: settings.metric,
      startMs: endMs - settings.historyDays * 86_400_000,
      endMs,
      stepSeconds: settings.stepSeconds,
    });
  }
  const histories = await deps.metricHistory.loadHistory(queries);
  const globallyPaused = await deps.isGloballyPaused();
  const forecastFor = groupForecaster(deps, config, byName, histories, edges, nowMs);

  for (const item of items) {
    const group = byName.get(item.groupName);
    if (!group) {
      results.push({ kind: 'not-found', groupName: item.groupName });
      continue;
    }
    const history = histories.get(group.name) ?? [];
    if (!history.some((o) => Number.isFinite(o.value))) {
      results.push({ kind: 'no-history', groupName: group.name });
      continue;
    }
    let claimedRun = false;
    try {
      claimedRun = await deps.stateStore.claimRun(group.name, item.tickMs, lease);
      if (!claimedRun) {
        results.push({ kind: 'duplicate', groupName: group.name });
        continue;
      }
      results.push(await scaleOneGroup(deps, config, group, item, history, globallyPaused, forecastFor));
      await deps.stateStore.completeRun(group.name, item.tickMs);
    } catch (error) {
      results.push({ kind: 'failed', groupName: group.name, tickMs: item.tickMs, error: error as Error });
      // Give the tick back so the queue's redelivery runs it again instead of skipping a duplicate.
      if (claimedRun) await deps.stateStore.releaseRun(group.name, item.tickMs).catch(() => undefined);
    }
  }
  return results;
}

/** The groups themselves and every group upstream of them. */
function ancestorsOf(names: readonly string[], edges: readonly DependencyEdge[]): Set<string> {
  const found = new Set(names);
  const queue = [...names];
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    for (const edge of edges) {
      if (edge.to === name && !found.has(edge.from)) {
        found.add(edge.from);
        queue.push(edge.from);
      }
    }
  }
  return found;
}
