import { MAX_RECENT_LOAD_HOLD_MINUTES } from '../../contracts/group-settings-schema';
import type { UserConfigInput } from '../../contracts/user-config';
import { MAX_PLANNING_QUANTILE } from '../../core/forecast/forecast-levels';
import { oracleSeries, type SweepPoint } from '../evaluation/compare-frontiers';
import { loadTraceAt } from '../load/load-trace';
import { demandInstances } from '../policies/oracle-capacity';
import type { PolicyName } from './policy-name';
import type { PolicyKnobs, PolicyRun } from './policy-run';
import type { PolicyJob } from './run-policy-jobs';
import type { Scenario } from './scenario';

/** One run of a sweep: a policy at one knob setting. */
export interface KnobSetting {
  readonly policy: PolicyName;
  readonly knobs: PolicyKnobs;
  readonly label: string;
  readonly isDefault: boolean;
  /** The name its points are reported under when it is not the policy's (the oracle's foresights). */
  readonly series?: string;
}

/** Which settings a sweep tries. */
export interface KnobGridOptions {
  /** Target utilisations (%) for reactive and ec2-predictive. @default 40, 50, 60, 70, 80 */
  readonly targetsPct?: readonly number[];
  /**
   * Target utilisations (%) for Prescale (its runs are the expensive ones): denser around the SLO
   * (60 %), where the trade-off turns, than reactive's, and reaching past reactive's dearest and
   * cheapest settings (at an equal target Prescale's floor costs at least as much as target
   * tracking alone, so matching reactive's 80 % point on cost takes a higher target).
   * @default 35, 40, 45, 50, 55, 56, 57, 58, 59, 60, 60.5, 61, 62, 65, 69, 70, 72, 75, 80, 85, 90, 95
   */
  readonly prescaleTargetsPct?: readonly number[];
  /**
   * Prescale's cheap end: these targets (%) run a second time with the planning quantile capped
   * at `prescaleQuantileCap` (the `prescale:planning-quantile-max` tag), so the controller cannot
   * buy back with a higher floor what the higher target saves. Empty: none.
   * @default 70, 72, 75, 77
   */
  readonly prescaleCappedTargetsPct?: readonly number[];
  /** The planning quantile's ceiling of those runs, in (0.5, `MAX_PLANNING_QUANTILE`]. @default 0.55 (the controller's own floor) */
  readonly prescaleQuantileCap?: number;
  /**
   * Prescale's second curve: these targets (%) run again with the group opted in to the recurring
   * peak's instance (`recurringPeakDays`, the `prescale:recurring-peak-days` tag, at
   * `RECURRING_PEAK_DAYS`). It buys flat hours' SLO minutes at the price of the target's cheapest
   * points, so it is a second curve beside the first rather than a default. Empty: none.
   * @default DEFAULT_PRESCALE_RECURRING_PEAK_TARGETS_PCT
   */
  readonly prescaleRecurringPeakTargetsPct?: readonly number[];
  /**
   * Prescale's third curve: these targets (%) run again with the group holding its recent load
   * (`recentLoadHoldMinutes`, the `prescale:recent-load-hold-minutes` tag, at each of
   * `prescaleRecentLoadHolds`). It costs at every target, so it is a curve beside the first
   * rather than a default. Empty: none. @default DEFAULT_PRESCALE_RECENT_LOAD_HOLD_TARGETS_PCT
   */
  readonly prescaleRecentLoadHoldTargetsPct?: readonly number[];
  /**
   * The holds those targets run at, each its own curve: a window (minutes of newest load,
   * 1–`MAX_RECENT_LOAD_HOLD_MINUTES`) and the quantile held when it is not the configuration's
   * (the `prescale:recent-load-hold-quantile` tag). The documented hour is labelled `recent load
   * held`, any other window `recent load held N min`, and a quantile adds `at pQ`.
   * @default DEFAULT_RECENT_LOAD_HOLDS
   */
  readonly prescaleRecentLoadHolds?: readonly RecentLoadHoldCurve[];
  /**
   * Prescale's fifth curve: these targets (%) run again with the group's floor from the forecast
   * off (`forecastFloor`, the `prescale:forecast-floor` tag at `false`): target tracking alone
   * scales out and Prescale only scales in ahead of it, a cheaper curve than the first at every
   * target. Empty: none. @default DEFAULT_PRESCALE_TARGETS_PCT (the first curve's)
   */
  readonly prescaleScaleInOnlyTargetsPct?: readonly number[];
  /**
   * Prescale's sixth curve: these targets (%) run again with predictive scale-in serving the
   * recent peak at the target itself (`scaleInAheadTargetRatio` at `LEAN_SCALE_IN_TARGET_RATIO`,
   * the `prescale:scale-in-ahead-target-ratio` tag) instead of the configuration's 0.9: mostly
   * cheaper at a target, and the minutes above a 5-minute mean that the headroom covered are missed
   * on swinging load, so it is a curve beside the first rather than a default. Empty: none.
   * @default DEFAULT_PRESCALE_TARGETS_PCT (the first curve's)
   */
  readonly prescaleLeanScaleInTargetsPct?: readonly number[];
  /**
   * Prescale's seventh curve: these targets (%) run again with the floor check off
   * (`floorCheckDays` 0, the `prescale:floor-check-days` tag): the forecast floor kept whatever
   * the group's record says, as the first curve ran before the daily judgement. Where the judgement
   * stands a floor down the first curve is the fifth's (scale-in only); this one is the floor's
   * side of that choice, which a user keeps for a group with the tag. Empty: none.
   * @default DEFAULT_PRESCALE_TARGETS_PCT (the first curve's)
   */
  readonly prescaleFloorKeptTargetsPct?: readonly number[];
  /**
   * Prescale's eighth curve: these targets (%) run again with the steady hold off
   * (`steadyHoldMaxExtraCost` 0, the `prescale:steady-hold-max-extra-cost` tag): the first curve
   * as it ran before the hold, the plan's side of that choice. Empty: none.
   * @default DEFAULT_PRESCALE_TARGETS_PCT (the first curve's)
   */
  readonly prescaleNoSteadyHoldTargetsPct?: readonly number[];
  /**
   * The oracle's targets (%): perfect foresight swept as a bound on what any policy with the same
   * launch lead time could reach, not a rival. Empty: none. @default DEFAULT_ORACLE_TARGETS_PCT
   */
  readonly oracleTargetsPct?: readonly number[];
  /**
   * The oracle's foresight resolutions, minutes: each is its own series (`oracle` for 1,
   * `oracle-5min` for 5: a perfect forecast of the product's 5-minute history). @default 1, 5
   */
  readonly oracleForesightMinutes?: readonly number[];
  /** ec2-predictive SchedulingBufferTime values, seconds. @default 300, 900 */
  readonly schedulingBuffersSeconds?: readonly number[];
}

