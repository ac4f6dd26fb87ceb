import { GROUP_WORK_DELIVERY } from '../contracts/group-work-delivery';
import { MAX_UPSTREAM_GROUPS_PER_BATCH } from '../core/dependencies/nearest-upstreams';
import { withIdleSteps } from '../core/forecast/idle-steps';
import type { LoadObservation } from '../core/forecast/types';
import type { HistoryQuery, MetricHistory } from '../ports/metric-history';

/** How a warm container re-reads the history it holds (see `warmMetricHistory`). */
export interface WarmHistoryOptions {
  /**
   * How far back from the end of what it holds a run reads again (ms): a period still filling
   * when it was read, and datapoints that arrive late within this window, are read again.
   */
  readonly rereadMs: number;
  /**
   * A group's whole history is read again once this long (ms of query end time) has passed since
   * its last whole read: a datapoint back-filled older than `rereadMs` is seen within it.
   */
  readonly fullReadEveryMs: number;
  /**
   * Groups held at most (least recently read dropped first); ~160 KB each at 14 days × 5 min,
   * about five times that at 1-minute steps.
   */
  readonly capacityGroups: number;
}

/**
 * The defaults: an hour re-read on every run (CloudWatch publishes AWS metrics within minutes)
 * and a whole read every hour, the refresh interval of the forecast that the history feeds. It
 * holds every group one run reads, its batch and the upstreams forecast beside it (40: ~6 MB at
 * 5-minute steps, ~32 MB at 1-minute), so a run never drops the histories it has just read.
 */
export const WARM_HISTORY_DEFAULTS: WarmHistoryOptions = {
  rereadMs: 3_600_000,
  fullReadEveryMs: 3_600_000,
  capacityGroups: GROUP_WORK_DELIVERY.batchSize + MAX_UPSTREAM_GROUPS_PER_BATCH,
};

/** One group's history as last read: ascending points with timestamps in `[startMs, endMs)`. */
interface HeldHistory {
  readonly points: readonly LoadObservation[];
  readonly startMs: number;
  readonly endMs: number;
  /** `endMs` of the last whole read. */
  readonly wholeReadEndMs: number;
}

/** The history a warm container holds, shared by the runs it serves; `clear` makes it cold. */
export class WarmHistoryStore {
  private readonly held = new Map<string, HeldHistory>();
  /** Group histories read whole, and read as a tail over what was held, since the last `clear`. */
  readonly stats = { wholeReads: 0, tailReads: 0 };

  constructor(readonly options: WarmHistoryOptions = WARM_HISTORY_DEFAULTS) {}

  /** Forgets every history (a cold container). */
  clear(): void {
    this.held.clear();
    this.stats.wholeReads = 0;
    this.stats.tailReads = 0;
  }

  /** What is held for `key`, marked most recently used. */
  take(key: string): HeldHistory | undefined {
    const found = this.held.get(key);
    if (found) {
      this.held.delete(key);
      this.held.set(key, found);
    }
    return found;
  }

  /** Holds `history` for `key`, dropping the least recently used group beyond capacity. */
  keep(key: string, history: HeldHistory): void {
    this.held.delete(key);
    this.held.set(key, history);
    while (this.held.size > this.options.capacityGroups) {
      const oldest = this.held.keys().next().value as string;
      this.held.delete(oldest);
    }
  }
}

/** The start of the tail to read for `query` over `held`, or undefined for a whole read. */
export function tailStartMs(
  held: HeldHistory | undefined,
  query: HistoryQuery,
  options: WarmHistoryOptions,
): number | undefined {
  // An expression's value at a timestamp may depend on the whole range (RUNNING_SUM, FILL, RATE).
  if (!held || query.metric.kind === 'expression') return undefined;
  const stepMs = query.stepSeconds * 1000;
  if (query.startMs < held.startMs || query.endMs < held.endMs) return undefined;
  if ((query.startMs - held.startMs) % stepMs !== 0) return undefined;
  if (query.endMs - held.wholeReadEndMs >= options.fullReadEveryMs) return undefined;
  const fromMs =
    query.startMs + Math.floor((held.endMs - options.rereadMs - query.startMs) / stepMs) * stepMs;
  return fromMs > query.startMs ? fromMs : undefined;
}

function keyOf(query: HistoryQuery): string {
  return `${query.groupName}\u0000${query.stepSeconds}\u0000${JSON.stringify(query.metric)}`;
}

/** The first index of ascending `points` with a timestamp at or after `ms`. */
function firstAtOrAfter(points: readonly LoadObservation[], ms: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((points[mid] as LoadObservation).timestampMs < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function ascending(points: readonly LoadObservation[]): readonly LoadObservation[] {
  for (let i = 1; i < points.length; i += 1) {
    if ((points[i - 1] as LoadObservation).timestampMs > (points[i] as LoadObservation).timestampMs)
      return [...points].sort((a, b) => a.timestampMs - b.timestampMs);
  }
  return points;
}

/**
 * `source` for a warm Lambda container that keeps the history it read: a group read before asks
 * only for the newest periods, from `rereadMs` before the end of what it holds, and keeps its
 * older points (those inside the new range). A run of a group the container still holds reads a
 * few dozen datapoints for it instead of 14 days of them (4,032 at 5 minutes: with 100 groups,
 * GetMetricData's 100,800 datapoints per call take several pages); a group it dropped (more groups
 * read since than `capacityGroups`, as across a large fleet) is read whole again. The answer is
 * the whole read's as long as no datapoint changes older than `rereadMs`; a whole read every
 * `fullReadEveryMs` bounds how long a back-filled one can be missed. Expression metrics are
 * always read whole. Errors propagate and leave what is held unchanged.
 */
export function warmMetricHistory(source: MetricHistory, store: WarmHistoryStore): MetricHistory {
  return {
    async loadHistory(queries) {
      const plans = queries.map((query) => {
        const key = keyOf(query);
        const held = store.take(key);
        return { query, key, held, fromMs: tailStartMs(held, query, store.options) };
      });
      const read = await source.loadHistory(
        plans.map(({ query, fromMs }) => (fromMs === undefined ? query : { ...query, startMs: fromMs })),
      );
      const result = new Map<string, LoadObservation[]>();
      for (const { query, key, held, fromMs } of plans) {
        const fresh = ascending(read.get(query.groupName) ?? []);
        let points: readonly LoadObservation[] = fresh;
        if (held && fromMs !== undefined) {
          const merged = held.points.slice(
            firstAtOrAfter(held.points, query.startMs),
            firstAtOrAfter(held.points, fromMs),
          );
          for (const point of fresh) merged.push(point);
          // A quiet stretch can span the join: the tail's read fills only from its own first point.
          points = query.metric.kind === 'alb-requests' ? withIdleSteps(merged, query.stepSeconds) : merged;
          store.stats.tailReads += 1;
        } else {
          store.stats.wholeReads += 1;
        }
        const wholeReadEndMs = fromMs === undefined ? query.endMs : (held as HeldHistory).wholeReadEndMs;
        store.keep(key, { points, startMs: query.startMs, endMs: query.endMs, wholeReadEndMs });
        result.set(query.groupName, points.slice());
      }
      return result;
    },
  };
}

/**
 * The scaling worker's store, one per warm container (module scope). The simulation clears it when
 * it attaches a new world: a new account's containers start cold.
 */
export const warmHistoryStore = new WarmHistoryStore();
