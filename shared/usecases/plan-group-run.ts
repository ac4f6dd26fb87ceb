import type { UserConfig } from '../contracts/user-config';
import type { CampaignWindow, LoadObservation } from '../core/forecast/types';
import type { adaptPlanningQuantile } from '../core/planning/adapt-planning-quantile';
import type { BurstFloor } from '../core/planning/burst-floor';
import type { estimateLeadTime } from '../core/planning/estimate-lead-time';
import type { SteadyHoldJudgement } from '../core/planning/judge-steady-hold';
import type { OwnerOneTimeMinSize } from '../core/planning/owner-one-time-min-size';
import type { OwnerRecurringStart } from '../core/planning/owner-recurring-start';
import type { OwnerMinSizeRun, OwnerScheduledAction } from '../core/planning/owner-scheduled-min-size';
import type { CapacityPlan } from '../core/planning/plan-capacity';
import type { ScaleInHeadroomChoice } from '../core/planning/scale-in-headroom';
import type { GroupSnapshot, LaunchFailures } from '../ports/scaling-target';
import type { FloorCheck, GroupState, PlannedStep } from '../ports/state-store';
import { groupFloorCheck } from './forecast-floor-check';
import {
  campaignsKeepingFloor,
  groupCapacityPlan,
  prewarmHoldOf,
  type RunPlanInputs,
  runRaisesFloor,
} from './group-capacity-plan';
import type { GroupForecast } from './group-forecaster';
import { groupHeldLoad } from './group-held-load';
import { groupOwnerFloor } from './group-owner-floor';
import { groupBurstFloor, groupPlannedLoad, groupRecurringPeak, latestActual } from './group-planned-load';
import { type LeftReleases, leftReleasesFor } from './left-releases';
import type { LoadGrid } from './load-grid';
import { type ObservedRun, type ObserveGroupRunDeps, observeGroupRun } from './observe-group-run';
import { type PredictiveScaleIn, plainLearner, predictiveScaleIn } from './predictive-scale-in';
import type { ResolvedGroupSettings } from './resolve-group-settings';
import { type StaleHistory, staleHistorySentence } from './stale-history';
import type { ScaleInWindowLearner } from './warm-scale-in-window';

/** A group's settings as resolved for its run. */
type GroupSettings = ResolvedGroupSettings['settings'];

/** What planning a group's run needs of the loop's dependencies. */
export interface PlanGroupRunDeps extends ObserveGroupRunDeps {
  /**
   * Learns the window of predictive scale-in from the history grid (`warmScaleInWindows.learn` in a
   * worker, which counts only a group's newest steps again); @default `learnScaleInWindow`.
   */
  readonly learnScaleInWindow?: ScaleInWindowLearner;
}

