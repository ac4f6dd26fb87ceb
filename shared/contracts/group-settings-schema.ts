import * as z from 'zod';
import { MAX_PLANNING_QUANTILE, WIDEST_FORECAST_LEVEL_PCT } from '../core/forecast/forecast-levels';
import { isTimeZone, UTC_TIME_ZONE } from '../core/forecast/wall-clock-time';
import type { LoadMetricSpec } from '../ports/metric-history';

/**
 * A statistic GetMetricData accepts (CloudWatch's "Statistics definitions"): the five basic ones,
 * IQM, a percentile or trimmed/winsorized/trimmed-count/trimmed-sum share from 0 to 100, or the
 * long forms with bounds. Checked at synth, so a typo fails `cdk synth` with its path instead of
 * every run failing at CloudWatch.
 */
const SHARE = String.raw`(?:100(?:\.0+)?|\d{1,2}(?:\.\d+)?)`;
export const CLOUDWATCH_STATISTIC = new RegExp(
  String.raw`^(?:SampleCount|Average|Sum|Minimum|Maximum|IQM|(?:p|tm|wm|tc|ts)${SHARE}|(?:TM|WM|TC|TS|PR)\([^()]+\))$`,
);

/** Most dimensions one CloudWatch metric has (API model: `Dimensions`, max 30 members). */
const MAX_DIMENSIONS = 30;

/** Longest value of a CloudWatch dimension (API model: `DimensionValue`, 1 to 1024 characters). */
const MAX_DIMENSION_VALUE_LENGTH = 1024;
const DIMENSION_VALUE_TOO_LONG = `expected at most ${MAX_DIMENSION_VALUE_LENGTH} characters (CloudWatch's limit on a dimension value)`;

/**
 * Longest metric-math `Expression` GetMetricData takes (API reference, MetricDataQuery:
 * "Length Constraints: Minimum length of 1. Maximum length of 2048."). The adapter checks it again
 * once `${group}` is replaced by a group name.
 */
export const MAX_EXPRESSION_LENGTH = 2048;

/** The longest window `recentLoadHoldMinutes` takes: a day. */
export const MAX_RECENT_LOAD_HOLD_MINUTES = 1440;

/**
 * A planning quantile: above 0.5 and at most what the forecast gives (`MAX_PLANNING_QUANTILE`, the
 * upper bound of its widest interval), so a setting no run could plan with fails `cdk synth`. The
 * message keeps Zod's own "Too big" form and says where the bound comes from.
 */
const planningQuantileSchema = () =>
  z
    .number()
    .gt(0.5)
    .max(
      MAX_PLANNING_QUANTILE,
      `Too big: expected number to be <=${MAX_PLANNING_QUANTILE}, the highest quantile the forecast gives (the upper bound of its widest interval, ${WIDEST_FORECAST_LEVEL_PCT} %)`,
    );

/** Where a group's load comes from, in the group's capacity unit. */
export const loadMetricSchema = z.discriminatedUnion('kind', [
  /**
   * Average CPUUtilization × (in-service + terminating instances): load in "percent of one
   * instance" units (`cpuLoadQueries`).
   */
  z.object({ kind: z.literal('cpu') }),
  /** ALB RequestCount (Sum) of the target group on its load balancer: the requests it received. */
  z.object({
    kind: z.literal('alb-requests'),
    // Each is the value of a dimension (TargetGroup, LoadBalancer): GetMetricData refuses one
    // longer than CloudWatch's DimensionValue, at every run.
    targetGroupFullName: z
      .string()
      .max(MAX_DIMENSION_VALUE_LENGTH, DIMENSION_VALUE_TOO_LONG)
      .regex(/^targetgroup\/.+\/[0-9a-f]+$/, 'expected targetgroup/<name>/<id>'),
    loadBalancerFullName: z
      .string()
      .max(MAX_DIMENSION_VALUE_LENGTH, DIMENSION_VALUE_TOO_LONG)
      .regex(/^app\/.+\/[0-9a-f]+$/, 'expected app/<name>/<id>'),
  }),
  /** Any CloudWatch metric, already summed over the group. */
  z.object({
    kind: z.literal('custom'),
    // The bounds of the CloudWatch API model (Namespace, MetricName, Dimensions, DimensionName,
    // DimensionValue): GetMetricData refuses anything outside them with InvalidParameterValue.
    namespace: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[^:]/, 'expected a namespace that does not start with ":" (CloudWatch pattern [^:].*)'),
    metricName: z.string().min(1).max(255),
    dimensions: z
      .record(
        z.string().min(1, 'expected a dimension name of 1 to 255 characters').max(255),
        z
          .string()
          .min(1, 'expected a dimension value of 1 to 1024 characters (CloudWatch refuses an empty one)')
          .max(MAX_DIMENSION_VALUE_LENGTH),
      )
      .refine((d) => Object.keys(d).length <= MAX_DIMENSIONS, {
        message: `expected at most ${MAX_DIMENSIONS} dimensions (CloudWatch's limit per metric)`,
      })
      .default({}),
    stat: z
      .string()
      .regex(
        CLOUDWATCH_STATISTIC,
        'expected a CloudWatch statistic: SampleCount, Average, Sum, Minimum, Maximum, IQM, a percentile p0–p100 (p99, p99.9), tm/wm/tc/ts with one (tm90), or TM/WM/TC/TS/PR with bounds (TM(10%:90%))',
      )
      .default('Sum'),
  }),
  /** A CloudWatch metric-math expression; `${group}` is replaced by the group name. */
  z.object({
    kind: z.literal('expression'),
    expression: z
      .string()
      .min(1)
      .max(
        MAX_EXPRESSION_LENGTH,
        `expected at most ${MAX_EXPRESSION_LENGTH} characters (GetMetricData's limit on Expression)`,
      ),
  }),
]);

