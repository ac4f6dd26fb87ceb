import { campaignScheduleTimes } from '../../../../shared/core/campaigns/campaign-schedule-times';

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

  it('pre-warms at once when that moment has passed, in whole seconds', () => {
    expect(
      campaignScheduleTimes({
        startMs: T,
        endMs: T + 60 * MIN,
        leadTimeSeconds: 600,
        nowMs: T - 5 * MIN + 400,
      }),
    ).toEqual({
      kind: 'scheduled',
      prewarmAtMs: T - 4 * MIN + 1000,
      releaseAtMs: T + 60 * MIN,
      prewarmLate: true,
    });
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
