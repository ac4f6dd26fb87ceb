/**
 * A time series as metric math sees it: parallel arrays, timestamps (epoch ms) strictly
 * ascending. Operators and functions always build new arrays; an input is never changed.
 */
export interface MathSeries {
  readonly timestampsMs: readonly number[];
  readonly values: readonly number[];
}

/** What a metric-math expression or sub-expression evaluates to. */
export type MathValue =
  | { kind: 'series'; series: MathSeries }
  | { kind: 'scalar'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'list'; items: MathValue[] };

/**
 * What `SEARCH(query, statistic[, periodSeconds])` finds: each matching metric's series at that
 * statistic and period (undefined when the expression gives none: the query's own Period).
 * @throws MetricMathError for a query or statistic the searcher refuses.
 */
export type MetricSearch = (query: string, stat: string, periodSeconds: number | undefined) => MathSeries[];

/** A metric-math expression the simulation cannot evaluate, with what was wrong. */
export class MetricMathError extends Error {
  override readonly name = 'MetricMathError' as const;
  constructor(
    readonly expression: string,
    readonly reason: string,
  ) {
    super(`metric math "${expression}": ${reason}`);
  }
}
