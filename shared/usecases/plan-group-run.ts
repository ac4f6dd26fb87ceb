import type { UserConfig } from '../contracts/user-config';
import { forecastQuantile } from '../core/forecast/forecast-quantile';
import { planningLoad } from '../core/forecast/planning-load';
import type { LoadObservation } from '../core/forecast/types';
import { adaptPlanningQuantile, DEFAULT_QUANTILE_CONTROLLER } from '../core/planning/adapt-planning-quantile';
import { type BurstFloor, burstFloor, burstPlannedLoad } from '../core/planning/burst-floor';
import { capPlannedLoad } from '../core/planning/cap-planned-load';
import { estimateLeadTime } from '../core/planning/estimate-lead-time';
import { learnScaleInWindow, type ScaleInWindowInput } from '../core/planning/learn-scale-in-window';
import { planCapacity } from '../core/planning/plan-capacity';
import { type ScaleInHeadroomChoice, scaleInHeadroom } from '../core/planning/scale-in-headroom';
import { scoreProvisioning } from '../core/planning/score-provisioning';
import { warmingCapacity } from '../core/planning/warming-capacity';
import type { Clock } from '../ports/clock';
import type { GroupSnapshot, ScalingTarget } from '../ports/scaling-target';
import type { GroupState, PlannedStep, StateStore } from '../ports/state-store';
import type { GroupForecast } from './group-forecaster';
import { joinPastSteps, PAST_PLAN_LOOKBACK_MS, unscoredPastSteps } from './past-plan-steps';
import { type ResolvedGroupSettings, resolveGroupSettings } from './resolve-group-settings';
import type { LoadGridPlace, ScaleInWindowLearner } from './warm-scale-in-window';

/** Launches the lead time is learned from (the newest). */
const LEAD_TIME_LAUNCHES = 20;
/** Launches read to count the warming instances: more than one burst's launches within a warmup. */
const RECENT_LAUNCHES = 50;

/** The most a CPU metric reads per instance, in percent: an overloaded group under-reports its load. */
const CPU_SATURATED_PERCENT = 100;

/** The band `capPlannedLoad` reads to judge whether the forecast can place a step (the old start quantile). */
const SPREAD_QUANTILE = 0.9;

/** What planning a group's run needs of the loop's dependencies. */
export interface PlanGroupRunDeps {
  readonly scalingTarget: ScalingTarget;
  readonly stateStore: StateStore;
  readonly clock: Clock;
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
  readonly plan: ReturnType<typeof planCapacity>;
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
): Promise<GroupRunPlan> {
  const nowMs = deps.clock.nowMs();
  const resolved = resolveGroupSettings(config, group.name, group.tags);
  const { settings } = resolved;
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
  const quantile = adaptPlanningQuantile(
    previous?.planningQuantile ?? settings.planningQuantile,
    // The steps scored now ended since the last run: the capacity in service now served them.
    scoreProvisioning(
      steps.map((step) => ({ ...step, servedCapacity: group.inServiceCapacity })),
      settings.targetLoadPerInstance,
    ),
    {
      ...DEFAULT_QUANTILE_CONTROLLER,
      minQuantile: settings.planningQuantileMin,
      maxQuantile: settings.planningQuantileMax,
    },
  );

  const warmupSeconds = group.defaultInstanceWarmupSeconds ?? 0;
  const launches = await deps.scalingTarget.recentLaunches(group.name, RECENT_LAUNCHES);
  const leadTime = estimateLeadTime(
    launches.slice(0, LEAD_TIME_LAUNCHES),
    warmupSeconds,
    settings.defaultLeadTimeSeconds,
  );

  const { forecast, raisedByUpstreams } = await forecastFor(group.name);
  const stepMs = settings.stepSeconds * 1000;
  // The history on its metric's grid, read by the burst floor and the learned scale-in window.
  const { grid, startMs: gridStartMs } = loadGrid(history, stepMs);
  const burst = groupBurstFloor(settings, grid);
  // A bursty group plans the mean load its bursts average to (`burstPlannedLoad`); any other, with
  // planForDailyPeaks, the per-step quantile raised to the daily-peak bound (`planningLoad`).
  const plannedLoad = burstPlannedLoad(
    capPlannedLoad(
      settings.planForDailyPeaks
        ? planningLoad(forecast, quantile.quantile)
        : forecastQuantile(forecast, quantile.quantile),
      forecast.mean,
      latestActual(history),
      settings.maxPlanningRatio,
      // Whether the forecast can place a step is judged on a fixed band, whatever the controller plans.
      forecastQuantile(forecast, SPREAD_QUANTILE),
    ),
    burst,
  );
  const nowStep = Math.max(0, Math.floor((nowMs - forecast.startMs) / (forecast.stepSeconds * 1000)));
  // A metric step longer than the window cannot show a fall within it (an hourly average lags the
  // newest minutes by up to an hour), so predictive scale-in would cut what the policy just added.
  const scaleIn =
    settings.scaleInAhead && stepMs <= settings.scaleInAheadWindowMinutes * 60_000
      ? predictiveScaleIn(
          settings,
          grid,
          history,
          leadTime.leadTimeSeconds * 1000 + tickIntervalMs,
          burst?.bursty === true,
          (input) =>
            (deps.learnScaleInWindow ?? plainLearner)(input, {
              key: group.name,
              startMs: gridStartMs,
              stepMs,
            }),
        )
      : undefined;
  const plan = planCapacity({
    plannedLoad,
    forecastStartMs: forecast.startMs,
    stepSeconds: forecast.stepSeconds,
    nowMs,
    targetLoadPerInstance: settings.targetLoadPerInstance,
    ...(settings.sloLoadPerInstance !== undefined ? { sloLoadPerInstance: settings.sloLoadPerInstance } : {}),
    leadTimeSeconds: leadTime.leadTimeSeconds,
    tickIntervalSeconds: tickIntervalMs / 1000,
    ...(scaleIn !== undefined && scaleIn.regainCapacity > 0
      ? { regainCapacity: scaleIn.regainCapacity }
      : {}),
    ...(scaleIn?.peakLoad !== undefined
      ? { recentPeakLoad: scaleIn.peakLoad, recentPeakTargetRatio: scaleIn.headroom.targetRatio }
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
      warmingCapacity: warmingCapacity(launches, nowMs, warmupSeconds, group.instanceWeights),
    },
  });
  return {
    ...resolved,
    nowMs,
    tickIntervalMs,
    previous,
    pastSteps,
    absErrors,
    scoredUntilMs,
    quantile,
    leadTime,
    forecast,
    raisedByUpstreams,
    plannedLoad,
    nowStep,
    scaleInWindowMinutes: scaleIn !== undefined ? scaleIn.windowMs / 60_000 : undefined,
    scaleInHeldAfterLaunch: scaleIn?.heldAfterLaunch === true,
    scaleInHeadroom: scaleIn?.headroom,
    burst,
    plan,
  };
}

