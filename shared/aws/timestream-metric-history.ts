import {
  QueryCommand,
  type QueryCommandOutput,
  type TimestreamQueryClient,
} from '@aws-sdk/client-timestream-query';
import type { LoadObservation } from '../core/forecast/types';
import { RejectedRequestError, TransientDependencyError } from '../ports/errors';
import type { HistoryQuery, MetricHistory } from '../ports/metric-history';
import { DISCOVERY_FAILED, translateAwsError } from './translate-aws-error';

/** Where the load lives in Timestream for LiveAnalytics. */
export interface TimestreamSource {
  readonly database: string;
  readonly table: string;
  readonly measureName: string;
  /** Dimension holding the Auto Scaling group name. */
  readonly groupDimension: string;
  /**
   * The measure holding the load in multi-measure records named `measureName` (a DOUBLE or BIGINT
   * column); absent for single-measure records, whose value is `measure_value::double`.
   */
  readonly measureColumn?: string;
}

const quoteIdentifier = (s: string) => `"${s.replaceAll('"', '""')}"`;
const quoteLiteral = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Timestream returns `2024-01-01 00:00:00.000000000` in UTC. */
function parseTimestreamTime(value: string): number {
  return Date.parse(`${value.replace(' ', 'T').slice(0, 23)}Z`);
}

/** Whether Query refused the request as sent to an endpoint that is not (or no longer) valid. */
function isInvalidEndpoint(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return e?.name === 'InvalidEndpointException' || e?.$metadata?.httpStatusCode === 421;
}

/**
 * The host a DNS lookup found no name for (getaddrinfo ENOTFOUND), in `error` or, when the SDK's
 * endpoint discovery failed, in DescribeEndpoints' own error (its `reason`). EAI_AGAIN, a lookup
 * that may pass, is not this.
 */
function unresolvedHost(error: unknown): string | undefined {
  for (const e of [error, (error as { reason?: unknown } | undefined)?.reason]) {
    const { code, hostname } = (e ?? {}) as { code?: unknown; hostname?: unknown };
    if (code === 'ENOTFOUND') return typeof hostname === 'string' ? hostname : 'its endpoint';
  }
  return undefined;
}

/**
 * `MetricHistory` on Timestream for LiveAnalytics, for users who already keep their load there.
 * One query per group, binned to the step, paged to the end. (Timestream for LiveAnalytics closed
 * to new customers on 2025-06-20; CloudWatch is the default source.)
 */
export class TimestreamMetricHistory implements MetricHistory {
  constructor(
    private readonly client: TimestreamQueryClient,
    private readonly source: TimestreamSource,
  ) {}

  /**
   * The SQL for one group; exposed for tests and for users checking what Prescale runs. A
   * multi-measure record keeps each measure in its own column, read by name
   * (https://docs.aws.amazon.com/timestream/latest/developerguide/writes.html); a BIGINT one is
   * cast so that both types average alike.
   */
  queryFor(q: HistoryQuery): string {
    const s = this.source;
    const value =
      s.measureColumn === undefined
        ? 'measure_value::double'
        : `CAST(${quoteIdentifier(s.measureColumn)} AS double)`;
    return [
      `SELECT bin(time, ${q.stepSeconds}s) AS t, avg(${value}) AS v`,
      `FROM ${quoteIdentifier(s.database)}.${quoteIdentifier(s.table)}`,
      `WHERE measure_name = ${quoteLiteral(s.measureName)}`,
      `AND ${quoteIdentifier(s.groupDimension)} = ${quoteLiteral(q.groupName)}`,
      // Half-open, as the port and GetMetricData read [startMs, endMs): BETWEEN would add a row at
      // endMs itself, binned as a newest step that has only begun.
      `AND time >= from_milliseconds(${q.startMs}) AND time < from_milliseconds(${q.endMs})`,
      `GROUP BY bin(time, ${q.stepSeconds}s) ORDER BY t ASC`,
    ].join(' ');
  }

