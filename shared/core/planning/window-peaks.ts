/** The peak load of a sliding window of steps, at every step of a load grid (one pass per width). */

/**
 * Each window's peak at every step in one pass per distinct width (this runs on every run of the
 * loop, over 14 days of steps): NaN where the window holds no finite load.
 */
export function memoizedPeaks(loadPerStep: readonly number[]): (width: number) => Float64Array {
  const peaksByWidth = new Map<number, Float64Array>();
  return (width) => {
    let peaks = peaksByWidth.get(width);
    if (peaks === undefined) {
      peaks = slidingPeaks(loadPerStep, width);
      peaksByWidth.set(width, peaks);
    }
    return peaks;
  };
}

/**
 * Per step t, the highest finite, non-negative load of the `width` steps ending at t (fewer at the
 * start); NaN when there is none. A monotonic queue of step indices, so O(steps) per width.
 */
export function slidingPeaks(loadPerStep: readonly number[], width: number): Float64Array {
  const peaks = new Float64Array(loadPerStep.length);
  const queue = new Int32Array(loadPerStep.length);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < loadPerStep.length; i += 1) {
    const load = loadPerStep[i] as number;
    if (Number.isFinite(load) && load >= 0) {
      while (tail > head && (loadPerStep[queue[tail - 1] as number] as number) <= load) tail -= 1;
      queue[tail] = i;
      tail += 1;
    }
    while (tail > head && (queue[head] as number) <= i - width) head += 1;
    peaks[i] = tail > head ? (loadPerStep[queue[head] as number] as number) : Number.NaN;
  }
  return peaks;
}
