import { cronMatches } from '../../../core/planning/cron-schedule';
import type { ScheduledAction, SimGroup } from './group-state';
import { page } from './paging';
import { MINUTE_MS, minuteOf, runsAt } from './scheduled-actions';

const HOUR_MS = 3_600_000;

/** DescribeScheduledActions input, as the SDK sends it. */
export interface DescribeScheduledActionsInput {
  AutoScalingGroupName?: string;
  ScheduledActionNames?: string[];
  MaxRecords?: number;
  NextToken?: string;
}

/**
 * DescribeScheduledActions over `groups` at `nowMs`: by name, at most 100 a page; a recurring
 * action's StartTime is its next run (`nextRun`).
 */
export function describeScheduledActions(
  groups: readonly SimGroup[],
  input: DescribeScheduledActionsInput,
  nowMs: number,
): unknown {
  let actions = groups.flatMap((g) => [...g.scheduled.values()].map((a) => ({ g, a })));
  if (input.ScheduledActionNames?.length)
    actions = actions.filter(({ a }) => input.ScheduledActionNames?.includes(a.name));
  actions.sort((x, y) => x.a.name.localeCompare(y.a.name));
  const { items, next } = page(actions, input.MaxRecords, input.NextToken, 100);
  return {
    ScheduledUpdateGroupActions: items.map(({ g, a }) => describeAction(g, a, nowMs)),
    ...(next ? { NextToken: next } : {}),
  };
}

/** How far ahead a recurring action's next run is looked for (`0 0 29 2 *` runs every 4 years). */
const NEXT_RUN_SEARCH_MS = 8 * 366 * 24 * HOUR_MS;

/**
 * When a recurring action runs next after `nowMs`, as `runsAt` fires it: its StartTime while that
 * is still ahead, else its next cron minute up to its EndTime; undefined when it runs no more. The
 * minute the group's schedule was last checked in has run already. The search skips the hours and
 * days the cron does not name, so a daily cron costs a day's hours, not its minutes.
 */
function nextRun(group: SimGroup, action: ScheduledAction, nowMs: number): number | undefined {
  const { cron } = action;
  if (!cron) return undefined;
  const fromMs = Math.max(group.lastScheduleCheckMs + MINUTE_MS, Math.ceil(nowMs / MINUTE_MS) * MINUTE_MS);
  if (action.startMs !== undefined && minuteOf(action.startMs) >= fromMs) return action.startMs;
  const untilMs = Math.min(action.endMs ?? Number.POSITIVE_INFINITY, fromMs + NEXT_RUN_SEARCH_MS);
  const minutes = [...cron.minutes].sort((a, b) => a - b);
  for (let hourMs = Math.floor(fromMs / HOUR_MS) * HOUR_MS; hourMs <= untilMs; hourMs += HOUR_MS) {
    // Hour and minute named: a miss on the hour's first named minute is a day the cron skips.
    if (!cron.hours.has(new Date(hourMs).getUTCHours())) continue;
    if (!cronMatches(cron, hourMs + (minutes[0] ?? 0) * MINUTE_MS)) continue;
    for (const minute of minutes) {
      const m = hourMs + minute * MINUTE_MS;
      if (m > untilMs) return undefined;
      if (m >= fromMs && runsAt(action, cron, m)) return m;
    }
  }
  return undefined;
}

/**
 * One action as DescribeScheduledActions answers it. AWS describes a recurring action's StartTime
 * (and Time) as its next run; one that runs no more keeps the StartTime it was given, if any.
 */
function describeAction(g: SimGroup, a: ScheduledAction, nowMs: number): unknown {
  const startMs = nextRun(g, a, nowMs) ?? a.startMs;
  return {
    AutoScalingGroupName: g.spec.name,
    ScheduledActionName: a.name,
    ScheduledActionARN: a.arn,
    ...(startMs !== undefined ? { StartTime: new Date(startMs), Time: new Date(startMs) } : {}),
    ...(a.endMs !== undefined ? { EndTime: new Date(a.endMs) } : {}),
    ...(a.recurrence ? { Recurrence: a.recurrence, TimeZone: 'UTC' } : {}),
    ...(a.minSize !== undefined ? { MinSize: a.minSize } : {}),
    ...(a.maxSize !== undefined ? { MaxSize: a.maxSize } : {}),
    ...(a.desiredCapacity !== undefined ? { DesiredCapacity: a.desiredCapacity } : {}),
  };
}