/** A group's run planned: its settings, what the controller learned, the forecast and the capacity plan. */
export interface GroupRunPlan extends ResolvedGroupSettings {
  readonly nowMs: number;
  readonly tickIntervalMs: number;
  /** The group's state as the previous run left it; undefined on its first run. */
  readonly previous: GroupState | undefined;
  /** Past planned steps not scored before this run (carried into the next state). */
  readonly pastSteps: readonly PlannedStep[];
  /** Absolute errors of the past medians scored now. */
  readonly absErrors: readonly number[];
  readonly scoredUntilMs: number | undefined;
  readonly quantile: ReturnType<typeof adaptPlanningQuantile>;
  readonly leadTime: ReturnType<typeof estimateLeadTime>;
  readonly forecast: GroupForecast['forecast'];
  readonly raisedByUpstreams: GroupForecast['raisedByUpstreams'];
  readonly learnedLoadRatios: GroupForecast['learnedLoadRatios'];
  /** The load planned for, per forecast step (the controller's quantile, capped). */
  readonly plannedLoad: number[];
  /** The forecast step that holds now. */
  readonly nowStep: number;
  /** The window predictive scale-in read its recent peak over, in minutes; undefined when it is off. */
  readonly scaleInWindowMinutes: number | undefined;
  /**
   * Whether that window is the longer one learned for the hold after a launch (`learnScaleInWindow`'s
   * `afterLaunch`): the run comes within the policy's hold after a launch, and the group's releases
   * made there were regretted more often than allowed.
   */
  readonly scaleInHeldAfterLaunch: boolean;
  /**
   * Predictive scale-in's headroom below the target as backtested on the history (`scaleInHeadroom`);
   * undefined when scale-in ahead is off. Its `targetRatio` is the share the run served its peak at.
   */
  readonly scaleInHeadroom: ScaleInHeadroomChoice | undefined;
  /** The burst floor measured on the history; undefined when it is off or the metric step does not fit its window. */
  readonly burst: BurstFloor | undefined;
  /**
   * The load the plan held when it raised a step (`recentLoadHoldMinutes`, or the steady hold when
   * that judged it cheap); undefined otherwise.
   */
  readonly heldRecentLoad: number | undefined;
  /** The steady hold's judgement on the group's newest day, when it was asked (`groupHeldLoad`). */
  readonly steadyHold: SteadyHoldJudgement | undefined;
  /**
   * Whether the run raised the floor from its forecast (`runRaisesFloor`): false only with
   * `forecastFloor` off, the group's own policies and no campaign keeping the floor. The look-ahead
   * follows it (no floor, no pre-warm to keep).
   */
  readonly raisesFloor: boolean;
  /**
   * The newest judgement of the group's forecast floor against target tracking alone
   * (`groupFloorCheck`); when it stands the floor down, `plan` raises no floor (predictive scale-in stays).
   */
  readonly floorCheck: FloorCheck | undefined;
  /** The floor the plan asked for (its need now, within the user's floor and MaxSize), applied or not: the floor record's entry. */
  readonly plannedFloor: number;
  readonly plan: CapacityPlan;
  /** Launches that failed since the previous run; undefined when none did. */
  readonly launchFailures: LaunchFailures | undefined;
  /** The history stopped hours before now (`staleHistory`): the plan released nothing. Undefined when fresh. */
  readonly staleHistory: StaleHistory | undefined;
  /** The run of the owner's scheduled action whose MinSize the plan held as its floor, when above the configured one. */
  readonly ownerMinSize?: OwnerMinSizeRun;
  /** The owner's scheduled actions as the run knows them: listed, and one-time ones that ran and still hold. */
  readonly ownerActions: readonly OwnerScheduledAction[];
  /** Those of them that have run: Auto Scaling no longer lists them, the look-ahead keeps clear of them. */
  readonly ownerActionsRan: readonly OwnerScheduledAction[];
  /** The owner's one-time MinSizes the run passes on (`groupOwnerFloor`). */
  readonly ownerOneTimeMinSizes: readonly OwnerOneTimeMinSize[];
  /** The started recurring schedules' own StartTimes the run passes on (`groupOwnerFloor`). */
  readonly ownerRecurringStarts: readonly OwnerRecurringStart[];
  /** Campaign releases left to the loop that the plan performs (`leftReleasesFor`), if it may act. */
  readonly leftReleases: LeftReleases['releases'];
  /**
   * The lowest MinSize the unreleased campaign pre-warms on the group raised it from (the first
   * raise's: a later one's is the earlier's raise); undefined when none holds a raise.
   */
  readonly prewarmedFromMinSize?: number;
}

/**
 * Plans one group's run, reading but changing nothing: scores the steps past runs planned against
 * the load that came, adapts the planning quantile to the SLO budget, estimates the lead time,
 * forecasts, caps the planned load and plans capacity within the group's bounds.
 */
