import type { DailyPeakAccuracy, ForecastAccuracy } from '../evaluation/forecast-accuracy';
import type { PolicyName } from './policy-name';

/** Per-minute samples of one run over the evaluated window. */
export interface RunSamples {
  readonly startMs: number;
  /** Offered load, percent-of-one-instance units. */
  readonly load: number[];
  /** Instances needed (≥ 1). */
  readonly demand: number[];
  /** Instances ready (InService, warmed, healthy). */
  readonly supply: number[];
  readonly desired: number[];
  readonly minSize: number[];
  /** Instances billed as running (pending, in service, terminating, a warm pool's initialising and Running ones). */
  readonly billed: number[];
  readonly warmPoolStopped: number[];
}

/** The metrics of one policy, the shape of `--json` policies[]. */
export interface PolicySummary {
  readonly name: PolicyName;
  readonly thetaU: number;
  readonly thetaO: number;
  readonly tauU: number;
  readonly tauO: number;
  readonly instability: number;
  readonly sloViolationMinutes: number;
  readonly instanceHours: number;
  readonly costUsd: number;
  readonly scalingActions: number;
  /** For the predictive policies: their forecasts against the load that arrived. */
  readonly forecast?: ForecastAccuracy & {
    readonly horizon: string;
    /**
     * How far ahead the scored forecasts were made, short enough for a table cell ("next 5-min
     * step", "1–6 h ahead"): policies' errors at different horizons are not comparable.
     */
    readonly horizonLabel: string;
    /** Prescale: day-ahead daily peaks (the first run of each UTC day, its 24 h horizon). */
    readonly peaks?: DailyPeakAccuracy;
  };
}

/** A forecast band over time, in load units: what a predictive policy expected at each instant. */
export interface ForecastBand {
  readonly timestampsMs: number[];
  readonly median: number[];
  /** The load the policy planned for (Prescale: its planning quantile; EC2: its forecast). */
  readonly planned: number[];
}

/** One policy's complete run. */
export interface PolicyRun {
  readonly summary: PolicySummary;
  readonly samples: RunSamples;
  readonly band?: ForecastBand;
  /** Notes for the report: handler failures, cache use, calls answered. */
  readonly notes: string[];
}

/**
 * A policy's own knob, for sweeping its cost/SLO trade-off. The SLO (and so demand and the
 * SLO-violation minutes) stays at the scenario's target load per instance whatever the knob.
 */
export interface PolicyKnobs {
  /**
   * Target of the target-tracking policy, % CPU (reactive, ec2-predictive and prescale), and the
   * load per instance the predictive policies plan for (prescale through its
   * `prescale:target-load-per-instance` group tag). @default the scenario's target
   */
  readonly targetPct?: number;
  /**
   * prescale: its group's target-tracking target when it differs from `targetPct` (a safety net
   * above the load per instance Prescale plans for). @default targetPct
   */
  readonly trackingTargetPct?: number;
  /**
   * prescale: the ceiling of its planning quantile, through the `prescale:planning-quantile-max`
   * group tag (the start and lower bound follow it down). @default the configuration's
   */
  readonly planningQuantileMax?: number;
  /**
   * prescale: opts its group in to the one instance for each hour's recurring peak over this many
   * past days, through the `prescale:recurring-peak-days` group tag. @default the configuration's (off)
   */
  readonly recurringPeakDays?: number;
  /**
   * prescale: opts its group in to holding this many minutes of its newest load, through the
   * `prescale:recent-load-hold-minutes` group tag. @default the configuration's (off)
   */
  readonly recentLoadHoldMinutes?: number;
  /**
   * prescale: the quantile of that window its group holds, through the
   * `prescale:recent-load-hold-quantile` group tag. @default the configuration's (0.95)
   */
  readonly recentLoadHoldQuantile?: number;
  /**
   * prescale: the share of its target at which its group's predictive scale-in serves the recent
   * peak, through the `prescale:scale-in-ahead-target-ratio` group tag. @default the configuration's (0.9)
   */
  readonly scaleInAheadTargetRatio?: number;
  /**
   * prescale: `false` leaves its group predictive scale-in alone (no floor from the forecast),
   * through the `prescale:forecast-floor` group tag. @default the configuration's (on)
   */
  readonly forecastFloor?: boolean;
  /**
   * prescale: days of its own record on which its group's forecast floor is judged (0: never stood
   * down), through the `prescale:floor-check-days` group tag. @default the configuration's (1)
   */
  readonly floorCheckDays?: number;
  /**
   * prescale: the most a steady hold of its group's newest day may add (0: off), through the
   * `prescale:steady-hold-max-extra-cost` group tag. @default the configuration's (0.05)
   */
  readonly steadyHoldMaxExtraCost?: number;
  /** ec2-predictive: SchedulingBufferTime, seconds before each hour, a whole minute below an hour. @default 300 */
  readonly schedulingBufferSeconds?: number;
  /**
   * oracle: the resolution of its perfect foresight, whole minutes: 1 knows every minute's load;
   * 5 knows only each 5-minute step's mean (a perfect forecast of the product's history). @default 1
   */
  readonly foresightMinutes?: number;
  /** static: fleet size. @default the evaluated window's peak demand (within MaxSize) */
  readonly staticCapacity?: number;
}
