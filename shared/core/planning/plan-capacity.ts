import { offPeakSloCapacity } from './off-peak-slo-capacity';
import { rampPeakLoad } from './ramp-peak-load';
import { recurringPeakCapacity } from './recurring-peak-capacity';
import { requiredCapacity } from './required-capacity';

/** The group as it stands and the bounds the user set. */
export interface CapacityBounds {
  readonly currentMinSize: number;
  readonly currentMaxSize: number;
  readonly currentDesiredCapacity: number;
  /** Never plan below this many instances (user's floor). */
  readonly floorCapacity: number;
  /** Largest upward change of MinSize in one run. */
  readonly maxChangePerTick: number;
  /**
   * Largest downward change of MinSize in one run when Prescale sets DesiredCapacity itself; with
   * reactive policies on the group the floor may fall by up to `maxChangePerTick`.
   */
  readonly scaleInPerTick: number;
  /** How far above the original MaxSize Prescale may raise it (0 = never). */
  readonly maxRaiseOverMaxSize: number;
  /** MaxSize before Prescale raised it, when it has. */
  readonly originalMaxSize?: number;
  /** Whether reactive policies of the group own scale-in of DesiredCapacity. */
  readonly hasScalingPolicies: boolean;
  /**
   * Instances InService. With the group's own policies, DesiredCapacity is only lowered ahead of
   * them when no launch is still on the way (in service = desired).
   */
  readonly inServiceCapacity?: number;
  /**
   * Instances InService but still inside their warmup (`warmingCapacity`). A lower
   * DesiredCapacity can terminate ready instances rather than these, so predictive scale-in keeps
   * the recent peak's need in ready instances on top of these until they are warm. @default 0
   */
  readonly warmingCapacity?: number;
  /**
   * Whether the plan raises MinSize (`forecastFloor`). False, with the group's own policies:
   * MinSize stays at `floorCapacity` and Prescale only lowers DesiredCapacity ahead of them, still
   * no lower than what the plan needs until the next run's launches. Without policies Prescale
   * owns DesiredCapacity, so the floor is kept. @default true
   */
  readonly forecastFloor?: boolean;
}

