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

  describe('with the refresh preferences and the slot length', () => {
    // 90–110 % healthy, 300 s warmup: a batch of 2 (of 10 to 14) every 420 s.
    const refreshing = { ...base, refresh: { instanceWarmupSeconds: 300, maxHealthyPercentage: 110 } };

    it('fits a slot that holds the refresh of the headroom the peak needs', () => {
      // 120 takes 4 headroom: 14 instances in 7 batches, 2,940 s.
      const r = slotRequirement({ ...refreshing, p90LoadBySlot: [120] }, 0, { seconds: 2940 });
      expect(r).toMatchObject({ feasible: true, refreshSeconds: 2940 });
    });

    it("does not fit a slot that holds today's refresh but not the headroom's, naming the slot and both", () => {
      // Today's 10 take 5 batches, 2,100 s; with the headroom, 2,940 s.
      const r = slotRequirement({ ...refreshing, p90LoadBySlot: [0, 120] }, 1, {
        label: 'slot 2 (2026-03-02 01:40 UTC)',
        seconds: 2400,
      });
      expect(r.feasible).toBe(false);
      expect(r.reason).toBe(
        "slot 2 (2026-03-02 01:40 UTC): the refresh of the headroom its p90 120 needs (desired 10 → 14) takes an estimated 49 minutes, longer than the slot's 40 minutes (desired 10 alone: 35 minutes): started late in its slot, it would outlast the next one",
      );
    });

    it('checks nothing of the refresh without the slot length or the preferences', () => {
      expect(slotRequirement({ ...refreshing, p90LoadBySlot: [120] }, 0)).toMatchObject({ feasible: true });
      expect(slotRequirement({ ...base, p90LoadBySlot: [120] }, 0, { seconds: 60 })).toMatchObject({
        feasible: true,
      });
    });
  });
});
