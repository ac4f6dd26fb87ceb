import { EXTRA_INSTANCES_SUFFIX } from '../../../shared/core/campaigns/campaign-windows';
import type { CampaignWindow } from '../../../shared/core/forecast/types';
import {
  campaignsKeepingFloor,
  prewarmHoldOf,
  runRaisesFloor,
} from '../../../shared/usecases/group-capacity-plan';

const HOUR = 3_600_000;
const window = (campaignId: string, startMs: number, endMs: number, prewarmed = false): CampaignWindow => ({
  campaignId,
  startMs,
  endMs,
  uplift: { kind: 'multiplier', factor: 2 },
  rampUpSeconds: 0,
  ...(prewarmed ? { prewarmed } : {}),
});

describe('campaignsKeepingFloor', () => {
  const campaigns = [
    window('ended', 0, HOUR),
    window('running', HOUR / 2, 3 * HOUR),
    window('at-the-edge', 2 * HOUR, 4 * HOUR),
    window('later', 5 * HOUR, 6 * HOUR),
  ];

  it('names the campaigns active at some instant of the half-open reach', () => {
    expect(campaignsKeepingFloor(campaigns, HOUR, 2 * HOUR)).toEqual(['running']);
    expect(campaignsKeepingFloor(campaigns, HOUR, 2 * HOUR + 1)).toEqual(['running', 'at-the-edge']);
    // A campaign that ended as the reach opens is past.
    expect(campaignsKeepingFloor(campaigns, HOUR - 1, 2 * HOUR)).toEqual(['ended', 'running']);
    expect(campaignsKeepingFloor(campaigns, 4 * HOUR, 5 * HOUR)).toEqual([]);
  });

  it('keeps a pre-warmed campaign up to an hour before the reach and to its end, not after', () => {
    const prewarmed = [window('sale', 5 * HOUR, 6 * HOUR, true)];
    expect(campaignsKeepingFloor(prewarmed, 4 * HOUR, 4 * HOUR + 1)).toEqual(['sale']);
    expect(campaignsKeepingFloor(prewarmed, 6 * HOUR - 1, 6 * HOUR)).toEqual(['sale']);
    expect(campaignsKeepingFloor(prewarmed, 6 * HOUR, 7 * HOUR)).toEqual([]);
    // Postponed since its pre-warm, to more than an hour beyond the reach: its reach will come.
    expect(campaignsKeepingFloor(prewarmed, 3 * HOUR, 4 * HOUR)).toEqual([]);
    expect(campaignsKeepingFloor(prewarmed, 3 * HOUR, 4 * HOUR + 1)).toEqual(['sale']);
  });

  it('names a campaign once, its extra instances under its own id', () => {
    const sale = window('sale', HOUR, 2 * HOUR);
    const extra = { ...sale, campaignId: `sale${EXTRA_INSTANCES_SUFFIX}` };
    expect(campaignsKeepingFloor([sale, extra], HOUR, 2 * HOUR)).toEqual(['sale']);
  });
});

describe('prewarmHoldOf', () => {
  const raised = (campaignId: string, startMs: number, after?: number): CampaignWindow => ({
    ...window(campaignId, startMs, startMs + HOUR, true),
    prewarmMinSize: { before: 2, ...(after !== undefined ? { after } : {}) },
  });

  it('keeps the highest raise of the pre-warmed campaigns while the plan does not reach their start', () => {
    const campaigns = [raised('sale', 2 * HOUR, 12), raised('launch', 3 * HOUR, 8)];
    expect(prewarmHoldOf(campaigns, HOUR)).toEqual({ minSize: 12, campaignIds: ['sale', 'launch'] });
    expect(prewarmHoldOf(campaigns, 2 * HOUR)).toEqual({ minSize: 12, campaignIds: ['sale', 'launch'] });
    // Once the plan reaches the start, its own plan for the window replaces the pre-warm's.
    expect(prewarmHoldOf(campaigns, 2 * HOUR + 1)).toEqual({ minSize: 8, campaignIds: ['launch'] });
    expect(prewarmHoldOf(campaigns, 3 * HOUR + 1)).toBeUndefined();
  });

  it("holds a start more than an hour beyond the plan's reach: the pre-warm of a campaign whose other group's lead time is 100 minutes", () => {
    // A 5-minute lead and a 5-minute tick: the plan reaches 10 minutes out; the pre-warm fired
    // 101 minutes before the start, beyond what keeps the floor (an hour past the reach).
    const start = 101 * 60_000;
    const sale = raised('sale', start, 20);
    expect(campaignsKeepingFloor([sale], 0, 10 * 60_000)).toEqual([]);
    expect(prewarmHoldOf([sale], 10 * 60_000)).toEqual({ minSize: 20, campaignIds: ['sale'] });
  });

  it('holds nothing of a raise made for an earlier start, nor of a campaign not pre-warmed', () => {
    expect(prewarmHoldOf([raised('sale', 2 * HOUR)], HOUR)).toBeUndefined();
    expect(prewarmHoldOf([window('sale', 2 * HOUR, 3 * HOUR)], HOUR)).toBeUndefined();
  });

  it('names a campaign once, its extra instances under its own id', () => {
    const sale = raised('sale', 2 * HOUR, 12);
    const extra = { ...sale, campaignId: `sale${EXTRA_INSTANCES_SUFFIX}` };
    expect(prewarmHoldOf([sale, extra], HOUR)).toEqual({ minSize: 12, campaignIds: ['sale'] });
  });
});

describe('runRaisesFloor', () => {
  const withPolicies = { hasScalingPolicies: true };

  it('raises the floor unless it is off, with the group’s own policies and no campaign in reach', () => {
    expect(runRaisesFloor({ forecastFloor: true }, withPolicies, [])).toBe(true);
    expect(runRaisesFloor({ forecastFloor: false }, withPolicies, [])).toBe(false);
    expect(runRaisesFloor({ forecastFloor: false }, withPolicies, ['sale'])).toBe(true);
    expect(runRaisesFloor({ forecastFloor: false }, { hasScalingPolicies: false }, [])).toBe(true);
  });
});
