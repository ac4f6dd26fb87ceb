import type { UserConfig } from '../contracts/user-config';
import type { AnomalyHandling } from '../core/forecast/types';
import type { HoldDecision } from '../core/planning/decide-hold';
import type { GroupWorkItem } from '../ports/group-work-queue';
import type { GroupSnapshot } from '../ports/scaling-target';
import type { ScheduledCapacity, ScheduledCapacityAction } from '../ports/scheduled-capacity';
import {
  type GroupState,
  prescaleWarmPoolMinSizeOn,
  type RunOutcome,
  type RunRecord,
  type StateStore,
} from '../ports/state-store';
import { judgedDays, recordFloor } from './forecast-floor-check';
import { originalMaxSizeAfter, raisedMaxSizeAfter } from './max-size-raise';
import { minSizeLeftInPlace } from './min-size-left-in-place';
import { ownWindowSteps, stepsLeftToScore } from './past-plan-steps';
import type { GroupRunPlan } from './plan-group-run';
import { type LookAheadResult, syncLookAhead } from './sync-look-ahead';
import { sizesWarmPool, warmPoolWayBack } from './warm-pool-change';

/** What recording a group's run needs of the loop's dependencies. */
export interface RecordGroupRunDeps {
  readonly stateStore: StateStore;
  /** Scheduled actions for the fail-static look-ahead; without it no look-ahead is written. */
  readonly scheduledCapacity?: ScheduledCapacity;
}

/** What recording a run did: the look-ahead's result and the outcome as recorded. */
export interface RecordedGroupRun {
  /** What happened to the look-ahead; undefined without `scheduledCapacity`. */
  readonly lookAhead: LookAheadResult | undefined;
  /**
   * The applied outcome, its reason naming the look-ahead actions a held or dry run deleted and a
   * MinSize above the group's own it left in place (`minSizeLeftInPlace`).
   */
  readonly outcome: RunOutcome;
}

/**
 * After a run: brings the fail-static look-ahead in line with the plan, then writes the group's
 * next state (controller quantile, steps left to score, MaxSize and MinSize to restore) and the
 * run record together (`StateStore.recordRun`). `clearedBeforePlanning`, present when the run
 * deleted the group's `prescale-` actions before it planned (held or dry run), counts them, so the
 * record names every one.
 */
export async function recordGroupRun(
  deps: RecordGroupRunDeps,
  config: UserConfig,
  group: GroupSnapshot,
  item: GroupWorkItem,
  run: GroupRunPlan,
  applied: {
    readonly hold: HoldDecision;
    readonly outcome: RunOutcome;
    /** The MinSize the run left on a warm pool it sized. */
    readonly warmPoolMinSize?: number;
  },
  options: {
    readonly clearedBeforePlanning?: number;
    /** The group's scheduled actions, read before planning. */
    readonly scheduledActions?: readonly ScheduledCapacityAction[];
  } = {},
): Promise<RecordedGroupRun> {
  const { plan, settings, nowMs } = run;
  const userMinSize = userMinSizeOf(run, group);
  const lookAhead = await syncGroupLookAhead(deps, config, group, run, applied, userMinSize, options);
  const leftInPlace = minSizeLeftInPlace(group, {
    hold: applied.hold,
    userMinSize,
    nowMs,
    ownerActions: run.ownerActions,
    ...(lookAhead ? { lookAhead } : {}),
  });
  const outcome = withReason(withLookAheadRemoval(applied.outcome, lookAhead), leftInPlace);

  const plannedCapacity = plan.perStepCapacity.map((c) =>
    Math.min(Math.max(c, settings.floorCapacity), plan.maxSize),
  );
  const nextState = nextGroupState(group, item, run, outcome, {
    userMinSize,
    plannedCapacity,
    lookAhead,
    warmPool: warmPoolStateAfter(run, group, applied),
    proceeded: applied.hold.kind === 'proceed',
  });
  const record = runRecordOf(group, item, run, outcome, plannedCapacity);
  await deps.stateStore.recordRun(
    group.name,
    nextState,
    record,
    nowMs + config.recordRetentionDays * 86_400_000,
  );
  return { lookAhead, outcome };
}

/**
 * The group's own MinSize, restored when the look-ahead ends: first seen, or (enrolled before it
 * was recorded, MinSize already Prescale's) no higher than the floor the user set. First seen
 * under a campaign's pre-warm (a group enrolled minutes before a late campaign), the MinSize the
 * pre-warm raised it from: the one read is the pre-warm's, and every hand-back would keep it.
 */