/** Per-group scaling settings; `defaults` and each entry of `groupOverrides` use this shape. */
export const groupSettingsSchema = z.object({
  metric: loadMetricSchema.default({ kind: 'cpu' }),
  /** Load one instance (or one unit of weighted capacity) should carry, in the metric's unit. */
  targetLoadPerInstance: z.number().positive().default(60),
  /**
   * The most load one instance can show in the metric, in the metric's unit, or `none` for a
   * metric of the load *offered* (it grows past what the fleet serves). Predictive scale-in reads
   * it to know that target tracking climbs back from a deep release in several returns (each takes
   * k instances to at most ⌈k × this / target⌉). Unset, 100 for the `cpu` kind read from
   * CloudWatch (CPUUtilization stops at 100 % of an instance, `isCpuPercentLoad`), none for the
   * others and for a Timestream measure (read whatever the kind says). Set it where that cannot
   * say: a `custom` or `expression` metric, or a Timestream measure, that is itself a CPU percentage.
   */
  saturatedLoadPerInstance: z
    .union([z.number().positive(), z.literal('none')], { error: 'expected a positive number or "none"' })
    .optional(),
  /** Forecast horizon. EC2 predictive scaling uses 48 h; we plan a day ahead and refresh every tick. */
  horizonHours: z.number().int().min(1).max(48).default(24),
  /**
   * Whole days of history the forecast fits, ending at the model's last refit. At least 3, and
   * at least what the backtest needs at the group's horizon (4 at the default 24 h, checked with
   * the other settings in `userConfigSchema`): with fewer, no run chooses its model by backtest.
   */
  historyDays: z.number().int().min(3).max(14).default(14),
  stepSeconds: z
    .union([z.literal(60), z.literal(300), z.literal(3600)], { error: 'expected 60, 300 or 3600' })
    .default(300),
  /**
   * The IANA time zone whose wall clock the group's load follows ("Europe/Berlin"): its daily and
   * weekly seasonality, and each hour's recurring peak, are learned and forecast on local time, so
   * a ramp at 09:00 local stays at 09:00 across a daylight-saving change (`onWallClock`). The
   * default "UTC" keeps seasonality on the UTC step grid, as before the setting existed. Checked
   * at synth against the runtime's time-zone names; a fixed offset ("+01:00") is refused.
   */
  timeZone: z
    .string()
    .refine(isTimeZone, {
      error: (issue) =>
        `expected an IANA time zone name such as "Europe/Berlin" or "UTC", got ${JSON.stringify(issue.input)}`,
    })
    .default(UTC_TIME_ZONE),
  /**
   * How often the forecasting model is refitted, in minutes (rounded up to whole steps). Between
   * refits every run keeps the last refit's forecast and corrects its level from the newest
   * observations, so a run reacts within one tick while the model is fitted once per interval.
   */
  forecastRefreshMinutes: z.number().int().min(1).max(1440).default(60),
  /**
   * Starting load quantile to plan for; the feedback controller moves it within the bounds, up fast
   * on shortfalls and down slowly otherwise. It starts low (0.6, since 2026-11-29; was 0.9 within
   * 0.8–0.99): the floor already covers the largest step up to the next run's launches, target
   * tracking serves the rest, and a high start held 10–15 % more instance-hours than target tracking
   * for the first day on flat and daily load while the controller, which moves by at most 0.005
   * an hour when covered, walked it down (docs/BENCHMARKS.md, Cost/SLO frontier).
   */
  planningQuantile: planningQuantileSchema().default(0.6),
  /** The lowest planning quantile the controller may walk down to, in (0.5, `MAX_PLANNING_QUANTILE`]. */
  planningQuantileMin: planningQuantileSchema().default(0.55),
  /**
   * The highest planning quantile the controller may buy, in (0.5, `MAX_PLANNING_QUANTILE`]: the
   * default is that bound (0.99); per group the `prescale:planning-quantile-max` tag.
   */
  planningQuantileMax: planningQuantileSchema().default(MAX_PLANNING_QUANTILE),
  /**
   * Days of history a group's first run replays to choose where its controller starts
   * (`seedPlanningQuantile`): the lowest quantile within the bounds whose shortfall share over
   * those days meets the SLO budget, instead of `planningQuantile`. 0 turns it off (start at
   * `planningQuantile`). Later runs continue from the stored quantile.
   */
  planningQuantileSeedDays: z.number().min(0).max(14).default(2),
  /**
   * Where a step's planning quantile is more than this many times the larger of the forecast median
   * and the current load, the forecast cannot tell when load comes: that step is planned at the
   * smaller of the two only, and the group's reactive policy serves the bursts (cheaper than a
   * burst-sized floor held all day). Up to the ratio the quantile is planned in full.
   */
  maxPlanningRatio: z.number().min(1).default(2),
  /**
   * Plan each step for the forecast's daily-peak bound at the planning quantile (`planningLoad`:
   * the per-step quantile raised so that it reaches the day's peak when it comes) instead of the
   * per-step quantile alone. Off by default: on the built-in simulated workload it bought 36 → 0
   * SLO minutes for +61 % instance-hours, where the SLO budget was already met (BENCHMARKS.md).
   */
  planForDailyPeaks: z.boolean().default(false),
  /** Never plan below this many instances. */
  floorCapacity: z.number().int().min(0).default(1),
  /** Largest change of MinSize/DesiredCapacity one tick may make, in instances. */
  maxChangePerTick: z.number().int().min(1).default(10),
  /** Largest scale-in one tick may make, in instances: scale in slower than out. */
  scaleInPerTick: z.number().int().min(0).default(1),
  /**
   * With the group's own scaling policies: lower DesiredCapacity as soon as neither the forecast
   * (up to the next run's launches) nor the peak load of the last `scaleInAheadWindowMinutes`
   * (served at `scaleInAheadTargetRatio` × the target) needs the instances above them, instead of
   * waiting for the policy's low alarm (15 minutes below 90 % of its target). Never below the
   * planned floor, at most `maxChangePerTick` instances per run, never while launches are on the way
   * or the group is held, keeping the recent peak's need in ready instances on top of those still
   * inside the group's warmup (a lower DesiredCapacity can terminate ready instances while warming
   * ones stay; in capacity units for a weighted mixed-instances group), and only when
   * `stepSeconds` fits in the window (an hourly metric cannot show a fall within minutes). On by
   * default since 2026-11-29: it is what lets Prescale cost less than target tracking alone at the
   * same target (docs/BENCHMARKS.md, Cost/SLO frontier).
   */
  scaleInAhead: z.boolean().default(true),
  /**
   * Whether the forecast's plan raises MinSize (the pre-warm floor). Off, Prescale raises no floor
   * from the forecast and only lowers DesiredCapacity ahead of the group's own policies
   * (`scaleInAhead`, still guarded by what the forecast needs until the next run's launches): target
   * tracking alone scales out, and Prescale's part is the cost it takes off. A cheaper mode to
   * choose, not a default (docs/BENCHMARKS.md, *Cost/SLO frontier*, *Predictive scale-in alone*).
   * A group without scaling policies, and a run with a campaign pre-warmed, active or starting
   * within its reach (the next run's launches, a tick late), keep the floor.
   */
  forecastFloor: z.boolean().default(true),
  /**
   * Days of the group's own record on which Prescale judges its forecast floor, daily, against the
   * group's target tracking alone (`judgeForecastFloor`: both replayed on the load that came). A
   * floor that added more than 2 % to the instances and took away a smaller share of target
   * tracking's short steps than the share it added is stood down for the next day: the run plans as
   * with `forecastFloor` off (target tracking scales out, predictive scale-in stays; campaigns still
   * pre-warm). Prescale keeps planning and recording the floor it would have set, so a later day can
   * bring it back. On/off load, whose switch the forecast cannot place, is where it stands down
   * (docs/BENCHMARKS.md, *Cost/SLO frontier*). 0 never judges. Only for a group with its own scaling
   * policies.
   */
  floorCheckDays: z.number().int().min(0).max(7).default(1),
  /**
   * How far back the recent peak load of `scaleInAhead` reaches, in minutes: one 5-minute run by
   * default, so capacity follows a fall within a run while the forecast guards the next lead time.
   */
  scaleInAheadWindowMinutes: z.number().int().min(5).max(60).default(5),
  /**
   * Longest window `scaleInAhead` may learn, in minutes; the default 15 is the policy's own low
   * alarm, so at its longest predictive scale-in releases what the policy would. Each run picks,
   * from the metric steps between `scaleInAheadWindowMinutes` and this, the shortest window whose
   * releases over the history were regretted (the load needed the capacity again within the lead
   * time plus a tick) at most `scaleInAheadMaxRegretShare` of the time (`learnScaleInWindow`):
   * bursts that return within a launch keep their capacity, falls that last give it back at once.
   * The same choice is made over the releases that came within this hold after a launch (a step
   * whose load needed more than the hold before it kept), and a run within the hold after a launch
   * uses that window when it is longer: a group whose bursts come in clusters holds after each
   * launch, and keeps prompt scale-in after other falls (since 2026-11-30).
   * At or below `scaleInAheadWindowMinutes` the window is fixed.
   */
  scaleInAheadMaxWindowMinutes: z.number().int().min(5).max(60).default(15),
  /**
   * Largest share (0–1) of a window's past releases that may have been regretted for
   * `scaleInAhead` to use it. The default 0.5 releases only where letting capacity go was right
   * more often than not. On the `cpu` metric (it reads at most 100 % per instance, so one return
   * of target tracking takes k instances, at least one, to at most ⌈k × 100/target⌉) the releases
   * the policy climbs back from in more than one return are also weighed (instance-steps saved
   * against those their regrets missed over the climb); where their regrets take more than this share of
   * that trade, a run whose newest load came back into such a release within a lead time takes the
   * released capacity back (since 2026-11-30, branch `bighold`).
   */
  scaleInAheadMaxRegretShare: z.number().min(0).max(1).default(0.5),
  /**
   * Load per instance above which a minute violates the group's service level, in the metric's
   * unit, when the group runs its target above it (the target as a cost knob: e.g. a 70 % target
   * for a 60 % SLO). Predictive scale-in then counts a release as regretted when the load within
   * a launch needs the capacity back at this load per instance rather than at the target, so a
   * group whose load keeps coming back above its SLO holds capacity like its policy's low alarm
   * (`learnScaleInWindow`), and the plan holds the SLO at the off-peak steps, those whose need at
   * it is at most the horizon's median step's need at the target (`offPeakSloCapacity`). Absent,
   * or at or above the target: the target is the service level.
   */
  sloLoadPerInstance: z.number().positive().optional(),
  /**
   * Share of the target load per instance at which `scaleInAhead` serves the recent peak. The
   * default 0.9 is target tracking's own low-alarm threshold: the recent peak is an average over a
   * metric period, and the headroom covers the minutes above it.
   */
  scaleInAheadTargetRatio: z.number().gt(0).max(1).default(0.9),
  /**
   * Window of the burst floor, in minutes (0: off). The group's history is cut into windows this
   * long; when the load varies within them as much as `burstFloorMinBurstiness` says (it comes in
   * bursts the forecast cannot place), the group plans its newest window's mean load at every step
   * (`burstPlannedLoad`): a floor like EC2's hourly predictive one, with target tracking serving the
   * bursts and predictive scale-in at the policy's own hold. Same bounds; a smooth group is unchanged.
   */
  burstFloorWindowMinutes: z.number().int().min(0).max(240).default(60),
  /**
   * Burstiness (the median window's coefficient of variation: standard deviation over mean of the
   * load within a window) at and above which the burst floor holds. The default 0.5 leaves load
   * with daily or slow changes (within-hour variation below half the hour's mean) to the forecast.
   */
  burstFloorMinBurstiness: z.number().gt(0).default(0.5),
  /**
   * Days of history read for the burst floor's seasonal level (0: off): a bursty group plans at
   * least the median, over this many past days, of the coming window's mean load at the same time
   * of day, when that same-time median predicted the history's windows better than the window before each
   * did (the bursts recur at the same hours). Otherwise, and on smooth groups, nothing changes.
   */
  burstFloorSeasonalDays: z.number().int().min(0).max(14).default(7),
  /**
   * Days of history read for each hour's recurring peak; 0 (the default) is off, so this is opt-in.
   * On, a group with an SLO (`sloLoadPerInstance`) runs one instance more than planned through an
   * hour whose typical peak (the median, over this many past days, of the hour's highest metric
   * step) that one instance keeps within the SLO, at any target: cheap SLO minutes for flat load
   * with a short peak every hour, at the price of the target's cheapest settings (docs/BENCHMARKS.md,
   * *Cost/SLO frontier*). Unused without an SLO.
   */
  recurringPeakDays: z.number().int().min(0).max(14).default(0),
  /**
   * Minutes of the group's newest load the plan holds; 0 (the default) is off, so this is opt-in.
   * On, every step until the next run's launches are in service is planned at least at the
   * `recentLoadHoldQuantile` of the loads observed over these minutes: for load that swings every
   * few minutes by more than a forecast places, a cheaper way than a lower target to buy SLO
   * minutes (docs/BENCHMARKS.md, *Cost/SLO frontier*, *The recent load held*). It costs at every
   * target, so it is a second curve to choose, not a default. Up to a day: a day-long window holds
   * flat load at one steady level, which one burst barely moves (docs/BENCHMARKS.md, *A fixed
   * fleet sized for the day*).
   */
  recentLoadHoldMinutes: z.number().int().min(0).max(MAX_RECENT_LOAD_HOLD_MINUTES).default(0),
  /** The quantile of the recent loads that `recentLoadHoldMinutes` holds, in (0, 1]; per group the `prescale:recent-load-hold-quantile` tag. */
  recentLoadHoldQuantile: z.number().gt(0).max(1).default(0.95),
  /**
   * With no `recentLoadHoldMinutes` set, a group with its own scaling policies holds its newest
   * day's p98 load (a steady hold) when, replayed on that day, the hold would have added at most
   * this share to its target tracking's instances, while its newest 15 minutes still need the day's
   * median instances less one (a fall is released as target tracking would): flat load, which target tracking chases a launch
   * late around a level it nearly holds anyway, gets the fleet a day's sizing would give it, and
   * load with a daily cycle, whose day's high level held all day costs 50 % or more, keeps its
   * forecast plan (docs/BENCHMARKS.md, *Cost/SLO frontier*, *The day held*). 0 is off; per group
   * the `prescale:steady-hold-max-extra-cost` tag.
   */
  steadyHoldMaxExtraCost: z.number().min(0).max(1).default(0.05),
  /** How far above the group's MaxSize Prescale may raise it temporarily (0 = never). */
  maxRaiseOverMaxSize: z.number().int().min(0).default(0),
  /** Launch-to-InService time to assume until one is learned from scaling activities. */
  defaultLeadTimeSeconds: z.number().int().min(0).max(3600).default(300),
  mode: z.enum(['forecast-only', 'forecast-and-scale']).optional(),
});

export type GroupSettings = z.output<typeof groupSettingsSchema>;
export type LoadMetric = z.output<typeof loadMetricSchema>;

// The port's domain type and the schema must describe the same metrics.
export const loadMetricMatchesPort = (m: LoadMetric): LoadMetricSpec => m;

/** A settings field as an override takes it: optional, and without its default. */
type OverrideField<F extends z.ZodType> = z.ZodOptional<
  F extends z.ZodDefault<infer Inner extends z.ZodType> ? Inner : F
>;

/**
 * One entry of `groupOverrides`: any of the settings, none defaulted. Zod 4 fills a default even
 * inside `.partial()`, which would put every unnamed setting back to the product default over the
 * user's `defaults`; an override must name only what it changes.
 */
export const groupOverrideSchema = z.object(
  Object.fromEntries(
    Object.entries(groupSettingsSchema.shape).map(([key, field]) => [
      key,
      (field instanceof z.ZodDefault ? field.unwrap() : field).optional(),
    ]),
  ) as {
    [K in keyof typeof groupSettingsSchema.shape]: OverrideField<(typeof groupSettingsSchema.shape)[K]>;
  },
);
