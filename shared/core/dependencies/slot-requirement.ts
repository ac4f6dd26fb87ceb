import type { RefreshDurationInput } from '../rolling-update/estimate-refresh-duration';
import { headroomRefreshDuration } from '../rolling-update/headroom-refresh-duration';
import type { RefreshedGroup } from '../rolling-update/refreshed-instances';
import { healthyCapacity, instancesForLoad } from '../rolling-update/types';

/** A group as the update planner sees it. Capacities are in instances. */
export interface UpdateCandidateGroup {
  readonly groupName: string;
  readonly desiredCapacity: number;
  readonly maxSize: number;
  /** Its warm pool, whose instances a refresh replaces too. */
  readonly warmPool?: RefreshedGroup['warmPool'];
  /** Share of desired capacity Auto Scaling keeps in service while it replaces instances, 0–100. */
  readonly minHealthyPercentage: number;
  /** Load one instance carries, in the group's load unit (> 0). */
  readonly targetLoadPerInstance: number;
  /** Price of one instance, USD per hour (≥ 0); headroom costs this per instance-hour. */
  readonly hourlyPriceUsd: number;
  /** Predicted p90 load at its peak within each slot, in the group's load unit; one value per slot. */
  readonly p90LoadBySlot: readonly number[];
  /**
   * The preferences its refresh runs with (MinHealthyPercentage is the group's own, above), to
   * check that the refresh of the headroom each slot needs fits in the slot.
   * @default no check of the refresh's duration
   */
  readonly refresh?: Omit<RefreshDurationInput, 'instances' | 'minHealthyPercentage'>;
}

/** The slot a requirement is for, as the planner offers it. */
export interface SlotContext {
  /** How the slot is named in a reason (`slotName`). @default `slot <index + 1>` */
  readonly label?: string;
  /** The slot's length; a refresh estimated longer does not fit. @default no limit */
  readonly seconds?: number;
}

/** What updating one group in one slot takes. */
export interface SlotRequirement {
  readonly groupName: string;
  readonly slotIndex: number;
  readonly p90Load: number;
  /** Healthy instances needed to carry the slot's p90 peak. */
  readonly requiredHealthyInstances: number;
  /** Instances that stay healthy at the current desired capacity during a refresh. */
  readonly healthyInstancesWithoutHeadroom: number;
  /** Fewest extra instances that make the healthy part carry the peak; Infinity when none do. */
  readonly minHeadroomInstances: number;
  /** MaxSize − desired (≥ 0): the most extra instances the group can hold. */
  readonly maxHeadroomInstances: number;
  /** Healthy instances at the most headroom MaxSize allows. */
  readonly healthyInstancesAtMaxHeadroom: number;
  /** Estimated refresh with the headroom the slot's peak needs, when the group's preferences are known. */
  readonly refreshSeconds?: number;
  /**
   * Whether the group can update in this slot without going below its p90 peak, with the
   * refresh of its headroom within the slot.
   */
  readonly feasible: boolean;
  /** Why not, when not feasible. */
  readonly reason?: string;
}

/**
 * The headroom one group needs to update in one slot. Auto Scaling keeps MinHealthyPercentage of
 * the desired capacity in service during a refresh, and the headroom raises desired capacity, so
 * `h` extra instances keep `floor((desired + h) × minHealthy / 100)` healthy (as `planHeadroom`
 * plans it). The update fits when that reaches `ceil(p90 / targetLoadPerInstance)` for some
 * `0 ≤ h ≤ MaxSize − desired`, and, with the group's refresh preferences and the slot's length,
 * when the refresh of the capacity that headroom raises the group to fits in the slot
 * (`headroomRefreshDuration`, as the child's window check estimates it): a child may start as
 * late as its slot's end, and a refresh longer than a slot would outlast the next one.
 */
