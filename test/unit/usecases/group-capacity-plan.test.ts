import type { CampaignWindow } from '../../../shared/core/forecast/types';
import { campaignsWithin, raisesForecastFloor } from '../../../shared/usecases/group-capacity-plan';

const HOUR = 3_600_000;
const window = (campaignId: string, startMs: number, endMs: number): CampaignWindow => ({
  campaignId,
  startMs,
  endMs,
  uplift: { kind: 'multiplier', factor: 2 },
  rampUpSeconds: 0,
});

describe('campaignsWithin', () => {
  const campaigns = [
    window('ended', 0, HOUR),
    window('running', HOUR / 2, 3 * HOUR),
    window('at-the-edge', 2 * HOUR, 4 * HOUR),
    window('later', 5 * HOUR, 6 * HOUR),
  ];

  it('names the campaigns active at some instant of the half-open reach', () => {
    expect(campaignsWithin(campaigns, HOUR, 2 * HOUR)).toEqual(['running']);
    expect(campaignsWithin(campaigns, HOUR, 2 * HOUR + 1)).toEqual(['running', 'at-the-edge']);
    // A campaign that ended as the reach opens is past.
    expect(campaignsWithin(campaigns, HOUR - 1, 2 * HOUR)).toEqual(['ended', 'running']);
    expect(campaignsWithin(campaigns, 4 * HOUR, 5 * HOUR)).toEqual([]);
  });
});

describe('raisesForecastFloor', () => {
  const withPolicies = { hasScalingPolicies: true };

  it('raises the floor unless it is off, with the group’s own policies and no campaign in reach', () => {
    expect(raisesForecastFloor({ forecastFloor: true }, withPolicies, [])).toBe(true);
    expect(raisesForecastFloor({ forecastFloor: false }, withPolicies, [])).toBe(false);
    expect(raisesForecastFloor({ forecastFloor: false }, withPolicies, ['sale'])).toBe(true);
    expect(raisesForecastFloor({ forecastFloor: false }, { hasScalingPolicies: false }, [])).toBe(true);
  });
});
