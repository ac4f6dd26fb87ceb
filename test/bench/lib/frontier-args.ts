/** The command line of `bench:frontier` (test/bench/frontier.ts): its options, help and checks. */
import { availableParallelism } from 'node:os';
import type { ParseArgsConfig, parseArgs } from 'node:util';
import { MAX_RECENT_LOAD_HOLD_MINUTES } from '../../../shared/contracts/group-settings-schema';
import { MAX_PLANNING_QUANTILE } from '../../../shared/core/forecast/forecast-levels';
import {
  PLAIN_DECIMAL,
  parseDays,
  parseDeregistrationDelaySeconds,
  parseMetricDelayMinutes,
  parsePositiveDecimal,
  parseSeed,
  parseWholeNumber,
  parseWorkers,
} from '../../../shared/simulation/parse-cli-args';
import { MIN_EVALUATED_MINUTES } from '../../../shared/simulation/run/build-scenario';
import {
  type PrescaleHistorySource,
  parsePrescaleHistorySource,
} from '../../../shared/simulation/run/prescale-history';
import type { RecentLoadHoldCurve } from '../../../shared/simulation/run/sweep-knobs';

/** What `bench:frontier` was asked to run. */
export interface FrontierArgs {
  traces: string[];
  /** Earlier runs' `--json` files to compare again instead of running (empty: run). */
  points: string[];
  json?: string;
  report: string;
  /** Simulation seeds: one run per trace, warm-up and seed; several pool like days. */
  seeds: number[];
  days?: number;
  /** Days of history before each evaluated window: one run per trace and entry, in the order given. */
  warmupDays?: number[];
  /** Minutes every policy runs before each evaluated window, unsampled and unbilled (0: a cold start). */
  burnInMinutes: number;
  /** Minutes late CloudWatch returns every run's AWS metrics (`Scenario.metricDelayMinutes`); absent, none. */
  metricDelayMinutes?: number;
  /** Every run's group drains a scaled-in instance this many seconds (`Scenario.deregistrationDelaySeconds`); absent, none. */
  deregistrationDelaySeconds?: number;
  peakInstances: number;
  prescaleStepSeconds: 300 | 3600;
  targets?: number[];
  prescaleTargets?: number[];
  prescaleCappedTargets?: number[];
  prescaleQuantileCap?: number;
  prescaleRecurringPeakTargets?: number[];
  prescaleRecentLoadHoldTargets?: number[];
  prescaleRecentLoadHolds?: RecentLoadHoldCurve[];
  prescaleScaleInOnlyTargets?: number[];
  prescaleLeanScaleInTargets?: number[];
  prescaleFloorKeptTargets?: number[];
  prescaleNoSteadyHoldTargets?: number[];
  oracleTargets?: number[];
  planningQuantile?: number;
  prescaleDefaults?: Record<string, unknown>;
  mergeDuplicates: boolean;
  warmPool: boolean;
  prescaleHistory: PrescaleHistorySource;
  /** Processes the runs share (this one and `workers - 1` children): every core by default. */
  workers: number;
}

