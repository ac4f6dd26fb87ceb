import type { LoadObservation } from './types';

/**
 * A group's seasonality on local wall-clock time (its `timeZone` setting). Load that follows
 * people ramps at the same local hour every day, so across a daylight-saving change it moves by an
 * hour in UTC: a model that reads the UTC step grid keeps last week's UTC hour for weeks after.
 * Here the UTC history is moved onto a local wall-clock grid before a model sees it, and a
 * forecast on that grid is read back at UTC instants.
 *
 * The wall-clock time of an instant is written as epoch milliseconds "as if UTC": Berlin's 09:00
 * local is 09:00 on this axis whatever its offset, so a day on it is always 24 hours long. The
 * spring-forward hour (no instant shows it) is filled by linear interpolation between the steps on
 * either side; the repeated autumn hour (two instants show it) is the mean of both
 * (`wallClockHistory`). Offsets come from the runtime's time-zone data (`Intl`), deterministic for
 * a given runtime. Pure, apart from a bounded memo of offsets.
 */

/** The zone of today's behaviour: seasonality on the UTC step grid, nothing mapped. */
export const UTC_TIME_ZONE = 'UTC';

const DAY_MS = 86_400_000;
/** Offsets change on quarter hours in every zone in use (Lord Howe: 30 minutes at 02:00 local). */
const OFFSET_BUCKET_MS = 900_000;
/** Memoised offsets per zone at most, before the memo starts again (a warm container's bound). */
const MAX_MEMO_ENTRIES = 50_000;

/**
 * Whether `timeZone` names a zone the runtime knows (an IANA name such as "Europe/Berlin", or
 * "UTC"). A fixed offset ("+01:00") is refused: it has no daylight saving, and a name says which
 * rules apply.
 */
