import type { MetricId } from './metric-store';

const MINUTE_MS = 60_000;

/**
 * How a namespace's newest minute looks while it is late: `partial` when several sources report
 * each minute of one series (each instance of a group's `CPUUtilization` by AutoScalingGroupName,
 * each load balancer node of a target group's `RequestCount`), so the minute is aggregated from
 * the sources that have reported so far; `whole` when one source reports it (Auto Scaling's
 * sampled group metrics), so the minute is there or not.
 */
export type LateMinute = 'partial' | 'whole';

/**
 * How late CloudWatch returns the datapoints the world publishes. Off (every datapoint readable
 * the moment its minute ends) unless a world is given one.
 *
 * What AWS documents: "CloudWatch data is generally available from the service within one minute
 * from the end of the time period requested in the query (the aggregation period). In some cases,
 * delays in data propagation might cause a delay" (CloudWatch Developer Guide, *Statistics*);
 * live data is "data published within the last minute that hasn't been fully aggregated", and
 * with "cumulative statistics such as Sum or Sample count … the end of the graph may show a dip"
 * (*Use live data*); Auto Scaling "sends sampled data to CloudWatch every minute on a best-effort
 * basis" (*Amazon CloudWatch metrics for Amazon EC2 Auto Scaling*); ELB "sends its metrics in
 * 60-second intervals" (*CloudWatch metrics for your Application Load Balancer*). Monitoring
 * vendors that poll CloudWatch measure about 2 minutes for one-minute metrics (Datadog, *Cloud
 * Metric Delay*). How late exactly is not documented, hence one setting, in minutes.
 */
export interface MetricPublicationDelay {
  /**
   * Minutes after a datapoint's source sends it (its minute's end; a basic-monitoring window's
   * end) until CloudWatch returns all of it. A `partial` namespace's minute fills evenly over them:
   * 1/`minutes` of its sources each minute (with 2, half its instances one minute after it ends).
   * Whole minutes, at least 1.
   */
  readonly minutes: number;
  /**
   * The namespaces that come late and how. @default {@link AWS_LATE_NAMESPACES}: the AWS
   * namespaces the world publishes; custom namespaces (a user's publisher, Prescale's own) are
   * not delayed.
   */
  readonly namespaces?: Readonly<Record<string, LateMinute>>;
}

/** The AWS namespaces the world publishes, each as its newest minute arrives. */
export const AWS_LATE_NAMESPACES: Readonly<Record<string, LateMinute>> = {
  'AWS/EC2': 'partial',
  'AWS/ApplicationELB': 'partial',
  'AWS/AutoScaling': 'whole',
};

/**
 * A world's `metricDelay` setting for a scenario's `metricDelayMinutes`: none when it is absent
 * (each minute readable as it ends, as every benchmark runs by default). Every scenario builds
 * its world through this, so a delay reaches every group of it.
 */
export function worldMetricDelay(minutes: number | undefined): {
  readonly metricDelay?: MetricPublicationDelay;
} {
  return minutes === undefined ? {} : { metricDelay: { minutes } };
}

/** Stores one minute's statistics (`MetricStore.put`'s argument order). */
export type PutStatistics = (
  metric: MetricId,
  timestampMs: number,
  value: number,
  count: number,
  min: number,
  max: number,
  sum: number,
) => void;

/** A share of one datapoint, stored once CloudWatch has it. */
interface Pending {
  readonly releaseMs: number;
  readonly metric: MetricId;
  readonly timestampMs: number;
  readonly value: number;
  readonly count: number;
}

/**
 * Datapoints on their way to CloudWatch's store: each is held until it is due, a `partial`
 * namespace's in equal shares of its sample count and sum (so its minute's Average is that of the
 * sources in so far, and Sum and SampleCount grow to the whole), and stored by `deliverUntil`.
 * A datapoint already due when sent (history seeded in the past) is stored at once.
 */
export class MetricPublication {
  private pending: Pending[] = [];
  private nextReleaseMs = Number.POSITIVE_INFINITY;
  private readonly delayMs: number;
  private readonly namespaces: Readonly<Record<string, LateMinute>>;

  /** @throws RangeError when `delay.minutes` is not a whole number ≥ 1. */
  constructor(
    delay: MetricPublicationDelay,
    private readonly put: PutStatistics,
    private readonly nowMs: () => number,
  ) {
    if (!Number.isInteger(delay.minutes) || delay.minutes < 1)
      throw new RangeError(`metric delay: expected whole minutes ≥ 1, got ${delay.minutes}`);
    this.delayMs = delay.minutes * MINUTE_MS;
    this.namespaces = delay.namespaces ?? AWS_LATE_NAMESPACES;
  }

  /**
   * Milliseconds from a datapoint's sending until CloudWatch returns any of it: 0 for a namespace
   * not delayed; a minute for a `partial` one (its first sources' share); the whole delay for a
   * `whole` one.
   */
  firstShareAfterMs(namespace: string): number {
    const late = this.namespaces[namespace];
    if (late === undefined) return 0;
    return this.delayMs / this.sharesOf(late);
  }

  /** Sends one datapoint (count 1) at `sentAtMs`. */
  send(metric: MetricId, timestampMs: number, value: number, sentAtMs: number): void {
    const late = this.namespaces[metric.namespace];
    if (late === undefined) {
      this.put(metric, timestampMs, value, 1, value, value, value);
      return;
    }
    const shares = this.sharesOf(late);
    const nowMs = this.nowMs();
    for (let i = 1; i <= shares; i += 1) {
      const releaseMs = sentAtMs + (this.delayMs * i) / shares;
      const share = { releaseMs, metric, timestampMs, value, count: 1 / shares };
      if (releaseMs <= nowMs) this.store(share);
      else {
        this.pending.push(share);
        this.nextReleaseMs = Math.min(this.nextReleaseMs, releaseMs);
      }
    }
  }

  /** Stores every share due at or before `nowMs`, oldest first. */
  deliverUntil(nowMs: number): void {
    if (this.nextReleaseMs > nowMs) return;
    const due = this.pending.filter((p) => p.releaseMs <= nowMs).sort((a, b) => a.releaseMs - b.releaseMs);
    this.pending = this.pending.filter((p) => p.releaseMs > nowMs);
    this.nextReleaseMs = this.pending.reduce((m, p) => Math.min(m, p.releaseMs), Number.POSITIVE_INFINITY);
    for (const p of due) this.store(p);
  }

  /** The shares a datapoint arrives in: one a minute for a `partial` namespace, one for a `whole` one. */
  private sharesOf(late: LateMinute): number {
    return late === 'partial' ? this.delayMs / MINUTE_MS : 1;
  }

  private store(p: Pending): void {
    this.put(p.metric, p.timestampMs, p.value, p.count, p.value, p.value, p.value * p.count);
  }
}