export async function planGroupRun(
  deps: PlanGroupRunDeps,
  config: UserConfig,
  group: GroupSnapshot,
  history: readonly LoadObservation[],
  forecastFor: (groupName: string) => Promise<GroupForecast>,
  ownerActions: readonly OwnerScheduledAction[] = [],
): Promise<GroupRunPlan> {
  const observed = await observeGroupRun(deps, config, group, history, forecastFor);
  const { nowMs, tickIntervalMs, previous, forecast, historyGrid } = observed;
  const { owner, ownerMinSize, seen } = withOwnerFloor(observed, group, ownerActions);
  const { settings } = seen.resolved;
  const { leadTime } = seen.launches;
  const { burst, plannedLoad, heldRecentLoad, steadyHold, scaleIn, floorCampaigns, inputs } = runPlanInputs(
    deps,
    group,
    history,
    seen,
  );
  const stale = seen.staleHistory;
  const { releases: leftReleases, ...released } = await leftReleasesFor(deps, settings, group, {
    staleHistory: stale,
    nowMs,
    floorCampaigns,
  });
  const judged = judgedCapacityPlan(settings, group, previous, { ...inputs, ...released }, historyGrid);
  const { floorCheck, standsDown, plannedFloor } = judged;
  // First in the run's reason: every other figure in it was read off load that stopped.
  const plan = stale
    ? { ...judged.plan, limits: [staleHistoryWarning(stale), ...judged.plan.limits] }
    : judged.plan;
  return {
    ...observed.resolved,
    ...(ownerMinSize ? { ownerMinSize } : {}),
    ownerActions: owner.actions,
    ownerActionsRan: owner.ran,
    ownerOneTimeMinSizes: owner.oneTime,
    ownerRecurringStarts: owner.recurringStarts,
    leftReleases,
    nowMs,
    tickIntervalMs,
    previous,
    ...seen.scored,
    leadTime,
    forecast,
    raisedByUpstreams: seen.raisedByUpstreams,
    learnedLoadRatios: seen.learnedLoadRatios,
    plannedLoad,
    nowStep: Math.max(0, Math.floor((nowMs - forecast.startMs) / (forecast.stepSeconds * 1000))),
    ...scaleInFields(scaleIn),
    burst,
    heldRecentLoad,
    steadyHold,
    raisesFloor: runRaisesFloor(standsDown ? { forecastFloor: false } : settings, group, floorCampaigns),
    floorCheck,
    plannedFloor,
    plan,
    launchFailures: seen.launches.failures,
    staleHistory: stale,
    ...prewarmedFrom(seen.campaigns),
  };
}

/**
 * The run as observed, planned with the owner's scheduled MinSize in effect as its floor where that
 * is above the group's own (the floor it plans with, not the one it reports); `ownerMinSize` only then.
 */
function withOwnerFloor(
  observed: ObservedRun,
  group: GroupSnapshot,
  ownerActions: readonly OwnerScheduledAction[],
) {
  const { previous, nowMs, tickIntervalMs } = observed;
  const owner = groupOwnerFloor(previous, ownerActions, group, { nowMs, tickIntervalMs });
  const above =
    owner.minSize !== undefined && owner.minSize.minSize > observed.resolved.settings.floorCapacity;
  if (!above || !owner.minSize) return { owner, ownerMinSize: undefined, seen: observed };
  const settings = { ...observed.resolved.settings, floorCapacity: owner.minSize.minSize };
  return {
    owner,
    ownerMinSize: owner.minSize,
    seen: { ...observed, resolved: { ...observed.resolved, settings } },
  };
}

/** `GroupRunPlan.prewarmedFromMinSize` of the group's campaigns. */
function prewarmedFrom(campaigns: readonly CampaignWindow[]): Pick<GroupRunPlan, 'prewarmedFromMinSize'> {
  const befores = campaigns.flatMap((c) => (c.prewarmMinSize ? [c.prewarmMinSize.before] : []));
  return befores.length > 0 ? { prewarmedFromMinSize: Math.min(...befores) } : {};
}

/** The run record's warning of a stale history: how old, the likely cause, what the run held. */
function staleHistoryWarning(stale: StaleHistory): string {
  return `${staleHistorySentence(stale)}; capacity held, not released, until it is fresh`;
}

/**
 * What the run plans from: the planned load (capped, held), predictive scale-in, the burst floor,
 * the campaigns keeping the floor, as `RunPlanInputs` and each on its own for the run's record.
 */
function runPlanInputs(
  deps: PlanGroupRunDeps,
  group: GroupSnapshot,
  history: readonly LoadObservation[],
  seen: ObservedRun,
) {
  const { nowMs, tickIntervalMs, forecast, historyGrid } = seen;
  const { settings } = seen.resolved;
  const { leadTime } = seen.launches;
  // Capacity launched now is in service one lead time from now, the next run's one tick later.
  const returnMs = leadTime.leadTimeSeconds * 1000 + tickIntervalMs;
  const burst = groupBurstFloor(settings, historyGrid);
  // A stale history's newest datapoint is not the load now: the forecast's median stands in.
  const currentLoad = seen.staleHistory ? undefined : latestActual(history);
  const { plannedLoad, heldRecentLoad, steadyHold } = groupHeldLoad(
    settings,
    group,
    groupPlannedLoad(settings, forecast, seen.scored.quantile.quantile, history, burst, {
      nowMs,
      currentLoad,
    }),
    forecast,
    { history, historyGrid },
    { nowMs, untilMs: nowMs + returnMs, leadTimeMs: leadTime.leadTimeSeconds * 1000 },
  );
  const scaleIn = groupPredictiveScaleIn(deps, seen, group.name, history, returnMs, burst);
  // A campaign pre-warmed, or within a run's reach (this run's launches or the next's, a tick
  // late), keeps the floor.
  const floorCampaigns = campaignsKeepingFloor(seen.campaigns, nowMs, nowMs + returnMs + tickIntervalMs);
  const prewarmHold = prewarmHoldOf(seen.campaigns, nowMs + returnMs);
  const inputs: RunPlanInputs = {
    plannedLoad,
    forecast,
    nowMs,
    tickIntervalMs,
    leadTimeSeconds: leadTime.leadTimeSeconds,
    warmLeadTimeSeconds: leadTime.warmLeadTimeSeconds,
    scaleIn,
    recurringPeak: groupRecurringPeak(settings, historyGrid, forecast, plannedLoad.length),
    warmingCapacity: seen.launches.warmingCapacity(nowMs),
    floorCampaigns,
    releaseHeld: seen.staleHistory !== undefined,
    ...(prewarmHold ? { prewarmHold } : {}),
  };
  return { burst, plannedLoad, heldRecentLoad, steadyHold, scaleIn, floorCampaigns, inputs };
}