  async loadHistory(queries: readonly HistoryQuery[]): Promise<Map<string, LoadObservation[]>> {
    const result = new Map<string, LoadObservation[]>();
    for (const q of queries) {
      const series: LoadObservation[] = [];
      let rows = 0;
      let NextToken: string | undefined;
      try {
        do {
          const out = await this.queryPage(this.queryFor(q), NextToken);
          for (const row of out.Rows ?? []) {
            rows += 1;
            const [time, value] = row.Data ?? [];
            const timestampMs = time?.ScalarValue ? parseTimestreamTime(time.ScalarValue) : Number.NaN;
            const v = value?.ScalarValue !== undefined ? Number(value.ScalarValue) : Number.NaN;
            if (Number.isFinite(timestampMs) && Number.isFinite(v)) series.push({ timestampMs, value: v });
          }
          NextToken = out.NextToken;
        } while (NextToken);
      } catch (error) {
        throw (await this.unreachable(error)) ?? translateAwsError(error, 'Timestream', 'Query');
      }
      // Bins with records but no average, which would otherwise read as a group with no history at
      // all: a single measure not written as DOUBLE (a BIGINT one reads as null in
      // measure_value::double), or multi-measure records whose column is null in every one.
      if (rows > 0 && series.length === 0)
        throw new RejectedRequestError('Timestream', 'Query', this.noValueMessage(q.groupName, rows));
      result.set(q.groupName, series);
    }
    return result;
  }

  /**
   * One page of the query. A 421 `InvalidEndpointException` says the endpoint the SDK discovered
   * and cached (for the period DescribeEndpoints gave, often a day) no longer serves this account:
   * the SDK evicts it only when DescribeEndpoints fails, so the cache is cleared here, making the
   * SDK discover the endpoint again, and the page is asked once more
   * (https://docs.aws.amazon.com/timestream/latest/developerguide/Using-API.endpoint-discovery.how-it-works.html).
   * @throws TransientDependencyError when the page is refused so twice in a row.
   */
  private async queryPage(QueryString: string, NextToken: string | undefined): Promise<QueryCommandOutput> {
    const send = () =>
      this.client.send(new QueryCommand({ QueryString, ...(NextToken ? { NextToken } : {}) }));
    try {
      return await send();
    } catch (error) {
      if (!isInvalidEndpoint(error)) throw error;
      this.client.config.endpointCache.clear();
    }
    try {
      return await send();
    } catch (error) {
      if (!isInvalidEndpoint(error)) throw error;
      // Cleared again, so that the next call starts from a fresh discovery too.
      this.client.config.endpointCache.clear();
      throw new TransientDependencyError('Timestream', 'Query', { cause: error });
    }
  }

  /**
   * The run's failure when Timestream has no endpoint in the client's Region: the SDK queries the
   * stack's own Region, and a Region without Timestream for LiveAnalytics has no such name, which
   * the next run would not find either (a transient failure would hide that behind a getaddrinfo
   * message, run after run). Undefined for any other error.
   */
  private async unreachable(error: unknown): Promise<RejectedRequestError | undefined> {
    const host = unresolvedHost(error);
    if (host === undefined) return undefined;
    const region = await this.client.config.region().catch(() => 'this Region');
    const discovering = (error as Error).message?.startsWith(DISCOVERY_FAILED);
    return new RejectedRequestError(
      'Timestream',
      discovering ? 'DescribeEndpoints' : 'Query',
      `Timestream for LiveAnalytics is not reachable in ${region} (no address for ${host}): historySource: timestream reads the table in the stack's own Region, and only some Regions offer Timestream for LiveAnalytics (https://docs.aws.amazon.com/general/latest/gr/timestream.html). Deploy Prescale in the table's Region, or use historySource: cloudwatch`,
      { cause: error },
    );
  }

  private noValueMessage(groupName: string, rows: number): string {
    const { measureName, measureColumn } = this.source;
    return measureColumn === undefined
      ? `measure ${measureName} of group ${groupName} has records but no DOUBLE value in ${rows} steps: Prescale averages measure_value::double of single-measure records, so write the measure as DOUBLE, or, for multi-measure records, set timestream.measureColumn to the measure holding the load`
      : `measure ${measureColumn} of multi-measure records ${measureName} of group ${groupName} has no value in ${rows} steps that have records: write the load to ${measureColumn} (DOUBLE or BIGINT) in each record named ${measureName}, or set timestream.measureColumn to the measure that holds it`;
  }
}