export function userMinSizeOf(
  run: Pick<GroupRunPlan, 'previous' | 'settings' | 'prewarmedFromMinSize'>,
  group: Pick<GroupSnapshot, 'minSize'>,
): number {
  const { previous, settings } = run;
  if (previous?.userMinSize !== undefined) return previous.userMinSize;
  if (previous !== undefined) return Math.min(group.minSize, settings.floorCapacity);
  return Math.min(group.minSize, run.prewarmedFromMinSize ?? group.minSize);
}

/**
 * The warm pool's way back after the run. Where Prescale sizes the pool: its own MinSize, first
 * seen, and the one Prescale put on it (or found on it: a pending write of unknown outcome that
 * landed, `prescaleWarmPoolMinSizeOn`). Where it no longer does, a run that went ahead gave the
 * pool back (`warmPoolGivenBack`) or found it its owner's: nothing left to track. A held or dry
 * run keeps what was tracked. No record keeps the pending write: the run read the pool after it.
 */
function warmPoolStateAfter(
  run: Pick<GroupRunPlan, 'previous' | 'plan'>,
  group: Pick<GroupSnapshot, 'warmPool'>,
  applied: { readonly outcome: RunOutcome; readonly warmPoolMinSize?: number },
): Pick<GroupState, 'userWarmPoolMinSize' | 'prescaleWarmPoolMinSize'> {
  const { previous, plan } = run;
  const { kind } = applied.outcome;
  if (!sizesWarmPool(group.warmPool, plan.maxSize) && kind !== 'held' && kind !== 'dry-run') return {};
  const set = applied.warmPoolMinSize ?? prescaleWarmPoolMinSizeOn(previous, group.warmPool?.minSize);
  return {
    ...warmPoolWayBack(previous, group, plan.maxSize),
    ...(set !== undefined ? { prescaleWarmPoolMinSize: set } : {}),
  };
}

/**
 * The outcome, its reason extended by the `prescale-` actions a held or dry run deleted: the one
 * change such a run makes to the group, so the run record says so.
 */
function withLookAheadRemoval(outcome: RunOutcome, lookAhead: LookAheadResult | undefined): RunOutcome {
  const removed = lookAhead?.kind === 'cleared' || lookAhead?.kind === 'dry-run' ? lookAhead.removed : 0;
  if (removed === 0) return outcome;
  return {
    ...outcome,
    reason: `${outcome.reason}; deleted ${removed} look-ahead action${removed === 1 ? '' : 's'} of earlier runs`,
  };
}

/** The outcome with `extra` added to its reason, when there is one. */
function withReason(outcome: RunOutcome, extra: string | undefined): RunOutcome {
  return extra === undefined ? outcome : { ...outcome, reason: `${outcome.reason}; ${extra}` };
}

