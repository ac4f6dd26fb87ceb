import { EXTRA_INSTANCES_SUFFIX } from '../core/campaigns/campaign-windows';
import type { CampaignWindow } from '../core/forecast/types';
import type { PlanCapacityInput } from '../core/planning/capacity-plan-input';
import { type CapacityPlan, planCapacity, raisesForecastFloor } from '../core/planning/plan-capacity';
import type { GroupSnapshot } from '../ports/scaling-target';
import type { GroupState } from '../ports/state-store';
import type { GroupForecast } from './group-forecaster';
import type { PredictiveScaleIn } from './predictive-scale-in';
import type { ResolvedGroupSettings } from './resolve-group-settings';

/** A group's settings as resolved for its run. */
type GroupSettings = ResolvedGroupSettings['settings'];

/** What a run has worked out by the time it plans capacity. */
export interface RunPlanInputs {
  readonly plannedLoad: readonly number[];
  readonly forecast: GroupForecast['forecast'];
  readonly nowMs: number;
  readonly tickIntervalMs: number;
  /** A cold start's lead time (`estimateLeadTime`). */
  readonly leadTimeSeconds: number;
  /** A start out of the group's warm pool's, when learned (`estimateLeadTime`). */
  readonly warmLeadTimeSeconds: number | undefined;
  readonly scaleIn: PredictiveScaleIn | undefined;
  readonly recurringPeak: readonly number[] | undefined;
  readonly warmingCapacity: number;
  /** Campaigns that keep the floor with `forecastFloor` off (`campaignsKeepingFloor`). */
  readonly floorCampaigns: readonly string[];
  /** Whether the plan may raise but not lower capacity: the history stopped (`staleHistory`). */
  readonly releaseHeld: boolean;
  /** The MinSize the releases left to the loop that the run performs come down to (`leftReleasesFor`). */
  readonly releasedMinSize?: number;
  /** The MinSize campaigns' pre-warms raised the group to, kept until the plan reaches their start (`prewarmHoldOf`). */
  readonly prewarmHold?: PrewarmHold;
}

/** A MinSize the run keeps for campaigns' unreleased pre-warms, and the campaigns. */
export interface PrewarmHold {
  readonly minSize: number;
  readonly campaignIds: readonly string[];
}

/** The run's capacity plan (`planCapacity`) from what it worked out, within the group's bounds. */
export function groupCapacityPlan(
  settings: GroupSettings,
  group: GroupSnapshot,
  previous: GroupState | undefined,
  run: RunPlanInputs,
): CapacityPlan {
  const { scaleIn } = run;
  // A group without policies keeps the floor in `planCapacity`, which says so.
  const campaigns = run.floorCampaigns;
  const forecastFloor = forecastFloorFor(settings, campaigns);
  const plan = planCapacity({
    plannedLoad: run.plannedLoad,
    forecastStartMs: run.forecast.startMs,
    stepSeconds: run.forecast.stepSeconds,
    nowMs: run.nowMs,
    targetLoadPerInstance: settings.targetLoadPerInstance,
    ...(settings.sloLoadPerInstance !== undefined ? { sloLoadPerInstance: settings.sloLoadPerInstance } : {}),
    ...(run.recurringPeak !== undefined ? { recurringPeakLoad: run.recurringPeak } : {}),
    leadTimeSeconds: run.leadTimeSeconds,
    ...warmStartOf(group, run.warmLeadTimeSeconds),
    tickIntervalSeconds: run.tickIntervalMs / 1000,
    ...(scaleIn !== undefined && scaleIn.regainCapacity > 0
      ? { regainCapacity: scaleIn.regainCapacity }
      : {}),
    ...(scaleIn?.peakLoad !== undefined
      ? { recentPeakLoad: scaleIn.peakLoad, recentPeakTargetRatio: scaleIn.headroom.targetRatio }
      : {}),
    bounds: {
      ...capacityBounds(settings, group, previous, run.warmingCapacity),
      forecastFloor,
      ...(run.releasedMinSize !== undefined ? { releasedMinSize: run.releasedMinSize } : {}),
    },
  });
  const released = run.releaseHeld ? heldFromRelease(plan, group) : plan;
  const held = run.prewarmHold ? heldForPrewarm(released, group, run.prewarmHold) : released;
  if (settings.forecastFloor || campaigns.length === 0) return held;
  const kept = `floor from the forecast kept for campaign ${campaigns.join(', ')}`;
  return { ...held, limits: [...held.limits, kept] };
}

/**
 * What the group's warm pool serves (`PlanCapacityInput.warmStart`): the warm starts' lead time
 * and DesiredCapacity plus the pool's instances a scale-out can draw now (not those still
 * launching into it, `GroupSnapshot.warmPoolInstances`); none without a pool, its instance count
 * or warm starts seen.
 */
function warmStartOf(
  group: GroupSnapshot,
  warmLeadTimeSeconds: number | undefined,
): Pick<PlanCapacityInput, 'warmStart'> {
  if (!group.warmPool || group.warmPoolInstances === undefined || warmLeadTimeSeconds === undefined)
    return {};
  return {
    warmStart: {
      leadTimeSeconds: warmLeadTimeSeconds,
      capacity: group.desiredCapacity + group.warmPoolInstances,
    },
  };
}

/**
 * `plan` with MinSize and DesiredCapacity no lower than the group's (within the plan's MaxSize):
 * its raises stand, its releases wait for load that shows the fall (`staleHistory`). Says so in
 * `limits` when it held one.
 */
