import type { LoadTrace } from './load-trace';
import type { TracePoint } from './parse-trace-csv';

/**
 * Puts irregular points (gaps, uneven spacing) on a regular grid of `stepSeconds`, starting at the
 * first grid instant at or after the first point, by linear interpolation between the neighbouring
 * points (a gap is bridged by a straight line; a finer grid than the data interpolates, a coarser
 * one samples). Points must be sorted by time with unique timestamps (as `parseTraceCsv` returns).
 * @throws RangeError when fewer than two points are given or `stepSeconds` is not positive.
 */
export function resampleTrace(points: readonly TracePoint[], stepSeconds: number, name: string): LoadTrace {
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last || points.length < 2)
    throw new RangeError(`resampleTrace needs at least 2 points, got ${points.length}`);
  if (!(stepSeconds > 0)) throw new RangeError(`stepSeconds must be positive, got ${stepSeconds}`);
  const stepMs = stepSeconds * 1000;
  const startMs = Math.ceil(first.timestampMs / stepMs) * stepMs;
  const values: number[] = [];
  let j = 0;
  for (let t = startMs; t <= last.timestampMs; t += stepMs) {
    while (j < points.length - 2 && (points[j + 1] as TracePoint).timestampMs <= t) j += 1;
    const a = points[j] as TracePoint;
    const b = points[j + 1] as TracePoint;
    const w = b.timestampMs === a.timestampMs ? 0 : (t - a.timestampMs) / (b.timestampMs - a.timestampMs);
    values.push(a.value + Math.min(1, Math.max(0, w)) * (b.value - a.value));
  }
  return { name, startMs, stepSeconds, values };
}