const MINUTE_MS = 60_000;

/** Prescale's default sweep, % (docs/BENCHMARKS.md, Cost/SLO frontier: why these). */
export const DEFAULT_PRESCALE_TARGETS_PCT: readonly number[] = [
  35, 40, 45, 50, 55, 56, 57, 58, 59, 60, 60.5, 61, 62, 65, 69, 70, 72, 75, 80, 85, 90, 95,
];

/** The Prescale targets (%) also swept with the planning quantile capped (docs/BENCHMARKS.md: why). */
export const DEFAULT_PRESCALE_CAPPED_TARGETS_PCT: readonly number[] = [70, 72, 75, 77];

/** The planning quantile's ceiling of the capped runs: the product's lower bound (0.55). */
export const DEFAULT_PRESCALE_QUANTILE_CAP = 0.55;

/** The Prescale targets (%) also swept with the recurring peak's instance (docs/BENCHMARKS.md: why). */
export const DEFAULT_PRESCALE_RECURRING_PEAK_TARGETS_PCT: readonly number[] = [56, 65, 80];

/** The Prescale targets (%) also swept holding the recent load (docs/BENCHMARKS.md: why). */
export const DEFAULT_PRESCALE_RECENT_LOAD_HOLD_TARGETS_PCT: readonly number[] = [
  50, 55, 56, 57, 58, 59, 60, 61, 62, 65, 70, 75, 80, 85, 90, 95,
];

