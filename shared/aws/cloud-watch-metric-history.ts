import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandOutput,
  type MessageData,
  type MetricDataQuery,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import { withEmptyGroupSteps, withIdleSteps } from '../core/forecast/idle-steps';
import type { LoadObservation } from '../core/forecast/types';
import { RejectedRequestError, TransientDependencyError } from '../ports/errors';
import type { HistoryQuery, MetricHistory } from '../ports/metric-history';
import {
  datapointsOf,
  isMetricsInsightsQuery,
  MAX_DATAPOINTS_PER_CALL,
  MAX_QUERIES_PER_CALL,
  queriesFor,
} from './cloud-watch-load-queries';
import { translateAwsError } from './translate-aws-error';

/** What the calls of one read gather: each group's load, the groups cut short, and empty steps. */
interface Collected {
  readonly result: Map<string, LoadObservation[]>;
  readonly cut: Set<string>;
  /**
   * Per group, the steps its load is known to be zero where it has no datapoint: a `cpu` group's
   * steps with no instance in service, an `alb-requests` group's steps its target group reported
   * its health in.
   */
  readonly zeroLoadSteps: Map<string, number[]>;
  /** Per `cpu` group, its in-service and terminating counts by step (`cpuLoadQueries`). */
  readonly instanceCounts: Map<string, InstanceCounts>;
}

/** A `cpu` group's instance counts by step: those its average CPU is multiplied by. */
interface InstanceCounts {
  readonly inService: Map<number, number>;
  readonly terminating: Map<number, number>;
}

/** The finite datapoints of `r` as [timestampMs, value] pairs (the SDK parses timestamps into Dates). */
function datapoints(r: MetricDataResult): [number, number][] {
  const timestamps = r.Timestamps ?? [];
  const points: [number, number][] = [];
  (r.Values ?? []).forEach((value, i) => {
    const t = timestamps[i];
    if (t && Number.isFinite(value))
      points.push([t instanceof Date ? t.getTime() : new Date(t).getTime(), value]);
  });
  return points;
}

/** When `r` is a `cpu` group's in-service or terminating count, keeps it by step. */
function noteInstanceCounts(
  r: MetricDataResult,
  groupById: ReadonlyMap<string, string>,
  into: Collected,
): void {
  const kind = r.Id?.slice(-1);
  const group = kind === 'n' || kind === 't' ? groupById.get((r.Id as string).slice(0, -1)) : undefined;
  if (!group) return;
  const counts = into.instanceCounts.get(group) ?? { inService: new Map(), terminating: new Map() };
  const byStep = kind === 'n' ? counts.inService : counts.terminating;
  for (const [t, value] of datapoints(r)) byStep.set(t, value);
  into.instanceCounts.set(group, counts);
}

/**
 * A `cpu` group's load: each step's average CPU × (in service + terminating) (`cpuLoadQueries`).
 * A step without an in-service count has no load (metric math's product would have none either);
 * one without a terminating count (the group does not collect it) counts none terminating.
 */
function cpuLoad(
  averageCpu: readonly LoadObservation[],
  counts: InstanceCounts | undefined,
): LoadObservation[] {
  const load: LoadObservation[] = [];
  for (const o of averageCpu) {
    const inService = counts?.inService.get(o.timestampMs);
    if (inService === undefined) continue;
    const instances = inService + (counts?.terminating.get(o.timestampMs) ?? 0);
    load.push({ timestampMs: o.timestampMs, value: o.value * instances });
  }
  return load;
}

/**
 * When `r` is a group's companion series, notes the steps of it that say the load was zero, and
 * returns the group (else undefined): a `cpu` group's in-service count (`g<index>n`) where it was
 * 0 (its terminating count, `g<index>t`, says nothing of it), an `alb-requests` group's
 * healthy-target count (`g<index>h`) wherever it has a datapoint (`albRequestQueries`).
 * A companion cut short is no more whole than a cut load: the in-service and terminating counts
 * multiply a `cpu` group's every step (`cpuLoad`), so `fetch` marks its group cut, to be read again
 * alone (until 2026-12-07 it was taken as losing only zeros, and a cut count silently dropped or
 * lowered the load).
 */
function noteZeroLoadSteps(
  r: MetricDataResult,
  groupById: ReadonlyMap<string, string>,
  zeroLoadSteps: Map<string, number[]>,
): string | undefined {
  const kind = r.Id?.slice(-1);
  const group =
    kind === 'n' || kind === 'h' || kind === 't' ? groupById.get((r.Id as string).slice(0, -1)) : undefined;
  if (!group || kind === 't') return group;
  const timestamps = r.Timestamps ?? [];
  const steps = zeroLoadSteps.get(group) ?? [];
  (r.Values ?? []).forEach((value, i) => {
    const t = timestamps[i];
    if ((kind === 'h' || value === 0) && t)
      steps.push(t instanceof Date ? t.getTime() : new Date(t).getTime());
  });
  zeroLoadSteps.set(group, steps);
  return group;
}

