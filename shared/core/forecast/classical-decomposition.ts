/**
 * Classical seasonal decomposition (R `decompose`) and the M4 90 % autocorrelation seasonality test.
 * Used by Theta (seasonal adjustment) and by the Naive2 benchmark.
 */

/** Seasonal indices of a decomposition: `indices[i]` applies to positions t with t mod m = i. */
export interface SeasonalIndices {
  readonly kind: 'multiplicative' | 'additive' | 'none';
  readonly period: number;
  readonly indices: Float64Array;
}

/**
 * M4 seasonality test: with sample ACF r_k (mean removed, denominator = total sum of squares) the
 * series is seasonal when n ≥ 3m, m > 1 and |r_m| > 1.645·sqrt((1 + 2·Σ_{k<m} r_k²)/n).
 */
export function isSeasonal(values: ArrayLike<number>, period: number): boolean {
  const n = values.length;
  if (period <= 1 || n < 3 * period) return false;
  let mean = 0;
  for (let t = 0; t < n; t += 1) mean += values[t] as number;
  mean /= n;
  const centred = new Float64Array(n);
  let total = 0;
  for (let t = 0; t < n; t += 1) {
    const c = (values[t] as number) - mean;
    centred[t] = c;
    total += c * c;
  }
  if (total === 0) return false;
  const acf = (k: number): number => {
    let s = 0;
    for (let t = k; t < n; t += 1) s += (centred[t] as number) * (centred[t - k] as number);
    return s / total;
  };
  let sumSquares = 0;
  for (let k = 1; k < period; k += 1) sumSquares += acf(k) ** 2;
  const limit = 1.645 * Math.sqrt((1 + 2 * sumSquares) / n);
  return Math.abs(acf(period)) > limit;
}

/**
 * Classical decomposition seasonal indices with period m: trend = centred moving average of order m
 * (2×m for even m); detrended = y / trend (multiplicative) or y − trend (additive); index of
 * position i = mean of the detrended values at that position; indices rescaled to average 1
 * (multiplicative) or 0 (additive). Needs n ≥ 2m.
 */
export function classicalDecomposition(
  values: ArrayLike<number>,
  period: number,
  kind: 'multiplicative' | 'additive',
): SeasonalIndices {
  const n = values.length;
  const m = period;
  const sums = new Float64Array(m);
  const counts = new Float64Array(m);
  const half = Math.floor(m / 2);
  const even = m % 2 === 0;
  // Sliding window sum for the centred moving average.
  const prefix = new Float64Array(n + 1);
  for (let t = 0; t < n; t += 1) prefix[t + 1] = (prefix[t] as number) + (values[t] as number);
  for (let t = half; t < n - half; t += 1) {
    let trend: number;
    if (even) {
      const inner = (prefix[t + half] as number) - (prefix[t - half + 1] as number);
      trend = (inner + 0.5 * ((values[t - half] as number) + (values[t + half] as number))) / m;
    } else {
      trend = ((prefix[t + half + 1] as number) - (prefix[t - half] as number)) / m;
    }
    const y = values[t] as number;
    const detrended = kind === 'multiplicative' ? y / trend : y - trend;
    if (!Number.isFinite(detrended)) continue;
    const i = t % m;
    sums[i] = (sums[i] as number) + detrended;
    counts[i] = (counts[i] as number) + 1;
  }
  const indices = new Float64Array(m);
  let average = 0;
  for (let i = 0; i < m; i += 1) {
    const c = counts[i] as number;
    indices[i] = c > 0 ? (sums[i] as number) / c : kind === 'multiplicative' ? 1 : 0;
    average += indices[i] as number;
  }
  average /= m;
  for (let i = 0; i < m; i += 1) {
    indices[i] =
      kind === 'multiplicative' ? (indices[i] as number) / average : (indices[i] as number) - average;
  }
  return { kind, period: m, indices };
}
