import { generateWorkload } from '../load/generate-workload';
import type { LoadTrace } from '../load/load-trace';
import { readTraceFile } from '../load/read-trace-file';
import { scaleTrace } from '../load/scale-trace';
import { seededRandom } from '../seeded-random';
import type { PrescaleHistorySource } from './prescale-history';
import { burnInMinutesOf, SCENARIO_DEFAULTS, type Scenario } from './scenario';

/** The shortest evaluated window a scenario runs: an hour of one-minute samples (`buildScenario`). */
export const MIN_EVALUATED_MINUTES = 60;

/** Where the load comes from and how much of it to evaluate. */
export interface ScenarioOptions {
  /** A `timestamp,value` CSV; absent means the built-in workload. */
  readonly traceFile?: string;
  readonly seed: number;
  /** Days of history before the evaluated window. @default 7, at most half a trace file */
  readonly warmupDays?: number;
  /** Days evaluated. @default 7 for the built-in workload; the rest of a trace file, at most 14 */
  readonly days?: number;
  /** First instant to use from a trace file (ISO); @default its start */
  readonly startIso?: string;
  /** A trace file is rescaled so its peak needs this many instances at the target. @default 20 */
  readonly peakInstances?: number;
  readonly mergeDuplicates?: boolean;
  readonly warmPool?: boolean;
  readonly prescaleStepSeconds?: 60 | 300 | 3600;
  readonly planForDailyPeaks?: boolean;
  readonly prescaleHistory?: PrescaleHistorySource;
  readonly instanceType?: string;
  /** Minutes every policy runs before the evaluated window, unsampled (`Scenario.burnInMinutes`). @default 0 */
  readonly burnInMinutes?: number;
  /** How late CloudWatch returns the world's AWS metrics (`Scenario.metricDelayMinutes`). @default none */
  readonly metricDelayMinutes?: number;
  /** Every group's target-group deregistration delay (`Scenario.deregistrationDelaySeconds`). @default none */
  readonly deregistrationDelaySeconds?: number;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

function window(trace: LoadTrace, fromMs: number, toMs: number): LoadTrace {
  const stepMs = trace.stepSeconds * 1000;
  const first = Math.max(0, Math.ceil((fromMs - trace.startMs) / stepMs));
  const last = Math.min(trace.values.length, Math.floor((toMs - trace.startMs) / stepMs));
  return { ...trace, startMs: trace.startMs + first * stepMs, values: trace.values.slice(first, last) };
}

/** The load a scenario runs: one-minute values, where they came from, the warm-up and evaluated days. */
interface ScenarioLoad {
  readonly trace: LoadTrace;
  readonly source: string;
  readonly warmupDays: number;
  readonly days: number;
  readonly dailyPeakHourUtc?: number;
}

/** The built-in workload for the seed: a week of warm-up and a week evaluated unless told otherwise. */
function builtInLoad(options: ScenarioOptions): ScenarioLoad {
  const warmupDays = options.warmupDays ?? 7;
  const days = options.days ?? 7;
  const generated = generateWorkload(
    { days: warmupDays + days, campaignDay: warmupDays + Math.max(0, days - 4) },
    seededRandom(options.seed),
  );
  return {
    trace: generated.trace,
    source: `built-in workload (seed ${options.seed})`,
    warmupDays,
    days,
    dailyPeakHourUtc: generated.events.dailyPeakHourUtc,
  };
}

/** A trace file from `--start`, cut to warm-up plus evaluated days and rescaled to the peak's instances. */
function traceFileLoad(traceFile: string, options: ScenarioOptions, target: number): ScenarioLoad {
  const file = readTraceFile(traceFile, 60, { mergeDuplicates: options.mergeDuplicates ?? false });
  let raw = file.trace;
  if (options.startIso !== undefined) {
    const fromMs = Date.parse(options.startIso);
    if (!Number.isFinite(fromMs)) throw new RangeError(`--start ${options.startIso} is not a date`);
    raw = window(raw, fromMs, Number.POSITIVE_INFINITY);
  }
  const spanDays = (raw.values.length * MINUTE_MS) / DAY_MS;
  const warmupDays = options.warmupDays ?? Math.min(7, spanDays / 2);
  const days = Math.min(options.days ?? 14, spanDays - warmupDays);
  raw = window(raw, raw.startMs, raw.startMs + (warmupDays + days) * DAY_MS);
  return {
    trace: scaleTrace(raw, (options.peakInstances ?? 20) * target),
    source: `${traceFile}${file.mergedDuplicates > 0 ? ` (${file.mergedDuplicates} duplicate rows averaged)` : ''}`,
    warmupDays,
    days,
  };
}

/**
 * Builds the scenario every policy runs on: the built-in workload (seeded; a week of history and
 * a week evaluated by default) or a trace file resampled to one minute and rescaled so its peak
 * needs `peakInstances` instances at the target utilisation.
 * @throws TraceFormatError for a malformed trace file; RangeError when the window is empty.
 */
export function buildScenario(options: ScenarioOptions): Scenario {
  const target = SCENARIO_DEFAULTS.targetLoadPerInstance;
  const { trace, source, warmupDays, days, dailyPeakHourUtc } =
    options.traceFile === undefined
      ? builtInLoad(options)
      : traceFileLoad(options.traceFile, options, target);
  const evalStartMs = Math.ceil((trace.startMs + warmupDays * DAY_MS) / (5 * MINUTE_MS)) * 5 * MINUTE_MS;
  const evalEndMs = Math.min(
    trace.startMs + trace.values.length * MINUTE_MS,
    Math.floor((evalStartMs + days * DAY_MS) / MINUTE_MS) * MINUTE_MS,
  );
  if (!(evalEndMs - evalStartMs >= MIN_EVALUATED_MINUTES * MINUTE_MS)) {
    throw new RangeError(
      `the evaluated window is shorter than an hour (warm-up ${warmupDays.toFixed(2)} days, trace ${(trace.values.length / 1440).toFixed(2)} days)`,
    );
  }
  const burnInMinutes = burnInMinutesOf({ burnInMinutes: options.burnInMinutes, evalStartMs, trace });
  let peak = 0;
  for (let t = evalStartMs; t < evalEndMs; t += MINUTE_MS)
    peak = Math.max(peak, trace.values[(t - trace.startMs) / MINUTE_MS] ?? 0);
  const peakDemand = Math.max(1, Math.ceil(peak / target));
  return {
    ...SCENARIO_DEFAULTS,
    trace,
    source,
    evalStartMs,
    evalEndMs,
    maxSize: Math.max(4, Math.ceil(peakDemand * 1.5)),
    warmPool: options.warmPool ?? false,
    seed: options.seed,
    prescaleStepSeconds: options.prescaleStepSeconds ?? SCENARIO_DEFAULTS.prescaleStepSeconds,
    ...(options.planForDailyPeaks === true ? { planForDailyPeaks: true } : {}),
    ...(options.prescaleHistory !== undefined ? { prescaleHistory: options.prescaleHistory } : {}),
    instanceType: options.instanceType ?? SCENARIO_DEFAULTS.instanceType,
    ...(dailyPeakHourUtc !== undefined ? { dailyPeakHourUtc } : {}),
    ...(burnInMinutes > 0 ? { burnInMinutes } : {}),
    ...(options.metricDelayMinutes !== undefined ? { metricDelayMinutes: options.metricDelayMinutes } : {}),
    ...(options.deregistrationDelaySeconds
      ? { deregistrationDelaySeconds: options.deregistrationDelaySeconds }
      : {}),
  };
}
