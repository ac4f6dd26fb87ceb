import type { MetricId } from './metric-store';
import { SimulatedAwsError, UnsupportedCommandError } from './simulated-aws-error';

// biome-ignore lint/suspicious/noExplicitAny: SDK command inputs, validated against the model before they arrive.
type Input = Record<string, any>;

/**
 * A Timestream table whose measure mirrors one metric of each group (a user's own telemetry), in
 * single-measure records or in a column of multi-measure ones.
 */
export interface TimestreamTableSpec {
  readonly database: string;
  readonly table: string;
  readonly measureName: string;
  /** The dimension naming the group (`timestream.groupDimension`). @default AutoScalingGroupName */
  readonly groupDimension?: string;
  /** The metric the measure records for a group, one value a minute. */
  readonly metricOf: (groupName: string) => MetricId;
  /**
   * The type the measure is written as. A BIGINT measure has no `measure_value::double`: the
   * history query's average is null in every bin, as in Timestream. @default DOUBLE
   */
  readonly measureType?: 'DOUBLE' | 'BIGINT';
  /**
   * Multi-measure records instead of single-measure ones: each record named `measureName` carries
   * the measures of `columns` (by name, with their type), the load (`metricOf`, one value a minute,
   * a BIGINT one rounded) in `loadColumn` and null in the others, as a record need not carry every
   * measure. The table then has no `measure_value::double` column: a single-measure query is
   * refused. `measureType` does not apply.
   */
  readonly multiMeasure?: {
    readonly loadColumn: string;
    readonly columns: Readonly<Record<string, 'DOUBLE' | 'BIGINT'>>;
  };
}

/** How the simulated Timestream reads the world's metric store. */
export interface TimestreamWorldView {
  readonly region: string;
  nowMs(): number;
  /** Average of the metric over periods of `periodSeconds` in [startMs, endMs), data published by now. */
  average(
    metric: MetricId,
    startMs: number,
    endMs: number,
    periodSeconds: number,
  ): { timestampsMs: number[]; values: number[] };
}

const ROWS_PER_PAGE = 1000;
// The one query shape Prescale sends (`TimestreamMetricHistory.queryFor`), parsed strictly.
const HISTORY_QUERY = new RegExp(
  [
    String.raw`^SELECT bin\(time, (\d+)s\) AS t, avg\((?:measure_value::double|CAST\("((?:[^"]|"")+)" AS double\))\) AS v`,
    String.raw`FROM "((?:[^"]|"")+)"\."((?:[^"]|"")+)"`,
    `WHERE measure_name = '((?:[^']|'')*)'`,
    `AND "((?:[^"]|"")+)" = '((?:[^']|'')*)'`,
    String.raw`AND time >= from_milliseconds\((\d+)\) AND time < from_milliseconds\((\d+)\)`,
    String.raw`GROUP BY bin\(time, \1s\) ORDER BY t ASC$`,
  ].join(' '),
);

const unquote = (s: string, q: string) => s.replaceAll(q + q, q);

/** A query's rows kept for its next pages, with the query string the pages must repeat. */
interface PagedQuery {
  readonly rows: unknown[];
  readonly queryId: string;
  readonly queryString: string;
}

/** Timestream's timestamp text: `2024-01-01 00:05:00.000000000` (UTC, nanoseconds). */
export function timestreamTime(ms: number): string {
  return `${new Date(ms).toISOString().replace('T', ' ').slice(0, 23)}000000`;
}

/**
 * Timestream Query over the world's metric store: `DescribeEndpoints` (the SDK discovers the
 * query endpoint with it before the first `Query`) and `Query` for the binned-average history
 * query Prescale sends (single- or multi-measure), answered with AWS-shaped `Rows` (`Data[].ScalarValue`), `ColumnInfo`,
 * `QueryStatus` and `NextToken` pages. Any other SQL is refused with `ValidationException`, an
 * unknown database or table with `ValidationException` too, as Query has no not-found error.
 */
