import { type CapacityBounds, healthyCapacity, instancesForLoad } from './types';

/** What sizes the headroom: the capacity it starts from and the peak it must carry. */
export interface HeadroomNeed {
  readonly current: Pick<CapacityBounds, 'desiredCapacity' | 'maxSize'>;
  /** Predicted p90 load over the refresh (its peak), in the group's load unit. */
  readonly peakLoad: number;
  readonly targetLoadPerInstance: number;
  /** Percentage of desired capacity Auto Scaling keeps healthy during the refresh, 0–100. */
  readonly minHealthyPercentage: number;
}

/** Input of {@link planHeadroom}. */
export interface HeadroomInput extends HeadroomNeed {
  readonly current: CapacityBounds;
}

/** The capacity to hold during a refresh; `original` is what to restore. */
export interface HeadroomPlan {
  /** `raised`: min/desired go up; `unchanged`: enough already; `capped`: MaxSize stops short of the need. */
  readonly kind: 'raised' | 'unchanged' | 'capped';
  readonly minSize: number;
  readonly desiredCapacity: number;
  /** Instances that must stay healthy to carry the peak load. */
  readonly requiredHealthyCapacity: number;
  /** Instances that stay healthy at the planned desired capacity. */
  readonly healthyCapacity: number;
  readonly original: CapacityBounds;
  readonly reason: string;
}

/** Smallest desired capacity whose healthy part is at least `required` (Infinity when none is). */
function desiredForHealthy(required: number, minHealthyPercentage: number): number {
  if (required <= 0) return 0;
  if (minHealthyPercentage <= 0) return Number.POSITIVE_INFINITY;
  let desired = Math.ceil((required * 100) / minHealthyPercentage - 1e-9);
  while (healthyCapacity(desired, minHealthyPercentage) < required) desired += 1;
  return desired;
}

/**
 * The desired capacity headroom raises a group to for a refresh: the smallest whose healthy part
 * (desired × MinHealthyPercentage) carries the p90 peak, never below the desired capacity now nor
 * above MaxSize. It is also what the refresh replaces.
 */
export function headroomDesiredCapacity(input: HeadroomNeed): number {
  const required = instancesForLoad(input.peakLoad, input.targetLoadPerInstance);
  const needed = desiredForHealthy(required, input.minHealthyPercentage);
  return Math.min(input.current.maxSize, Math.max(input.current.desiredCapacity, needed));
}

/**
 * Headroom for a refresh: raises desired capacity until the part Auto Scaling keeps healthy
 * (desired × MinHealthyPercentage) carries the predicted p90 peak, and raises MinSize to the same
 * value so nothing scales in meanwhile. Never lowers either value and never goes above MaxSize;
 * when MaxSize is not enough the plan is `capped` at MaxSize and says so.
 * Invariants: minSize ≤ desiredCapacity ≤ maxSize (given current min ≤ max); healthy capacity ≥
 * required whenever the result is not `capped`.
 */
export function planHeadroom(input: HeadroomInput): HeadroomPlan {
  const { current, minHealthyPercentage } = input;
  const required = instancesForLoad(input.peakLoad, input.targetLoadPerInstance);
  const needed = desiredForHealthy(required, minHealthyPercentage);
  const capped = needed > current.maxSize;
  const desiredCapacity = headroomDesiredCapacity(input);
  // MinSize follows desired so no scale-in (target tracking, the loop) eats the headroom meanwhile.
  const minSize = desiredCapacity;
  const healthy = healthyCapacity(desiredCapacity, minHealthyPercentage);
  const kind = capped
    ? 'capped'
    : desiredCapacity > current.desiredCapacity || minSize > current.minSize
      ? 'raised'
      : 'unchanged';
  const need = `p90 peak ${round(input.peakLoad)} needs ${required} healthy instance(s); ${minHealthyPercentage}% of desired stays healthy`;
  const reason =
    kind === 'capped'
      ? `${need}: that takes desired ${Number.isFinite(needed) ? needed : '∞'}, above MaxSize ${current.maxSize}; holding MaxSize (${healthy} stay healthy)`
      : kind === 'raised'
        ? `${need}: desired ${current.desiredCapacity} → ${desiredCapacity}, min ${current.minSize} → ${minSize}`
        : `${need}: desired ${current.desiredCapacity} is enough`;
  return {
    kind,
    minSize,
    desiredCapacity,
    requiredHealthyCapacity: required,
    healthyCapacity: healthy,
    original: { ...current },
    reason,
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
