import type { CapacityBounds, PlanCapacityInput } from './capacity-plan-input';
import { minSizeScaleInPace } from './min-size-scale-in-pace';
import { offPeakSloCapacity } from './off-peak-slo-capacity';
import { plannedDesiredCapacity } from './planned-desired-capacity';
import { rampPeakLoad } from './ramp-peak-load';
import { recurringPeakCapacity } from './recurring-peak-capacity';

/** The capacity to set now, with the whole per-step plan and why. */
export interface CapacityPlan {
  /** Instances needed per forecast step, unbounded. */
  readonly perStepCapacity: readonly number[];
  /** The most capacity needed before the next run's launches can be in service. */
  readonly requiredNow: number;
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredCapacity: number;
  /** Short reasons for every bound that changed the answer. */
  readonly limits: readonly string[];
}

/**
 * Plans the group's bounds for this run. Capacity launched now is in service one lead time from
 * now, and the next run's launches one tick later still, so this run must cover every step up to
 * now + lead time + tick interval, and start now what a later step needs beyond what the raise pace
 * (`maxChangePerTick` per run) could still add before it. Each step is planned at its busiest
 * minute when the load ramps through it (`rampPeakLoad`), not at its average. The answer is then
 * bounded: never below the floor, never above MaxSize (or the allowed raise over it), at most
 * `maxChangePerTick` up and `scaleInPerTick` down (`maxChangePerTick` down too when the group's
 * own policies own scale-in).
 */
export function planCapacity(input: PlanCapacityInput): CapacityPlan {
  const { bounds } = input;
  const limits: string[] = [];
  const forecast = forecastNeed(input, limits);
  const { perStepCapacity } = forecast;
  const maxSize = plannedMaxSize(bounds, forecast.requiredNow, limits);
  const requiredNow = withRegainedCapacity(input, forecast.requiredNow, limits);
  const target = floorTarget(bounds, requiredNow, maxSize, limits);
  const minSize = pacedMinSize(bounds, target, maxSize, limits);
  const desired = plannedDesiredCapacity(input, minSize, maxSize, requiredNow, limits);
  return {
    perStepCapacity,
    requiredNow,
    minSize: desired.minSize,
    maxSize,
    desiredCapacity: desired.desiredCapacity,
    limits,
  };
}

/**
 * Capacity per step (each step at its busiest minute, off-peak steps at the SLO, recurring peaks
 * kept within it) and the most of it needed before the next run's launches; appends to `limits`
 * when a recurring peak raised that.
 */
function forecastNeed(
  input: PlanCapacityInput,
  limits: string[],
): { readonly perStepCapacity: readonly number[]; readonly requiredNow: number } {
  const offPeak = offPeakSloCapacity(
    rampPeakLoad(input.plannedLoad),
    input.targetLoadPerInstance,
    input.sloLoadPerInstance,
  );
  const perStepCapacity = input.recurringPeakLoad
    ? recurringPeakCapacity(
        offPeak,
        input.recurringPeakLoad,
        input.targetLoadPerInstance,
        input.sloLoadPerInstance,
      )
    : offPeak;
  const needed = neededBeforeNextLaunches(perStepCapacity, input);
  const requiredNow = needed.capacity;
  if (perStepCapacity !== offPeak && needed.step !== undefined) {
    const without = neededBeforeNextLaunches(offPeak, input).capacity;
    const peak = input.recurringPeakLoad?.[needed.step];
    if (requiredNow > without && peak !== undefined)
      limits.push(
        `one instance more (${requiredNow}, not ${without}) for the hour's recurring peak of ${Number(peak.toFixed(1))} within the SLO of ${input.sloLoadPerInstance} per instance`,
      );
  }
  return { perStepCapacity, requiredNow };
}

/**
 * MaxSize for this run: the original one, raised towards `requiredNow` within the allowed raise,
 * and kept raised while instances may still run above it. Appends why to `limits`.
 */
function plannedMaxSize(bounds: CapacityBounds, requiredNow: number, limits: string[]): number {
  const originalMax = bounds.originalMaxSize ?? bounds.currentMaxSize;
  const ceilingMax = originalMax + bounds.maxRaiseOverMaxSize;
  let maxSize = originalMax;
  if (requiredNow > originalMax && bounds.maxRaiseOverMaxSize > 0) {
    maxSize = Math.min(requiredNow, ceilingMax);
    limits.push(`MaxSize raised from ${originalMax} to ${maxSize} (allowed up to ${ceilingMax})`);
  }
  // Between raising and restoring, keep a raised MaxSize while instances may still run above it.
  if (bounds.originalMaxSize !== undefined && maxSize < bounds.currentMaxSize) {
    const stillAbove = Math.max(bounds.currentDesiredCapacity, bounds.currentMinSize) > maxSize;
    if (stillAbove) maxSize = Math.min(bounds.currentMaxSize, ceilingMax);
  }
  return maxSize;
}

/**
 * `requiredNow` raised to `input.regainCapacity` when that is more; appends why to `limits`.
 * @throws RangeError when `regainCapacity` is not a whole number ≥ 0.
 */
