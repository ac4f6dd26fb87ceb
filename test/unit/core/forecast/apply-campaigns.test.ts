import { applyCampaigns } from '../../../../shared/core/forecast/apply-campaigns';
import { InvalidCampaignError } from '../../../../shared/core/forecast/errors';
import type { CampaignWindow } from '../../../../shared/core/forecast/types';

const STEP = 300;
const mean = [10, 10, 10, 10, 10, 10];
const intervals = [{ levelPct: 80, lower: [8, 8, 8, 8, 8, 8], upper: [13, 13, 13, 13, 13, 13] }];
const window = (overrides: Partial<CampaignWindow>): CampaignWindow => ({
  campaignId: 'c1',
  startMs: 2 * STEP * 1000,
  endMs: 4 * STEP * 1000,
  uplift: { kind: 'multiplier', factor: 2 },
  rampUpSeconds: 0,
  ...overrides,
});

describe('applyCampaigns', () => {
  it('multiplies mean and bounds inside [startMs, endMs) only', () => {
    const out = applyCampaigns(0, STEP, mean, intervals, [window({})]);
    expect(out.mean).toEqual([10, 10, 20, 20, 10, 10]);
    expect(out.intervals[0]?.lower).toEqual([8, 8, 16, 16, 8, 8]);
    expect(out.intervals[0]?.upper).toEqual([13, 13, 26, 26, 13, 13]);
    expect(out.campaignsApplied).toEqual(['c1']);
  });

  it('adds load with a linear ramp', () => {
    const out = applyCampaigns(0, STEP, mean, intervals, [
      window({
        startMs: 0,
        endMs: 6 * STEP * 1000,
        uplift: { kind: 'added-load', load: 8 },
        rampUpSeconds: 4 * STEP,
      }),
    ]);
    expect(out.mean).toEqual([10, 12, 14, 16, 18, 18]);
  });

  it('raises an hourly step that a campaign starts, or starts and ends, within', () => {
    const HOUR = 3600;
    const hourly = [10, 10, 10];
    const band = [{ levelPct: 80, lower: [8, 8, 8], upper: [13, 13, 13] }];
    const min = 60_000;
    // 10:10–10:50 on steps 10:00, 11:00, 12:00 (from 10:00 as 0): the whole campaign in one step.
    const within = applyCampaigns(0, HOUR, hourly, band, [window({ startMs: 10 * min, endMs: 50 * min })]);
    expect(within.mean).toEqual([20, 10, 10]);
    expect(within.campaignsApplied).toEqual(['c1']);
    // From 10:30 with a 40-minute ramp: the 10:00 step at 11:00, three quarters up; 11:00 at its start.
    const ramped = applyCampaigns(0, HOUR, hourly, band, [
      window({
        startMs: 30 * min,
        endMs: 90 * min,
        rampUpSeconds: 40 * 60,
        uplift: { kind: 'added-load', load: 8 },
      }),
    ]);
    expect(ramped.mean).toEqual([16, 16, 10]);
    // A step ending as the campaign starts is not raised.
    const after = applyCampaigns(0, HOUR, hourly, band, [window({ startMs: 60 * min, endMs: 90 * min })]);
    expect(after.mean).toEqual([10, 20, 10]);
  });

  it('reports no campaign when its window misses the horizon', () => {
    const out = applyCampaigns(0, STEP, mean, intervals, [
      window({ startMs: 10 * STEP * 1000, endMs: 12 * STEP * 1000 }),
    ]);
    expect(out.mean).toEqual(mean);
    expect(out.campaignsApplied).toEqual([]);
  });

  it.each([
    ['an end before its start', { endMs: 0 }],
    ['a negative ramp', { rampUpSeconds: -1 }],
    ['a negative factor', { uplift: { kind: 'multiplier', factor: -1 } as const }],
    ['an infinite added load', { uplift: { kind: 'added-load', load: Number.POSITIVE_INFINITY } as const }],
  ])('throws InvalidCampaignError for %s', (_label, overrides) => {
    expect(() => applyCampaigns(0, STEP, mean, intervals, [window(overrides)])).toThrow(InvalidCampaignError);
  });
});