/** Minutes of newest load the recent-load-hold runs hold (the setting's documented opt-in value). */
export const RECENT_LOAD_HOLD_MINUTES = 60;

/** One recent-load-hold curve: its window, and the quantile held when not the configuration's. */
export interface RecentLoadHoldCurve {
  readonly minutes: number;
  readonly quantile?: number;
}

/**
 * The holds the recent-load-hold targets run at: the documented hour and four hours, whose
 * steadier hold bought swinging flat load's SLO minutes more cheaply still (docs/BENCHMARKS.md,
 * *Cost/SLO frontier*, *A four-hour hold*), at the configuration's quantile; and the whole day at
 * its p95 and p98, the setting closest to a fleet held at one size, which is what flat load wants
 * once each policy starts from its own state (*The day held as two more curves*).
 */
export const DEFAULT_RECENT_LOAD_HOLDS: readonly RecentLoadHoldCurve[] = [
  { minutes: RECENT_LOAD_HOLD_MINUTES },
  { minutes: 240 },
  { minutes: MAX_RECENT_LOAD_HOLD_MINUTES, quantile: 0.95 },
  { minutes: MAX_RECENT_LOAD_HOLD_MINUTES, quantile: 0.98 },
];

/** The oracle's default sweep, %: dense below the SLO, where its frontier turns; up to 100 % for bursty traces. */
export const DEFAULT_ORACLE_TARGETS_PCT: readonly number[] = [
  50, 52, 54, 56, 58, 60, 62, 65, 70, 80, 90, 100,
];

/** The share of the target at which the lean scale-in curve serves the recent peak: the target itself. */
export const LEAN_SCALE_IN_TARGET_RATIO = 1;

/** Days of history the recurring-peak runs read (the setting's documented opt-in value). */
export const RECURRING_PEAK_DAYS = 7;

/**
 * The knob grid of every policy: reactive's and ec2-predictive's target utilisation (and
 * ec2-predictive's scheduling buffer), Prescale's target load per instance (its plan and its
 * group's target tracking) and, at its cheap end, the same targets with the planning quantile
 * capped, a few targets again with the recurring peak's instance, some holding the recent
 * load, every target again with predictive scale-in alone and every target again with predictive
 * scale-in serving its recent peak at the target itself, every target again with its floor kept
 * (no daily judgement); static's fleet size; the
 * oracle's target at each foresight resolution (a bound, not a rival). The defaults are the
 * scenario's target and a 300 s buffer; static and the oracle have no default.
 */
export function knobGrid(scenario: Scenario, options: KnobGridOptions = {}): KnobSetting[] {
  const target = scenario.targetLoadPerInstance;
  const targets = options.targetsPct ?? [40, 50, 60, 70, 80];
  const buffers = options.schedulingBuffersSeconds ?? [300, 900];
  const grid: KnobSetting[] = prescaleSettings(target, options);
  for (const targetPct of targets)
    grid.push({
      policy: 'reactive',
      knobs: { targetPct },
      label: `target ${targetPct} %`,
      isDefault: targetPct === target,
    });
  for (const targetPct of targets)
    for (const schedulingBufferSeconds of buffers)
      grid.push({
        policy: 'ec2-predictive',
        knobs: { targetPct, schedulingBufferSeconds },
        label: `target ${targetPct} %, buffer ${schedulingBufferSeconds} s`,
        isDefault: targetPct === target && schedulingBufferSeconds === 300,
      });
  for (const foresightMinutes of options.oracleForesightMinutes ?? [1, 5])
    for (const targetPct of options.oracleTargetsPct ?? DEFAULT_ORACLE_TARGETS_PCT)
      grid.push({
        policy: 'oracle',
        knobs: { targetPct, foresightMinutes },
        label: `target ${targetPct} %, ${foresightMinutes}-min foresight`,
        isDefault: false,
        series: oracleSeries(foresightMinutes),
      });
  for (const staticCapacity of staticSizes(scenario))
    grid.push({
      policy: 'static',
      knobs: { staticCapacity },
      label: `${staticCapacity} instances`,
      isDefault: false,
    });
  return grid;
}

