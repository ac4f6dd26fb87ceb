/** A CloudWatch metric's identity. */
export interface MetricId {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** Statistics of the datapoints published for one metric in one minute. */
interface MinuteStats {
  sum: number;
  count: number;
  min: number;
  max: number;
}

/** One aggregated series: ascending timestamps (period starts) and their values. */
export interface AggregatedSeries {
  readonly timestampsMs: number[];
  readonly values: number[];
}

const MINUTE_MS = 60_000;

/** Canonical key of a metric: namespace, name and dimensions sorted by name. */
export function metricKey(metric: MetricId): string {
  const dims = Object.keys(metric.dimensions)
    .sort()
    .map((k) => `${k}=${metric.dimensions[k]}`)
    .join(',');
  return `${metric.namespace}|${metric.metricName}|${dims}`;
}

/**
 * CloudWatch's storage at one-minute resolution: every datapoint lands in the minute containing
 * its timestamp, and queries aggregate minutes into periods with a statistic.
 */
export class MetricStore {
  private readonly series = new Map<string, Map<number, MinuteStats>>();
  /** Aggregates of complete, visible periods by metric key, then `period|stat`, then period start. */
  private readonly periodCache = new Map<
    string,
    Map<string, { readonly periodMs: number; readonly byStart: Map<number, number | null> }>
  >();

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
    const key = typeof metric === 'string' ? metric : metricKey(metric);
    let minutes = this.series.get(key);
    if (!minutes) {
      minutes = new Map();
      this.series.set(key, minutes);
    }
    const minuteMs = Math.floor(timestampMs / MINUTE_MS) * MINUTE_MS;
    const cached = this.periodCache.get(key);
    if (cached) {
      for (const { periodMs, byStart } of cached.values())
        byStart.delete(Math.floor(minuteMs / periodMs) * periodMs);
    }
    const existing = minutes.get(minuteMs);
    if (existing) {
      existing.sum += sum;
      existing.count += count;
      existing.min = Math.min(existing.min, min);
      existing.max = Math.max(existing.max, max);
    } else {
      minutes.set(minuteMs, { sum, count, min, max });
    }
  }

  /** Whether any datapoint was ever stored for the metric. */
  has(metric: MetricId): boolean {
    return this.series.has(metricKey(metric));
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
    const key = metricKey(metric);
    const minutes = this.series.get(key);
    const timestampsMs: number[] = [];
    const values: number[] = [];
    if (!minutes) return { timestampsMs, values };
    const percentile = /^p(\d+(?:\.\d+)?)$/.exec(stat);
    if (!percentile && !['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount'].includes(stat)) {
      throw new RangeError(`unknown statistic ${stat}`);
    }
    const periodMs = periodSeconds * 1000;
    const first = Math.floor(startMs / periodMs) * periodMs;
    let byMetric = this.periodCache.get(key);
    if (!byMetric) {
      byMetric = new Map();
      this.periodCache.set(key, byMetric);
    }
    const cacheKey = `${periodSeconds}|${stat}`;
    let entry = byMetric.get(cacheKey);
    if (!entry) {
      entry = { periodMs, byStart: new Map() };
      byMetric.set(cacheKey, entry);
    }
    const cache = entry.byStart;
    for (let p = first; p < endMs; p += periodMs) {
      const complete = p + periodMs <= visibleUntilMs;
      if (complete) {
        const hit = cache.get(p);
        if (hit !== undefined) {
          if (hit !== null) {
            timestampsMs.push(p);
            values.push(hit);
          }
          continue;
        }
      }
      let sum = 0;
      let count = 0;
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      const samples: number[] = [];
      for (let m = p; m < p + periodMs; m += MINUTE_MS) {
        if (m + MINUTE_MS > visibleUntilMs) break;
        const s = minutes.get(m);
        if (!s) continue;
        sum += s.sum;
        count += s.count;
        min = Math.min(min, s.min);
        max = Math.max(max, s.max);
        if (percentile) samples.push(s.sum / s.count);
      }
      if (count === 0) {
        if (complete) cache.set(p, null);
        continue;
      }
      let value: number;
      if (percentile) {
        samples.sort((a, b) => a - b);
        const q = Math.min(100, Number(percentile[1])) / 100;
        value = samples[
          Math.min(samples.length - 1, Math.max(0, Math.ceil(q * samples.length) - 1))
        ] as number;
      } else {
        value =
          stat === 'Average'
            ? sum / count
            : stat === 'Sum'
              ? sum
              : stat === 'Minimum'
                ? min
                : stat === 'Maximum'
                  ? max
                  : count;
      }
      if (complete) cache.set(p, value);
      timestampsMs.push(p);
      values.push(value);
    }
    return { timestampsMs, values };
  }
}
