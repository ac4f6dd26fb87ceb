/**
 * Load on an evenly spaced grid: `values[i]` is the load during
 * [`startMs + i * stepSeconds * 1000`, next step), in "percent of one instance" units (a load of
 * 250 keeps 2.5 instances fully busy), the unit of Prescale's `cpu` load metric.
 */
export interface LoadTrace {
  /** Shown in reports: the file name or `built-in`. */
  readonly name: string;
  readonly startMs: number;
  readonly stepSeconds: number;
  readonly values: readonly number[];
}

/** The load at `timeMs` (the step containing it; 0 outside the trace). */
export function loadTraceAt(trace: LoadTrace, timeMs: number): number {
  const index = Math.floor((timeMs - trace.startMs) / (trace.stepSeconds * 1000));
  return trace.values[index] ?? 0;
}

/** End of the trace (exclusive), epoch ms. */
export function loadTraceEndMs(trace: LoadTrace): number {
  return trace.startMs + trace.values.length * trace.stepSeconds * 1000;
}
