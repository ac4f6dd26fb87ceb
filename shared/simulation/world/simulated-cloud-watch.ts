import {
  evaluateMetricMath,
  type MathSeries,
  MetricMathError,
  type MetricSearch,
} from './evaluate-metric-math';
import { inTimeOrder, mathAnswer, offsetOf, pageOf, type QueryResult } from './metric-data-pages';
import { MetricPublication, type MetricPublicationDelay } from './metric-publication';
import { matchesMetricSearch, parseMetricSearch } from './metric-search';
import { isKnownStatistic, type MetricId, MetricStore } from './metric-store';
import { keptBySearch, type MetricsRead, metricsReadMessages, metricsReadOf } from './metrics-read';
import { SimulatedAwsError } from './simulated-aws-error';

interface Dimension {
  Name?: string;
  Value?: string;
}
interface MetricDataQueryInput {
  Id?: string;
  MetricStat?: {
    Metric?: { Namespace?: string; MetricName?: string; Dimensions?: Dimension[] };
    Period?: number;
    Stat?: string;
  };
  Expression?: string;
  Label?: string;
  ReturnData?: boolean;
  Period?: number;
}
interface GetMetricDataInput {
  MetricDataQueries?: MetricDataQueryInput[];
  StartTime?: Date | string | number;
  EndTime?: Date | string | number;
  NextToken?: string;
  ScanBy?: 'TimestampAscending' | 'TimestampDescending';
  MaxDatapoints?: number;
}
interface MetricDatumInput {
  MetricName?: string;
  Dimensions?: Dimension[];
  Timestamp?: Date | string | number;
  Value?: number;
  Values?: number[];
  Counts?: number[];
  StatisticValues?: { SampleCount?: number; Sum?: number; Minimum?: number; Maximum?: number };
}

/** The largest number of datapoints one GetMetricData response carries (AWS: 100,800). */
export const MAX_DATAPOINTS_PER_RESPONSE = 100_800;

const toMs = (t: Date | string | number | undefined): number =>
  t instanceof Date ? t.getTime() : t === undefined ? Number.NaN : new Date(t).getTime();
const dimensionsOf = (dims: Dimension[] | undefined): Record<string, string> =>
  Object.fromEntries((dims ?? []).map((d) => [d.Name ?? '', d.Value ?? '']));
const ID_PATTERN = /^[a-z][a-zA-Z0-9_]*$/;
/** SEARCH finds only metrics that reported within the past two weeks, and at most 500 of them. */
const SEARCH_LOOKBACK_MS = 14 * 86_400_000;
const SEARCH_MAX_SERIES = 500;
const DAY_MS = 86_400_000;

/**
 * Whether CloudWatch returns any datapoint for a query at `periodSeconds` from `startMs`: "If the
 * StartTime parameter specifies a time stamp that is greater than 3 hours ago, you must specify the
 * period as follows or no data points in that time range is returned: Start time between 3 hours
 * and 15 days ago - Use a multiple of 60 seconds (1 minute). Start time between 15 and 63 days
 * ago - Use a multiple of 300 seconds (5 minutes). Start time greater than 63 days ago - Use a
 * multiple of 3600 seconds (1 hour)." (MetricStat, API reference)
 */
export function periodServesStart(periodSeconds: number, startMs: number, nowMs: number): boolean {
  const ageMs = nowMs - startMs;
  if (ageMs > 63 * DAY_MS) return periodSeconds % 3600 === 0;
  if (ageMs > 15 * DAY_MS) return periodSeconds % 300 === 0;
  return true;
}

/**
 * GetMetricData's model bounds on what a group name lengthens: MetricExpression 1–2048 characters,
 * DimensionValue 1–1024 (API reference, MetricDataQuery and Dimension). CloudWatch refuses the
 * whole call, as it does any value outside its model, with the member's path.
 */