/**
 * Predictive scale-in for this run: its window (`scaleInWindow`), the share of the target it
 * serves the window's peak at (`groupScaleInHeadroom`), and that peak over the history's newest
 * window (undefined when the window holds no finite observation).
 */
function predictiveScaleIn(
  settings: ResolvedGroupSettings['settings'],
  grid: readonly number[],
  history: readonly LoadObservation[],
  returnMs: number,
  bursty: boolean,
  learn: (input: ScaleInWindowInput) => ReturnType<typeof learnScaleInWindow>,
) {
  // Below its SLO, a group whose history never needed predictive scale-in's headroom goes without it.
  const headroom = groupScaleInHeadroom(settings, grid, returnMs);
  const window = scaleInWindow(settings, grid, returnMs, bursty, learn);
  return { ...window, headroom, peakLoad: recentPeak(history, window.windowMs) };
}

/**
 * The window of predictive scale-in, in ms, and whether it is the hold after a launch: learned from the history's burst spacing
 * (`learnScaleInWindow`) over the whole metric steps from `scaleInAheadWindowMinutes` to
 * `scaleInAheadMaxWindowMinutes`, or the shortest when that range holds one window; on a
 * bursty group (`burstFloor`) the longest, the hold of the group's own policy. Within the hold
 * after a launch (the newest steps rose above what the hold before them kept), the window learned
 * over the history's releases made there (`afterLaunch`), never shorter. And the capacity to take
 * back now (`regainCapacity`, 0 when none): where the group's deep releases under its saturating
 * CPU metric cost more than they save, what the hold kept before one the load has just come back
 * into (`learnScaleInWindow`'s `deepFall`).
 */
