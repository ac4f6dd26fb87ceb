import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { MIN_EVALUATED_MINUTES } from './run/build-scenario';
import { isPolicyName, POLICY_NAMES, type PolicyName } from './run/policy-name';

/** What `cli.ts` was asked to do. */
export interface CliOptions {
  readonly traceFile?: string;
  readonly policies: readonly PolicyName[];
  readonly jsonFile?: string;
  readonly reportFile: string;
  readonly seed: number;
  readonly days?: number;
  readonly warmupDays?: number;
  readonly startIso?: string;
  readonly peakInstances?: number;
  readonly mergeDuplicates: boolean;
  readonly warmPool: boolean;
  /** Prescale plans for the forecast's daily-peak bound (`defaults.planForDailyPeaks`). */
  readonly planForDailyPeaks: boolean;
  readonly prescaleStepSeconds?: 300 | 3600;
  readonly instanceType?: string;
  /** Policies run at once, each in a child process; 1 runs them in this process. */
  readonly workers: number;
  /** Minutes late CloudWatch returns the world's AWS metrics; absent, none (`Scenario.metricDelayMinutes`). */
  readonly metricDelayMinutes?: number;
  /** Every group's target-group deregistration delay in seconds; absent, none (`Scenario.deregistrationDelaySeconds`). */
  readonly deregistrationDelaySeconds?: number;
}

/** A command line the CLI cannot run, with what was wrong. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError' as const;
}

/** The `--help` text. */
export const CLI_HELP = `Prescale simulation: replays a load trace against a simulated AWS (virtual clock) and compares
scaling policies side by side: ${POLICY_NAMES.join(', ')}.

Usage: npx tsx shared/simulation/cli.ts [options]        (npm start = no options)

  --trace FILE.csv       load trace with a header, \`timestamp,value\` (a CloudWatch export); any unit,
                         rescaled so its peak needs --peak-instances instances. Default: the built-in
                         workload (daily/weekly cycles, noise, growth, a campaign spike, an anomaly).
  --policy NAME          policy to run; repeat for several. Default: all.
  --json FILE            also write the metrics as JSON { trace, policies: [...] }.
  --report FILE.html     HTML report with charts (works offline). Default: reports/simulation.html
  --seed N               seed of the workload and of all simulated randomness, 0–4294967295.
                         Default: 1
  --days N               days evaluated, a decimal, at least an hour (0.041667). Default: 7
                         (built-in), the rest of a trace up to 14.
  --warmup-days N        days of history seeded into CloudWatch first, a decimal, at least a minute
                         (0.000694). Default: 7 (at most half a trace).
  --start ISO            first instant of the trace to use, with Z or an offset (e.g.
                         2014-10-13T00:00:00Z). --trace only.
  --peak-instances N     instances the trace's peak needs at the target. Default: 20. --trace only.
  --merge-duplicates     average rows with the same timestamp instead of rejecting the file.
                         --trace only.
  --warm-pool            give every policy's group a warm pool, AWS's default size (MaxSize − desired).
  --plan-for-daily-peaks Prescale plans for the forecast's daily-peak bound (defaults.planForDailyPeaks).
  --prescale-step S      Prescale's forecast step in seconds, 300 (the product default) or 3600
                         (the hourly shortcut). Default: 300
  --instance-type T      m5.large (default), m6i.large, m6a.large, m7g.large, c5.large or c6g.large.
  --metric-delay N       CloudWatch returns the group's AWS metrics (EC2, Auto Scaling, ELB) N whole
                         minutes after each minute ends, a per-instance or per-node metric's newest
                         minutes partly aggregated meanwhile, to Prescale and to target tracking's
                         alarm. Default: none (readable as the minute ends).
  --deregistration-delay S
                         every policy's group sits in a load balancer's target group that drains an
                         instance it scales in for S seconds (0–3600; ELB's default is 300): out of
                         capacity, yet running, billed and in the group's CPU average meanwhile.
                         Default: none (terminated at once).
  --workers N            policies simulated at once, each in a child process; 1 runs them one
                         after the other in this process (same results). Default: the CPU count.
  --help                 this text.

Every policy runs on the same load in its own world with the same seed. prescale runs its real
Lambda handlers every 5 virtual minutes next to the group's target-tracking policy (Prescale raises
a floor; target tracking handles surprises and scale-in above it). Metrics: docs/evaluation.md.`;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  trace: { type: 'string' },
  policy: { type: 'string', multiple: true },
  json: { type: 'string' },
  report: { type: 'string' },
  seed: { type: 'string' },
  days: { type: 'string' },
  'warmup-days': { type: 'string' },
  start: { type: 'string' },
  'peak-instances': { type: 'string' },
  'merge-duplicates': { type: 'boolean' },
  'warm-pool': { type: 'boolean' },
  'plan-for-daily-peaks': { type: 'boolean' },
  'prescale-step': { type: 'string' },
  'instance-type': { type: 'string' },
  workers: { type: 'string' },
  'metric-delay': { type: 'string' },
  'deregistration-delay': { type: 'string' },
} as const;