/** The `--help` text. */
export const FRONTIER_HELP = `Cost/SLO frontier benchmark: sweeps each policy's own knob per trace and compares the Pareto frontiers.
Usage: npm run bench:frontier -- [options]
  --trace FILE              a trace CSV (repeatable); default: every NAB realAWSCloudwatch series and nyc_taxi
  --days N                  days evaluated per trace (the sweep's cost grows with it; 1 keeps runs bounded)
  --warmup-days N|LIST      days of history before the evaluated window; a list (7,10,12) runs every
                            trace once per entry, labelled "<trace> @ day N" (N = warm-up + 1),
                            skips a trace too short for an entry, and ends with a per-day summary
  --burn-in-minutes N       minutes every policy runs before each evaluated window, neither sampled
                            nor billed, so the window starts from each policy's own state rather than
                            every group sized to its first minute's load (default 0: that cold start)
  --metric-delay N          CloudWatch returns every run's AWS metrics N whole minutes late (as npm
                            start's --metric-delay; docs/evaluation.md, Late CloudWatch data);
                            default none, each minute readable as it ends (the recorded frontiers)
  --deregistration-delay S  every run's group drains an instance it scales in for S seconds, 0–3600
                            (as npm start's --deregistration-delay; ELB's default is 300); default
                            none, terminated at once (the recorded frontiers)
  --peak-instances N        rescale each trace so its peak needs N instances at the SLO (default 40)
  --seed N|LIST             simulation seed, 0–4294967295 as npm start's (default 1); a list (1,2,3)
                            runs every trace once per seed (each launch's time is the seed's draw),
                            labelled "<trace> @ seed S", and pools each setting over the seeds as
                            over days
  --prescale-step 300|3600  Prescale's forecast step, seconds (default 300, the product's)
  --targets LIST            reactive and ec2-predictive target utilisations, % (default 40,50,60,70,80)
  --prescale-targets LIST   Prescale target utilisations, % (default 35,40,45,50,55,56,57,58,59,60,60.5,61,62,65,69,70,72,75,80,85,90,95)
  --prescale-capped-targets LIST|none
                            Prescale targets run again with the planning quantile capped (the
                            prescale:planning-quantile-max tag), % (default 70,72,75,77)
  --prescale-quantile-cap Q the cap of those runs, 0.5 < Q ≤ 0.99 (default 0.55)
  --prescale-recurring-peak-targets LIST|none
                            Prescale targets run again with the group opted in to the recurring
                            peak's instance (the prescale:recurring-peak-days tag at 7; labelled
                            "target N %, recurring peak"), % (default 56,65,80)
  --prescale-recent-load-hold-targets LIST|none
                            Prescale targets run again with the group holding its recent load (the
                            prescale:recent-load-hold-minutes tag at each window below; labelled
                            "target N %, recent load held" at 60 minutes), % (default
                            50,55,56,57,58,59,60,61,62,65,70,75,80,85,90,95)
  --prescale-recent-load-hold-minutes LIST
                            the holds those targets run at, each its own curve: whole minutes 1–1440,
                            each optionally @ the quantile held, in (0, 1] (the
                            prescale:recent-load-hold-quantile tag; default the configuration's 0.95)
                            (default 60,240,1440@0.95,1440@0.98; a window other than 60 is labelled "recent load held N
                            min", a quantile adds "at pQ": 1440@0.75 is "recent load held 1440 min at p75")
  --prescale-scale-in-only-targets LIST|none
                            Prescale targets run again with the group's floor from the forecast off
                            (the prescale:forecast-floor tag at false: target tracking scales out,
                            Prescale only scales in ahead of it; labelled "target N %, scale-in
                            only"), % (default: the --prescale-targets default)
  --prescale-lean-scale-in-targets LIST|none
                            Prescale targets run again with predictive scale-in serving the recent
                            peak at the target itself (the prescale:scale-in-ahead-target-ratio tag
                            at 1, not the configuration's 0.9; labelled "target N %, scale-in ahead
                            at the target"), % (default: the --prescale-targets default)
  --prescale-floor-kept-targets LIST|none
                            Prescale targets run again with the floor check off (the
                            prescale:floor-check-days tag at 0: the forecast floor kept whatever
                            the group's record says; labelled "target N %, floor kept"), %
                            (default: the --prescale-targets default)
  --prescale-no-steady-hold-targets LIST|none
                            Prescale targets run again with the steady hold off (the
                            prescale:steady-hold-max-extra-cost tag at 0: the forecast's plan
                            alone on flat load; labelled "target N %, no steady hold"), %
                            (default: the --prescale-targets default)
  --oracle-targets LIST|none
                            the perfect-foresight oracle's targets, %, run at 1-minute and 5-minute
                            foresight (series oracle, oracle-5min): a bound, not a rival (default
                            50,52,54,56,58,60,62,65,70,80,90,100)
  --planning-quantile Q     pin Prescale's planning quantile to Q (0.5 < Q ≤ 0.99; min = start = max = Q)
                            instead of the SLO-budget controller's 0.55–0.99 (one quantile per process)
  --prescale-defaults JSON  settings merged into Prescale's configuration defaults for every run, e.g.
                            '{"scaleInAhead":false}' (validated by the product's schema when the handlers start)
  --points FILE             compare the points of an earlier run's --json FILE again, with this
                            tree's comparison, instead of running (repeatable: the runs' traces are
                            merged by name, a setting two runs measured kept once, and they must
                            agree on it); only --json and --report go with it
  --json FILE               write the points and verdicts as JSON
  --report FILE.html        the HTML report (default reports/frontier.html)
  --merge-duplicates        merge duplicate timestamps of a trace (on by default)
  --warm-pool               give every policy's group a warm pool (AWS's default size, MaxSize − desired,
                            which Prescale leaves alone), as npm start -- --warm-pool does
  --prescale-history SOURCE where Prescale reads the load history: cloudwatch-cpu (default; the cpu
                            metric kind), cloudwatch-alb (alb-requests: request count per target ×
                            healthy hosts, targets in requests per step), cloudwatch-custom (the
                            offered-load metric, stat Average), cloudwatch-expression (the expression
                            kind: SUM(SEARCH(CPUUtilization)) × SUM(SEARCH(GroupInServiceInstances))
                            of the group, the cpu kind's product as a user writes it, saturated
                            load per instance 100), timestream (a table mirroring the offered
                            load, saturatedLoadPerInstance none) or timestream-multi (the same in
                            a BIGINT column of multi-measure records, timestream.measureColumn)
  --workers N               processes the runs share, one run each at a time (default: every core,
                            ${availableParallelism()} here); the points do not depend on it
  --help                    this text`;