/** The group's state after this run, as the next run reads it. */
function nextGroupState(
  group: GroupSnapshot,
  item: GroupWorkItem,
  run: GroupRunPlan,
  outcome: RunOutcome,
  written: {
    readonly userMinSize: number;
    readonly plannedCapacity: readonly number[];
    readonly lookAhead: LookAheadResult | undefined;
    readonly warmPool: Pick<GroupState, 'userWarmPoolMinSize' | 'prescaleWarmPoolMinSize'>;
    /** The run was neither held nor a dry run: the bounds it leaves are Prescale's. */
    readonly proceeded: boolean;
  },
): GroupState {
  const { previous, settings, forecast, nowMs } = run;
  const { userMinSize, lookAhead } = written;
  const maxSizes = { previous, plannedMaxSize: run.plan.maxSize };
  const originalMaxSize = originalMaxSizeAfter(group, maxSizes, outcome);
  const raisedMaxSize = raisedMaxSizeAfter(maxSizes, outcome, originalMaxSize);
  const nextScoredUntilMs = run.scoredUntilMs ?? previous?.scoredUntilMs;
  const ownSteps = ownWindowSteps(
    {
      tickMs: item.tickMs,
      forecastStartMs: forecast.startMs,
      stepSeconds: forecast.stepSeconds,
      plannedLoad: run.plannedLoad,
      medianLoad: forecast.mean,
      plannedCapacity: written.plannedCapacity,
    },
    run.tickIntervalMs,
  );
  const floorRecord = recordFloor(previous?.floorRecord, {
    tickMs: item.tickMs,
    tickIntervalMs: run.tickIntervalMs,
    floor: run.plannedFloor,
    floorCheckDays: judgedDays(settings, group),
  });
  return {
    planningQuantile: run.quantile.quantile,
    ...(nextScoredUntilMs !== undefined ? { scoredUntilMs: nextScoredUntilMs } : {}),
    unscoredSteps: stepsLeftToScore(run.pastSteps, ownSteps, nextScoredUntilMs, nowMs),
    ...(floorRecord !== undefined ? { floorRecord } : {}),
    ...(run.floorCheck !== undefined ? { floorCheck: run.floorCheck } : {}),
    ...(originalMaxSize !== undefined ? { originalMaxSize } : {}),
    ...(raisedMaxSize !== undefined ? { raisedMaxSize } : {}),
    ...prescaleMinSizeAfter(previous, group, { outcome, lookAhead, nowMs, proceeded: written.proceeded }),
    ...(run.leadTime.source === 'learned' ? { learnedLeadTimeSeconds: run.leadTime.leadTimeSeconds } : {}),
    userMinSize,
    ...written.warmPool,
    ...(run.ownerOneTimeMinSizes.length > 0 ? { ownerOneTimeMinSizes: run.ownerOneTimeMinSizes } : {}),
    ...(run.ownerRecurringStarts.length > 0 ? { ownerRecurringStarts: run.ownerRecurringStarts } : {}),
    ...(lookAhead?.kind === 'scheduled' ? { lookAheadUntilMs: lookAhead.coveredUntilMs } : {}),
    updatedAtMs: nowMs,
  };
}

/**
 * The MinSize Prescale leaves on the group after this run, and where the look-ahead's actions that
 * may run change it (`prescaleMinSizesAt`; a MinSize none of them set is the operator's, which no
 * give-back lowers: `lookAheadGiveBack`). A run that went ahead leaves the MinSize it set or found
 * (the look-ahead's actions that ran before it are in it); a held or dry run, which changes no
 * bounds, the last run's.
 */
function prescaleMinSizeAfter(
  previous: GroupState | undefined,
  group: Pick<GroupSnapshot, 'minSize'>,
  run: {
    readonly outcome: RunOutcome;
    readonly lookAhead: LookAheadResult | undefined;
    readonly nowMs: number;
    readonly proceeded: boolean;
  },
): Pick<GroupState, 'prescaleMinSize' | 'lookAheadMinSizes'> {
  const { outcome } = run;
  // A dry run with nothing to change comes back `unchanged` too: the MinSize it found is not Prescale's.
  const wentAhead = run.proceeded && (outcome.kind === 'applied' || outcome.kind === 'unchanged');
  const minSize =
    outcome.kind === 'applied'
      ? outcome.after.minSize
      : wentAhead
        ? group.minSize
        : previous?.prescaleMinSize;
  const lookAheads = lookAheadMinSizesAfter(previous, { ...run, wentAhead });
  return {
    ...(minSize !== undefined ? { prescaleMinSize: minSize } : {}),
    ...(lookAheads !== undefined && lookAheads.length > 0 ? { lookAheadMinSizes: lookAheads } : {}),
  };
}

/**
 * The look-ahead's MinSize changes that may still run, or have run since the MinSize the run
 * leaves: the plan it scheduled; none once turned off; where a held or dry run deleted the actions,
 * those that were due before it (they may have run); where the sync failed or left them, those a
 * run that went ahead has not passed yet, or all of them for one that did not.
 */
function lookAheadMinSizesAfter(
  previous: GroupState | undefined,
  run: {
    readonly lookAhead: LookAheadResult | undefined;
    readonly nowMs: number;
    readonly wentAhead: boolean;
  },
): GroupState['lookAheadMinSizes'] {
  const { lookAhead, nowMs, wentAhead } = run;
  if (lookAhead?.kind === 'scheduled') return lookAhead.minSizes;
  if (lookAhead?.kind === 'off') return undefined;
  const deleted = lookAhead?.kind === 'cleared' || lookAhead?.kind === 'dry-run';
  return previous?.lookAheadMinSizes?.filter(([startMs]) =>
    deleted ? startMs <= nowMs : !wentAhead || startMs > nowMs,
  );
}

