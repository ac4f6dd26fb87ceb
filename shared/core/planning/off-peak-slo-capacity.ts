import { lowerMedian } from '../forecast/median';
import { requiredCapacity } from './required-capacity';

/**
 * Per-step capacity for a group whose target is set above its service level
 * (`sloLoadPerInstance` below `targetLoadPerInstance`: the target as the cost knob). Such a group
 * misses its SLO at every step it runs at the target; an instance added at step t keeps the SLO
 * there only when the step's whole gap, ceil(load / SLO) − ceil(load / target), is filled, and that
 * gap grows with the load. So the SLO minutes a budget buys are cheapest off-peak: a step whose need
 * at the SLO is no more than the horizon's median step's need at the target is planned at the SLO
 * (those steps fit in the capacity the group runs at its typical step anyway); every other step,
 * the peaks, at the target. The capacity never falls below the target's need, and with the SLO at
 * or above the target (the default: no SLO set) the answer is exactly `requiredCapacity` at the target.
 *
 * A daily horizon (the product's 24 h) holds a whole cycle, so the median is the day's typical step
 * and the off-peak steps are the trough's, whatever the group's size.
 * @param plannedLoad load to plan for per step, in the group's capacity unit (finite, ≥ 0)
 * @param targetLoadPerInstance load one instance should carry at the target (> 0)
 * @param sloLoadPerInstance load per instance above which a minute misses the SLO (> 0), when set
 * @throws RangeError on a non-positive target or SLO, or a negative or non-finite load
 */
export function offPeakSloCapacity(
  plannedLoad: readonly number[],
  targetLoadPerInstance: number,
  sloLoadPerInstance?: number,
): number[] {
  const atTarget = requiredCapacity(plannedLoad, targetLoadPerInstance);
  if (sloLoadPerInstance === undefined) return atTarget;
  if (!(sloLoadPerInstance > 0) || !Number.isFinite(sloLoadPerInstance)) {
    throw new RangeError(`sloLoadPerInstance must be a positive number, got ${sloLoadPerInstance}`);
  }
  if (sloLoadPerInstance >= targetLoadPerInstance || atTarget.length === 0) return atTarget;
  const typical = lowerMedian(atTarget);
  const atSlo = requiredCapacity(plannedLoad, sloLoadPerInstance);
  return atTarget.map((capacity, step) => {
    const slo = atSlo[step] as number;
    return slo <= typical ? Math.max(capacity, slo) : capacity;
  });
}