/** The most static fleet sizes a sweep runs: every whole size up to a peak of this many. */
export const MAX_STATIC_SIZES = 100;

/**
 * The static fleet sizes, ascending: every whole size from one instance to the evaluated window's
 * peak demand (instances needed at the scenario's target), or, for a peak above
 * `MAX_STATIC_SIZES`, every so many with the peak last. Whole sizes are where a fixed fleet's
 * trade-off turns and where reactive's default cost falls, so the fixed fleet's frontier is read
 * there an instance at a time: on flat load a fixed fleet sized for the day misses fewer minutes
 * than target tracking's chase at its cost (docs/BENCHMARKS.md, *A fixed fleet sized for the
 * day*). Each runs in milliseconds.
 */
export function staticSizes(scenario: Scenario): number[] {
  let peak = 1;
  for (let t = scenario.evalStartMs; t < scenario.evalEndMs; t += MINUTE_MS)
    peak = Math.max(peak, demandInstances(loadTraceAt(scenario.trace, t), scenario.targetLoadPerInstance));
  const step = Math.ceil(peak / MAX_STATIC_SIZES);
  const sizes: number[] = [];
  for (let size = 1; size < peak; size += step) sizes.push(size);
  return [...sizes, peak];
}

/**
 * Prescale's curves: the first (every target, its default at the scenario's target), the capped
 * cheap end, the recurring peak, the recent-load holds, and every target again with one setting
 * changed (scale-in only, scale-in ahead at the target, the floor kept, the steady hold off).
 * @throws RangeError for a quantile cap outside (0.5, `MAX_PLANNING_QUANTILE`] or a hold outside its setting's range
 */
function prescaleSettings(target: number, options: KnobGridOptions): KnobSetting[] {
  // The curves of "every target again" run the default targets whatever the first curve runs.
  const first = options.prescaleTargetsPct ?? DEFAULT_PRESCALE_TARGETS_PCT;
  const cap = options.prescaleQuantileCap ?? DEFAULT_PRESCALE_QUANTILE_CAP;
  if (!(cap > 0.5 && cap <= MAX_PLANNING_QUANTILE))
    throw new RangeError(
      `prescaleQuantileCap: expected a number in (0.5, ${MAX_PLANNING_QUANTILE}] (the highest quantile the forecast gives), got ${cap}`,
    );
  const again = (targets: readonly number[], knobs: PolicyKnobs, setting: string): KnobSetting[] =>
    targets.map((targetPct) => ({
      policy: 'prescale',
      knobs: { targetPct, ...knobs },
      label: `target ${targetPct} %, ${setting}`,
      isDefault: false,
    }));
  return [
    ...first.map((targetPct) => ({
      policy: 'prescale' as const,
      knobs: { targetPct },
      label: `target ${targetPct} %`,
      isDefault: targetPct === target,
    })),
    ...again(
      options.prescaleCappedTargetsPct ?? DEFAULT_PRESCALE_CAPPED_TARGETS_PCT,
      { planningQuantileMax: cap },
      `quantile ≤ ${cap}`,
    ),
    ...again(
      options.prescaleRecurringPeakTargetsPct ?? DEFAULT_PRESCALE_RECURRING_PEAK_TARGETS_PCT,
      { recurringPeakDays: RECURRING_PEAK_DAYS },
      'recurring peak',
    ),
    ...recentLoadHoldSettings(options),
    ...again(
      options.prescaleScaleInOnlyTargetsPct ?? DEFAULT_PRESCALE_TARGETS_PCT,
      { forecastFloor: false },
      'scale-in only',
    ),
    ...again(
      options.prescaleLeanScaleInTargetsPct ?? DEFAULT_PRESCALE_TARGETS_PCT,
      { scaleInAheadTargetRatio: LEAN_SCALE_IN_TARGET_RATIO },
      'scale-in ahead at the target',
    ),
    ...again(
      options.prescaleFloorKeptTargetsPct ?? DEFAULT_PRESCALE_TARGETS_PCT,
      { floorCheckDays: 0 },
      'floor kept',
    ),
    ...again(
      options.prescaleNoSteadyHoldTargetsPct ?? DEFAULT_PRESCALE_TARGETS_PCT,
      { steadyHoldMaxExtraCost: 0 },
      'no steady hold',
    ),
  ];
}

