import fc from 'fast-check';
import { campaignWindows, type PlannedCampaign } from '../../../../shared/core/campaigns/campaign-windows';
import { applyCampaigns } from '../../../../shared/core/forecast/apply-campaigns';
import { requiredCapacity } from '../../../../shared/core/planning/required-capacity';

const STEP = 300;
const STEP_MS = STEP * 1000;
const flat = (n: number, v: number) => Array.from({ length: n }, () => v);
const campaign = (overrides: Partial<PlannedCampaign>): PlannedCampaign => ({
  campaignId: 'c',
  startMs: 2 * STEP_MS,
  endMs: 4 * STEP_MS,
  rampUpSeconds: 0,
  extraInstances: 0,
  ...overrides,
});
const adjusted = (campaigns: PlannedCampaign[], target = 10) =>
  applyCampaigns(0, STEP, flat(6, 100), [], campaignWindows(campaigns, target)).mean;

describe('campaignWindows', () => {
  it('puts the uplift inside the window only', () => {
    expect(adjusted([campaign({ uplift: { kind: 'multiplier', factor: 2 } })])).toEqual([
      100, 100, 200, 200, 100, 100,
    ]);
  });

  it('multiplies overlapping multipliers and adds overlapping added loads', () => {
    expect(
      adjusted([
        campaign({ campaignId: 'a', uplift: { kind: 'multiplier', factor: 2 } }),
        campaign({
          campaignId: 'b',
          startMs: 3 * STEP_MS,
          endMs: 5 * STEP_MS,
          uplift: { kind: 'multiplier', factor: 1.5 },
        }),
      ]),
    ).toEqual([100, 100, 200, 300, 150, 100]);
    expect(
      adjusted([
        campaign({ campaignId: 'a', uplift: { kind: 'added-load', load: 10 } }),
        campaign({ campaignId: 'b', uplift: { kind: 'added-load', load: 20 } }),
      ]),
    ).toEqual([100, 100, 130, 130, 100, 100]);
  });

  it('applies multipliers before added loads whatever the order given: load × Πf + Σadded', () => {
    const added = campaign({ campaignId: 'a', startMs: 0, uplift: { kind: 'added-load', load: 50 } });
    const times = campaign({ campaignId: 'z', uplift: { kind: 'multiplier', factor: 2 } });
    expect(adjusted([added, times])).toEqual([150, 150, 250, 250, 100, 100]);
    expect(adjusted([times, added])).toEqual(adjusted([added, times]));
  });

  it('adds exactly the extra instances to the plan inside the window, with no ramp', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { minLength: 6, maxLength: 6 }),
        fc.double({ min: 0.5, max: 500, noNaN: true }),
        fc.integer({ min: 1, max: 50 }),
        (load, target, extra) => {
          const windows = campaignWindows([campaign({ extraInstances: extra, rampUpSeconds: 600 })], target);
          const out = applyCampaigns(0, STEP, load, [], windows).mean;
          const before = requiredCapacity(load, target);
          const after = requiredCapacity(out, target);
          after.forEach((c, h) => {
            const inside = h === 2 || h === 3;
            expect(c - (before[h] as number)).toBe(inside ? extra : 0);
          });
        },
      ),
    );
  });

  it('marks every window of a pre-warmed campaign, and only those', () => {
    const windows = campaignWindows(
      [
        campaign({
          campaignId: 'sale',
          uplift: { kind: 'multiplier', factor: 2 },
          extraInstances: 1,
          prewarmed: true,
        }),
        campaign({ campaignId: 'mail', uplift: { kind: 'added-load', load: 50 } }),
      ],
      10,
    );
    expect(windows.map((w) => [w.campaignId, w.prewarmed ?? false])).toEqual([
      ['sale', true],
      ['mail', false],
      ['sale+extra-instances', true],
    ]);
  });

  it('gives no window to a campaign with neither a size nor extra instances', () => {
    expect(campaignWindows([campaign({})], 10)).toEqual([]);
  });

  it('throws on a non-positive target load', () => {
    expect(() => campaignWindows([], 0)).toThrow(RangeError);
  });
});