/**
 * A group whose load expression came back as several series (results sharing its Id, one per
 * metric a SEARCH found): merged, they would be averaged per step by the forecaster's cleaning
 * instead of summed, a load too small by the number of series.
 */
function severalSeries(groupName: string): RejectedRequestError {
  return new RejectedRequestError(
    'CloudWatch',
    'GetMetricData',
    `the load expression of group ${groupName} returns several time series; Prescale reads one per group: wrap it in SUM(...) (or another function of the array) to make it one`,
  );
}

/**
 * `MetricHistory` on CloudWatch `GetMetricData`: groups are packed into calls of at most 500
 * queries and 100,800 datapoints, every call is paged to the end, and non-finite datapoints are
 * dropped (the forecaster fills gaps and reports them). A group whose load, or one of its companion
 * series (`noteZeroLoadSteps`), comes back cut (`PartialData` with no NextToken, or `PartialData`
 * on a load expression, which is never paged: a user's expression that expands to more series
 * than it names) is asked again alone, and is an error if it is cut even then. A call answered with a top-level message was not executed whole
 * (`notWhole`): its groups are asked again one call each, and a group whose own call still has
 * one is an error. A result `Forbidden` is an error naming the group and the query. A `cpu`
 * group's load is its average CPU × its instances in service and terminating, multiplied here
 * (`cpuLoad`).
 */
export class CloudWatchMetricHistory implements MetricHistory {
  constructor(private readonly client: CloudWatchClient) {}

  async loadHistory(queries: readonly HistoryQuery[]): Promise<Map<string, LoadObservation[]>> {
    const result = new Map<string, LoadObservation[]>(queries.map((q) => [q.groupName, []]));
    const cut = new Set<string>();
    const into: Collected = { result, cut, zeroLoadSteps: new Map(), instanceCounts: new Map() };
    // Calls share one time range, so group the queries by range and step first.
    const byRange = new Map<string, { query: HistoryQuery; index: number }[]>();
    queries.forEach((query, index) => {
      const key = `${query.startMs}/${query.endMs}`;
      byRange.set(key, [...(byRange.get(key) ?? []), { query, index }]);
    });
    for (const members of byRange.values()) {
      let batch: MetricDataQuery[] = [];
      const groupById = new Map<string, string>();
      const flush = async (startMs: number, endMs: number) => {
        if (batch.length === 0) return;
        const groups = [...groupById.values()];
        const messages = await this.fetch(batch, startMs, endMs, groupById, into);
        batch = [];
        groupById.clear();
        if (messages.length === 0) return;
        // Part of the call was not executed: each group asked alone is whole or names itself.
        if (groups.length === 1) throw notWhole(queryOf(queries, groups[0] as string), messages);
        for (const groupName of groups) await this.readAlone(queries, groupName, into);
      };
      const first = members[0]?.query;
      if (!first) continue;
      let batchDatapoints = 0;
      for (const { query, index } of members) {
        const qs = queriesFor(index, query);
        const datapoints = qs.length * datapointsOf(query);
        // A second Metrics Insights query would have the whole call refused, every group's in it.
        const secondInsights = qs.some(isMetricsInsightsQuery) && batch.some(isMetricsInsightsQuery);
        if (
          batch.length + qs.length > MAX_QUERIES_PER_CALL ||
          batchDatapoints + datapoints > MAX_DATAPOINTS_PER_CALL ||
          secondInsights
        ) {
          await flush(first.startMs, first.endMs);
          batchDatapoints = 0;
        }
        batch.push(...qs);
        batchDatapoints += datapoints;
        groupById.set(`g${index}`, query.groupName);
      }
      await flush(first.startMs, first.endMs);
    }
    for (const groupName of cut) await this.readAlone(queries, groupName, into);
    for (const series of result.values()) series.sort((a, b) => a.timestampMs - b.timestampMs);
    for (const q of queries) {
      const read = result.get(q.groupName) ?? [];
      const series = q.metric.kind === 'cpu' ? cpuLoad(read, into.instanceCounts.get(q.groupName)) : read;
      const zeros = withEmptyGroupSteps(series, into.zeroLoadSteps.get(q.groupName) ?? []);
      if (q.metric.kind === 'alb-requests') result.set(q.groupName, withIdleSteps(zeros, q.stepSeconds));
      if (q.metric.kind === 'cpu') result.set(q.groupName, zeros);
    }
    return result;
  }