/** Everything the planner needs besides the bounds. */
export interface PlanCapacityInput {
  /** Load to plan for per step (the planning quantile), from `forecastStartMs`. */
  readonly plannedLoad: readonly number[];
  readonly forecastStartMs: number;
  readonly stepSeconds: number;
  readonly nowMs: number;
  readonly targetLoadPerInstance: number;
  /**
   * Load per instance above which a minute misses the group's SLO, when the user set one. Below
   * the target, off-peak steps are planned at it (`offPeakSloCapacity`); at or above, unused.
   */
  readonly sloLoadPerInstance?: number;
  /**
   * Each step's recurring peak (`recurringPeakLoad`, NaN where unknown), aligned with
   * `plannedLoad`. With `sloLoadPerInstance` set, a step whose peak one more instance keeps within
   * the SLO gets it (`recurringPeakCapacity`). @default none
   */
  readonly recurringPeakLoad?: readonly number[];
  /** Launch-to-InService time plus warmup. */
  readonly leadTimeSeconds: number;
  /** Time until the next run can act. */
  readonly tickIntervalSeconds: number;
  readonly bounds: CapacityBounds;
  /**
   * The highest load observed over the newest minutes (the group's recent peak), when known. With
   * the group's own policies, DesiredCapacity above both what the forecast needs until the next
   * run's launches and what this load needs is lowered to the larger of them, without waiting for
   * the policy's low alarm (predictive scale-in). Absent: Prescale never lowers DesiredCapacity there.
   */
  readonly recentPeakLoad?: number;
  /**
   * Share of `targetLoadPerInstance` (0–1] at which predictive scale-in serves `recentPeakLoad`:
   * below 1 it keeps headroom for the per-minute peaks inside a step. @default 1
   */
  readonly recentPeakTargetRatio?: number;
  /**
   * Capacity to take back now: what the group's own policy would still hold after a fall that
   * predictive scale-in released deeper than the policy climbs back from in one return, when the
   * load came back into it (`learnScaleInWindow`'s `deepFall.regainCapacity`). Raises what is
   * needed now, within the group's bounds. @default 0
   */
  readonly regainCapacity?: number;
}

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
  let requiredNow = needed.capacity;
  const limits: string[] = [];
  if (perStepCapacity !== offPeak && needed.step !== undefined) {
    const without = neededBeforeNextLaunches(offPeak, input).capacity;
    const peak = input.recurringPeakLoad?.[needed.step];
    if (requiredNow > without && peak !== undefined)
      limits.push(
        `one instance more (${requiredNow}, not ${without}) for the hour's recurring peak of ${Number(peak.toFixed(1))} within the SLO of ${input.sloLoadPerInstance} per instance`,
      );
  }
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

  const regain = input.regainCapacity ?? 0;
  if (!(Number.isInteger(regain) && regain >= 0)) {
    throw new RangeError(`regainCapacity must be a whole number ≥ 0, got ${input.regainCapacity}`);
  }
  if (regain > requiredNow) {
    limits.push(
      raisesForecastFloor(bounds)
        ? `regained ${regain} released ahead of a deep fall the load came back into`
        : `predictive scale-in keeps ${regain} after a deep fall the load came back into`,
    );
    requiredNow = regain;
  }
  const target = floorTarget(bounds, requiredNow, maxSize, limits);
  // With reactive policies on the group, lowering the floor removes no instance by itself: the
  // policy scales in when its own alarm says so. The floor then follows a falling forecast at the
  // raise pace, so it stops holding capacity the forecast no longer needs.
  const scaleInPace = bounds.hasScalingPolicies
    ? Math.max(bounds.scaleInPerTick, bounds.maxChangePerTick)
    : bounds.scaleInPerTick;
  let minSize = target;
  if (target > bounds.currentMinSize + bounds.maxChangePerTick) {
    minSize = bounds.currentMinSize + bounds.maxChangePerTick;
    limits.push(`raise limited to ${bounds.maxChangePerTick} per run`);
  } else if (target < bounds.currentMinSize - scaleInPace) {
    minSize = bounds.currentMinSize - scaleInPace;
    limits.push(`scale-in limited to ${scaleInPace} per run`);
  }
  // The pace limits start from the current MinSize, which may itself sit outside the bounds.
  minSize = Math.min(Math.max(minSize, Math.min(bounds.floorCapacity, maxSize)), maxSize);

  let desiredCapacity: number;
  if (bounds.hasScalingPolicies) {
    // Prescale raises a floor; the group's own policies keep adding capacity on surprises and
    // own scale-in above the floor.
    desiredCapacity = Math.min(Math.max(bounds.currentDesiredCapacity, minSize), maxSize);
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
  } else {
    // Prescale owns DesiredCapacity: a lower one can terminate ready instances while others warm.
    const kept = keptForWarming(input, minSize, maxSize);
    if (kept !== undefined) {
      limits.push(`scale-in kept ${kept.warming} warming instances' worth of ready capacity`);
      minSize = kept.capacity;
    }
    desiredCapacity = minSize;
  }
  return { perStepCapacity, requiredNow, minSize, maxSize, desiredCapacity, limits };
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
  input: PlanCapacityInput,
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
function validWarming(bounds: CapacityBounds): number {
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
function recentPeakNeed(input: PlanCapacityInput): number | undefined {
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
  input: PlanCapacityInput,
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

/**
 * The most of `perStepCapacity` needed before the next run's launches can be in service (every
 * step up to now + lead time + tick interval), and what a later step needs beyond what the raise
 * pace could still add before it; `step` is the step that set it (undefined: none needs an instance).
 */
function neededBeforeNextLaunches(
  perStepCapacity: readonly number[],
  input: PlanCapacityInput,
): { readonly capacity: number; readonly step: number | undefined } {
  const horizonEndMs = input.nowMs + (input.leadTimeSeconds + input.tickIntervalSeconds) * 1000;
  const tickMs = input.tickIntervalSeconds * 1000;
  let capacity = 0;
  let setBy: number | undefined;
  perStepCapacity.forEach((stepCapacity, step) => {
    const stepStartMs = input.forecastStartMs + step * input.stepSeconds * 1000;
    const stepEndMs = stepStartMs + input.stepSeconds * 1000;
    if (stepEndMs <= input.nowMs) return;
    let need = stepCapacity;
    if (stepStartMs > horizonEndMs) {
      // A later step the raise pace could not reach in time from here: the runs that can still act
      // before it (this one is run 0) each add at most maxChangePerTick, so start part of it now.
      const laterRuns = Math.floor((stepStartMs - input.leadTimeSeconds * 1000 - input.nowMs) / tickMs);
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
