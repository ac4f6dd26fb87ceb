/**
 * Auto Scaling refuses a scheduled action whose start time another action of the group already
 * holds ("A scheduled action must have a unique time value": AlreadyExists). The look-ahead's
 * actions start on whole UTC hours, where users put their own actions too, so each one whose
 * minute is taken moves to a free minute in the direction that keeps the pre-warm:
 * - a raise moves earlier (capacity arrives sooner; the action before it held less);
 * - a lower (or the same value) moves later (the higher value before it is held a little longer).
 * Collisions are compared by the minute, which is at least as strict as AWS.
 */
import { wallClock } from '../forecast/wall-clock-time';
import { type CronSchedule, cronMatches, cronSchedule } from './cron-schedule';

const MINUTE_MS = 60_000;

/** Another action of the group, as far as its start times go. */
export interface OtherScheduledStart {
  /** One-time start, or a recurring action's start (AWS describes it as the next run). */
  readonly startMs?: number;
  /** Cron expression of a recurring action: every minute it matches counts as taken. */
  readonly recurrence?: string;
  /** IANA time zone the cron is read in (UTC when absent). */
  readonly timeZone?: string;
}

/** The fields of a look-ahead action that placing reads and changes. */
interface Placeable {
  readonly startMs: number;
  readonly minSize: number;
  readonly desiredCapacity?: number;
  readonly maxSize?: number;
}

/** Where the actions may go. */
export interface PlacementBounds {
  /** Nothing runs before this (two loop intervals from now). */
  readonly earliestMs: number;
  /** MinSize in effect before the first action: tells whether it raises or lowers. */
  readonly currentMinSize: number;
  /** How far past its planned time the last action may move (ms). */
  readonly lastActionSlackMs: number;
  /**
   * The highest MinSize an action may set at a time (the MaxSize the owner's schedule holds then):
   * a raise is not moved (nor folded) to a minute before the owner's MaxSize raise it needs, but
   * after it. No bound when absent.
   */
  readonly ceilingAt?: (ms: number) => number;
}

/** The placed actions, and what had to give way. */
export interface Placement<A> {
  readonly actions: readonly A[];
  /** Actions moved off a taken minute (raises earlier, lowers later). */
  readonly moved: number;
  /** Raises with no free minute before them, folded into the action before (raising it sooner). */
  readonly merged: number;
  /** Lowers with no free minute after them, left out (the higher value before them holds). */
  readonly dropped: number;
  /** A first action that raises with no free minute from `earliestMs` to its time: moved later. */
  readonly late: number;
  /** Raises moved later instead, to the first free minute under a MaxSize that holds them (`ceilingAt`). */
  readonly waited: number;
}

const minuteOf = (ms: number): number => Math.floor(ms / MINUTE_MS) * MINUTE_MS;

/**
 * A recurring action's cron and the clock it runs on: `undefined` when unreadable (a zone the
 * runtime does not know included). The clock gives an instant's minute as its wall-clock time in
 * the action's zone, epoch ms "as if UTC" (`wallClock`), which is what a cron there is matched against.
 */
export function recurringClock(
  a: OtherScheduledStart,
): { cron: CronSchedule; local: (ms: number) => number } | undefined {
  if (!a.recurrence) return undefined;
  try {
    const cron = cronSchedule(a.recurrence);
    if (!a.timeZone || a.timeZone === 'UTC' || a.timeZone === 'Etc/UTC') return { cron, local: minuteOf };
    const clock = wallClock(a.timeZone);
    return { cron, local: (ms) => clock.toWallClockMs(minuteOf(ms)) };
  } catch {
    return undefined;
  }
}

/**
 * Whether another action of the group starts in the minute of a time: a one-time start, or any
 * minute a recurring action's cron matches in its time zone (AWS may hold either; an unreadable
 * cron or zone counts by its start, the next run, only).
 */
export function takenStartMinutes(others: readonly OtherScheduledStart[]): (ms: number) => boolean {
  const minutes = new Set(others.flatMap((a) => (a.startMs === undefined ? [] : [minuteOf(a.startMs)])));
  const clocks = others.flatMap((a) => recurringClock(a) ?? []);
  return (ms) => minutes.has(minuteOf(ms)) || clocks.some(({ cron, local }) => cronMatches(cron, local(ms)));
}

/** The sizes an action sets (not its name or time). */
function sizesOf(action: Placeable): Partial<Placeable> {
  return {
    minSize: action.minSize,
    ...(action.desiredCapacity !== undefined ? { desiredCapacity: action.desiredCapacity } : {}),
    ...(action.maxSize !== undefined ? { maxSize: action.maxSize } : {}),
  };
}

/** The first time after `from`, stepping by `stepMs`, that is free, while `inBounds` holds. */
export function firstFree(
  from: number,
  stepMs: number,
  isFree: (ms: number) => boolean,
  inBounds: (ms: number) => boolean,
): number | undefined {
  for (let ms = from + stepMs; inBounds(ms); ms += stepMs) if (isFree(ms)) return ms;
  return undefined;
}

/**
 * Places the look-ahead's actions (oldest first) on minutes no other action holds and no two of
 * them share; an action whose minute is free stays where it was planned. Pure.
 */
export function placeLookAheadStarts<A extends Placeable>(
  actions: readonly A[],
  isTaken: (ms: number) => boolean,
  bounds: PlacementBounds,
): Placement<A> {
  const placed: A[] = [];
  let moved = 0;
  let merged = 0;
  let dropped = 0;
  let late = 0;
  let waited = 0;
  let inEffect = bounds.currentMinSize;
  const fitsAt = (action: A, ms: number) =>
    action.minSize <= (bounds.ceilingAt?.(ms) ?? Number.POSITIVE_INFINITY);
  for (const [i, action] of actions.entries()) {
    const before = placed.at(-1);
    // Strictly after the action before (its minute included), strictly before the next one's minute.
    const lowMs = before === undefined ? bounds.earliestMs : minuteOf(before.startMs) + MINUTE_MS;
    const next = actions[i + 1];
    const highMs = next === undefined ? action.startMs + bounds.lastActionSlackMs : minuteOf(next.startMs);
    const isFree = (ms: number) => !isTaken(ms) && ms >= lowMs && ms < highMs && fitsAt(action, ms);
    const raises = action.minSize > inEffect;
    let startMs: number | undefined = action.startMs;
    if (!isFree(startMs)) {
      startMs = firstFree(action.startMs, raises ? -MINUTE_MS : MINUTE_MS, isFree, (ms) =>
        raises ? ms >= lowMs : ms < highMs,
      );
      if (startMs !== undefined) moved += 1;
    }
    if (startMs === undefined && raises && before !== undefined && fitsAt(action, before.startMs)) {
      // The action before takes this one's sizes: the raise comes sooner, never later.
      placed[placed.length - 1] = { ...before, ...sizesOf(action) } as A;
      merged += 1;
      inEffect = action.minSize;
      continue;
    }
    if (startMs === undefined && raises) {
      // The first action cannot run sooner than two loop intervals out (a live loop rewrites it
      // before it runs): the next free minute is the least late it can be.
      startMs = firstFree(action.startMs, MINUTE_MS, isFree, (ms) => ms < highMs);
      if (startMs !== undefined && before === undefined) late += 1;
      else if (startMs !== undefined) waited += 1;
    }
    if (startMs === undefined) {
      dropped += 1;
      continue;
    }
    placed.push({ ...action, startMs });
    inEffect = action.minSize;
  }
  return { actions: placed, moved, merged, dropped, late, waited };
}