function withRegainedCapacity(input: PlanCapacityInput, requiredNow: number, limits: string[]): number {
  const regain = input.regainCapacity ?? 0;
  if (!(Number.isInteger(regain) && regain >= 0)) {
    throw new RangeError(`regainCapacity must be a whole number ≥ 0, got ${input.regainCapacity}`);
  }
  if (regain > requiredNow) {
    limits.push(
      raisesForecastFloor(input.bounds)
        ? `regained ${regain} released ahead of a deep fall the load came back into`
        : `predictive scale-in keeps ${regain} after a deep fall the load came back into`,
    );
    return regain;
  }
  return requiredNow;
}

/**
 * MinSize moved from the current one towards `target` at most the pace per run (down to
 * `releasedMinSize` where the run performs a release), then within the floor and MaxSize.
 * Appends a pace limit that applied to `limits`.
 */
function pacedMinSize(bounds: CapacityBounds, target: number, maxSize: number, limits: string[]): number {
  const scaleInPace = minSizeScaleInPace(bounds);
  const paced = bounds.currentMinSize - scaleInPace;
  // A release left to the loop lowers what a pre-warm added at once, as the release would have.
  const lowest = Math.min(paced, bounds.releasedMinSize ?? paced);
  let minSize = target;
  if (target > bounds.currentMinSize + bounds.maxChangePerTick) {
    minSize = bounds.currentMinSize + bounds.maxChangePerTick;
    limits.push(`raise limited to ${bounds.maxChangePerTick} per run`);
  } else if (target < lowest) {
    minSize = lowest;
    limits.push(
      lowest < paced
        ? `MinSize lowered to ${lowest}, what the pre-warm's release leaves`
        : `scale-in limited to ${scaleInPace} per run`,
    );
  }
  // The pace limits start from the current MinSize, which may itself sit outside the bounds.
  return Math.min(Math.max(minSize, Math.min(bounds.floorCapacity, maxSize)), maxSize);
}

/**
 * The most of `perStepCapacity` needed before the next run's launches can be in service (every
 * step up to now + lead time + tick interval), and what a later step needs beyond what the raise
 * pace could still add before it; `step` is the step that set it (undefined: none needs an instance).
 * With a warm pool (`warmStart`) a step the pool can serve is reached on the warm starts' lead
 * time; a step needing more than it holds on the cold one: Auto Scaling draws the pool first, so
 * the step's part beyond the pool launches cold, and all of it must start a cold lead time ahead.
 */
function neededBeforeNextLaunches(
  perStepCapacity: readonly number[],
  input: PlanCapacityInput,
): { readonly capacity: number; readonly step: number | undefined } {
  const tickMs = input.tickIntervalSeconds * 1000;
  const { warmStart } = input;
  const warmLeadSeconds = Math.min(
    warmStart?.leadTimeSeconds ?? input.leadTimeSeconds,
    input.leadTimeSeconds,
  );
  let capacity = 0;
  let setBy: number | undefined;
  perStepCapacity.forEach((stepCapacity, step) => {
    const stepStartMs = input.forecastStartMs + step * input.stepSeconds * 1000;
    const stepEndMs = stepStartMs + input.stepSeconds * 1000;
    if (stepEndMs <= input.nowMs) return;
    // The lead time of the launches that would serve the step: the pool's, when it holds enough.
    const servedWarm = warmStart !== undefined && stepCapacity <= warmStart.capacity;
    const leadMs = (servedWarm ? warmLeadSeconds : input.leadTimeSeconds) * 1000;
    let need = stepCapacity;
    if (stepStartMs > input.nowMs + leadMs + tickMs) {
      // A later step the raise pace could not reach in time from here: the runs that can still act
      // before it (this one is run 0) each add at most maxChangePerTick, so start part of it now.
      const laterRuns = Math.floor((stepStartMs - leadMs - input.nowMs) / tickMs);
      need = stepCapacity - laterRuns * input.bounds.maxChangePerTick;
    }
    if (need > capacity) {
      capacity = need;
      setBy = step;
    }
  });
  return { capacity, step: setBy };
}

/**
 * The MinSize a run aims at before the pace limits: what the plan needs now (or, with
 * `forecastFloor` off and the group's own policies, the user's floor alone), within the floor and
 * MaxSize. Appends why to `limits`.
 */
function floorTarget(bounds: CapacityBounds, requiredNow: number, maxSize: number, limits: string[]): number {
  let target = requiredNow;
  if (bounds.forecastFloor === false) {
    if (bounds.hasScalingPolicies) {
      // Target tracking alone scales out; what the plan needs still guards predictive scale-in.
      target = bounds.floorCapacity;
      limits.push(`no floor from the forecast (forecastFloor off): the plan needs ${requiredNow}`);
    } else {
      limits.push("floor kept: forecastFloor off needs the group's own scaling policies");
    }
  }
  if (target < bounds.floorCapacity) {
    target = bounds.floorCapacity;
    limits.push(`held at floor ${bounds.floorCapacity}`);
  }
  if (target > maxSize) {
    limits.push(`needed ${target} but MaxSize is ${maxSize}`);
    target = maxSize;
  }
  return target;
}

/**
 * Whether a plan raises MinSize from its forecast: unless `forecastFloor` is off and the group has
 * its own scaling policies (without them Prescale owns DesiredCapacity, and nothing else would
 * scale out).
 */
export function raisesForecastFloor(
  bounds: Pick<CapacityBounds, 'forecastFloor' | 'hasScalingPolicies'>,
): boolean {
  return bounds.forecastFloor !== false || !bounds.hasScalingPolicies;
}