  /**
   * A group read again in a call of its own, what was read of it before dropped: its series came
   * back cut, or its call was not executed whole (`notWhole`). An error if it is cut or not whole
   * even alone.
   */
  private async readAlone(
    queries: readonly HistoryQuery[],
    groupName: string,
    into: Collected,
  ): Promise<void> {
    const index = queries.findIndex((q) => q.groupName === groupName);
    const query = queries[index] as HistoryQuery;
    const cut = new Set<string>();
    into.result.set(groupName, []);
    into.cut.delete(groupName);
    into.zeroLoadSteps.delete(groupName);
    into.instanceCounts.delete(groupName);
    const groupById = new Map([[`g${index}`, groupName]]);
    const messages = await this.fetch(queriesFor(index, query), query.startMs, query.endMs, groupById, {
      ...into,
      cut,
    });
    if (messages.length > 0) throw notWhole(query, messages);
    if (cut.size > 0)
      throw new RejectedRequestError(
        'CloudWatch',
        'GetMetricData',
        `the load of group ${groupName} came back cut (PartialData with no NextToken): its metric returns more than 100,800 datapoints over ${Math.round((query.endMs - query.startMs) / 86_400_000)} days at ${query.stepSeconds} s; shorten historyDays, raise stepSeconds or make its expression return one series`,
      );
  }

  /**
   * Reads `queries` into `into`, paged to the end, and returns the call's top-level messages:
   * none when it was executed whole. On a page with a message it stops there, what it read of the
   * call's groups to be dropped by the caller.
   */
  private async fetch(
    queries: MetricDataQuery[],
    startMs: number,
    endMs: number,
    groupById: ReadonlyMap<string, string>,
    into: Collected,
  ): Promise<readonly MessageData[]> {
    const { result, cut } = into;
    // "NextToken is not returned if you are performing a math expression" (MetricDataResult
    // StatusCode): an expression's PartialData is never continued on a later page, even when the
    // call's other queries page on.
    const expressionIds = new Set(queries.filter((q) => q.Expression !== undefined).map((q) => q.Id));
    let NextToken: string | undefined;
    do {
      let out: GetMetricDataCommandOutput;
      try {
        out = await this.client.send(
          new GetMetricDataCommand({
            MetricDataQueries: queries,
            StartTime: new Date(startMs),
            EndTime: new Date(endMs),
            ScanBy: 'TimestampAscending',
            ...(NextToken ? { NextToken } : {}),
          }),
        );
      } catch (error) {
        throw translateAwsError(error, 'CloudWatch', 'GetMetricData');
      }
      // GetMetricData Messages: "An example of a message that might be returned is Maximum number
      // of allowed metrics exceeded. If there is a message, as much of the operation as possible is
      // still executed." and "A message appears here only if it is related to the global
      // GetMetricData operation" (API reference). Its codes are not listed, so any top-level
      // message is taken to mean the call was not executed whole: a SEARCH expanding past the
      // 500-metric limit answers some queries and leaves others empty, or a SUM short of inputs.
      if ((out.Messages ?? []).length > 0) return out.Messages as MessageData[];
      const answered = new Set<string>();
      for (const r of out.MetricDataResults ?? []) {
        // "InternalError indicates that an error occurred. Retry your request" (MetricDataResult):
        // its datapoints may be incomplete, the load's or a companion count's (a count cut short
        // would read a step's load as a hole, a terminating count as none terminating).
        if (r.StatusCode === 'InternalError') throw internalError(r, groupById);
        // StatusCode "Valid Values: Complete | InternalError | PartialData | Forbidden"
        // (MetricDataResult): the reader may not see the query's metric, and its empty series is no
        // load of zero (IAM, or cross-account or cross-Region access; MessageData: "Authentication
        // too complex to retrieve cross region data").
        if (r.StatusCode === 'Forbidden') throw forbidden(r, queries, groupById);
        // A series cut where no later page continues it: the load's, or a companion's, which a
        // `cpu` load multiplies at every step (`cpuLoad`), so a cut count drops or lowers the load.
        const lost = r.StatusCode === 'PartialData' && (!out.NextToken || expressionIds.has(r.Id));
        noteInstanceCounts(r, groupById, into);
        const companionOf = noteZeroLoadSteps(r, groupById, into.zeroLoadSteps);
        if (companionOf) {
          if (lost) cut.add(companionOf);
          continue;
        }
        const group = r.Id ? groupById.get(r.Id) : undefined;
        if (!group) continue;
        if (answered.has(r.Id as string)) throw severalSeries(group);
        answered.add(r.Id as string);
        const series = result.get(group) ?? [];
        for (const [timestampMs, value] of datapoints(r)) series.push({ timestampMs, value });
        result.set(group, series);
        if (lost) cut.add(group);
      }
      NextToken = out.NextToken;
    } while (NextToken);
    return [];
  }
}

