import { cronMatches, cronSchedule } from '../../../../shared/core/planning/cron-schedule';

const at = (iso: string) => Date.parse(iso);

describe('cronSchedule', () => {
  it('matches minutes, hours, ranges, steps and weekdays in UTC', () => {
    const weekdayMornings = cronSchedule('*/15 8-9 * * 1-5');
    expect(cronMatches(weekdayMornings, at('2024-01-01T08:15:00Z'))).toBe(true);
    expect(cronMatches(weekdayMornings, at('2024-01-01T08:20:00Z'))).toBe(false);
    expect(cronMatches(weekdayMornings, at('2024-01-06T08:15:00Z'))).toBe(false);
    expect(cronMatches(cronSchedule('0 0 * * 7'), at('2024-01-07T00:00:00Z'))).toBe(true);
  });

  it('reads months and days of week by name, in any case, as crontab writes them', () => {
    expect(cronSchedule('0 8 * * MON-FRI')).toEqual(cronSchedule('0 8 * * 1-5'));
    expect(cronSchedule('0 8 * jan,Jul sun')).toEqual(cronSchedule('0 8 * 1,7 0'));
    expect(cronSchedule('0 8 * * sat-sun').daysOfWeek).toEqual(new Set([6, 0]));
    expect(() => cronSchedule('0 8 * * MONDAY')).toThrow(/outside 0-7/);
    expect(() => cronSchedule('0 MON * * *')).toThrow(/outside 0-23/);
  });

  it('ANDs the day fields when either begins with an asterisk, a step included, as Vixie cron does', () => {
    // 2024-01-01 is a Monday: day 1 is in */2 (1, 3, 5, …); Monday 2024-01-08 is not.
    const everyOtherDayOnMondays = cronSchedule('0 9 */2 * MON');
    expect(everyOtherDayOnMondays.dayOfMonthRestricted).toBe(false);
    expect(cronMatches(everyOtherDayOnMondays, at('2024-01-01T09:00:00Z'))).toBe(true);
    expect(cronMatches(everyOtherDayOnMondays, at('2024-01-08T09:00:00Z'))).toBe(false);
    expect(cronMatches(everyOtherDayOnMondays, at('2024-01-03T09:00:00Z'))).toBe(false);
    expect(cronMatches(cronSchedule('0 9 1 * */2'), at('2024-01-02T09:00:00Z'))).toBe(false);
    // Both restricted without a leading asterisk: either day matches.
    const firstOrMonday = cronSchedule('0 9 1 * MON');
    expect(cronMatches(firstOrMonday, at('2024-01-08T09:00:00Z'))).toBe(true);
    expect(cronMatches(firstOrMonday, at('2024-02-01T09:00:00Z'))).toBe(true);
  });

  it('rejects expressions that are not five valid fields', () => {
    expect(() => cronSchedule('0 8 * *')).toThrow(/5 fields/);
    expect(() => cronSchedule('61 8 * * *')).toThrow(/outside 0-59/);
  });
});
