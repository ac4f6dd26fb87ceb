import type { LoadTrace } from './load-trace';

/**
 * Rescales a trace in any unit (bytes, requests, % CPU of one host) so its highest value becomes
 * `peakLoad` (percent-of-one-instance units): the shape is kept, only the unit changes.
 * @throws RangeError when the trace is all zeros or `peakLoad` is not positive.
 */
export function scaleTrace(trace: LoadTrace, peakLoad: number): LoadTrace {
  const max = trace.values.reduce((m, v) => Math.max(m, v), 0);
  if (!(max > 0)) throw new RangeError(`trace ${trace.name} has no positive value to scale`);
  if (!(peakLoad > 0)) throw new RangeError(`peakLoad must be positive, got ${peakLoad}`);
  const factor = peakLoad / max;
  return { ...trace, values: trace.values.map((v) => v * factor) };
}