export function isTimeZone(timeZone: string): boolean {
  if (!/^[A-Za-z]/.test(timeZone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Whether seasonality runs on the UTC grid unchanged (no zone, or "UTC"). */
export function isUtcTimeZone(timeZone: string | undefined): timeZone is typeof UTC_TIME_ZONE | undefined {
  return timeZone === undefined || timeZone === UTC_TIME_ZONE;
}

/** A zone's wall clock: instants to wall-clock times and back. */
export interface WallClock {
  /** The wall-clock time of an instant, as epoch ms "as if UTC". */
  toWallClockMs(utcMs: number): number;
  /**
   * The instant a wall-clock time names. A repeated time (autumn) gives the earlier instant; a
   * skipped one (spring) the instant it would be with the offset before the change, which the
   * clock shows an hour later (Temporal's "compatible" disambiguation).
   */
  toInstantMs(wallClockMs: number): number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const memos = new Map<string, Map<number, number>>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's offset from UTC at an instant, ms (Berlin: 3,600,000 in winter, 7,200,000 in summer). */
export function zoneOffsetMs(timeZone: string, utcMs: number): number {
  const bucket = Math.floor(utcMs / OFFSET_BUCKET_MS);
  let memo = memos.get(timeZone);
  if (!memo || memo.size >= MAX_MEMO_ENTRIES) {
    memo = new Map();
    memos.set(timeZone, memo);
  }
  const known = memo.get(bucket);
  if (known !== undefined) return known;
  const atMs = bucket * OFFSET_BUCKET_MS;
  const part: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(atMs)) part[p.type] = Number(p.value);
  const asUtcMs = Date.UTC(
    part.year as number,
    (part.month as number) - 1,
    part.day as number,
    part.hour as number,
    part.minute as number,
    part.second as number,
  );
  const offsetMs = asUtcMs - atMs;
  memo.set(bucket, offsetMs);
  return offsetMs;
}

/**
 * The wall clock of `timeZone`.
 * @throws RangeError when the runtime does not know the zone.
 */
export function wallClock(timeZone: string): WallClock {
  if (!isTimeZone(timeZone)) throw new RangeError(`unknown time zone ${JSON.stringify(timeZone)}`);
  const toWallClockMs = (utcMs: number): number => utcMs + zoneOffsetMs(timeZone, utcMs);
  const toInstantMs = (wallClockMs: number): number => {
    // No zone changes its offset twice within two days, so these are the offsets either side.
    const before = wallClockMs - zoneOffsetMs(timeZone, wallClockMs - DAY_MS);
    const after = wallClockMs - zoneOffsetMs(timeZone, wallClockMs + DAY_MS);
    const beforeShows = toWallClockMs(before) === wallClockMs;
    const afterShows = toWallClockMs(after) === wallClockMs;
    if (beforeShows && afterShows) return Math.min(before, after);
    if (afterShows) return after;
    return before;
  };
  return { toWallClockMs, toInstantMs };
}

/**
 * The instant whose wall-clock time is that of `utcMs` `days` days before (after, when negative):
 * 23 or 25 hours a day across a daylight-saving change. A local time skipped that day reads the
 * instant the clock shows an hour later, a repeated one its first instant (`toInstantMs`). This is
 * the rule for a reader that needs an instant of the history; a model that needs a value on every
 * wall-clock step reads `wallClockHistory`, which interpolates the skipped hour instead.
 */
export function sameLocalTimeDaysBefore(clock: WallClock, utcMs: number, days: number): number {
  return clock.toInstantMs(clock.toWallClockMs(utcMs) - days * DAY_MS);
}

/** Whether an observation carries load cleaning keeps (finite and ≥ 0). */
const usable = (value: number): boolean => Number.isFinite(value) && value >= 0;

/**
 * The history on the zone's wall-clock axis, in wall-clock order. Observations whose wall-clock
 * times coincide (the repeated autumn hour) become one, the mean of their usable values; the
 * wall-clock steps no instant shows (the skipped spring hour) are filled by linear interpolation
 * between the two UTC-adjacent observations either side, when both carry load. Observations
 * without usable load are passed on as they are, for cleaning to count.
 */
export function wallClockHistory(
  history: readonly LoadObservation[],
  stepSeconds: number,
  clock: WallClock,
): LoadObservation[] {
  const stepMs = stepSeconds * 1000;
  const sorted = history
    .filter((o) => Number.isFinite(o.timestampMs))
    .sort((a, b) => a.timestampMs - b.timestampMs);
  const byWallClock = new Map<number, { sum: number; count: number; first: number }>();
  let previous: { readonly utcMs: number; readonly wallMs: number; readonly value: number } | undefined;
  const filled = new Map<number, number>();
  for (const o of sorted) {
    const wallMs = clock.toWallClockMs(o.timestampMs);
    const entry = byWallClock.get(wallMs) ?? { sum: 0, count: 0, first: o.value };
    if (usable(o.value)) {
      entry.sum += o.value;
      entry.count += 1;
    }
    byWallClock.set(wallMs, entry);
    if (!usable(o.value)) continue;
    if (previous && Math.round((o.timestampMs - previous.utcMs) / stepMs) === 1) {
      const skipped = Math.round((wallMs - previous.wallMs) / stepMs) - 1;
      for (let k = 1; k <= skipped; k += 1) {
        const share = k / (skipped + 1);
        filled.set(previous.wallMs + k * stepMs, previous.value + (o.value - previous.value) * share);
      }
    }
    previous = { utcMs: o.timestampMs, wallMs, value: o.value };
  }
  const out: LoadObservation[] = [];
  for (const [wallMs, { sum, count, first }] of byWallClock) {
    out.push({ timestampMs: wallMs, value: count > 0 ? sum / count : first });
  }
  for (const [wallMs, value] of filled) {
    if (!byWallClock.has(wallMs)) out.push({ timestampMs: wallMs, value });
  }
  return out.sort((a, b) => a.timestampMs - b.timestampMs);
}

/**
 * The history on `timeZone`'s wall-clock axis (`wallClockHistory`), for a reader that compares a
 * step with the same time a day earlier: across a daylight-saving change the same local time is
 * 23 or 25 hours earlier, not 24. With no zone or "UTC" the history itself, unmoved.
 * @throws RangeError when the runtime does not know the zone.
 */
export function onWallClockAxis(
  history: readonly LoadObservation[],
  stepSeconds: number,
  timeZone: string | undefined,
): readonly LoadObservation[] {
  if (isUtcTimeZone(timeZone)) return history;
  return wallClockHistory(history, stepSeconds, wallClock(timeZone));
}
