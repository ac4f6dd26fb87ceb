import type { MathSeries } from './evaluate-metric-math';
import { SimulatedAwsError } from './simulated-aws-error';

// How a simulated GetMetricData answer is laid out and paged: points in the order asked, NextToken
// offsets, and metric math cut at one response (CloudWatch pages no math).

/** `timestampsMs[from, to)` as the Dates the SDK returns for a timestamp list. */
function datesOf(timestampsMs: readonly number[], from: number, to: number): Date[] {
  const dates = new Array<Date>(to - from);
  for (let i = from; i < to; i += 1) dates[i - from] = new Date(timestampsMs[i] as number);
  return dates;
}

/** A series as two parallel arrays, sorted by timestamp (ascending, or descending when asked). */
interface OrderedPoints {
  readonly timestampsMs: readonly number[];
  readonly values: readonly number[];
}

/**
 * `series` in time order. Metric math keeps series ascending, so this is a check, and a reversed
 * copy for `TimestampDescending`; the series itself is never changed (another query may share it).
 */
export function inTimeOrder(series: MathSeries, descending: boolean): OrderedPoints {
  const { timestampsMs, values } = series;
  for (let i = 1; i < timestampsMs.length; i += 1) {
    if ((timestampsMs[i - 1] as number) >= (timestampsMs[i] as number))
      throw new Error('metric math produced a series out of time order');
  }
  if (!descending) return series;
  return { timestampsMs: timestampsMs.slice().reverse(), values: values.slice().reverse() };
}

/** One query's answer before paging: its id, label and points in the order asked. */
export interface QueryResult {
  readonly id: string;
  readonly label: string | undefined;
  readonly points: OrderedPoints;
}

/** The datapoint offset a NextToken resumes at (0 without one). */
export function offsetOf(nextToken: string | undefined): number {
  let offset = 0;
  if (nextToken !== undefined) {
    offset = Number(
      Buffer.from(nextToken, 'base64')
        .toString('utf8')
        .replace(/^offset:/, ''),
    );
    if (!Number.isInteger(offset) || offset < 0)
      throw new SimulatedAwsError('InvalidNextToken', 'The service cannot find the NextToken');
  }
  return offset;
}

/**
 * One page of results: the datapoints from `offset` on, at most `limit` of them, counted across
 * the queries in order; `taken` is how many the page holds.
 */
export function pageOf(
  full: readonly QueryResult[],
  offset: number,
  limit: number,
): { results: unknown[]; taken: number } {
  const results: unknown[] = [];
  let skipped = 0;
  let taken = 0;
  for (const r of full) {
    const count = r.points.timestampsMs.length;
    const from = Math.max(0, offset - skipped);
    skipped += count;
    if (from >= count) {
      // Finished on an earlier page: CloudWatch repeats nothing for it.
      if (offset === 0)
        results.push({
          Id: r.id,
          Label: r.label,
          Timestamps: [],
          Values: [],
          StatusCode: 'Complete',
          Messages: [],
        });
      continue;
    }
    if (taken >= limit) break;
    const to = Math.min(count, from + (limit - taken));
    taken += to - from;
    results.push({
      Id: r.id,
      Label: r.label,
      Timestamps: datesOf(r.points.timestampsMs, from, to),
      Values: r.points.values.slice(from, to),
      StatusCode: to < count ? 'PartialData' : 'Complete',
      Messages: [],
    });
  }
  return { results, taken };
}

/**
 * The answer to a request with metric math: CloudWatch pages no math ("NextToken is not returned
 * if you are performing a math expression", MetricDataResult), so what does not fit in one
 * response is cut, `PartialData`, and lost. The expressions' hidden inputs count toward the
 * response's datapoints here: the API reference does not say they are free, so the product must
 * fit either way. `messages` are the call's top-level ones.
 */
export function mathAnswer(
  full: readonly QueryResult[],
  queries: readonly { readonly Id?: string; readonly ReturnData?: boolean }[],
  evaluate: (id: string) => MathSeries | undefined,
  limit: number,
  messages: readonly { readonly Code: string; readonly Value: string }[],
): unknown {
  const hidden = queries
    .filter((q) => q.ReturnData === false)
    .reduce((n, q) => n + (evaluate(q.Id as string)?.timestampsMs.length ?? 0), 0);
  const { results } = pageOf(full, 0, Math.max(0, limit - hidden));
  const answered = new Set(results.map((r) => (r as { Id: string }).Id));
  for (const r of full) {
    if (!answered.has(r.id))
      results.push({
        Id: r.id,
        Label: r.label,
        Timestamps: [],
        Values: [],
        StatusCode: 'PartialData',
        Messages: [],
      });
  }
  return { MetricDataResults: results, Messages: messages };
}