function scaleInWindow(
  settings: ResolvedGroupSettings['settings'],
  grid: readonly number[],
  returnMs: number,
  bursty: boolean,
  learn: (input: ScaleInWindowInput) => ReturnType<typeof learnScaleInWindow>,
): { readonly windowMs: number; readonly heldAfterLaunch: boolean; readonly regainCapacity: number } {
  const stepMs = settings.stepSeconds * 1000;
  const shortestSteps = Math.floor((settings.scaleInAheadWindowMinutes * 60_000) / stepMs);
  const longestSteps = Math.max(
    shortestSteps,
    Math.floor((settings.scaleInAheadMaxWindowMinutes * 60_000) / stepMs),
  );
  // Bursts return within the hour: release only what the policy's own hold would.
  if (bursty) return { windowMs: longestSteps * stepMs, heldAfterLaunch: false, regainCapacity: 0 };
  if (longestSteps === shortestSteps)
    return { windowMs: shortestSteps * stepMs, heldAfterLaunch: false, regainCapacity: 0 };
  const windowSteps = Array.from({ length: longestSteps - shortestSteps + 1 }, (_, i) => shortestSteps + i);
  const learned = learn({
    loadPerStep: grid,
    targetLoadPerInstance: settings.targetLoadPerInstance,
    ...(settings.sloLoadPerInstance !== undefined ? { sloLoadPerInstance: settings.sloLoadPerInstance } : {}),
    // CPU reads at most 100 % per instance: from k instances one return of the policy reaches at
    // most ⌈k × 100 / target⌉. Other metrics grow with the load and bring any capacity back in one.
    ...(settings.metric.kind === 'cpu' && settings.targetLoadPerInstance < 100
      ? { saturatedLoadPerInstance: CPU_SATURATED_PERCENT }
      : {}),
    targetRatio: settings.scaleInAheadTargetRatio,
    returnSteps: Math.max(1, Math.ceil(returnMs / stepMs)),
    windowSteps,
    maxRegretShare: settings.scaleInAheadMaxRegretShare,
  });
  // Within the hold after a launch, the window learned over the releases made there.
  const heldAfterLaunch = learned.launchedWithinHold && learned.afterLaunch.windowSteps > learned.windowSteps;
  return {
    windowMs: (heldAfterLaunch ? learned.afterLaunch.windowSteps : learned.windowSteps) * stepMs,
    heldAfterLaunch,
    // The load came back into a deep release whose like costs more than it saves: take it back.
    regainCapacity: learned.deepFall.regainCapacity,
  };
}

/**
 * The share of the target predictive scale-in serves its recent peak at (`scaleInHeadroom`):
 * `scaleInAheadTargetRatio`, or for a group whose target sits below its SLO and whose history's
 * leaner releases (the peak at that share of the SLO, capped at the target) needed the headroom
 * back within the lead time plus a tick no more often than the SLO budget allows, the lean one.
 * Backtested over the shortest window, whose releases are the leanest predictive scale-in makes.
 */
function groupScaleInHeadroom(
  settings: ResolvedGroupSettings['settings'],
  grid: readonly number[],
  returnMs: number,
): ScaleInHeadroomChoice {
  const stepMs = settings.stepSeconds * 1000;
  return scaleInHeadroom({
    loadPerStep: grid,
    targetLoadPerInstance: settings.targetLoadPerInstance,
    ...(settings.sloLoadPerInstance !== undefined ? { sloLoadPerInstance: settings.sloLoadPerInstance } : {}),
    targetRatio: settings.scaleInAheadTargetRatio,
    returnSteps: Math.max(1, Math.ceil(returnMs / stepMs)),
    windowSteps: Math.max(1, Math.floor((settings.scaleInAheadWindowMinutes * 60_000) / stepMs)),
    maxRegretShare: DEFAULT_QUANTILE_CONTROLLER.shortfallBudget,
  });
}

/**
 * The burst floor of the group's history (`burstFloor`) over windows of `burstFloorWindowMinutes`;
 * undefined when it is off (0) or the window holds fewer than two metric steps.
 */
function groupBurstFloor(
  settings: ResolvedGroupSettings['settings'],
  grid: readonly number[],
): BurstFloor | undefined {
  const windowSteps = Math.floor((settings.burstFloorWindowMinutes * 60_000) / (settings.stepSeconds * 1000));
  if (windowSteps < 2) return undefined;
  return burstFloor({
    loadPerStep: grid,
    targetLoadPerInstance: settings.targetLoadPerInstance,
    windowSteps,
    minBurstiness: settings.burstFloorMinBurstiness,
    seasonalPeriodSteps: Math.floor(86_400 / settings.stepSeconds),
    seasonalPeriods: settings.burstFloorSeasonalDays,
  });
}

/** `learnScaleInWindow`, which needs no place. */
const plainLearner: ScaleInWindowLearner = (input: ScaleInWindowInput, _place: LoadGridPlace) =>
  learnScaleInWindow(input);

/**
 * The history on a regular grid of `stepMs` from its oldest observation (`startMs`); missing steps
 * are NaN.
 */
function loadGrid(
  history: readonly LoadObservation[],
  stepMs: number,
): { readonly grid: number[]; readonly startMs: number } {
  let oldestMs = Number.POSITIVE_INFINITY;
  let newestMs = Number.NEGATIVE_INFINITY;
  for (const o of history) {
    oldestMs = Math.min(oldestMs, o.timestampMs);
    newestMs = Math.max(newestMs, o.timestampMs);
  }
  if (!(newestMs >= oldestMs)) return { grid: [], startMs: 0 };
  const grid = new Array<number>(Math.round((newestMs - oldestMs) / stepMs) + 1).fill(Number.NaN);
  for (const o of history) grid[Math.round((o.timestampMs - oldestMs) / stepMs)] = o.value;
  return { grid, startMs: oldestMs };
}

/** The newest finite load in the history. */
export function latestActual(history: readonly LoadObservation[]): number | undefined {
  let latest: LoadObservation | undefined;
  for (const o of history)
    if (Number.isFinite(o.value) && (!latest || o.timestampMs > latest.timestampMs)) latest = o;
  return latest?.value;
}

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
