import {
  campaignScheduleTimes,
  soonestScheduleMs,
} from '../../../../shared/core/campaigns/campaign-schedule-times';

const T = Date.UTC(2026, 10, 27, 8);
const MIN = 60_000;

describe('campaignScheduleTimes', () => {
  it('pre-warms one lead time and a minute before the start and releases at the end', () => {
    expect(
      campaignScheduleTimes({
        startMs: T,
        endMs: T + 60 * MIN,
        leadTimeSeconds: 300,
        nowMs: T - 24 * 60 * MIN,
      }),
    ).toEqual({ kind: 'scheduled', prewarmAtMs: T - 6 * MIN, releaseAtMs: T + 60 * MIN, prewarmLate: false });
  });

  it('pre-warms at once when that moment has passed, at the first whole minute a minute from now', () => {
    // Read at 07:55:58.5: at(07:56:59) could fire at 07:56:00, 1.5 s later; at(07:57:00) cannot.
    expect(
      campaignScheduleTimes({
        startMs: T,
        endMs: T + 60 * MIN,
        leadTimeSeconds: 600,
        nowMs: T - 5 * MIN + 58_500,
      }),
    ).toEqual({
      kind: 'scheduled',
      prewarmAtMs: T - 3 * MIN,
      releaseAtMs: T + 60 * MIN,
      prewarmLate: true,
    });
  });

  it('releases at the whole minute after an end within a minute, as Scheduler may fire at its start', () => {
    // Set at(08:00:30), Scheduler invokes "between" 08:00:00 and 08:00:59: before the end.
    expect(
      campaignScheduleTimes({
        startMs: T - 60 * MIN,
        endMs: T + 30_000,
        leadTimeSeconds: 300,
        nowMs: T - 24 * 60 * MIN,
      }),
    ).toMatchObject({ kind: 'scheduled', releaseAtMs: T + MIN });
  });

  it('pre-warms at the whole minute at or before start − lead time − margin', () => {
    expect(
      campaignScheduleTimes({
        startMs: T + 30_000,
        endMs: T + 60 * MIN,
        leadTimeSeconds: 300,
        nowMs: T - 24 * 60 * MIN,
      }),
    ).toMatchObject({ kind: 'scheduled', prewarmAtMs: T - 6 * MIN, prewarmLate: false });
  });

  it('releases at a whole minute when the end is closer than the soonest a schedule is set', () => {
    expect(
      campaignScheduleTimes({ startMs: T - MIN, endMs: T + 10_000, leadTimeSeconds: 0, nowMs: T + 400 }),
    ).toMatchObject({ kind: 'scheduled', releaseAtMs: T + 2 * MIN });
  });

  it('never sets a schedule whose minute starts less than the minimum delay from now', () => {
    for (const offsetMs of [0, 400, 30_000, 58_500, 59_999]) {
      const nowMs = T + offsetMs;
      expect(soonestScheduleMs(nowMs) % MIN).toBe(0);
      expect(soonestScheduleMs(nowMs) - nowMs).toBeGreaterThanOrEqual(MIN);
      expect(soonestScheduleMs(nowMs, 120) - nowMs).toBeGreaterThanOrEqual(2 * MIN);
    }
  });

  it('says so when the campaign has ended', () => {
    expect(campaignScheduleTimes({ startMs: T, endMs: T + MIN, leadTimeSeconds: 0, nowMs: T + MIN })).toEqual(
      {
        kind: 'ended',
        reason: 'the campaign ended at 2026-11-27T08:01:00.000Z, before 2026-11-27T08:01:00.000Z',
      },
    );
  });
});