const list = (text: string, flag: string) => text.split(',').map((t) => parsePositiveDecimal(flag, t));
/** `values` when each was given once (a repeated entry would run the same runs twice). */
const givenOnce = <T>(values: T[], text: string, flag: string): T[] => {
  const repeated = values.find((x, i) => values.indexOf(x) !== i);
  if (repeated !== undefined)
    throw new Error(`${flag} expects distinct values, got ${repeated} twice in ${text}`);
  return values;
};
/** Warm-ups, days of at least a simulated minute each, given once. */
const warmupList = (text: string) =>
  givenOnce(
    text.split(',').map((t) => parseDays('--warmup-days', t, 1)),
    text,
    '--warmup-days',
  );
/** Seeds, each one simulate's `--seed` takes (`parseSeed`), given once each. */
const seedList = (text: string): number[] =>
  givenOnce(
    text.split(',').map((t) => parseSeed(t, 'whole numbers')),
    text,
    '--seed',
  );
/**
 * Hold curves, `MINUTES[@QUANTILE]` each, given once: whole minutes in
 * 1–`MAX_RECENT_LOAD_HOLD_MINUTES` (the `recentLoadHoldMinutes` setting's range) and a quantile in
 * (0, 1] (`recentLoadHoldQuantile`'s).
 */
const holdCurves = (text: string, flag: string): RecentLoadHoldCurve[] => {
  return givenOnce(text.split(','), text, flag).map((item) => {
    const [minutesText = '', quantileText, extra] = item.split('@');
    const minutes = Number(minutesText);
    if (
      extra !== undefined ||
      !/^\d+$/.test(minutesText) ||
      !(minutes >= 1 && minutes <= MAX_RECENT_LOAD_HOLD_MINUTES)
    )
      throw new Error(
        `${flag} expects whole minutes in 1–${MAX_RECENT_LOAD_HOLD_MINUTES}, each optionally @ a quantile in (0, 1], got ${item}`,
      );
    if (quantileText === undefined) return { minutes };
    const q = Number(quantileText);
    if (!PLAIN_DECIMAL.test(quantileText) || !(q > 0 && q <= 1))
      throw new Error(`${flag} expects a quantile in (0, 1] after @, got ${item}`);
    return { minutes, quantile: q };
  });
};
const wholeMinutes = (text: string, flag: string) =>
  parseWholeNumber(flag, text, { noun: 'whole minutes', min: 0, max: 1440 });
