/** The command line of `bench:scaling` (test/bench/scaling.ts): its options, help and checks. */
import { availableParallelism } from 'node:os';
import type { ParseArgsConfig, parseArgs } from 'node:util';
import {
  parseDeregistrationDelaySeconds,
  parseMetricDelayMinutes,
  parsePositiveDecimal,
  parseWorkers,
} from '../../../shared/simulation/parse-cli-args';
import type { ScenarioOptions } from '../../../shared/simulation/run/build-scenario';

/** What `bench:scaling` was asked to run. */
export interface ScalingArgs {
  /** Only the traces whose name contains it; absent, every trace. */
  readonly only?: string;
  /**
   * Whether to rewrite the generated block of the `## Scaling` section of docs/BENCHMARKS.md: only
   * a run of the recorded configuration (every trace, peak 40, no delay, no drain) without --no-write.
   */
  readonly write: boolean;
  /** Why the run is not the recorded configuration (the flags that make it partial); absent when it is. */
  readonly notRecorded?: string;
  readonly peakInstances: number;
  readonly workers: number;
  /** Minutes late CloudWatch returns every run's AWS metrics (`Scenario.metricDelayMinutes`); absent, none. */
  readonly metricDelayMinutes?: number;
  /** Every run's group drains a scaled-in instance this many seconds (`Scenario.deregistrationDelaySeconds`); absent, none. */
  readonly deregistrationDelaySeconds?: number;
}

/** The `--help` text. */
export const SCALING_USAGE = `Usage: npx tsx test/bench/scaling.ts [--only SUBSTRING] [--no-write] [--peak-instances N] [--workers N] [--metric-delay N]
       [--deregistration-delay S]

  --only SUBSTRING     only the traces whose name contains SUBSTRING (one at least); a subset is
                       not the recorded table, so it implies --no-write
  --no-write           print the table without updating docs/BENCHMARKS.md
  --peak-instances N   instances the trace's peak needs at the target load (default 40, the
                       recorded figures; another value implies --no-write)
  --workers N          policy runs at once, each in a child process (default: the CPU count)
  --metric-delay N     CloudWatch returns every run's AWS metrics N whole minutes late (as npm
                       start's --metric-delay; docs/evaluation.md, Late CloudWatch data); default
                       none, the figures docs/BENCHMARKS.md records, so it implies --no-write
  --deregistration-delay S
                       every run's group drains an instance it scales in for S seconds, 0–3600
                       (as npm start's --deregistration-delay; ELB's default is 300); default none,
                       terminated at once (the recorded figures), so it implies --no-write`;

export const SCALING_OPTIONS = {
  only: { type: 'string' },
  'no-write': { type: 'boolean' },
  'peak-instances': { type: 'string' },
  workers: { type: 'string' },
  'metric-delay': { type: 'string' },
  'deregistration-delay': { type: 'string' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** The peak the recorded section scales every trace to. */
const RECORDED_PEAK_INSTANCES = 40;

type ScalingValues = ReturnType<typeof parseArgs<{ options: typeof SCALING_OPTIONS }>>['values'];

/**
 * The bench's arguments from the values `util.parseArgs` read with `SCALING_OPTIONS`, checked.
 * @throws Error naming the flag for a value out of range or malformed.
 */
export function scalingArgs(v: ScalingValues): ScalingArgs {
  const peakInstances =
    v['peak-instances'] === undefined
      ? RECORDED_PEAK_INSTANCES
      : parsePositiveDecimal('--peak-instances', v['peak-instances']);
  const workers = v.workers === undefined ? availableParallelism() : parseWorkers(v.workers);
  const delay = v['metric-delay'];
  const drain = v['deregistration-delay'];
  // The section records every trace at peak 40, CloudWatch on time, no drain; the worker count
  // changes how long the run takes, not its figures.
  const partial = [
    ...(v.only !== undefined ? [`--only ${v.only}`] : []),
    ...(peakInstances !== RECORDED_PEAK_INSTANCES ? [`--peak-instances ${peakInstances}`] : []),
    ...(delay !== undefined ? [`--metric-delay ${delay}`] : []),
    ...(drain !== undefined ? [`--deregistration-delay ${drain}`] : []),
  ];
  return {
    ...(v.only !== undefined ? { only: v.only } : {}),
    write: !v['no-write'] && partial.length === 0,
    ...(partial.length > 0 ? { notRecorded: partial.join(', ') } : {}),
    peakInstances,
    workers,
    ...(delay !== undefined ? { metricDelayMinutes: parseMetricDelayMinutes(delay) } : {}),
    ...(drain !== undefined ? { deregistrationDelaySeconds: parseDeregistrationDelaySeconds(drain) } : {}),
  };
}

/** One trace's scenario options: its own, with the command line's delay and drain for every run's world. */
export function scalingScenarioOptions(args: ScalingArgs, trace: ScenarioOptions): ScenarioOptions {
  return {
    ...trace,
    ...(args.metricDelayMinutes !== undefined ? { metricDelayMinutes: args.metricDelayMinutes } : {}),
    ...(args.deregistrationDelaySeconds !== undefined
      ? { deregistrationDelaySeconds: args.deregistrationDelaySeconds }
      : {}),
  };
}