/** This run's record: what was forecast and planned, and what happened to the group. */
function runRecordOf(
  group: GroupSnapshot,
  item: GroupWorkItem,
  run: GroupRunPlan,
  outcome: RunOutcome,
  plannedCapacity: number[],
): RunRecord {
  const { forecast } = run;
  return {
    groupName: group.name,
    tickMs: item.tickMs,
    mode: run.mode,
    forecastStartMs: forecast.startMs,
    stepSeconds: forecast.stepSeconds,
    plannedLoad: run.plannedLoad,
    medianLoad: forecast.mean,
    planningQuantile: run.quantile.quantile,
    plannedCapacity,
    raisesFloor: run.raisesFloor,
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
    ...(run.launchFailures ? { launchFailures: run.launchFailures } : {}),
  };
}

async function syncGroupLookAhead(
  deps: RecordGroupRunDeps,
  config: UserConfig,
  group: GroupSnapshot,
  run: GroupRunPlan,
  applied: { readonly hold: HoldDecision; readonly outcome: RunOutcome },
  userMinSize: number,
  read: {
    readonly clearedBeforePlanning?: number;
    readonly scheduledActions?: readonly ScheduledCapacityAction[];
  },
): Promise<LookAheadResult | undefined> {
  if (!deps.scheduledCapacity) return undefined;
  const { plan, settings, forecast } = run;
  const userMaxSize = run.previous?.originalMaxSize ?? group.maxSize;
  const maxSizeAfterRun = applied.outcome.kind === 'applied' ? plan.maxSize : group.maxSize;
  const currentMinSize = applied.outcome.kind === 'applied' ? plan.minSize : group.minSize;
  // A run on a stale history releases nothing, and neither does the look-ahead it writes: its
  // actions hold at least the MinSize the run leaves until the last one gives the group's own back.
  const floorCapacity = run.staleHistory
    ? Math.max(settings.floorCapacity, currentMinSize)
    : settings.floorCapacity;
  // Without a floor from the forecast there is no pre-warm to keep while Prescale is down; but a
  // MinSize still above the group's own (Prescale's raise stepping down after the floor switched
  // off) keeps a look-ahead of the floor alone, whose last action gives that MinSize back: deleted
  // with the rest, the raise would stay on the group for good if Prescale stopped meanwhile.
  const ownMinSize = Math.max(userMinSize, run.ownerMinSize?.minSize ?? userMinSize);
  const writesLookAhead = run.raisesFloor || currentMinSize > ownMinSize;
  return syncLookAhead(deps.scheduledCapacity, {
    groupName: group.name,
    hold: applied.hold,
    bounds: { minSize: group.minSize, maxSize: group.maxSize },
    left: run.previous,
    ...(read.clearedBeforePlanning !== undefined
      ? { clearedBeforePlanning: read.clearedBeforePlanning }
      : {}),
    ...(read.scheduledActions !== undefined ? { existing: read.scheduledActions } : {}),
    ownerActionsRan: run.ownerActionsRan,
    ownerRecurringStarts: run.ownerRecurringStarts,
    plan: {
      perStepCapacity: run.raisesFloor ? plan.perStepCapacity : plan.perStepCapacity.map(() => 0),
      forecastStartMs: forecast.startMs,
      stepSeconds: forecast.stepSeconds,
      nowMs: run.nowMs,
      leadTimeSeconds: run.leadTime.leadTimeSeconds,
      tickIntervalSeconds: run.tickIntervalMs / 1000,
      hours: writesLookAhead ? config.lookAhead.hours : 0,
      stepHours: config.lookAhead.stepHours,
      currentMinSize,
      floorCapacity,
      maxSize: userMaxSize,
      maxChangePerTick: settings.maxChangePerTick,
      scaleInPerTick: settings.scaleInPerTick,
      setsDesiredCapacity: !group.hasScalingPolicies,
      userMinSize,
      ...(maxSizeAfterRun > userMaxSize ? { raisedMaxSize: maxSizeAfterRun } : {}),
    },
  });
}

/** The run record's summary of a forecast's anomaly handling. */
function anomalySummary(handling: AnomalyHandling): NonNullable<RunRecord['anomalies']> {
  const kept = Object.values(handling.keptSteps).reduce((a, b) => a + b, 0);
  return { replacedSteps: handling.replacedSteps, keptSteps: kept, capReached: handling.capReached };
}
