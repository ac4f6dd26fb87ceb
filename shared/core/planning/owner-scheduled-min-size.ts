/**
 * The MinSize the group owner's own scheduled actions set (a business-hours floor, the classic
 * schedule before any predictive scaler; a one-time launch-day raise): Prescale plans no lower than
 * the value the schedule set last, so neither the loop nor its look-ahead undoes the owner's
 * schedule, and the look-ahead's last action gives back what the schedule holds then rather than
 * an older MinSize. A one-time action runs once, at its StartTime; Auto Scaling deletes it once it
 * has run, so a run remembers it while it is pending and passes it on after
 * (`ownerOneTimeMinSizes`). The MaxSize they set (a night's MaxSize 0) is read the same way
 * (`ownerMaxSizeRuns`): the look-ahead's actions stay at or below it.
 */
import { cronMatches } from './cron-schedule';
import { type OtherScheduledStart, recurringClock } from './place-look-ahead-starts';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** How far back a run is looked for: a weekly schedule has run once within any 8 days. */
const LOOK_BACK_MS = 8 * 24 * HOUR_MS;

/** A group action that is not Prescale's, with the MinSize and MaxSize it sets (if it sets them). */
export interface OwnerScheduledAction extends OtherScheduledStart {
  readonly name?: string;
  readonly minSize?: number;
  readonly maxSize?: number;
  /** A recurring action's EndTime (epoch ms): it runs no more after it. */
  readonly endMs?: number;
}

/** One run of an owner's action that sets MinSize. */
export interface OwnerMinSizeRun {
  readonly atMs: number;
  readonly minSize: number;
  readonly actionName?: string;
}

/** One run of an owner's action that sets MaxSize. */
export interface OwnerMaxSizeRun {
  readonly atMs: number;
  readonly maxSize: number;
  readonly actionName?: string;
}

export type RecurringClock = NonNullable<ReturnType<typeof recurringClock>>;

/**
 * The UTC minutes in [fromMs, toMs] the cron matches in its zone, oldest first. Each hour's local
 * time is read at its start and its end: the same step means no zone change inside it (whole,
 * 30- and 45-minute offsets alike), otherwise (a transition at a half hour, as in St. John's)
 * every minute of it is read. Hours whose local hours the cron does not name are skipped.
 */
function* cronRuns(clock: RecurringClock, fromMs: number, toMs: number): Generator<number> {
  for (let hourMs = Math.floor(fromMs / HOUR_MS) * HOUR_MS; hourMs <= toMs; hourMs += HOUR_MS) {
    const localStartMs = clock.local(hourMs);
    const localEndMs = clock.local(hourMs + 59 * MINUTE_MS);
    const firstHour = new Date(localStartMs).getUTCHours();
    const lastHour = new Date(localEndMs).getUTCHours();
    if (!clock.cron.hours.has(firstHour) && !clock.cron.hours.has(lastHour)) continue;
    const steady = localEndMs - localStartMs === 59 * MINUTE_MS;
    for (let m = 0; m < 60; m += 1) {
      const atMs = hourMs + m * MINUTE_MS;
      if (atMs < fromMs) continue;
      if (atMs > toMs) return;
      if (cronMatches(clock.cron, steady ? localStartMs + m * MINUTE_MS : clock.local(atMs))) yield atMs;
    }
  }
}

/** A StartTime further ahead than this is taken as the schedule's own start, whatever the cron. */
const NEXT_RUN_SEARCH_MS = 400 * 24 * HOUR_MS;

/**
 * Whether a StartTime still ahead is where the schedule starts, so that the cron's earlier
 * matches never ran. AWS sets the boundaries of a recurring action with StartTime and EndTime, and
 * runs it at its StartTime too, but it describes a started schedule's StartTime as its next run:
 * a StartTime ahead is the schedule's own start only when it cannot be that next run, being off
 * the cron or after another of its runs. When it could be either, the past runs count: the higher
 * of the two floors.
 */
