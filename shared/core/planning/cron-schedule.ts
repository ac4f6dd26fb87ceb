/** A parsed five-field cron expression (minute hour day-of-month month day-of-week), UTC. */
export interface CronSchedule {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly daysOfWeek: ReadonlySet<number>;
  readonly dayOfMonthRestricted: boolean;
  readonly dayOfWeekRestricted: boolean;
}

/** Names crontab(5) takes for months and days of week: their first three letters, any case. */
const NAMES: Readonly<Record<string, readonly string[]>> = {
  month: ['', 'JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  'day-of-week': ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
};

/**
 * A field's number, or the number a name stands for in the fields that have names; Sunday ending
 * a range is 7, so `SAT-SUN` reads as 6-7.
 */
function fieldNumber(text: string | undefined, what: string, endsRange = false): number {
  const index = NAMES[what]?.indexOf((text ?? '').toUpperCase()) ?? -1;
  if (index === 0 && what === 'day-of-week') return endsRange ? 7 : 0;
  return index > 0 ? index : Number(text);
}

function parseField(
  field: string,
  min: number,
  max: number,
  what: string,
): { values: Set<number>; restricted: boolean } {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new RangeError(`cron ${what}: bad step in "${part}"`);
    let lo = min;
    let hi = max;
    if (range !== '*') {
      const [a, b] = (range ?? '').split('-');
      lo = fieldNumber(a, what);
      hi = b === undefined ? (stepText === undefined ? lo : max) : fieldNumber(b, what, true);
    }
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < min || hi > max || lo > hi) {
      throw new RangeError(`cron ${what}: "${part}" is outside ${min}-${max}`);
    }
    for (let v = lo; v <= hi; v += step) values.add(what === 'day-of-week' && v === 7 ? 0 : v);
  }
  // Vixie cron and cronie mark a day field unrestricted when its text begins with `*` (entry.c:
  // `if (ch == '*') e->flags |= DOM_STAR`), so `*/2` is ANDed with the other day field, not ORed.
  return { values, restricted: !field.startsWith('*') };
}

/**
 * Parses a Unix cron expression as Auto Scaling scheduled actions accept it (`Recurrence`):
 * numbers, `*`, lists, ranges and steps; day of week 0–7 with 0 and 7 both Sunday; months and
 * days of week also by name (`MON-FRI`, `jan,jul`), as owners' schedules often write them.
 * @throws RangeError when the expression does not have five valid fields.
 */
export function cronSchedule(expression: string): CronSchedule {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5)
    throw new RangeError(`cron "${expression}" must have 5 fields, got ${fields.length}`);
  const [mi, h, dom, mo, dow] = fields as [string, string, string, string, string];
  const dayOfMonth = parseField(dom, 1, 31, 'day-of-month');
  const dayOfWeek = parseField(dow, 0, 7, 'day-of-week');
  return {
    minutes: parseField(mi, 0, 59, 'minute').values,
    hours: parseField(h, 0, 23, 'hour').values,
    daysOfMonth: dayOfMonth.values,
    months: parseField(mo, 1, 12, 'month').values,
    daysOfWeek: dayOfWeek.values,
    dayOfMonthRestricted: dayOfMonth.restricted,
    dayOfWeekRestricted: dayOfWeek.restricted,
  };
}

/**
 * Whether the minute starting at `timeMs` (UTC) matches; both day fields restricted (neither
 * beginning with `*`) means either matches, as in cron.
 */
export function cronMatches(schedule: CronSchedule, timeMs: number): boolean {
  const d = new Date(timeMs);
  if (!schedule.minutes.has(d.getUTCMinutes()) || !schedule.hours.has(d.getUTCHours())) return false;
  if (!schedule.months.has(d.getUTCMonth() + 1)) return false;
  const domOk = schedule.daysOfMonth.has(d.getUTCDate());
  const dowOk = schedule.daysOfWeek.has(d.getUTCDay());
  if (schedule.dayOfMonthRestricted && schedule.dayOfWeekRestricted) return domOk || dowOk;
  return domOk && dowOk;
}