function heldFromRelease(plan: CapacityPlan, group: GroupSnapshot): CapacityPlan {
  const minSize = Math.max(plan.minSize, Math.min(group.minSize, plan.maxSize));
  const desiredCapacity = Math.max(
    plan.desiredCapacity,
    minSize,
    Math.min(group.desiredCapacity, plan.maxSize),
  );
  if (minSize === plan.minSize && desiredCapacity === plan.desiredCapacity) return plan;
  const why = `released nothing on stale load history: kept MinSize ${minSize} (planned ${plan.minSize}), DesiredCapacity ${desiredCapacity} (planned ${plan.desiredCapacity})`;
  return { ...plan, minSize, desiredCapacity, limits: [...plan.limits, why] };
}

/**
 * `plan` with MinSize no lower than the pre-warms' raise (`PrewarmHold`), the group's MinSize now
 * and the plan's MaxSize permitting (it keeps, never raises), DesiredCapacity no lower than that
 * MinSize. Says so in `limits` when it held one.
 */
function heldForPrewarm(plan: CapacityPlan, group: GroupSnapshot, hold: PrewarmHold): CapacityPlan {
  const minSize = Math.max(plan.minSize, Math.min(hold.minSize, group.minSize, plan.maxSize));
  if (minSize === plan.minSize) return plan;
  const desiredCapacity = Math.max(plan.desiredCapacity, minSize);
  const why = `kept MinSize ${minSize} (planned ${plan.minSize}) that the pre-warm of campaign ${hold.campaignIds.join(', ')} raised it to, until the plan reaches its start`;
  return { ...plan, minSize, desiredCapacity, limits: [...plan.limits, why] };
}

/**
 * What a run keeps of campaigns' unreleased pre-warms on the group: the MinSize they raised it to
 * (`PrewarmMinSize.after`, given only for a raise made for the campaign's current start), for each
 * pre-warmed campaign whose start is beyond the run's plan (`planUntilMs`: now + its lead time + a
 * tick), however far: the pre-warm fires the campaign's longest lead time before the start, which
 * may be hours beyond a short-lead group's reach (`campaignsKeepingFloor` looks an hour beyond). The pre-warm fires a lead
 * time before the start, the longest of the campaign's groups', and raises each group for the
 * start; a group of shorter lead time plans without the campaign until its plan reaches the start,
 * and would lower the raise meanwhile. From then its own plan for the window replaces the
 * pre-warm's, as on the group whose lead time set the pre-warm. Undefined when none holds.
 */
export function prewarmHoldOf(
  campaigns: readonly CampaignWindow[],
  planUntilMs: number,
): PrewarmHold | undefined {
  const holding = campaigns.flatMap((c) => {
    const after = c.prewarmMinSize?.after;
    const id = c.campaignId.replace(EXTRA_INSTANCES_SUFFIX, '');
    return after !== undefined && c.prewarmed === true && c.startMs >= planUntilMs ? [{ id, after }] : [];
  });
  if (holding.length === 0) return undefined;
  return {
    minSize: Math.max(...holding.map((h) => h.after)),
    campaignIds: [...new Set(holding.map((h) => h.id))],
  };
}

/**
 * How far beyond a run's reach a pre-warmed campaign's start may be and still keep the floor: a
 * pre-warm fires a lead time (minutes; `defaultLeadTimeSeconds` is at most an hour) before the
 * start, so a start further out is a campaign postponed since its pre-warm, whose own reach or
 * next pre-warm will raise the floor again.
 */
const PREWARMED_REACH_MS = 3_600_000;

/**
 * The campaigns (their ids) that keep a run's floor: those active at some instant of the run's
 * reach [nowMs, untilMs), and those whose pre-warm has raised the group and that start within
 * `PREWARMED_REACH_MS` after it (the pre-warm fires a lead time before the start, the longest of
 * the campaign's groups', so it can come before a group's own reach: lowering the floor then
 * would undo it until the reach raised it again).
 */
export function campaignsKeepingFloor(
  campaigns: readonly CampaignWindow[],
  nowMs: number,
  untilMs: number,
): string[] {
  const keep = (c: CampaignWindow) =>
    c.endMs > nowMs && c.startMs < untilMs + (c.prewarmed === true ? PREWARMED_REACH_MS : 0);
  // A campaign's extra instances are a window of their own under a suffixed id.
  const ids = campaigns.filter(keep).map((c) => c.campaignId.replace(EXTRA_INSTANCES_SUFFIX, ''));
  return [...new Set(ids)];
}

/**
 * Whether the run raises the group's floor from its forecast (`raisesForecastFloor`), with the
 * setting on while a campaign keeps the floor (`campaignsKeepingFloor`: the user asked for its
 * pre-warm, whose own action raises the floor a lead time before the start; off, the run would
 * lower it again).
 */
export function runRaisesFloor(
  settings: Pick<GroupSettings, 'forecastFloor'>,
  group: Pick<GroupSnapshot, 'hasScalingPolicies'>,
  floorCampaigns: readonly string[],
): boolean {
  return raisesForecastFloor({
    forecastFloor: forecastFloorFor(settings, floorCampaigns),
    hasScalingPolicies: group.hasScalingPolicies,
  });
}

/** The run's `forecastFloor`: the group's setting, on while a campaign keeps the floor. */
function forecastFloorFor(
  settings: Pick<GroupSettings, 'forecastFloor'>,
  floorCampaigns: readonly string[],
): boolean {
  return settings.forecastFloor || floorCampaigns.length > 0;
}

/** The bounds a run's capacity plan keeps: the group's, the user's and the state's. */
function capacityBounds(
  settings: GroupSettings,
  group: GroupSnapshot,
  previous: GroupState | undefined,
  warming: number,
): Parameters<typeof planCapacity>[0]['bounds'] {
  return {
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
    warmingCapacity: warming,
  };
}