/**
 * Prescale's recent-load-hold curves: every hold target at every hold, hold by hold.
 * @throws RangeError for a window that is not a whole number of minutes in
 * 1–`MAX_RECENT_LOAD_HOLD_MINUTES` or a quantile outside (0, 1] (the settings' ranges).
 */
function recentLoadHoldSettings(options: KnobGridOptions): KnobSetting[] {
  const targets = options.prescaleRecentLoadHoldTargetsPct ?? DEFAULT_PRESCALE_RECENT_LOAD_HOLD_TARGETS_PCT;
  const settings: KnobSetting[] = [];
  for (const { minutes, quantile } of options.prescaleRecentLoadHolds ?? DEFAULT_RECENT_LOAD_HOLDS) {
    if (!(Number.isInteger(minutes) && minutes >= 1 && minutes <= MAX_RECENT_LOAD_HOLD_MINUTES))
      throw new RangeError(
        `prescaleRecentLoadHolds: expected whole minutes in 1–${MAX_RECENT_LOAD_HOLD_MINUTES}, got ${minutes}`,
      );
    if (quantile !== undefined && !(quantile > 0 && quantile <= 1))
      throw new RangeError(`prescaleRecentLoadHolds: expected a quantile in (0, 1], got ${quantile}`);
    // The documented hour keeps its first label, so its points compare with earlier runs'.
    const window =
      minutes === RECENT_LOAD_HOLD_MINUTES ? 'recent load held' : `recent load held ${minutes} min`;
    const held = quantile === undefined ? window : `${window} at p${Math.round(quantile * 1000) / 10}`;
    for (const targetPct of targets)
      settings.push({
        policy: 'prescale',
        knobs: {
          targetPct,
          recentLoadHoldMinutes: minutes,
          ...(quantile === undefined ? {} : { recentLoadHoldQuantile: quantile }),
        },
        label: `target ${targetPct} %, ${held}`,
        isDefault: false,
      });
  }
  return settings;
}

/**
 * Every setting of `grid` on the scenario as a job for `runPolicyJobs` (in grid order), so a sweep
 * runs on every core: each job runs in a fresh world with the scenario's seed, and a Prescale run
 * whose handlers failed fails its job (a point is Prescale's only if its handlers ran). `prescaleConfig`: the configuration the Prescale jobs deploy.
 */
export function sweepJobs(
  scenario: Scenario,
  grid: readonly KnobSetting[],
  prescaleConfig?: UserConfigInput,
): PolicyJob[] {
  return grid.map((setting) => ({
    scenario,
    policy: setting.policy,
    knobs: setting.knobs,
    ...(setting.policy === 'prescale' && prescaleConfig ? { prescaleConfig } : {}),
    failOnPrescaleErrors: true,
  }));
}

/** The trade-off point of one setting's run. */
export function sweepPoint(setting: KnobSetting, run: PolicyRun): SweepPoint {
  return {
    policy: setting.series ?? setting.policy,
    knob: setting.label,
    isDefault: setting.isDefault,
    costUsd: run.summary.costUsd,
    sloViolationMinutes: run.summary.sloViolationMinutes,
    instanceHours: run.summary.instanceHours,
  };
}
