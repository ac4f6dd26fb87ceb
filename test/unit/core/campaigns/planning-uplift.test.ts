import { planningUplift, poolLearnedUplifts } from '../../../../shared/core/campaigns/planning-uplift';

describe('planningUplift', () => {
  it('plans at the upper end of what past campaigns of the kind showed', () => {
    expect(planningUplift({ medianFactor: 1.5, minFactor: 1.2, maxFactor: 1.9, windowCount: 3 })).toEqual({
      kind: 'multiplier',
      factor: 1.9,
    });
  });

  it('never plans below the forecast from what a kind showed', () => {
    expect(planningUplift({ medianFactor: 0.95, minFactor: 0.93, maxFactor: 0.96, windowCount: 2 })).toEqual({
      kind: 'multiplier',
      factor: 1,
    });
  });

  it('plans no more than × 100 from a factor learned before learning was bounded (2026-12-06)', () => {
    expect(planningUplift({ medianFactor: 4000, minFactor: 3000, maxFactor: 5000, windowCount: 2 })).toEqual({
      kind: 'multiplier',
      factor: 100,
    });
  });

  it('pools groups: median of medians, widest spread, all windows', () => {
    expect(
      poolLearnedUplifts([
        { medianFactor: 1.5, minFactor: 1.2, maxFactor: 1.9, windowCount: 3 },
        { medianFactor: 2.5, minFactor: 2.1, maxFactor: 2.6, windowCount: 1 },
      ]),
    ).toEqual({ medianFactor: 2, minFactor: 1.2, maxFactor: 2.6, windowCount: 4 });
    expect(poolLearnedUplifts([])).toBeUndefined();
  });
});