/** The query of the group named `groupName` (each group is read once, by one query). */
function queryOf(queries: readonly HistoryQuery[], groupName: string): HistoryQuery {
  return queries.find((q) => q.groupName === groupName) as HistoryQuery;
}

/** `messages` as text for an error: `Code: Value`, separated by semicolons. */
function describeMessages(messages: readonly MessageData[] | undefined): string {
  return (messages ?? []).map((m) => `${m.Code ?? '(no code)'}: ${m.Value ?? '(no text)'}`).join('; ');
}

/** ` (messages: …)` when `r` carries messages, else nothing. */
function resultMessages(r: MetricDataResult): string {
  return (r.Messages ?? []).length > 0 ? ` (messages: ${describeMessages(r.Messages)})` : '';
}

/**
 * A group whose own call still came back with a top-level message: part of it was not executed,
 * and asking again would be answered the same. What to change follows the message's code:
 * `MaxQueryTimeRangeExceeded` ("Max time window exceeded for query", not in the API reference;
 * Grafana's CloudWatch datasource reads it from the top-level messages) is a Metrics Insights
 * query reaching past the two weeks it reads, anything else the 500-metric limit a SEARCH expands
 * past (`MaxMetricsExceeded`, the API reference's example).
 */
function notWhole(query: HistoryQuery, messages: readonly MessageData[]): RejectedRequestError {
  const advice = messages.some((m) => m.Code === 'MaxQueryTimeRangeExceeded')
    ? `its read reached past the two weeks a Metrics Insights SELECT can read (it starts at ${new Date(query.startMs).toISOString()}); lower historyDays so that historyDays, a refresh interval (forecastRefreshMinutes) and 3 steps stay within 14 days (13 with a refresh of up to a day less 3 steps), or write metric.expression with SEARCH`
    : 'make its expression match fewer metrics (GetMetricData reads at most 500 a call) or narrow its SEARCH';
  return new RejectedRequestError(
    'CloudWatch',
    'GetMetricData',
    `the load of group ${query.groupName} was not read whole, even in a call of its own: CloudWatch answered with the message ${describeMessages(messages)}; ${advice}`,
  );
}

/** The group (`g<i>`, or a companion `g<i>n`…) a result belongs to, and which of its series it is. */
function seriesOf(
  id: string | undefined,
  groupById: ReadonlyMap<string, string>,
): { group: string; series: string } {
  const group = id === undefined ? undefined : (groupById.get(id) ?? groupById.get(id.slice(0, -1)));
  const series = id !== undefined && groupById.has(id) ? 'load' : `series ${id ?? '(unnamed)'}`;
  return { group: group ?? '(unknown)', series };
}

/** A result answered `Forbidden`: the reader may not see the metric the query names. */
function forbidden(
  r: MetricDataResult,
  queries: readonly MetricDataQuery[],
  groupById: ReadonlyMap<string, string>,
): RejectedRequestError {
  const { group, series } = seriesOf(r.Id, groupById);
  const q = queries.find((candidate) => candidate.Id === r.Id);
  const metric = q?.MetricStat?.Metric;
  const asked = q?.Expression
    ? `expression ${q.Expression}`
    : metric
      ? `metric ${metric.Namespace}/${metric.MetricName}`
      : `query ${r.Id ?? '(unnamed)'}`;
  return new RejectedRequestError(
    'CloudWatch',
    'GetMetricData',
    `the ${series} of group ${group} came back with StatusCode Forbidden for its ${asked}${resultMessages(r)}; give the reader cloudwatch:GetMetricData on it (IAM, or cross-account or cross-Region access)`,
  );
}

/** A result CloudWatch answered with StatusCode InternalError (`g<i>`, or a companion `g<i>n`…): retry the read. */
function internalError(
  r: MetricDataResult,
  groupById: ReadonlyMap<string, string>,
): TransientDependencyError {
  const { group, series } = seriesOf(r.Id, groupById);
  return new TransientDependencyError('CloudWatch', 'GetMetricData', {
    cause: new Error(
      `the ${series} of group ${group} came back with StatusCode InternalError${resultMessages(r)}`,
    ),
  });
}