export function startsLater(clock: RecurringClock, startMs: number, nowMs: number): boolean {
  if (startMs - nowMs > NEXT_RUN_SEARCH_MS) return true;
  const next = cronRuns(clock, Math.floor(nowMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS, startMs).next();
  return next.done === true || next.value < Math.floor(startMs / MINUTE_MS) * MINUTE_MS;
}

/** The runs of one recurring action in [fromMs, toMs], within its StartTime and EndTime. */
function actionRuns(
  action: OwnerScheduledAction,
  clock: RecurringClock,
  { nowMs, fromMs, toMs }: { readonly nowMs: number; readonly fromMs: number; readonly toMs: number },
): number[] {
  const untilMs = Math.min(toMs, action.endMs ?? Number.POSITIVE_INFINITY);
  const start = action.startMs;
  const bounded = start !== undefined && (start <= nowMs || startsLater(clock, start, nowMs));
  if (!bounded) return [...cronRuns(clock, fromMs, untilMs)];
  const startMinuteMs = Math.floor(start / MINUTE_MS) * MINUTE_MS;
  const later = [...cronRuns(clock, Math.max(fromMs, startMinuteMs + MINUTE_MS), untilMs)];
  return startMinuteMs >= fromMs && startMinuteMs <= untilMs ? [startMinuteMs, ...later] : later;
}

/**
 * Every run, oldest first, from 8 days before `nowMs` until `toMs`, of the recurring actions that
 * set MinSize, each matched by its cron in its time zone (an unreadable one is left out, as AWS
 * could not have run it either) within its StartTime and EndTime, and of the one-time actions that
 * set MinSize, each at its StartTime up to `toMs` (however long ago: one a run remembers has no
 * later run to be found by). Runs in one minute keep the order of `actions`.
 */
export function ownerMinSizeRuns(
  actions: readonly OwnerScheduledAction[],
  nowMs: number,
  toMs: number,
): OwnerMinSizeRun[] {
  return runsSettingSize(actions, nowMs, toMs, (a) => a.minSize).map(({ size, ...run }) => ({
    ...run,
    minSize: size,
  }));
}

/**
 * Every run, oldest first, of the owner's actions that set MaxSize (a night's MaxSize 0, a
 * daytime raise), found as `ownerMinSizeRuns` finds those that set MinSize.
 */
export function ownerMaxSizeRuns(
  actions: readonly OwnerScheduledAction[],
  nowMs: number,
  toMs: number,
): OwnerMaxSizeRun[] {
  return runsSettingSize(actions, nowMs, toMs, (a) => a.maxSize).map(({ size, ...run }) => ({
    ...run,
    maxSize: size,
  }));
}

/** Every run, oldest first, of the actions that set the size `sizeOf` reads, with that size. */
function runsSettingSize(
  actions: readonly OwnerScheduledAction[],
  nowMs: number,
  toMs: number,
  sizeOf: (action: OwnerScheduledAction) => number | undefined,
): { readonly atMs: number; readonly size: number; readonly actionName?: string }[] {
  const runs = actions.flatMap((action) => {
    const size = sizeOf(action);
    if (size === undefined) return [];
    return runTimes(action, nowMs, toMs).map((atMs) => ({ atMs, size, ...actionNameOf(action) }));
  });
  return runs.sort((a, b) => a.atMs - b.atMs);
}

const actionNameOf = (action: OwnerScheduledAction) => (action.name ? { actionName: action.name } : {});

/**
 * When one action runs from 8 days before `nowMs` until `toMs`: a one-time action at its StartTime
 * up to `toMs`, a recurring one on its cron (none when the cron cannot be read).
 */
function runTimes(action: OwnerScheduledAction, nowMs: number, toMs: number): number[] {
  if (!action.recurrence)
    return action.startMs !== undefined && action.startMs <= toMs ? [action.startMs] : [];
  const clock = recurringClock(action);
  if (!clock) return [];
  const fromMs = Math.floor((nowMs - LOOK_BACK_MS) / HOUR_MS) * HOUR_MS;
  return actionRuns(action, clock, { nowMs, fromMs, toMs });
}

/** The run in effect at `atMs`: the latest at or before it, if any. */
export function ownerMinSizeAt(runs: readonly OwnerMinSizeRun[], atMs: number): OwnerMinSizeRun | undefined {
  let found: OwnerMinSizeRun | undefined;
  for (const run of runs) {
    if (run.atMs > atMs) break;
    found = run;
  }
  return found;
}

/** The run of the owner's actions in effect at `nowMs`: the MinSize their schedule holds now. */
export function ownerMinSizeNow(
  actions: readonly OwnerScheduledAction[],
  nowMs: number,
): OwnerMinSizeRun | undefined {
  return ownerMinSizeAt(ownerMinSizeRuns(actions, nowMs, nowMs), nowMs);
}

/** Which of the owner's runs set a MinSize, as run records and logs name it. */
export function ownerMinSizeSource(run: OwnerMinSizeRun): string {
  const by = run.actionName !== undefined ? ` "${run.actionName}"` : '';
  return `the group's scheduled action${by} (run ${new Date(run.atMs).toISOString()})`;
}
