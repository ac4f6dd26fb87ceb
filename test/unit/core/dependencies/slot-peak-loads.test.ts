import { slotPeakLoads } from '../../../../shared/core/dependencies/slot-peak-loads';
import { slotRequirement } from '../../../../shared/core/dependencies/slot-requirement';
import { demandForecast } from '../../../helpers/demand-forecast';

describe('slotPeakLoads', () => {
  // 30-minute steps from t=0; p90 is the upper bound of the 80 % interval.
  const forecast = demandForecast(
    [1, 2, 3, 4, 5],
    [{ levelPct: 80, lower: [0, 0, 0, 0, 0], upper: [10, 30, 20, 50, 40] }],
    {
      stepSeconds: 1800,
    },
  );

  it('takes the p90 peak over the steps overlapping each slot', () => {
    expect(slotPeakLoads(forecast, { firstSlotStartMs: 0, slotSeconds: 3600, slotCount: 2 })).toEqual([
      30, 50,
    ]);
    // A slot starting mid-step includes the step it starts in.
    expect(slotPeakLoads(forecast, { firstSlotStartMs: 900_000, slotSeconds: 1800, slotCount: 2 })).toEqual([
      30, 30,
    ]);
  });

  it('uses the horizon peak for a slot beyond the forecast', () => {
    expect(slotPeakLoads(forecast, { firstSlotStartMs: 7_200_000, slotSeconds: 3600, slotCount: 2 })).toEqual(
      [40, 50],
    );
  });

  it('reads another quantile when asked', () => {
    expect(slotPeakLoads(forecast, { firstSlotStartMs: 0, slotSeconds: 3600, slotCount: 1 }, 0.5)).toEqual([
      2,
    ]);
  });
});

describe('slotRequirement', () => {
  const base = {
    groupName: 'api',
    desiredCapacity: 10,
    maxSize: 14,
    minHealthyPercentage: 90,
    targetLoadPerInstance: 10,
    hourlyPriceUsd: 0.1,
  };

  it.each([
    // p90, required, min headroom: floor((10 + h) × 0.9) ≥ required
    [85, 9, 0],
    [91, 10, 2],
    [110, 11, 3],
    [120, 12, 4],
  ])('p90 %p needs %p healthy and %p headroom', (p90, required, headroom) => {
    const r = slotRequirement({ ...base, p90LoadBySlot: [p90] }, 0);
    expect(r).toMatchObject({
      requiredHealthyInstances: required,
      minHeadroomInstances: headroom,
      feasible: true,
    });
  });

  it('is infeasible above what MaxSize allows, and says so', () => {
    const r = slotRequirement({ ...base, p90LoadBySlot: [130] }, 0);
    expect(r.feasible).toBe(false);
    expect(r.minHeadroomInstances).toBe(5);
    expect(r.reason).toBe(
      'slot 1: predicted p90 130 needs 13 healthy instance(s) (10 load each) > 12 healthy at most (90% of desired 10 + max headroom 4 under MaxSize 14)',
    );
  });

  it('never fits a loaded group that keeps nothing healthy', () => {
    const r = slotRequirement({ ...base, minHealthyPercentage: 0, p90LoadBySlot: [1] }, 0);
    expect(r.minHeadroomInstances).toBe(Number.POSITIVE_INFINITY);
    expect(r.feasible).toBe(false);
  });
});