function parseFlags(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    // Node's messages name the flag ("Unknown option '--x'", "Option '--seed <value>' argument missing").
    throw new CliUsageError(`${(error as Error).message}; see --help`);
  }
}

/** Decimal digits only: `Number` reads '' and ' ' as 0, '0x10' as 16, '1e3' as 1000 and '+1' as 1. */
const DIGITS = /^\d+$/;
/** A plain decimal number, without sign, exponent or spaces: 40, 2.5, .5. */
export const PLAIN_DECIMAL = /^(\d+(\.\d*)?|\.\d+)$/;

/**
 * The smallest seed: Mulberry32 (`seededRandom`) adds its increment before its first output, so 0
 * is a stream like any other, not a degenerate one.
 */
export const MIN_SEED = 0;
/** The largest seed: the generator keeps 32 bits of it (`seededRandom`), so 2^32 would repeat 0. */
export const MAX_SEED = 0xffff_ffff;

/** What a whole-number flag holds and its range; `max` absent, no bound above. */
export interface WholeNumberRange {
  /** What the number counts, for the message: "a whole number", "whole minutes". */
  readonly noun: string;
  readonly min: number;
  readonly max?: number;
}

/**
 * A flag's whole number, written in decimal digits within `range` (the command lines' and the
 * benchmarks' reader: `Number` would take '' as 0 and '0x10' as 16).
 * @throws CliUsageError naming the flag, the range expected and the text received otherwise.
 */
export function parseWholeNumber(flag: string, text: string, range: WholeNumberRange): number {
  const { noun, min, max } = range;
  const n = Number(text);
  if (!DIGITS.test(text) || n < min || (max !== undefined && n > max))
    throw new CliUsageError(
      `${flag} expects ${noun} ${max === undefined ? `≥ ${min}` : `from ${min} to ${max}`} in decimal digits, got ${JSON.stringify(text)}`,
    );
  return n;
}

/**
 * A flag's positive number, written as a plain decimal (40, 2.5; no sign, exponent or spaces).
 * @throws CliUsageError naming the flag and the text received otherwise.
 */
export function parsePositiveDecimal(flag: string, text: string): number {
  const n = Number(text);
  if (!PLAIN_DECIMAL.test(text) || !(n > 0))
    throw new CliUsageError(
      `${flag} expects a positive decimal number (e.g. 40 or 2.5), got ${JSON.stringify(text)}`,
    );
  return n;
}

/**
 * A flag's days, a plain decimal of at least `minMinutes` simulated minutes: the simulation steps
 * one minute at a time, so less would simulate nothing (and `1e-9` is not a number of days anyone means).
 * @throws CliUsageError naming the flag, the minimum and the text received otherwise.
 */
export function parseDays(flag: string, text: string, minMinutes: number): number {
  const days = Number(text);
  if (!PLAIN_DECIMAL.test(text) || !(days * 1440 >= minMinutes))
    throw new CliUsageError(
      `${flag} expects days as a decimal number, at least ${minMinutes === 1 ? 'one simulated minute' : `${minMinutes} simulated minutes`} (${Number((minMinutes / 1440).toFixed(6))}), got ${JSON.stringify(text)}`,
    );
  return days;
}

/**
 * The value of `--metric-delay` (the CLI's, and the benchmarks' that take it): whole minutes ≥ 1.
 * @throws CliUsageError naming the flag and the value received otherwise.
 */
export function parseMetricDelayMinutes(text: string): number {
  return parseWholeNumber('--metric-delay', text, { noun: 'whole minutes', min: 1 });
}

/**
 * The value of `--deregistration-delay` (the CLI's, and the benchmarks' that take it): whole seconds
 * 0–3600, a target group's `deregistration_delay.timeout_seconds` range
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroupAttribute.html).
 * @throws CliUsageError naming the flag and the value received otherwise.
 */
export function parseDeregistrationDelaySeconds(text: string): number {
  return parseWholeNumber('--deregistration-delay', text, { noun: 'whole seconds', min: 0, max: 3600 });
}

/**
 * The value of `--workers` (the CLI's, and the benchmarks' that take it): whole processes ≥ 1.
 * @throws CliUsageError naming the flag and the value received otherwise.
 */
export function parseWorkers(text: string): number {
  return parseWholeNumber('--workers', text, { noun: 'a whole number', min: 1 });
}

/**
 * A value of `--seed` (simulate's, and each of bench:frontier's list): decimal digits,
 * `MIN_SEED` to `MAX_SEED` (0 to 2^32 − 1). `noun` is what the message calls it.
 * @throws CliUsageError naming the flag and the value received otherwise.
 */
export function parseSeed(text: string, noun = 'a whole number'): number {
  return parseWholeNumber('--seed', text, { noun, min: MIN_SEED, max: MAX_SEED });
}

const isoDateTime = z.iso.datetime({ offset: true });

/**
 * The value of `--start`: an ISO 8601 date and time with `Z` or an offset (`Date.parse` would take
 * `1` as the year 2001 and a date without a time zone as UTC or local time depending on its form).
 * @throws CliUsageError naming the flag and the value received otherwise.
 */
