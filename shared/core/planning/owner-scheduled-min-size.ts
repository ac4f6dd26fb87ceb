/**
 * The MinSize the group owner's own recurring scheduled actions set (a business-hours floor, the
 * classic schedule before any predictive scaler): Prescale plans no lower than the value the
 * schedule set last, so neither the loop nor its look-ahead undoes the owner's schedule, and the
 * look-ahead's last action gives back what the schedule holds then rather than an older MinSize.
 * One-time actions do not count: Auto Scaling deletes each once it has run, so no later run could
 * see what it set.
 */
import { cronMatches } from './cron-schedule';
import { type OtherScheduledStart, recurringClock } from './place-look-ahead-starts';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** How far back a run is looked for: a weekly schedule has run once within any 8 days. */
const LOOK_BACK_MS = 8 * 24 * HOUR_MS;

/** A group action that is not Prescale's, with the MinSize it sets (if it sets one). */
export interface OwnerScheduledAction extends OtherScheduledStart {
  readonly name?: string;
  readonly minSize?: number;
}

/** One run of an owner's action that sets MinSize. */
export interface OwnerMinSizeRun {
  readonly atMs: number;
  readonly minSize: number;
  readonly actionName?: string;
}

/**
 * Every run, oldest first, from 8 days before `fromMs` until `toMs`, of the recurring actions that
 * set MinSize, each matched by its cron in its time zone (an unreadable one is left out, as AWS
 * could not have run it either). Runs in one minute keep the order of `actions`.
 */
export function ownerMinSizeRuns(
  actions: readonly OwnerScheduledAction[],
  fromMs: number,
  toMs: number,
): OwnerMinSizeRun[] {
  const runs: OwnerMinSizeRun[] = [];
  const startMs = Math.floor((fromMs - LOOK_BACK_MS) / HOUR_MS) * HOUR_MS;
  for (const action of actions) {
    if (action.minSize === undefined || !action.recurrence) continue;
    const clock = recurringClock(action);
    if (!clock) continue;
    // Whole-hour offsets and 30- and 45-minute ones alike keep the minute-to-minute step within an
    // hour, so the zone is read once per hour.
    for (let hourMs = startMs; hourMs <= toMs; hourMs += HOUR_MS) {
      const localHourMs = clock.local(hourMs);
      // The hour's minutes fall in at most two local hours: neither in the cron, no minute matches.
      const firstHour = new Date(localHourMs).getUTCHours();
      const lastHour = new Date(localHourMs + 59 * MINUTE_MS).getUTCHours();
      if (!clock.cron.hours.has(firstHour) && !clock.cron.hours.has(lastHour)) continue;
      for (let m = 0; m < 60; m += 1) {
        const atMs = hourMs + m * MINUTE_MS;
        if (atMs > toMs) break;
        if (cronMatches(clock.cron, localHourMs + m * MINUTE_MS))
          runs.push({ atMs, minSize: action.minSize, ...(action.name ? { actionName: action.name } : {}) });
      }
    }
  }
  return runs.sort((a, b) => a.atMs - b.atMs);
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
