import type { PlanCapacityInput } from './capacity-plan-input';
import { requiredCapacity } from './required-capacity';

/** What DesiredCapacity's planning reads of the planner's input. */
export type DesiredCapacityInput = Pick<
  PlanCapacityInput,
  'targetLoadPerInstance' | 'recentPeakLoad' | 'recentPeakTargetRatio' | 'bounds'
>;

/**
 * The run's DesiredCapacity once MinSize is planned (`planCapacity`'s last step), and MinSize again
 * since keeping warming capacity can raise it. With the group's own policies, which keep adding
 * capacity on surprises and own scale-in above Prescale's floor, the current DesiredCapacity within
 * the bounds, lowered by predictive scale-in (`scaleInAhead`). Without them Prescale owns
 * DesiredCapacity and sets it to MinSize, raised to keep ready capacity while instances warm
 * (`keptForWarming`). Appends why to `limits`.
 * @throws RangeError when `bounds.warmingCapacity` is negative or not finite, or
 * `recentPeakTargetRatio` is outside (0, 1] (each only when it is read).
 */
export function plannedDesiredCapacity(
  input: DesiredCapacityInput,
  minSize: number,
  maxSize: number,
  requiredNow: number,
  limits: string[],
): { readonly minSize: number; readonly desiredCapacity: number } {
  if (input.bounds.hasScalingPolicies) {
    return {
      minSize,
      desiredCapacity: desiredAlongsidePolicies(input, minSize, maxSize, requiredNow, limits),
    };
  }
  // Prescale owns DesiredCapacity: a lower one can terminate ready instances while others warm.
  const kept = keptForWarming(input, minSize, maxSize);
  if (kept === undefined) return { minSize, desiredCapacity: minSize };
  limits.push(`scale-in kept ${kept.warming} warming instances' worth of ready capacity`);
  return { minSize: kept.capacity, desiredCapacity: kept.capacity };
}

/** DesiredCapacity beside the group's own policies; see `plannedDesiredCapacity`. */
function desiredAlongsidePolicies(
  input: DesiredCapacityInput,
  minSize: number,
  maxSize: number,
  requiredNow: number,
  limits: string[],
): number {
  const { bounds } = input;
  let desiredCapacity = Math.min(Math.max(bounds.currentDesiredCapacity, minSize), maxSize);
  const ahead = scaleInAhead(input, minSize, requiredNow);
  if (ahead !== undefined && ahead.capacity < desiredCapacity) {
    // At most maxChangePerTick instances go per run, as for every other change Prescale makes.
    const aheadOfPolicy = Math.max(ahead.capacity, desiredCapacity - bounds.maxChangePerTick);
    limits.push(`scaled in ahead of the group's policy from ${desiredCapacity} to ${aheadOfPolicy}`);
    desiredCapacity = aheadOfPolicy;
  }
  if (ahead?.heldForWarming) {
    limits.push(`scale-in ahead kept ${ahead.warming} warming instances' worth of ready capacity`);
  }
  return desiredCapacity;
}

/**
 * For a group without its own policies (Prescale sets DesiredCapacity = MinSize): when this run
 * lowers DesiredCapacity while instances are still warming (`bounds.warmingCapacity`), the recent
 * peak's need is kept in ready instances on top of them, as `scaleInAhead` does: the new capacity
 * is raised to the peak's need plus the warming capacity, never above the current
 * DesiredCapacity (it only slows a scale-in) nor MaxSize. Undefined when nothing is warming, the
 * run does not lower capacity, there is no recent peak, or the planned capacity already keeps it.
 */
function keptForWarming(
  input: DesiredCapacityInput,
  plannedCapacity: number,
  maxSize: number,
): { readonly capacity: number; readonly warming: number } | undefined {
  const { bounds } = input;
  const warming = validWarming(bounds);
  if (warming === 0 || plannedCapacity >= bounds.currentDesiredCapacity) return undefined;
  const neededNow = recentPeakNeed(input);
  if (neededNow === undefined) return undefined;
  const capacity = Math.min(neededNow + warming, bounds.currentDesiredCapacity, maxSize);
  return capacity > plannedCapacity ? { capacity, warming } : undefined;
}

/** `bounds.warmingCapacity`, 0 when absent. @throws RangeError when negative or not finite. */
function validWarming(bounds: DesiredCapacityInput['bounds']): number {
  const warming = bounds.warmingCapacity ?? 0;
  if (!(Number.isFinite(warming) && warming >= 0)) {
    throw new RangeError(`warmingCapacity must be a finite number ≥ 0, got ${bounds.warmingCapacity}`);
  }
  return warming;
}

/**
 * Capacity the recent peak load needs at `recentPeakTargetRatio` of the target; undefined without a
 * valid recent peak. @throws RangeError when the ratio is outside (0, 1].
 */
function recentPeakNeed(input: DesiredCapacityInput): number | undefined {
  const { recentPeakLoad } = input;
  if (recentPeakLoad === undefined || !Number.isFinite(recentPeakLoad) || recentPeakLoad < 0)
    return undefined;
  const ratio = input.recentPeakTargetRatio ?? 1;
  if (!(ratio > 0 && ratio <= 1)) {
    throw new RangeError(`recentPeakTargetRatio must be in (0, 1], got ${input.recentPeakTargetRatio}`);
  }
  const [neededNow = 0] = requiredCapacity([recentPeakLoad], input.targetLoadPerInstance * ratio);
  return neededNow;
}

/** What predictive scale-in would leave, and whether warming instances raised it. */
interface ScaleInAhead {
  readonly capacity: number;
  readonly warming: number;
  /** Whether the warming instances kept capacity the forecast, the peak and the floor did not need. */
  readonly heldForWarming: boolean;
}

/**
 * Predictive scale-in for a group whose own policies own scale-in: with no launch on the way, the
 * larger of what the forecast needs up to the next run's launches (`requiredNow`) and what the
 * recent peak load needs is enough until the next run, never below the floor just planned, so
 * instances above it can go now instead of after the policy's low alarm (15 minutes below 90 % of
 * its target on AWS). The policy still scales out on any surprise. Instances still warming serve
 * nothing and Auto Scaling may terminate ready ones instead, so the recent peak's need is kept in ready
 * instances on top of them (`bounds.warmingCapacity`). Undefined without a recent peak or while
 * launches are on the way.
 */
function scaleInAhead(
  input: DesiredCapacityInput,
  minSize: number,
  requiredNow: number,
): ScaleInAhead | undefined {
  const { bounds } = input;
  if (bounds.inServiceCapacity === undefined || bounds.inServiceCapacity < bounds.currentDesiredCapacity) {
    return undefined;
  }
  const neededNow = recentPeakNeed(input);
  if (neededNow === undefined) return undefined;
  const warming = validWarming(bounds);
  const withoutWarming = Math.max(minSize, requiredNow, neededNow, 1);
  const capacity = Math.max(withoutWarming, neededNow + warming);
  return {
    capacity,
    warming,
    heldForWarming: capacity > withoutWarming && withoutWarming < bounds.currentDesiredCapacity,
  };
}
