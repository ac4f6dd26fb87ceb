/**
 * When a one-time `at(yyyy-mm-ddThh:mm:ss)` schedule is due, read as EventBridge Scheduler reads
 * it: "You can use at expressions to create one-time schedules that invoke a target once, at the
 * time and in the time zone, that you specify" (CreateSchedule, `ScheduleExpression`), the zone
 * being `ScheduleExpressionTimezone`, "The timezone in which the scheduling expression is
 * evaluated" (same page). Scheduler takes IANA zone names (`America/New_York`, `Asia/Kolkata` in
 * its user guide's examples); the simulation knows the zones Node's ICU knows.
 */

const AT = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;

const formats = new Map<string, Intl.DateTimeFormat | undefined>();

/** The zone's formatter, or undefined when the name is not a time zone. */
function zoneFormat(timeZone: string): Intl.DateTimeFormat | undefined {
  if (!formats.has(timeZone)) {
    let format: Intl.DateTimeFormat | undefined;
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch {
      // RangeError: "Invalid time zone specified".
      format = undefined;
    }
    formats.set(timeZone, format);
  }
  return formats.get(timeZone);
}

/** Whether `timeZone` names a time zone (IANA name, or `UTC`). */
export function isTimeZone(timeZone: string): boolean {
  return zoneFormat(timeZone) !== undefined;
}

/** The zone's offset from UTC at `utcMs`, in ms (positive east of Greenwich). */
function offsetMs(format: Intl.DateTimeFormat, utcMs: number): number {
  const part = (type: string) =>
    Number(format.formatToParts(new Date(utcMs)).find((p) => p.type === type)?.value);
  const wall = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/**
 * The UTC instant (ms) of an `at()` expression read in `timeZone`; undefined for a rate() or
 * cron() expression (recurring: not one-time).
 * @throws Error when `timeZone` is not a time zone (check `isTimeZone` first).
 */
export function atExpressionUtcMs(expression: string, timeZone: string): number | undefined {
  const m = AT.exec(expression);
  if (!m) return undefined;
  const format = zoneFormat(timeZone);
  if (!format) throw new Error(`ScheduleExpressionTimezone: expected a time zone name, got ${timeZone}`);
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const wallMs = Date.UTC(year, month - 1, day, hour, minute, second);
  // The offset at the wall time itself, then at the instant it gives (they differ only across a
  // daylight-saving change).
  const first = wallMs - offsetMs(format, wallMs);
  return wallMs - offsetMs(format, first);
}