export class SimulatedTimestream {
  private readonly tables = new Map<string, TimestreamTableSpec>();
  private readonly pages = new Map<string, PagedQuery>();
  private queryCounter = 0;
  /** The cell serving the account, and the one the last DescribeEndpoints named. */
  private cell = 1;
  private discoveredCell = 1;

  constructor(private readonly view: TimestreamWorldView) {}

  /**
   * Maps the account to another cell: a Query sent before the next DescribeEndpoints (to the
   * endpoint a client cached, as the world does not see the host a command is sent to) is
   * answered 421 `InvalidEndpointException`, as Timestream answers one sent to a cell that no
   * longer serves the account. One view for every client: any DescribeEndpoints counts.
   */
  moveCell(): void {
    this.cell += 1;
  }

  /** Creates a table whose measure mirrors a metric of each group. */
  createTable(spec: TimestreamTableSpec): void {
    if (spec.multiMeasure && !Object.hasOwn(spec.multiMeasure.columns, spec.multiMeasure.loadColumn))
      throw new Error(
        `multiMeasure.loadColumn ${spec.multiMeasure.loadColumn} is not among its columns (${Object.keys(spec.multiMeasure.columns).join(', ')})`,
      );
    this.tables.set(`${spec.database}.${spec.table}`, spec);
  }

  /** Answers one Timestream Query command. */
  answer(commandName: string, i: Input): unknown {
    switch (commandName) {
      case 'DescribeEndpointsCommand':
        this.discoveredCell = this.cell;
        return {
          Endpoints: [
            {
              Address: `query-cell${this.cell}.timestream.${this.view.region}.amazonaws.com`,
              CachePeriodInMinutes: 1440,
            },
          ],
        };
      case 'QueryCommand':
        if (this.discoveredCell !== this.cell)
          throw new SimulatedAwsError(
            'InvalidEndpointException',
            'The requested endpoint was not valid.',
            421,
          );
        return i.NextToken
          ? this.nextPage(String(i.NextToken), String(i.QueryString ?? ''))
          : this.query(String(i.QueryString ?? ''));
      default:
        throw new UnsupportedCommandError('timestream-query', commandName);
    }
  }

  private query(sql: string): unknown {
    const m = HISTORY_QUERY.exec(sql);
    if (!m)
      throw new SimulatedAwsError(
        'ValidationException',
        `The simulated Timestream answers Prescale's binned-average history query only; got: ${sql.slice(0, 200)}`,
      );
    const [, bin, measureColumn, db, table, measure, dimension, group, from, to] = m as unknown as (
      | string
      | undefined
    )[];
    const database = unquote(db as string, '"');
    const tableName = unquote(table as string, '"');
    const spec = this.tables.get(`${database}.${tableName}`);
    // Query answers a missing table with ValidationException: ResourceNotFoundException is not among
    // its errors ("Timestream for LiveAnalytics query API errors": ValidationException,
    // QueryExecutionException, ConflictException, ThrottlingException, InternalServerException,
    // InvalidEndpointException).
    if (!spec)
      throw new SimulatedAwsError(
        'ValidationException',
        `The table ${tableName} does not exist in database ${database}.`,
      );
    // The table's columns are its dimensions and measure columns: naming another is an error, as
    // in Timestream; a measure name no record has only matches no rows.
    const column = unquote(dimension as string, '"');
    if (column !== (spec.groupDimension ?? 'AutoScalingGroupName'))
      throw new SimulatedAwsError('ValidationException', `Column '${column}' does not exist`);
    const valueColumn = measureColumn === undefined ? 'measure_value::double' : unquote(measureColumn, '"');
    const multi = spec.multiMeasure;
    // A multi-measure table's columns are its measures, a single-measure one's measure_value::<type>.
    if (multi ? !Object.hasOwn(multi.columns, valueColumn) : measureColumn !== undefined)
      throw new SimulatedAwsError('ValidationException', `Column '${valueColumn}' does not exist`);
    const [startMs, endMs, binSeconds] = [Number(from), Number(to), Number(bin)];
    const metric = spec.metricOf(unquote(group as string, "'"));
    const series =
      unquote(measure as string, "'") !== spec.measureName
        ? { timestampsMs: [], values: [] }
        : multi?.columns[valueColumn] === 'BIGINT'
          ? this.bigintAverage(metric, startMs, endMs, binSeconds)
          : this.view.average(metric, startMs, endMs, binSeconds);
    // Null where the records have no value: a BIGINT single measure read as double, a measure
    // column other than the one the load is written to.
    const hasValue = multi ? valueColumn === multi.loadColumn : spec.measureType !== 'BIGINT';
    const rows = series.timestampsMs.map((t, k) => ({
      Data: [
        { ScalarValue: timestreamTime(t) },
        hasValue ? { ScalarValue: String(series.values[k]) } : { NullValue: true },
      ],
    }));
    this.queryCounter += 1;
    const queryId = `AEDQCAN${this.queryCounter.toString(36).toUpperCase().padStart(8, '0')}`;
    return this.page({ rows, queryId, queryString: sql }, 0);
  }

