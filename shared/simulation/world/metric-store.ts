import { type MinuteStats, MinuteTable } from './minute-table';

/** A CloudWatch metric's identity. */
export interface MetricId {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** One aggregated series: ascending timestamps (period starts) and their values. */
export interface AggregatedSeries {
  readonly timestampsMs: number[];
  readonly values: number[];
}

const MINUTE_MS = 60_000;

/**
 * Complete periods [fromMs, untilMs) with no gap in between, as parallel arrays of the periods
 * that have data: a query over them copies a range instead of looking up each period (a week of
 * five-minute periods is thousands of lookups per query). NaN bounds: nothing sealed yet.
 */
interface SealedPeriods {
  fromMs: number;
  untilMs: number;
  startsMs: number[];
  values: number[];
}

/** The aggregates of one metric for one period and statistic. */
interface PeriodCache {
  readonly periodMs: number;
  /** Each complete period computed so far, by start (null: no data in it). */
  readonly byStart: Map<number, number | null>;
  /** The latest start in `byStart` (−∞ while it is empty): a later period has nothing cached or sealed. */
  newestStartMs: number;
  readonly sealed: SealedPeriods;
}

/** The first index of ascending `startsMs` at or after `ms`. */
function firstIndexAtOrAfter(startsMs: readonly number[], ms: number): number {
  let lo = 0;
  let hi = startsMs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((startsMs[mid] as number) < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Adds complete period `p` when it extends the sealed run (or starts one). */
function seal(sealed: SealedPeriods, p: number, periodMs: number, value: number | null): void {
  if (Number.isNaN(sealed.untilMs)) sealed.fromMs = sealed.untilMs = p;
  if (p !== sealed.untilMs) return;
  if (value !== null) {
    sealed.startsMs.push(p);
    sealed.values.push(value);
  }
  sealed.untilMs = p + periodMs;
}

/** Drops period `p` and every later one from the sealed run (a datapoint arrived for `p`). */
function unseal(sealed: SealedPeriods, p: number): void {
  if (!(p < sealed.untilMs)) return;
  if (p <= sealed.fromMs) {
    sealed.fromMs = sealed.untilMs = Number.NaN;
    sealed.startsMs.length = 0;
    sealed.values.length = 0;
    return;
  }
  const keep = firstIndexAtOrAfter(sealed.startsMs, p);
  sealed.startsMs.length = keep;
  sealed.values.length = keep;
  sealed.untilMs = p;
}

/**
 * Appends the sealed run from period `p` on, up to the range's end and the visible periods, and
 * returns the period to continue after (the query loop adds `periodMs` to it).
 */
function copySealedRun(
  sealed: SealedPeriods,
  p: number,
  endMs: number,
  periodMs: number,
  visibleUntilMs: number,
  timestampsMs: number[],
  values: number[],
): number {
  const untilMs = Math.min(sealed.untilMs, endMs, Math.floor(visibleUntilMs / periodMs) * periodMs);
  const from = firstIndexAtOrAfter(sealed.startsMs, p);
  const to = firstIndexAtOrAfter(sealed.startsMs, untilMs);
  for (let i = from; i < to; i += 1) {
    timestampsMs.push(sealed.startsMs[i] as number);
    values.push(sealed.values[i] as number);
  }
  return Math.ceil(untilMs / periodMs) * periodMs - periodMs;
}

/** Caches complete period `p`'s aggregate (null: no data in it) and seals it when it can. */
function remember(entry: PeriodCache, p: number, periodMs: number, value: number | null): void {
  entry.byStart.set(p, value);
  entry.newestStartMs = Math.max(entry.newestStartMs, p);
  seal(entry.sealed, p, periodMs, value);
}

/**
 * `stat` over the visible minutes of period `p`, or null when none of them has data. Each minute
 * is read into `minute`, the store's one scratch object.
 */
function periodValue(
  minutes: MinuteTable,
  minute: MinuteStats,
  p: number,
  periodMs: number,
  visibleUntilMs: number,
  stat: string,
  percentile: RegExpExecArray | null,
): number | null {
  let sum = 0;
  let count = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  const samples: number[] = [];
  for (let m = p; m < p + periodMs; m += MINUTE_MS) {
    if (m + MINUTE_MS > visibleUntilMs) break;
    if (!minutes.read(m, minute)) continue;
    sum += minute.sum;
    count += minute.count;
    min = Math.min(min, minute.min);
    max = Math.max(max, minute.max);
    if (percentile) samples.push(minute.sum / minute.count);
  }
  if (count === 0) return null;
  if (percentile) {
    samples.sort((a, b) => a - b);
    const q = Math.min(100, Number(percentile[1])) / 100;
    return samples[Math.min(samples.length - 1, Math.max(0, Math.ceil(q * samples.length) - 1))] as number;
  }
  return stat === 'Average'
    ? sum / count
    : stat === 'Sum'
      ? sum
      : stat === 'Minimum'
        ? min
        : stat === 'Maximum'
          ? max
          : count;
}

/** Whether the store aggregates `stat`: Average, Sum, Minimum, Maximum, SampleCount or pNN. */
export function isKnownStatistic(stat: string): boolean {
  // A percentile from p0 to p100 (CloudWatch refuses p150); the other forms it has are not modelled.
  const percentile = /^p(\d+(?:\.\d+)?)$/.exec(stat);
  if (percentile) return Number(percentile[1]) <= 100;
  return ['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount'].includes(stat);
}

/** Canonical key of a metric: namespace, name and dimensions sorted by name. */
export function metricKey(metric: MetricId): string {
  const dims = Object.keys(metric.dimensions)
    .sort()
    .map((k) => `${k}=${metric.dimensions[k]}`)
    .join(',');
  return `${metric.namespace}|${metric.metricName}|${dims}`;
}

/**
 * Each metric object's key, computed once: the world publishes every minute under the same
 * `MetricId` objects (readonly, never changed after they are made), and sorting and joining
 * their dimensions on every datapoint was most of the cost of storing it.
 */
const keysOf = new WeakMap<MetricId, string>();

function keyOf(metric: MetricId): string {
  let key = keysOf.get(metric);
  if (key === undefined) {
    key = metricKey(metric);
    keysOf.set(metric, key);
  }
  return key;
}

/**
 * CloudWatch's storage at one-minute resolution: every datapoint lands in the minute containing
 * its timestamp, and queries aggregate minutes into periods with a statistic.
 */
export class MetricStore {
  private readonly series = new Map<string, MinuteTable>();
  /** The `MetricId` each table was first stored under, by key: what SEARCH finds. */
  private readonly found = new Map<string, MetricId>();
  /** Aggregates of complete, visible periods by metric key, then `period|stat`. */
  private readonly periodCache = new Map<string, Map<string, PeriodCache>>();
  /** The minute a query reads into (one object, not one per minute read). */
  private readonly minute: MinuteStats = { sum: 0, count: 0, min: 0, max: 0 };

  /** Records `count` observations summing to `sum` (min `min`, max `max`) at `timestampMs`. */
  put(
    metric: MetricId | string,
    timestampMs: number,
    value: number,
    count = 1,
    min = value,
    max = value,
    sum = value * count,
  ): void {
    const key = typeof metric === 'string' ? metric : keyOf(metric);
    let minutes = this.series.get(key);
    if (!minutes) {
      minutes = new MinuteTable();
      this.series.set(key, minutes);
      if (typeof metric !== 'string') this.found.set(key, metric);
    }
    const minuteMs = Math.floor(timestampMs / MINUTE_MS) * MINUTE_MS;
    const cached = this.periodCache.get(key);
    if (cached) {
      for (const entry of cached.values()) {
        const periodStartMs = Math.floor(minuteMs / entry.periodMs) * entry.periodMs;
        // The newest minute, as most datapoints are, falls after every period cached or sealed.
        if (periodStartMs > entry.newestStartMs) continue;
        entry.byStart.delete(periodStartMs);
        unseal(entry.sealed, periodStartMs);
      }
    }
    minutes.add(minuteMs, sum, count, min, max);
  }

  /**
   * Every metric stored under a `MetricId` with a datapoint in a minute starting at or after
   * `sinceMs` (CloudWatch's SEARCH finds only metrics that reported within the past two weeks),
   * in the order first stored.
   */
  metricsReportedSince(sinceMs: number): MetricId[] {
    const metrics: MetricId[] = [];
    for (const [key, metric] of this.found)
      if ((this.series.get(key)?.newestMinuteMs ?? Number.NEGATIVE_INFINITY) >= sinceMs) metrics.push(metric);
    return metrics;
  }

  /** Whether any datapoint was ever stored for the metric. */
  has(metric: MetricId): boolean {
    return this.series.has(keyOf(metric));
  }

  /**
   * Aggregates the metric into periods of `periodSeconds` aligned to the epoch, covering
   * [startMs, endMs), counting only minutes that end at or before `visibleUntilMs` (data not yet
   * published is not returned). Periods without data are absent, as in CloudWatch.
   * `stat` is Average, Sum, Minimum, Maximum, SampleCount or pNN (percentile of minute averages).
   * @throws RangeError on an unknown statistic.
   */
  aggregate(
    metric: MetricId,
    startMs: number,
    endMs: number,
    periodSeconds: number,
    stat: string,
    visibleUntilMs: number,
  ): AggregatedSeries {
    const key = keyOf(metric);
    const minutes = this.series.get(key);
    const timestampsMs: number[] = [];
    const values: number[] = [];
    if (!minutes) return { timestampsMs, values };
    const percentile = /^p(\d+(?:\.\d+)?)$/.exec(stat);
    if (!isKnownStatistic(stat)) throw new RangeError(`unknown statistic ${stat}`);
    const periodMs = periodSeconds * 1000;
    const first = Math.floor(startMs / periodMs) * periodMs;
    const entry = this.periodCacheFor(key, periodSeconds, stat, periodMs);
    const cache = entry.byStart;
    const sealed = entry.sealed;
    for (let p = first; p < endMs; p += periodMs) {
      const complete = p + periodMs <= visibleUntilMs;
      if (complete && p >= sealed.fromMs && p < sealed.untilMs) {
        p = copySealedRun(sealed, p, endMs, periodMs, visibleUntilMs, timestampsMs, values);
        continue;
      }
      if (complete) {
        const hit = cache.get(p);
        if (hit !== undefined) {
          seal(sealed, p, periodMs, hit);
          if (hit !== null) {
            timestampsMs.push(p);
            values.push(hit);
          }
          continue;
        }
      }
      const value = periodValue(minutes, this.minute, p, periodMs, visibleUntilMs, stat, percentile);
      if (complete) remember(entry, p, periodMs, value);
      if (value === null) continue;
      timestampsMs.push(p);
      values.push(value);
    }
    return { timestampsMs, values };
  }

  /** The metric's cache for one period and statistic, made empty on first use. */
  private periodCacheFor(key: string, periodSeconds: number, stat: string, periodMs: number): PeriodCache {
    let byMetric = this.periodCache.get(key);
    if (!byMetric) {
      byMetric = new Map();
      this.periodCache.set(key, byMetric);
    }
    const cacheKey = `${periodSeconds}|${stat}`;
    let entry = byMetric.get(cacheKey);
    if (!entry) {
      entry = {
        periodMs,
        byStart: new Map(),
        newestStartMs: Number.NEGATIVE_INFINITY,
        sealed: { fromMs: Number.NaN, untilMs: Number.NaN, startsMs: [], values: [] },
      };
      byMetric.set(cacheKey, entry);
    }
    return entry;
  }
}