function parseStartIso(text: string): string {
  if (!isoDateTime.safeParse(text).success)
    throw new CliUsageError(
      `--start expects an ISO 8601 date and time with Z or an offset (e.g. 2014-10-13T00:00:00Z), got ${JSON.stringify(text)}`,
    );
  return text;
}

/** The options only a trace file uses: the built-in workload is generated at its own size. */
const TRACE_ONLY_FLAGS = ['start', 'peak-instances', 'merge-duplicates'] as const;

/**
 * The trace options given without `--trace`: the built-in workload would ignore them, silently.
 * @throws CliUsageError naming them then.
 */
function refuseTraceOptionsWithoutTrace(flags: ReturnType<typeof parseFlags>): void {
  if (flags.trace !== undefined) return;
  const given = TRACE_ONLY_FLAGS.filter((flag) => flags[flag] !== undefined).map((flag) => `--${flag}`);
  if (given.length === 0) return;
  const list = given.length === 1 ? given[0] : `${given.slice(0, -1).join(', ')} and ${given.at(-1)}`;
  throw new CliUsageError(
    `${list} ${given.length === 1 ? 'applies' : 'apply'} to --trace only; the built-in workload ignores ${given.length === 1 ? 'it' : 'them'}`,
  );
}

/** The policies that read no CloudWatch data: a fixed fleet, and the oracle, which knows the demand. */
const READ_NO_METRICS: readonly PolicyName[] = ['static', 'oracle'];

/**
 * A delay changes only the policies that read CloudWatch (Prescale's `GetMetricData`, target
 * tracking's alarm, the EC2 predictive stand-in's history): asked for with none of them, it would
 * change nothing, silently. @throws CliUsageError then.
 */
function refuseDelayWithoutReaders(policies: readonly PolicyName[]): void {
  if (policies.length === 0 || policies.some((p) => !READ_NO_METRICS.includes(p))) return;
  const readers = POLICY_NAMES.filter((p) => !READ_NO_METRICS.includes(p));
  throw new CliUsageError(
    `--metric-delay changes only ${readers.slice(0, -1).join(', ')} and ${readers.at(-1)}, which read CloudWatch; ${READ_NO_METRICS.join(' and ')} read none`,
  );
}

/**
 * Parses the command line (without `node` and the script) with Node's `util.parseArgs`.
 * @returns the options, or `'help'` for --help.
 * @throws CliUsageError naming the flag for an unknown flag, a missing or invalid value, or an unknown policy.
 */
export function parseCliArgs(argv: readonly string[]): CliOptions | 'help' {
  const flags = parseFlags(argv);
  if (flags.help) return 'help';
  refuseTraceOptionsWithoutTrace(flags);
  const policies: PolicyName[] = [];
  for (const name of flags.policy ?? []) {
    if (!isPolicyName(name))
      throw new CliUsageError(`--policy ${name} is not a policy; expected one of ${POLICY_NAMES.join(', ')}`);
    if (!policies.includes(name)) policies.push(name);
  }
  const options: { -readonly [K in keyof CliOptions]?: CliOptions[K] } = {};
  if (flags.trace !== undefined) options.traceFile = flags.trace;
  if (flags.json !== undefined) options.jsonFile = flags.json;
  if (flags.seed !== undefined) options.seed = parseSeed(flags.seed);
  if (flags.days !== undefined) options.days = parseDays('--days', flags.days, MIN_EVALUATED_MINUTES);
  if (flags['warmup-days'] !== undefined)
    options.warmupDays = parseDays('--warmup-days', flags['warmup-days'], 1);
  if (flags.start !== undefined) options.startIso = parseStartIso(flags.start);
  if (flags['peak-instances'] !== undefined)
    options.peakInstances = parsePositiveDecimal('--peak-instances', flags['peak-instances']);
  const step = flags['prescale-step'];
  if (step !== undefined) {
    if (step !== '300' && step !== '3600')
      throw new CliUsageError(`--prescale-step expects 300 or 3600, got ${step}`);
    options.prescaleStepSeconds = Number(step) as 300 | 3600;
  }
  if (flags['instance-type'] !== undefined) options.instanceType = flags['instance-type'];
  const delay = flags['metric-delay'];
  if (delay !== undefined) {
    options.metricDelayMinutes = parseMetricDelayMinutes(delay);
    refuseDelayWithoutReaders(policies);
  }
  const drain = flags['deregistration-delay'];
  if (drain !== undefined) options.deregistrationDelaySeconds = parseDeregistrationDelaySeconds(drain);
  if (flags.workers !== undefined) options.workers = parseWorkers(flags.workers);
  return {
    ...options,
    policies: policies.length > 0 ? policies : [...POLICY_NAMES],
    reportFile: flags.report ?? 'reports/simulation.html',
    seed: options.seed ?? 1,
    mergeDuplicates: flags['merge-duplicates'] ?? false,
    warmPool: flags['warm-pool'] ?? false,
    planForDailyPeaks: flags['plan-for-daily-peaks'] ?? false,
    workers: options.workers ?? availableParallelism(),
  };
}
