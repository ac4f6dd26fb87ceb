import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { LoadTrace } from './load-trace';
import { type ParseTraceOptions, parseTraceCsv } from './parse-trace-csv';
import { resampleTrace } from './resample-trace';
import { TraceFormatError } from './trace-format-error';

/** A trace read from disk, on the simulation's grid, with what reading had to fix. */
export interface TraceFile {
  readonly trace: LoadTrace;
  readonly mergedDuplicates: number;
  /** Step of the file's own rows (the median spacing), in seconds. */
  readonly sourceStepSeconds: number;
}

/**
 * Reads a `timestamp,value` CSV and resamples it to `stepSeconds`.
 * @throws TraceFormatError when the file is missing or malformed (naming the line).
 */
export function readTraceFile(file: string, stepSeconds: number, options: ParseTraceOptions = {}): TraceFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new TraceFormatError(file, undefined, `cannot read the file (${(error as Error).message})`);
  }
  const { points, mergedDuplicates } = parseTraceCsv(text, file, options);
  const gaps = points
    .slice(1)
    .map((p, i) => p.timestampMs - (points[i] as { timestampMs: number }).timestampMs)
    .sort((a, b) => a - b);
  const sourceStepSeconds = Math.round((gaps[Math.floor(gaps.length / 2)] ?? stepSeconds * 1000) / 1000);
  return {
    trace: resampleTrace(points, stepSeconds, path.basename(file)),
    mergedDuplicates,
    sourceStepSeconds,
  };
}