  /**
   * Bins of a BIGINT measure written each minute: the minute's value rounded to an integer, then
   * averaged per bin (`avg(CAST(… AS double))`), bins counted from `startMs` as `average` counts.
   */
  private bigintAverage(
    metric: MetricId,
    startMs: number,
    endMs: number,
    binSeconds: number,
  ): { timestampsMs: number[]; values: number[] } {
    const minutes = this.view.average(metric, startMs, endMs, 60);
    const bins = new Map<number, number[]>();
    for (const [k, t] of minutes.timestampsMs.entries()) {
      const binMs = startMs + Math.floor((t - startMs) / (binSeconds * 1000)) * binSeconds * 1000;
      const values = bins.get(binMs) ?? [];
      values.push(Math.round(minutes.values[k] as number));
      bins.set(binMs, values);
    }
    const timestampsMs = [...bins.keys()].sort((a, b) => a - b);
    return {
      timestampsMs,
      values: timestampsMs.map((t) => {
        const values = bins.get(t) ?? [];
        return values.reduce((a, b) => a + b, 0) / values.length;
      }),
    };
  }

  /**
   * The page a NextToken points at. Timestream fails a page asked with another query string than
   * the one that started the query: "If ... the query initiator and the result reader do not have
   * the same query string in the query requests, the query will fail with an Invalid pagination
   * token error" (Query, API reference).
   */
  private nextPage(token: string, queryString: string): unknown {
    const [id, offset] = token.split(':');
    const state = id ? this.pages.get(id) : undefined;
    if (!state || state.queryString !== queryString)
      throw new SimulatedAwsError('ValidationException', 'Invalid pagination token');
    return this.page(state, Number(offset));
  }

  private page(state: PagedQuery, offset: number): unknown {
    const end = offset + ROWS_PER_PAGE;
    const more = end < state.rows.length;
    if (more) this.pages.set(state.queryId, state);
    else this.pages.delete(state.queryId);
    const scanned = state.rows.length * 64;
    return {
      QueryId: state.queryId,
      Rows: state.rows.slice(offset, end),
      ColumnInfo: [
        { Name: 't', Type: { ScalarType: 'TIMESTAMP' } },
        { Name: 'v', Type: { ScalarType: 'DOUBLE' } },
      ],
      QueryStatus: {
        ProgressPercentage: more ? (end / state.rows.length) * 100 : 100,
        CumulativeBytesScanned: scanned,
        CumulativeBytesMetered: Math.max(10_485_760, scanned),
      },
      ...(more ? { NextToken: `${state.queryId}:${end}` } : {}),
    };
  }
}
