import { healthyCapacity, instancesForLoad } from '../rolling-update/types';

/** A group as the update planner sees it. Capacities are in instances. */
export interface UpdateCandidateGroup {
  readonly groupName: string;
  readonly desiredCapacity: number;
  readonly maxSize: number;
  /** Share of desired capacity Auto Scaling keeps in service while it replaces instances, 0–100. */
  readonly minHealthyPercentage: number;
  /** Load one instance carries, in the group's load unit (> 0). */
  readonly targetLoadPerInstance: number;
  /** Price of one instance, USD per hour (≥ 0); headroom costs this per instance-hour. */
  readonly hourlyPriceUsd: number;
  /** Predicted p90 load at its peak within each slot, in the group's load unit; one value per slot. */
  readonly p90LoadBySlot: readonly number[];
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
  /** Whether the group can update in this slot without going below its p90 peak. */
  readonly feasible: boolean;
  /** Why not, when not feasible. */
  readonly reason?: string;
}

/**
 * The headroom one group needs to update in one slot. Auto Scaling keeps MinHealthyPercentage of
 * the desired capacity in service during a refresh, and the headroom raises desired capacity, so
 * `h` extra instances keep `floor((desired + h) × minHealthy / 100)` healthy (as `planHeadroom`
 * plans it). The update fits when that reaches `ceil(p90 / targetLoadPerInstance)` for some
 * `0 ≤ h ≤ MaxSize − desired`. `slotLabel` names the slot in the reason (`slotName`).
 */
export function slotRequirement(
  group: UpdateCandidateGroup,
  slotIndex: number,
  slotLabel = `slot ${slotIndex + 1}`,
): SlotRequirement {
  const p90Load = group.p90LoadBySlot[slotIndex] ?? 0;
  const desired = group.desiredCapacity;
  const pct = group.minHealthyPercentage;
  const required = instancesForLoad(p90Load, group.targetLoadPerInstance);
  const maxHeadroom = Math.max(0, group.maxSize - desired);
  const minHeadroom = minHeadroomFor(required, desired, pct);
  const feasible = minHeadroom <= maxHeadroom;
  const base = healthyCapacity(desired, pct);
  const atMax = healthyCapacity(desired + maxHeadroom, pct);
  return {
    groupName: group.groupName,
    slotIndex,
    p90Load,
    requiredHealthyInstances: required,
    healthyInstancesWithoutHeadroom: base,
    minHeadroomInstances: minHeadroom,
    maxHeadroomInstances: maxHeadroom,
    healthyInstancesAtMaxHeadroom: atMax,
    feasible,
    ...(feasible
      ? {}
      : {
          reason:
            `${slotLabel}: predicted p90 ${round(p90Load)} needs ${required} healthy instance(s) ` +
            `(${round(group.targetLoadPerInstance)} load each) > ${atMax} healthy at most ` +
            `(${pct}% of desired ${desired} + max headroom ${maxHeadroom} under MaxSize ${group.maxSize})`,
        }),
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
