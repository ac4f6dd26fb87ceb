/**
 * Calibration scores of several backtest origins pooled for weighted conformal quantiles, with
 * each origin's scores removable at query time (leave one origin out).
 */
export interface PooledScores {
  /** Number of origins (rows) pooled. */
  readonly origins: number;
  /**
   * Weighted conformal quantile at probability p of the pooled scores, optionally without row
   * `leftOut`. Each score carries its row's weight; the point being predicted adds the weight of
   * one score of the origin it stands for (the left-out row's, or 1 for the next origin) to the
   * total (Barber et al. 2023). For p ≥ 0.5 the smallest score whose cumulative weight reaches
   * p·total, the largest pooled score when the sample is too small; mirrored from the top for
   * p < 0.5. Never a score of the row left out. 0 when nothing is pooled.
   */
  quantile(p: number, leftOut?: number): number;
}

/**
 * Pools the scores of every row (one row per backtest origin), row k weighted by `weights[k]`.
 * Each row is sorted, then the rows are merged (O(N log N + N·rows) for N scores); each query is
 * a binary search, with or without a row.
 * @param rows - scores per origin; rows may differ in length.
 * @param weights - weight (> 0, finite) of each row.
 */
export function pooledScores(rows: readonly Float64Array[], weights: readonly number[]): PooledScores {
  const total = rows.reduce((sum, row) => sum + row.length, 0);
  const sortedRows = rows.map((row) => Float64Array.from(row).sort());
  const sorted = new Float64Array(total);
  // cumulative[i]: weight of the i smallest scores; perRow[k][i]: how many of them are row k's.
  const cumulative = new Float64Array(total + 1);
  const perRow = rows.map(() => new Uint32Array(total + 1));
  const next = new Uint32Array(rows.length);
  for (let rank = 0; rank < total; rank += 1) {
    // k-way merge of the sorted rows (few rows, so a linear scan of their heads).
    let k = -1;
    for (let j = 0; j < rows.length; j += 1) {
      const row = sortedRows[j] as Float64Array;
      const at = next[j] as number;
      if (
        at < row.length &&
        (k < 0 || (row[at] as number) < ((sortedRows[k] as Float64Array)[next[k] as number] as number))
      )
        k = j;
    }
    sorted[rank] = (sortedRows[k] as Float64Array)[next[k] as number] as number;
    next[k] = (next[k] as number) + 1;
    cumulative[rank + 1] = (cumulative[rank] as number) + (weights[k] as number);
    for (let j = 0; j < rows.length; j += 1) {
      const counts = perRow[j] as Uint32Array;
      counts[rank + 1] = (counts[rank] as number) + (j === k ? 1 : 0);
    }
  }
  const quantile = (p: number, leftOut?: number): number => {
    if (total === 0) return 0;
    const counts = leftOut === undefined ? undefined : perRow[leftOut];
    const removed = leftOut === undefined ? 0 : (weights[leftOut] as number);
    const all = weightBelow(cumulative, counts, removed, total);
    const withNew = all + (leftOut === undefined ? 1 : removed);
    if (!(all > 0)) return 0;
    // Capped at the whole pool: the extreme score still pooled when the sample is too small.
    if (p >= 0.5) {
      const target = Math.min(all, p * withNew);
      let lo = 1;
      let hi = total;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (weightBelow(cumulative, counts, removed, mid) >= target) hi = mid;
        else lo = mid + 1;
      }
      return sorted[lo - 1] as number;
    }
    const target = Math.min(all, (1 - p) * withNew);
    let lo = 0;
    let hi = total - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (all - weightBelow(cumulative, counts, removed, mid) >= target) lo = mid;
      else hi = mid - 1;
    }
    return sorted[lo] as number;
  };
  return { origins: rows.length, quantile };
}

/**
 * Weight of the `rank` smallest pooled scores, less `removed` for each of them that is the left-out
 * row's (`counts`, absent when no row is left out). A module function, not a closure per query:
 * bundled with `keepNames`, every closure created also pays a naming call.
 */
function weightBelow(
  cumulative: Float64Array,
  counts: Uint32Array | undefined,
  removed: number,
  rank: number,
): number {
  return (cumulative[rank] as number) - (counts === undefined ? 0 : removed * (counts[rank] as number));
}
