import { holdRecentLoad, recentLoadHold } from '../../../../shared/core/planning/recent-load-hold';

describe('recentLoadHold', () => {
  it('is the quantile of the recent loads, linear between order statistics', () => {
    const loads = [50, 10, 40, 20, 30];
    expect(recentLoadHold(loads, 1)).toBe(50);
    expect(recentLoadHold(loads, 0.5)).toBe(30);
    // Position 0.95 × 4 = 3.8: 40 + 0.8 × (50 − 40).
    expect(recentLoadHold(loads, 0.95)).toBeCloseTo(48, 10);
  });

  it('reads only finite loads and holds nothing with fewer than three', () => {
    expect(recentLoadHold([Number.NaN, 70, Number.POSITIVE_INFINITY, 90], 1)).toBeUndefined();
    expect(recentLoadHold([Number.NaN, 70, 80, 90], 0.5)).toBe(80);
    expect(recentLoadHold([], 0.95)).toBeUndefined();
  });

  it.each([0, -0.1, 1.01, Number.NaN])('refuses the quantile %p', (quantile) => {
    expect(() => recentLoadHold([1, 2, 3], quantile)).toThrow(`quantile must be in (0, 1], got ${quantile}`);
  });
});

describe('holdRecentLoad', () => {
  const window = { forecastStartMs: 1_000_000, stepMs: 300_000, untilMs: 1_000_000 + 2 * 300_000 + 1 };

  it('raises the steps that start before the next launches are in service, and no later one', () => {
    expect(holdRecentLoad([40, 90, 40, 40], 80, window)).toEqual([80, 90, 80, 40]);
  });

  it('leaves a plan above the held load as it is', () => {
    expect(holdRecentLoad([100, 100, 100], 80, window)).toEqual([100, 100, 100]);
  });
});