/**
 * The run's capacity plan once its forecast floor is judged on the group's record
 * (`groupFloorCheck`): the plan as wanted, or, with the floor stood down, the plan of `forecastFloor`
 * off (the group's own policies scale out, Prescale only scales in ahead of them). `plannedFloor`
 * is the wanted plan's either way.
 */
function judgedCapacityPlan(
  settings: GroupSettings,
  group: GroupSnapshot,
  previous: GroupState | undefined,
  inputs: RunPlanInputs,
  historyGrid: LoadGrid,
): {
  readonly plan: CapacityPlan;
  readonly floorCheck: FloorCheck | undefined;
  readonly standsDown: boolean;
  readonly plannedFloor: number;
} {
  const wanted = groupCapacityPlan(settings, group, previous, inputs);
  const floorCheck = groupFloorCheck(settings, group, previous, historyGrid, {
    nowMs: inputs.nowMs,
    leadTimeMs: inputs.leadTimeSeconds * 1000,
  });
  const plannedFloor = Math.min(Math.max(wanted.requiredNow, settings.floorCapacity), wanted.maxSize);
  if (floorCheck?.standsDown !== true) return { plan: wanted, floorCheck, standsDown: false, plannedFloor };
  const plan = groupCapacityPlan({ ...settings, forecastFloor: false }, group, previous, inputs);
  const why = `no floor from the forecast: it did not pay on the group's record (${floorCheck.reason})`;
  return { plan: { ...plan, limits: [why, ...plan.limits] }, floorCheck, standsDown: true, plannedFloor };
}

/** The run plan's fields that say what predictive scale-in read (all undefined or false when it is off). */
function scaleInFields(
  scaleIn: PredictiveScaleIn | undefined,
): Pick<GroupRunPlan, 'scaleInWindowMinutes' | 'scaleInHeldAfterLaunch' | 'scaleInHeadroom'> {
  return {
    scaleInWindowMinutes: scaleIn !== undefined ? scaleIn.windowMs / 60_000 : undefined,
    scaleInHeldAfterLaunch: scaleIn?.heldAfterLaunch === true,
    scaleInHeadroom: scaleIn?.headroom,
  };
}

/**
 * Predictive scale-in for the run (`predictiveScaleIn`); undefined when it is off. A metric step
 * longer than its window cannot show a fall within it (an hourly average lags the newest minutes
 * by up to an hour), so predictive scale-in would cut what the policy just added: off there too.
 */
function groupPredictiveScaleIn(
  deps: PlanGroupRunDeps,
  seen: Pick<ObservedRun, 'resolved' | 'historySource' | 'historyGrid'>,
  groupName: string,
  history: readonly LoadObservation[],
  returnMs: number,
  burst: BurstFloor | undefined,
): PredictiveScaleIn | undefined {
  const { settings } = seen.resolved;
  const { grid, startMs } = seen.historyGrid;
  const stepMs = settings.stepSeconds * 1000;
  if (!settings.scaleInAhead || stepMs > settings.scaleInAheadWindowMinutes * 60_000) return undefined;
  const learner = deps.learnScaleInWindow ?? plainLearner;
  return predictiveScaleIn(
    settings,
    seen.historySource,
    grid,
    history,
    returnMs,
    burst?.bursty === true,
    (input) => learner(input, { key: groupName, startMs, stepMs }),
  );
}
