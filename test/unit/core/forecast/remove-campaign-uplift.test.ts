import fc from 'fast-check';
import { applyCampaigns } from '../../../../shared/core/forecast/apply-campaigns';
import { InvalidCampaignError } from '../../../../shared/core/forecast/errors';
import { removeCampaignUplift } from '../../../../shared/core/forecast/remove-campaign-uplift';
import type { CampaignWindow, RegularSeries } from '../../../../shared/core/forecast/types';

const STEP = 300;
const STEP_MS = STEP * 1000;
const series = (values: readonly number[]): RegularSeries => ({ startMs: 0, stepSeconds: STEP, values });
const window = (overrides: Partial<CampaignWindow>): CampaignWindow => ({
  campaignId: 'c1',
  startMs: 2 * STEP_MS,
  endMs: 4 * STEP_MS,
  uplift: { kind: 'multiplier', factor: 2 },
  rampUpSeconds: 0,
  ...overrides,
});

describe('removeCampaignUplift', () => {
  it('divides the steps inside a window by its multiplier and marks them', () => {
    const out = removeCampaignUplift(series([10, 10, 20, 20, 10, 10]), [window({})]);
    expect(out.series.values).toEqual([10, 10, 10, 10, 10, 10]);
    expect([...out.inCampaign]).toEqual([0, 0, 1, 1, 0, 0]);
  });

  it('undoes a ramp and an added load as applyCampaigns gives them, at each step', () => {
    const ramp = window({
      startMs: 0,
      endMs: 6 * STEP_MS,
      uplift: { kind: 'added-load', load: 8 },
      rampUpSeconds: 4 * STEP,
    });
    const out = removeCampaignUplift(series([10, 12, 14, 16, 18, 18]), [ramp]);
    expect(out.series.values).toEqual([10, 10, 10, 10, 10, 10]);
  });

  it('counts the step a campaign starts within, as the forecast does', () => {
    const late = window({ startMs: 2 * STEP_MS + 60_000, endMs: 3 * STEP_MS });
    const out = removeCampaignUplift(series([10, 10, 20, 10]), [late]);
    expect(out.series.values).toEqual([10, 10, 10, 10]);
    expect([...out.inCampaign]).toEqual([0, 0, 1, 0]);
  });

  it('leaves a step a multiplier of 0 emptied as observed', () => {
    const out = removeCampaignUplift(series([10, 10, 0, 0]), [
      window({ uplift: { kind: 'multiplier', factor: 0 } }),
    ]);
    expect(out.series.values).toEqual([10, 10, 0, 0]);
  });

  it('marks but keeps as observed the steps of a headroom window (extra instances bring no load)', () => {
    const extra = window({ uplift: { kind: 'added-load', load: 50 }, headroom: true });
    const out = removeCampaignUplift(series([10, 10, 30, 30]), [window({}), extra]);
    expect(out.series.values).toEqual([10, 10, 15, 15]);
    expect([...out.inCampaign]).toEqual([0, 0, 1, 1]);
  });

  it('returns the series itself without campaigns', () => {
    const s = series([1, 2, 3]);
    expect(removeCampaignUplift(s, []).series).toBe(s);
  });

  it('rejects a malformed campaign', () => {
    expect(() => removeCampaignUplift(series([1, 2]), [window({ endMs: 0 })])).toThrow(InvalidCampaignError);
  });

  it('is undone by applyCampaigns for positive multipliers and ramps, in any order of campaigns', () => {
    const campaign = fc.record({
      startStep: fc.integer({ min: -3, max: 20 }),
      lengthSteps: fc.integer({ min: 1, max: 12 }),
      offsetMs: fc.integer({ min: 0, max: STEP_MS - 1 }),
      factor: fc.double({ min: 0.1, max: 5, noNaN: true }),
      rampUpSeconds: fc.integer({ min: 0, max: 6 * STEP }),
    });
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 20, maxLength: 20 }),
        fc.array(campaign, { minLength: 1, maxLength: 3 }),
        (values, specs) => {
          const campaigns = specs.map(
            (c, i): CampaignWindow => ({
              campaignId: `c${i}`,
              startMs: c.startStep * STEP_MS + c.offsetMs,
              endMs: (c.startStep + c.lengthSteps) * STEP_MS + c.offsetMs,
              uplift: { kind: 'multiplier', factor: c.factor },
              rampUpSeconds: c.rampUpSeconds,
            }),
          );
          const { series: without } = removeCampaignUplift(series(values), campaigns);
          const back = applyCampaigns(0, STEP, without.values, [], campaigns).mean;
          for (const [t, v] of back.entries()) expect(v).toBeCloseTo(values[t] as number, 6);
        },
      ),
      { numRuns: 100 },
    );
  });
});
