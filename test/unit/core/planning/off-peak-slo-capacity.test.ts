import fc from 'fast-check';
import { offPeakSloCapacity } from '../../../../shared/core/planning/off-peak-slo-capacity';
import { planCapacity } from '../../../../shared/core/planning/plan-capacity';
import { requiredCapacity } from '../../../../shared/core/planning/required-capacity';

// A day in six steps: a trough of 150–400, peaks of 1200–1600 (target 80, SLO 60).
const DAY = [150, 400, 1200, 1600, 1400, 300];

describe('offPeakSloCapacity', () => {
  it('plans the steps whose need at the SLO fits in the median step at the target at the SLO', () => {
    // At 80: 2, 5, 15, 20, 18, 4 (lower median 5). At 60: 3, 7, 20, 27, 24, 5.
    expect(offPeakSloCapacity(DAY, 80, 60)).toEqual([3, 5, 15, 20, 18, 5]);
  });

  it('plans every step at the target without an SLO or with the SLO at or above the target', () => {
    const atTarget = requiredCapacity(DAY, 80);
    expect(offPeakSloCapacity(DAY, 80)).toEqual(atTarget);
    expect(offPeakSloCapacity(DAY, 80, 80)).toEqual(atTarget);
    expect(offPeakSloCapacity(DAY, 80, 95)).toEqual(atTarget);
  });

  it('answers an empty horizon with an empty plan', () => {
    expect(offPeakSloCapacity([], 80, 60)).toEqual([]);
  });

  it('rejects a non-positive or non-finite SLO with the value received', () => {
    expect(() => offPeakSloCapacity(DAY, 80, 0)).toThrow(
      'sloLoadPerInstance must be a positive number, got 0',
    );
    expect(() => offPeakSloCapacity(DAY, 80, Number.NaN)).toThrow(
      'sloLoadPerInstance must be a positive number, got NaN',
    );
  });

  it('never plans below the target nor above the SLO, and never raises a step above the median', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: 0, max: 5000, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 20, max: 100 }),
        fc.integer({ min: 20, max: 100 }),
        (load, target, slo) => {
          const atTarget = requiredCapacity(load, target);
          const atSlo = requiredCapacity(load, slo);
          const typical = [...atTarget].sort((a, b) => a - b)[
            Math.floor((atTarget.length - 1) / 2)
          ] as number;
          offPeakSloCapacity(load, target, slo).forEach((capacity, step) => {
            const t = atTarget[step] as number;
            expect(capacity).toBeGreaterThanOrEqual(t);
            expect(capacity).toBeLessThanOrEqual(Math.max(t, atSlo[step] as number));
            if (capacity > t) expect(capacity).toBeLessThanOrEqual(typical);
          });
        },
      ),
    );
  });
});

describe('planCapacity with an SLO below the target', () => {
  it('holds the SLO in the trough and the target at the peak', () => {
    const plan = (load: number[], sloLoadPerInstance?: number) =>
      planCapacity({
        plannedLoad: load,
        forecastStartMs: 0,
        stepSeconds: 300,
        nowMs: 0,
        targetLoadPerInstance: 80,
        ...(sloLoadPerInstance !== undefined ? { sloLoadPerInstance } : {}),
        leadTimeSeconds: 300,
        tickIntervalSeconds: 300,
        bounds: {
          currentMinSize: 1,
          currentMaxSize: 40,
          currentDesiredCapacity: 1,
          floorCapacity: 1,
          maxChangePerTick: 40,
          scaleInPerTick: 40,
          maxRaiseOverMaxSize: 0,
          hasScalingPolicies: false,
        },
      });
    // The trough first (steps 0–2 are inside lead time plus one tick, step 3 runs up to the
    // peaks at its end: `rampPeakLoad`), then the day's peaks.
    const trough = [400, 400, 400, 400, ...Array.from({ length: 8 }, () => 1500)];
    expect(plan(trough).minSize).toBe(5);
    expect(plan(trough, 60).minSize).toBe(7);
    const peak = [1500, 1500, 1500, ...Array.from({ length: 9 }, () => 400)];
    expect(plan(peak, 60).minSize).toBe(19);
  });
});
