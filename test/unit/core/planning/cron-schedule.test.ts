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

  it('rejects expressions that are not five valid fields', () => {
    expect(() => cronSchedule('0 8 * *')).toThrow(/5 fields/);
    expect(() => cronSchedule('61 8 * * *')).toThrow(/outside 0-59/);
  });
});