const quantile = (text: string, flag: string) => {
  const q = Number(text);
  if (!PLAIN_DECIMAL.test(text) || !(q > 0.5 && q <= MAX_PLANNING_QUANTILE))
    throw new Error(
      `${flag} expects a number in (0.5, ${MAX_PLANNING_QUANTILE}] (the highest quantile the forecast gives), got ${text}`,
    );
  return q;
};

/** The options `util.parseArgs` reads (strict: an unknown option is an error). */
export const FRONTIER_OPTIONS = {
  trace: { type: 'string', multiple: true },
  points: { type: 'string', multiple: true },
  json: { type: 'string' },
  report: { type: 'string' },
  seed: { type: 'string' },
  days: { type: 'string' },
  'warmup-days': { type: 'string' },
  'burn-in-minutes': { type: 'string' },
  'metric-delay': { type: 'string' },
  'deregistration-delay': { type: 'string' },
  'peak-instances': { type: 'string' },
  'prescale-step': { type: 'string' },
  targets: { type: 'string' },
  'prescale-targets': { type: 'string' },
  'prescale-capped-targets': { type: 'string' },
  'prescale-quantile-cap': { type: 'string' },
  'prescale-recurring-peak-targets': { type: 'string' },
  'prescale-recent-load-hold-targets': { type: 'string' },
  'prescale-recent-load-hold-minutes': { type: 'string' },
  'prescale-scale-in-only-targets': { type: 'string' },
  'prescale-lean-scale-in-targets': { type: 'string' },
  'prescale-floor-kept-targets': { type: 'string' },
  'prescale-no-steady-hold-targets': { type: 'string' },
  'oracle-targets': { type: 'string' },
  'planning-quantile': { type: 'string' },
  'prescale-defaults': { type: 'string' },
  'merge-duplicates': { type: 'boolean' },
  'warm-pool': { type: 'boolean' },
  'prescale-history': { type: 'string' },
  workers: { type: 'string' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** The values `util.parseArgs` returns for `FRONTIER_OPTIONS`. */
export type FrontierValues = ReturnType<typeof parseArgs<{ options: typeof FRONTIER_OPTIONS }>>['values'];

/** The `LIST|none` flags of Prescale's further curves and the oracle's: a list, or none ([]). */
const CURVE_FLAGS = {
  prescaleCappedTargets: 'prescale-capped-targets',
  prescaleRecurringPeakTargets: 'prescale-recurring-peak-targets',
  prescaleRecentLoadHoldTargets: 'prescale-recent-load-hold-targets',
  prescaleScaleInOnlyTargets: 'prescale-scale-in-only-targets',
  prescaleLeanScaleInTargets: 'prescale-lean-scale-in-targets',
  prescaleFloorKeptTargets: 'prescale-floor-kept-targets',
  prescaleNoSteadyHoldTargets: 'prescale-no-steady-hold-targets',
  oracleTargets: 'oracle-targets',
} as const;

/** The targets of each `CURVE_FLAGS` flag given; a flag not given is left out (its default applies). */
function curveTargets(v: FrontierValues): Pick<FrontierArgs, keyof typeof CURVE_FLAGS> {
  const curves: Pick<FrontierArgs, keyof typeof CURVE_FLAGS> = {};
  for (const [key, flag] of Object.entries(CURVE_FLAGS) as [keyof typeof CURVE_FLAGS, string][]) {
    const text = v[flag as keyof FrontierValues] as string | undefined;
    if (text !== undefined) curves[key] = text === 'none' ? [] : list(text, `--${flag}`);
  }
  return curves;
}

/** The options that go with --points: the rest choose what to run. */
const POINTS_FLAGS = new Set(['points', 'json', 'report']);

/**
 * The bench's arguments from the values `util.parseArgs` read with `FRONTIER_OPTIONS`, checked.
 * @throws Error naming the flag for a value out of range or malformed.
 */
export function frontierArgs(v: FrontierValues): FrontierArgs {
  checkPointsAlone(v);
  const step = v['prescale-step'] ?? '300';
  if (step !== '300' && step !== '3600') throw new Error(`--prescale-step expects 300 or 3600, got ${step}`);
  const prescaleDefaults = jsonObject(v['prescale-defaults'], '--prescale-defaults');
  return {
    traces: v.trace ?? [],
    points: v.points ?? [],
    ...(v.json !== undefined ? { json: v.json } : {}),
    report: v.report ?? 'reports/frontier.html',
    seeds: v.seed !== undefined ? seedList(v.seed) : [1],
    ...(v.days !== undefined ? { days: parseDays('--days', v.days, MIN_EVALUATED_MINUTES) } : {}),
    ...(v['warmup-days'] !== undefined ? { warmupDays: warmupList(v['warmup-days']) } : {}),
    burnInMinutes:
      v['burn-in-minutes'] !== undefined ? wholeMinutes(v['burn-in-minutes'], '--burn-in-minutes') : 0,
    ...(v['metric-delay'] !== undefined
      ? { metricDelayMinutes: parseMetricDelayMinutes(v['metric-delay']) }
      : {}),
    ...(v['deregistration-delay'] !== undefined
      ? { deregistrationDelaySeconds: parseDeregistrationDelaySeconds(v['deregistration-delay']) }
      : {}),
    peakInstances:
      v['peak-instances'] !== undefined ? parsePositiveDecimal('--peak-instances', v['peak-instances']) : 40,
    prescaleStepSeconds: Number(step) as 300 | 3600,
    ...(v.targets !== undefined ? { targets: list(v.targets, '--targets') } : {}),
    ...(v['prescale-targets'] !== undefined
      ? { prescaleTargets: list(v['prescale-targets'], '--prescale-targets') }
      : {}),
    ...(v['prescale-quantile-cap'] !== undefined
      ? { prescaleQuantileCap: quantile(v['prescale-quantile-cap'], '--prescale-quantile-cap') }
      : {}),
    ...curveTargets(v),
    ...(v['prescale-recent-load-hold-minutes'] !== undefined
      ? {
          prescaleRecentLoadHolds: holdCurves(
            v['prescale-recent-load-hold-minutes'],
            '--prescale-recent-load-hold-minutes',
          ),
        }
      : {}),
    ...(v['planning-quantile'] !== undefined
      ? { planningQuantile: quantile(v['planning-quantile'], '--planning-quantile') }
      : {}),
    ...(prescaleDefaults ? { prescaleDefaults } : {}),
    // Duplicate timestamps are merged whether or not the flag is given (it documents the default).
    mergeDuplicates: true,
    warmPool: v['warm-pool'] ?? false,
    prescaleHistory: parsePrescaleHistorySource(v['prescale-history'] ?? 'cloudwatch-cpu'),
    workers: v.workers !== undefined ? parseWorkers(v.workers) : availableParallelism(),
  };
}

/** --points runs nothing: @throws Error naming every flag given beside it but --json and --report. */
function checkPointsAlone(v: FrontierValues): void {
  if (v.points === undefined) return;
  const runFlags = Object.keys(v).filter(
    (k) => !POINTS_FLAGS.has(k) && v[k as keyof FrontierValues] !== undefined,
  );
  if (runFlags.length > 0)
    throw new Error(
      `--points compares stored runs and runs nothing; it takes only --json and --report, got ${runFlags.map((f) => `--${f}`).join(', ')}`,
    );
}

/** A flag's JSON object, or undefined without the flag. @throws Error naming the flag for any other JSON. */
function jsonObject(text: string | undefined, flag: string): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error(`${flag} expects a JSON object, got ${text}`);
  return parsed as Record<string, unknown>;
}
