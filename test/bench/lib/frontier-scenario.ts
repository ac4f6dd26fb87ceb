/** The scenario `bench:frontier` builds for one trace at one warm-up and seed. */
import { buildScenario, type ScenarioOptions } from '../../../shared/simulation/run/build-scenario';
import type { Scenario } from '../../../shared/simulation/run/scenario';
import type { FrontierArgs } from './frontier-args';

/** One trace to sweep: its label and its own scenario options. */
export type TraceCase = { label: string; options: Partial<ScenarioOptions> & { traceFile: string } };

/**
 * The scenario of one trace at one warm-up (undefined: the trace's own), or why the trace cannot
 * hold that window (too short for the warm-up); a malformed file (TraceFormatError) still throws.
 */
export function scenarioFor(
  args: FrontierArgs,
  c: TraceCase,
  warmupDays: number | undefined,
  seed: number,
): Scenario | { skipped: string } {
  try {
    return buildScenario({
      seed,
      mergeDuplicates: args.mergeDuplicates,
      peakInstances: args.peakInstances,
      prescaleStepSeconds: args.prescaleStepSeconds,
      warmPool: args.warmPool,
      prescaleHistory: args.prescaleHistory,
      // After the trace's own options, so the command line's window wins (nyc_taxi's 7 + 14 days).
      ...c.options,
      ...(args.days !== undefined ? { days: args.days } : {}),
      ...(warmupDays !== undefined ? { warmupDays } : {}),
      ...(args.burnInMinutes > 0 ? { burnInMinutes: args.burnInMinutes } : {}),
      // Every run's world reads it (runPolicy → worldMetricDelay), target tracking's alarm too.
      ...(args.metricDelayMinutes !== undefined ? { metricDelayMinutes: args.metricDelayMinutes } : {}),
      ...(args.deregistrationDelaySeconds !== undefined
        ? { deregistrationDelaySeconds: args.deregistrationDelaySeconds }
        : {}),
    });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return { skipped: `${c.label} skipped at warm-up ${warmupDays ?? 'default'} days: ${error.message}` };
  }
}
