/** Statistics of the datapoints published for one metric in one minute. */
export interface MinuteStats {
  sum: number;
  count: number;
  min: number;
  max: number;
}

const MINUTE_MS = 60_000;
/** Minutes per chunk: a day is 1,440, so a 14-day series spans about twenty chunks. */
const CHUNK_MINUTES = 1024;
/** Four doubles a minute in a chunk: sum, count, min, max. */
const FIELDS = 4;

/** Consecutive minutes' statistics, interleaved, and which minutes have any. */
interface Chunk {
  readonly stats: Float64Array;
  readonly present: Uint8Array;
}

/**
 * One metric's per-minute statistics, keyed by the minute's start in ms, with the semantics of a
 * `Map<number, MinuteStats>` (`SameValueZero` keys) where `add` merges into an existing minute.
 * Minutes that are safe integers and whole multiples of a minute (every minute of a simulation)
 * live in typed-array chunks of 1,024 minutes found by a small-integer index, instead of one
 * heap-number map entry and one object per minute: storing the world's ~9 datapoints a simulated
 * minute, and keeping ~20,000 minutes a metric alive through every garbage collection, was the
 * simulated CloudWatch's main cost. Any other key (NaN, ±∞, beyond 2^53, off the minute) goes to
 * a plain map, so every key behaves as in the map this replaces.
 */
export class MinuteTable {
  private readonly chunks = new Map<number, Chunk>();
  private readonly others = new Map<number, MinuteStats>();
  /** The chunk last used, with its index: consecutive datapoints fall in the same chunk. */
  private lastIndex = Number.NaN;
  private lastChunk: Chunk | undefined;
  private newest = Number.NEGATIVE_INFINITY;

  /** The newest minute with a datapoint; −∞ while the table is empty. */
  get newestMinuteMs(): number {
    return this.newest;
  }

  /**
   * Adds a datapoint's statistics to minute `minuteMs`: the first for a minute stores them as
   * given; a later one adds sum and count and keeps the smaller min and the larger max
   * (`Math.min`/`Math.max`, NaN included), in that order.
   */
  add(minuteMs: number, sum: number, count: number, min: number, max: number): void {
    if (minuteMs > this.newest) this.newest = minuteMs;
    const minute = minuteMs / MINUTE_MS;
    if (!Number.isSafeInteger(minuteMs) || !Number.isInteger(minute)) {
      const existing = this.others.get(minuteMs);
      if (existing) {
        existing.sum += sum;
        existing.count += count;
        existing.min = Math.min(existing.min, min);
        existing.max = Math.max(existing.max, max);
      } else {
        this.others.set(minuteMs, { sum, count, min, max });
      }
      return;
    }
    const index = Math.floor(minute / CHUNK_MINUTES);
    const chunk = this.chunkAt(index, true) as Chunk;
    const offset = minute - index * CHUNK_MINUTES;
    const at = offset * FIELDS;
    const stats = chunk.stats;
    if (chunk.present[offset] === 1) {
      stats[at] = (stats[at] as number) + sum;
      stats[at + 1] = (stats[at + 1] as number) + count;
      stats[at + 2] = Math.min(stats[at + 2] as number, min);
      stats[at + 3] = Math.max(stats[at + 3] as number, max);
    } else {
      chunk.present[offset] = 1;
      stats[at] = sum;
      stats[at + 1] = count;
      stats[at + 2] = min;
      stats[at + 3] = max;
    }
  }

  /** Copies minute `minuteMs`'s statistics into `out`; false (and `out` untouched) when it has none. */
  read(minuteMs: number, out: MinuteStats): boolean {
    const minute = minuteMs / MINUTE_MS;
    if (!Number.isSafeInteger(minuteMs) || !Number.isInteger(minute)) {
      const stats = this.others.get(minuteMs);
      if (!stats) return false;
      out.sum = stats.sum;
      out.count = stats.count;
      out.min = stats.min;
      out.max = stats.max;
      return true;
    }
    const index = Math.floor(minute / CHUNK_MINUTES);
    const chunk = this.chunkAt(index, false);
    if (chunk === undefined) return false;
    const offset = minute - index * CHUNK_MINUTES;
    if (chunk.present[offset] !== 1) return false;
    const at = offset * FIELDS;
    out.sum = chunk.stats[at] as number;
    out.count = chunk.stats[at + 1] as number;
    out.min = chunk.stats[at + 2] as number;
    out.max = chunk.stats[at + 3] as number;
    return true;
  }

  private chunkAt(index: number, create: boolean): Chunk | undefined {
    if (index === this.lastIndex) return this.lastChunk;
    let chunk = this.chunks.get(index);
    if (chunk === undefined) {
      if (!create) return undefined;
      chunk = {
        stats: new Float64Array(CHUNK_MINUTES * FIELDS),
        present: new Uint8Array(CHUNK_MINUTES),
      };
      this.chunks.set(index, chunk);
    }
    this.lastIndex = index;
    this.lastChunk = chunk;
    return chunk;
  }
}
