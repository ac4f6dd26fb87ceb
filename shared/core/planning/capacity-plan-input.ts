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
  /**
   * Where the run performs a campaign pre-warm's release left to the loop (`releasedMinSize`): the
   * MinSize the release comes down to. The run may lower MinSize that far towards its need this
   * once, beyond the scale-in pace. @default none
   */
  readonly releasedMinSize?: number;
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
  /** Launch-to-InService time plus warmup, of a launch no warm pool serves (a cold start). */
  readonly leadTimeSeconds: number;
  /**
   * What the group's warm pool serves, when it has one and its warm starts were learned: their
   * lead time (shorter than `leadTimeSeconds`) and the capacity the group reaches with every
   * instance in the pool drawn (DesiredCapacity + the pool's instances). A step up to that capacity
   * is left to the runs within its warm lead time. @default none: every launch starts cold
   */
  readonly warmStart?: WarmStart;
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

/** Launches a warm pool serves (`PlanCapacityInput.warmStart`). */
export interface WarmStart {
  /** Launch out of the pool to serving, warmup included. */
  readonly leadTimeSeconds: number;
  /**
   * DesiredCapacity plus the pool's instances a scale-out can draw now (one still launching into
   * the pool is a cold launch away): what the group reaches on warm starts alone.
   */
  readonly capacity: number;
}
