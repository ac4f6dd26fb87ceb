/**
 * Warm-pool minimum size from the forecast's uncertainty: the instances between the planned
 * quantile and a high quantile (p99) over the next lead-time window, so a surprise inside the
 * band is served from stopped, pre-initialised instances in seconds instead of a cold launch.
 * Bounded by `maxWarmPoolSize` (the pool costs EBS while stopped).
 */
export function sizeWarmPool(
  plannedCapacityNow: number,
  highQuantileLoad: readonly number[],
  targetLoadPerInstance: number,
  maxWarmPoolSize: number,
): number {
  const peakHigh = highQuantileLoad.reduce((max, load) => Math.max(max, load), 0);
  const highCapacity = Math.ceil(peakHigh / targetLoadPerInstance - 1e-9);
  return Math.max(0, Math.min(maxWarmPoolSize, highCapacity - plannedCapacityNow));
}