export function slotRequirement(
  group: UpdateCandidateGroup,
  slotIndex: number,
  slot: SlotContext = {},
): SlotRequirement {
  const slotLabel = slot.label ?? `slot ${slotIndex + 1}`;
  const p90Load = group.p90LoadBySlot[slotIndex] ?? 0;
  const desired = group.desiredCapacity;
  const pct = group.minHealthyPercentage;
  const required = instancesForLoad(p90Load, group.targetLoadPerInstance);
  const maxHeadroom = Math.max(0, group.maxSize - desired);
  const minHeadroom = minHeadroomFor(required, desired, pct);
  const base = healthyCapacity(desired, pct);
  const atMax = healthyCapacity(desired + maxHeadroom, pct);
  const problems: string[] = [];
  if (minHeadroom > maxHeadroom) {
    problems.push(
      `predicted p90 ${round(p90Load)} needs ${required} healthy instance(s) ` +
        `(${round(group.targetLoadPerInstance)} load each) > ${atMax} healthy at most ` +
        `(${pct}% of desired ${desired} + max headroom ${maxHeadroom} under MaxSize ${group.maxSize})`,
    );
  }
  const refresh = refreshInSlot(group, p90Load, slot.seconds);
  if (refresh?.problem) problems.push(refresh.problem);
  const feasible = problems.length === 0;
  return {
    groupName: group.groupName,
    slotIndex,
    p90Load,
    requiredHealthyInstances: required,
    healthyInstancesWithoutHeadroom: base,
    minHeadroomInstances: minHeadroom,
    maxHeadroomInstances: maxHeadroom,
    healthyInstancesAtMaxHeadroom: atMax,
    ...(refresh ? { refreshSeconds: refresh.seconds } : {}),
    feasible,
    ...(feasible ? {} : { reason: `${slotLabel}: ${problems.join('; ')}` }),
  };
}

/**
 * The refresh of the headroom the slot's peak needs, and why it does not fit the slot when it
 * does not; undefined without the group's refresh preferences.
 */
function refreshInSlot(
  group: UpdateCandidateGroup,
  p90Load: number,
  slotSeconds: number | undefined,
): { readonly seconds: number; readonly problem?: string } | undefined {
  if (!group.refresh) return undefined;
  const estimate = headroomRefreshDuration({
    current: group,
    peakLoad: p90Load,
    targetLoadPerInstance: group.targetLoadPerInstance,
    refresh: { ...group.refresh, minHealthyPercentage: group.minHealthyPercentage },
  });
  const seconds = estimate.durationSeconds;
  if (slotSeconds === undefined || seconds <= slotSeconds) return { seconds };
  const raised = estimate.desiredCapacity > group.desiredCapacity;
  const what = raised
    ? `the refresh of the headroom its p90 ${round(p90Load)} needs (desired ${group.desiredCapacity} → ${estimate.desiredCapacity})`
    : `the refresh of desired ${group.desiredCapacity}`;
  const alone = raised
    ? ` (desired ${group.desiredCapacity} alone: ${Math.ceil(estimate.currentSeconds / 60)} minutes)`
    : '';
  return {
    seconds,
    problem: `${what} takes an estimated ${Math.ceil(seconds / 60)} minutes, longer than the slot's ${round(slotSeconds / 60)} minutes${alone}: started late in its slot, it would outlast the next one`,
  };
}

/** Smallest h ≥ 0 with floor((desired + h) × pct / 100) ≥ required; Infinity when pct is 0 and load is not. */
function minHeadroomFor(required: number, desired: number, pct: number): number {
  if (healthyCapacity(desired, pct) >= required) return 0;
  if (pct <= 0) return Number.POSITIVE_INFINITY;
  let h = Math.max(0, Math.ceil((required * 100) / pct - desired - 1e-9));
  while (healthyCapacity(desired + h, pct) < required) h += 1;
  while (h > 0 && healthyCapacity(desired + h - 1, pct) >= required) h -= 1;
  return h;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