function checkLengths(q: MetricDataQueryInput, member: number): void {
  const tooLong = (path: string, value: string, max: number) =>
    new SimulatedAwsError(
      'ValidationError',
      `1 validation error detected: Value '${value}' at 'metricDataQueries.${member}.member.${path}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
    );
  if (q.Expression !== undefined && q.Expression.length > 2048)
    throw tooLong('expression', q.Expression, 2048);
  for (const [k, d] of (q.MetricStat?.Metric?.Dimensions ?? []).entries())
    if ((d.Value?.length ?? 0) > 1024)
      throw tooLong(`metricStat.metric.dimensions.${k + 1}.member.value`, d.Value ?? '', 1024);
}

/** The request's queries by id, each id checked, and at least one query returning data. */
function queriesById(queries: readonly MetricDataQueryInput[]): Map<string, MetricDataQueryInput> {
  const byId = new Map<string, MetricDataQueryInput>();
  for (const q of queries) {
    if (!q.Id || !ID_PATTERN.test(q.Id)) {
      throw new SimulatedAwsError(
        'ValidationError',
        `Invalid metric data query id "${q.Id}": must start with a lowercase letter and contain only letters, digits and _`,
      );
    }
    if (byId.has(q.Id))
      throw new SimulatedAwsError('ValidationError', `Duplicate metric data query id ${q.Id}`);
    checkLengths(q, byId.size + 1);
    if ((q.MetricStat === undefined) === (q.Expression === undefined)) {
      throw new SimulatedAwsError(
        'ValidationError',
        `Query ${q.Id} must have exactly one of MetricStat and Expression`,
      );
    }
    byId.set(q.Id, q);
  }
  if (!queries.some((q) => q.ReturnData !== false)) {
    throw new SimulatedAwsError('ValidationError', 'At least one query must have ReturnData set to true');
  }
  return byId;
}

const MINUTE_MS = 60_000;

/**
 * CloudWatch as Prescale calls it: `GetMetricData` (metric stats, metric math over ids of the same
 * request, ReturnData, ScanBy, MaxDatapoints and NextToken paging) and `PutMetricData`, over a
 * one-minute `MetricStore` that the world fills from the load at each step. With a publication
 * delay (`metric-publication.ts`), the world's AWS metrics reach the store that late.
 */
export class SimulatedCloudWatch {
  readonly store = new MetricStore();
  private readonly late: MetricPublication | undefined;

  /**
   * `late`: how late the world's datapoints arrive, with the world's clock; absent, each is
   * readable the moment its minute ends.
   */
  constructor(
    private readonly pageDatapoints = MAX_DATAPOINTS_PER_RESPONSE,
    late?: { readonly delay: MetricPublicationDelay; readonly nowMs: () => number },
  ) {
    const put = this.store.put.bind(this.store);
    this.late = late && new MetricPublication(late.delay, put, late.nowMs);
  }

  /**
   * Publishes one datapoint (the world's derived metrics use this), sent by its source at
   * `sentAtMs` (default: the end of its minute); without a publication delay it is stored at once.
   */
  publish(
    metric: MetricId,
    timestampMs: number,
    value: number,
    sentAtMs = Math.floor(timestampMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS,
  ): void {
    if (this.late) this.late.send(metric, timestampMs, value, sentAtMs);
    else this.store.put(metric, timestampMs, value);
  }

  /**
   * Milliseconds after its source sends it that a datapoint of `namespace` is first returned
   * (`MetricPublication.firstShareAfterMs`); 0 without a publication delay.
   */
  firstShareAfterMs(namespace: string): number {
    return this.late?.firstShareAfterMs(namespace) ?? 0;
  }

  /** Stores the late datapoints due by `nowMs` (the world calls it as its clock moves). */
  deliverUntil(nowMs: number): void {
    this.late?.deliverUntil(nowMs);
  }

  /** `GetMetricData`. @throws SimulatedAwsError `ValidationError`/`InvalidNextToken` like CloudWatch. */
  getMetricData(input: GetMetricDataInput, nowMs: number): unknown {
    this.deliverUntil(nowMs);
    const queries = input.MetricDataQueries ?? [];
    if (queries.length === 0 || queries.length > 500) {
      throw new SimulatedAwsError(
        'ValidationError',
        `MetricDataQueries must have 1 to 500 members, got ${queries.length}`,
      );
    }
    const startMs = toMs(input.StartTime);
    const endMs = toMs(input.EndTime);
    if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || startMs >= endMs) {
      throw new SimulatedAwsError(
        'ValidationError',
        'The parameter StartTime must be less than the parameter EndTime.',
      );
    }
    const read = metricsReadOf(queries);
    const evaluate = this.evaluator(queriesById(queries), startMs, endMs, nowMs, read);
    const descending = input.ScanBy !== 'TimestampAscending';
    const full = queries
      .filter((q) => q.ReturnData !== false)
      .map((q): QueryResult => {
        const series = inTimeOrder(evaluate(q.Id as string) as MathSeries, descending);
        return {
          id: q.Id as string,
          label: q.Label ?? q.MetricStat?.Metric?.MetricName ?? q.Id,
          points: series,
        };
      });

    const offset = offsetOf(input.NextToken);
    const limit = Math.min(input.MaxDatapoints ?? MAX_DATAPOINTS_PER_RESPONSE, this.pageDatapoints);
    if (queries.some((q) => q.Expression !== undefined)) {
      // Every query, a hidden one no other names too, has found its metrics before the answer
      // says whether the call read them all.
      for (const q of queries) evaluate(q.Id as string);
      return mathAnswer(full, queries, evaluate, limit, metricsReadMessages(read));
    }
    const { results, taken } = pageOf(full, offset, limit);
    const total = full.reduce((n, r) => n + r.points.timestampsMs.length, 0);
    const next = offset + taken;
    return {
      MetricDataResults: results,
      // Without an expression there is no SEARCH, and at most 500 queries read 500 metrics.
      Messages: [],
      ...(next < total ? { NextToken: Buffer.from(`offset:${next}`, 'utf8').toString('base64') } : {}),
    };
  }

  /**
   * The series of each query id of one request, computed once each on first use; metric math
   * reaches the ids it names through it. Undefined for an id the request does not have. The
   * metrics its SEARCHes find are counted in `read`.
   */
  private evaluator(
    byId: ReadonlyMap<string, MetricDataQueryInput>,
    startMs: number,
    endMs: number,
    nowMs: number,
    read: MetricsRead,
  ): (id: string) => MathSeries | undefined {
    const computed = new Map<string, MathSeries>();
    const visiting = new Set<string>();
    const evaluate = (id: string): MathSeries | undefined => {
      const cached = computed.get(id);
      if (cached) return cached;
      const q = byId.get(id);
      if (!q) return undefined;
      if (visiting.has(id))
        throw new SimulatedAwsError('ValidationError', `Circular dependency in metric math at ${id}`);
      visiting.add(id);
      let series: MathSeries;
      if (q.MetricStat) {
        series = this.metricStatSeries(id, q.MetricStat, startMs, endMs, nowMs);
      } else {
        try {
          series = evaluateMetricMath(
            q.Expression as string,
            evaluate,
            this.searchFor(q, startMs, endMs, nowMs, read),
          );
        } catch (error) {
          if (error instanceof MetricMathError) throw new SimulatedAwsError('ValidationError', error.message);
          throw error;
        }
      }
      visiting.delete(id);
      computed.set(id, series);
      return series;
    };
    return evaluate;
  }

  /** Query `id`'s metric aggregated at its period and statistic over the request's range. */
  private metricStatSeries(
    id: string,
    stat: NonNullable<MetricDataQueryInput['MetricStat']>,
    startMs: number,
    endMs: number,
    nowMs: number,
  ): MathSeries {
    const m = stat.Metric ?? {};
    const period = stat.Period ?? 0;
    if (!(period >= 60 && period % 60 === 0)) {
      throw new SimulatedAwsError(
        'ValidationError',
        `Query ${id}: Period must be a multiple of 60 seconds, got ${period}`,
      );
    }
    if (!periodServesStart(period, startMs, nowMs)) return { timestampsMs: [], values: [] };
    try {
      return this.store.aggregate(
        {
          namespace: m.Namespace ?? '',
          metricName: m.MetricName ?? '',
          dimensions: dimensionsOf(m.Dimensions),
        },
        startMs,
        endMs,
        period,
        stat.Stat ?? '',
        nowMs,
      );
    } catch (error) {
      throw new SimulatedAwsError('ValidationError', `Query ${id}: ${(error as Error).message}`);
    }
  }

  /**
   * SEARCH for expression query `q`: the metrics matching the query that reported within the past
   * two weeks, each aggregated over the request's range at the statistic and the period SEARCH
   * names, or else the query's own Period. It keeps at most 500 and no more than the call has left
   * of its 500 metrics (`read`); finding more marks the call `limited`, answered with
   * `MaxMetricsExceeded`.
   */
  private searchFor(
    q: MetricDataQueryInput,
    startMs: number,
    endMs: number,
    nowMs: number,
    read: MetricsRead,
  ): MetricSearch {
    return (text, stat, periodSeconds) => {
      const expression = q.Expression as string;
      const query = parseMetricSearch(text, expression);
      const period = periodSeconds ?? q.Period;
      if (period === undefined || !(period >= 60 && period % 60 === 0))
        throw new MetricMathError(
          expression,
          `SEARCH needs a period that is a multiple of 60 seconds (its third argument or the query's Period), got ${period}`,
        );
      if (!isKnownStatistic(stat)) throw new MetricMathError(expression, `SEARCH: unknown statistic ${stat}`);
      const matching = this.store
        .metricsReportedSince(nowMs - SEARCH_LOOKBACK_MS)
        .filter((metric) => matchesMetricSearch(metric, query));
      const found = keptBySearch(read, matching, SEARCH_MAX_SERIES);
      if (!periodServesStart(period, startMs, nowMs))
        return found.map(() => ({ timestampsMs: [], values: [] }));
      return found.map((metric) => {
        try {
          return this.store.aggregate(metric, startMs, endMs, period, stat, nowMs);
        } catch (error) {
          throw new MetricMathError(expression, `SEARCH: ${(error as Error).message}`);
        }
      });
    };
  }

  /** `PutMetricData`. @throws SimulatedAwsError `InvalidParameterValue`/`MissingParameter` like CloudWatch. */
  putMetricData(input: { Namespace?: string; MetricData?: MetricDatumInput[] }, nowMs: number): unknown {
    if (!input.Namespace)
      throw new SimulatedAwsError('MissingParameter', 'The parameter Namespace is required.');
    if (input.Namespace.startsWith('AWS/')) {
      throw new SimulatedAwsError(
        'InvalidParameterValue',
        `The value ${input.Namespace} for parameter Namespace is invalid: AWS/ is reserved.`,
      );
    }
    const data = input.MetricData ?? [];
    if (data.length === 0 || data.length > 1000) {
      throw new SimulatedAwsError(
        'InvalidParameterValue',
        `MetricData must have 1 to 1000 members, got ${data.length}`,
      );
    }
    for (const d of data) {
      if (!d.MetricName)
        throw new SimulatedAwsError(
          'MissingParameter',
          'The parameter MetricData.member.N.MetricName is required.',
        );
      const metric = {
        namespace: input.Namespace,
        metricName: d.MetricName,
        dimensions: dimensionsOf(d.Dimensions),
      };
      const t = d.Timestamp === undefined ? nowMs : toMs(d.Timestamp);
      if (d.StatisticValues) {
        const s = d.StatisticValues;
        const count = s.SampleCount ?? 1;
        this.store.put(metric, t, (s.Sum ?? 0) / count, count, s.Minimum ?? 0, s.Maximum ?? 0, s.Sum ?? 0);
      } else if (d.Values) {
        d.Values.forEach((v, i) => {
          this.store.put(metric, t, v, d.Counts?.[i] ?? 1);
        });
      } else if (d.Value !== undefined) {
        this.store.put(metric, t, d.Value);
      } else {
        throw new SimulatedAwsError(
          'MissingParameter',
          'Each MetricData member needs Value, Values or StatisticValues.',
        );
      }
    }
    return {};
  }
}
