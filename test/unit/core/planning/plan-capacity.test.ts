import fc from 'fast-check';
import type { CapacityBounds, PlanCapacityInput } from '../../../../shared/core/planning/capacity-plan-input';
import { planCapacity } from '../../../../shared/core/planning/plan-capacity';
import { planCapacityInput } from '../../../helpers/plan-capacity-input';

const bounds = (overrides: Partial<CapacityBounds> = {}): CapacityBounds => ({
  currentMinSize: 2,
  currentMaxSize: 20,
  currentDesiredCapacity: 2,
  floorCapacity: 2,
  maxChangePerTick: 10,
  scaleInPerTick: 1,
  maxRaiseOverMaxSize: 0,
  hasScalingPolicies: false,
  ...overrides,
});

const input = (plannedLoad: number[], overrides: Partial<PlanCapacityInput> = {}): PlanCapacityInput =>
  planCapacityInput(plannedLoad, bounds(), overrides);

describe('planCapacity', () => {
  it('covers the peak inside lead time plus one tick, so capacity is in service before it arrives', () => {
    // Flat 60 (1 instance) then a peak of 600 (10 instances) at step 3 = 15 minutes from now.
    const load = [60, 60, 60, 600, 600, 60];
    // 10-minute lead time + 5-minute tick: this run is the last that can have the peak covered.
    expect(planCapacity(input(load, { leadTimeSeconds: 600 })).minSize).toBe(10);
    // With a 5-minute lead time the next run can still launch in time: the peak is not bought
    // early, only the minutes at the end of step 2 that run up to it (`rampPeakLoad`: half the
    // rise, 330 → 6 instances).
    const early = planCapacity(input(load, { leadTimeSeconds: 300, tickIntervalSeconds: 300 }));
    expect(early.requiredNow).toBe(6);
    expect(early.minSize).toBe(6);
  });

  it('reaches a step its warm pool can serve on the warm starts’ lead time, one it cannot on the cold', () => {
    // The peak of 10 instances 15 minutes out is in reach of a 10-minute cold start only.
    const load = [60, 60, 60, 600, 600, 60];
    const cold = { leadTimeSeconds: 600 };
    const warm = (capacity: number) => ({ ...cold, warmStart: { leadTimeSeconds: 60, capacity } });
    // The pool holds 8 (2 + 8 = 10): the next runs draw it in a minute; nothing is bought early.
    expect(planCapacity(input(load, warm(10))).requiredNow).toBe(1);
    // It holds 7: the tenth instance launches cold, after the pool's, so all 10 start now.
    expect(planCapacity(input(load, warm(9))).requiredNow).toBe(10);
    expect(planCapacity(input(load, cold)).requiredNow).toBe(10);
  });

  it('starts early what a later peak needs beyond what the raise pace could still add before it', () => {
    // A peak of 30 instances 25 minutes out; lead time 10 minutes, runs every 5 minutes: this run
    // and three more can act before it, so at 5 per run this run must already plan 30 − 3 × 5.
    const load = [60, 60, 60, 60, 60, 1800, 1800];
    const slow = planCapacity(input(load, { bounds: bounds({ maxChangePerTick: 5 }) }));
    expect(slow.requiredNow).toBe(15);
    expect(slow.minSize).toBe(7);
    // At 10 per run the later runs can still get there: nothing is bought early.
    expect(planCapacity(input(load)).requiredNow).toBe(1);
  });

  it.each([
    ['holds the floor when the load needs less', [10, 10], {}, { minSize: 2, desiredCapacity: 2 }],
    ['never exceeds MaxSize', [6000], { maxChangePerTick: 100 }, { minSize: 20, maxSize: 20 }],
    [
      'raises MaxSize within the allowed raise',
      [1800],
      { maxRaiseOverMaxSize: 5, maxChangePerTick: 100 },
      { minSize: 25, maxSize: 25 },
    ],
    ['limits the raise per run', [900], { maxChangePerTick: 3 }, { minSize: 5 }],
    [
      'scales in by at most scaleInPerTick',
      [60],
      { currentMinSize: 8, currentDesiredCapacity: 8 },
      { minSize: 7 },
    ],
    [
      'lowers MinSize to a left release at once where the pace is 0, to its need (1) at most',
      [60],
      {
        currentMinSize: 8,
        currentDesiredCapacity: 8,
        scaleInPerTick: 0,
        floorCapacity: 1,
        releasedMinSize: 0,
      },
      { minSize: 1, desiredCapacity: 1 },
    ],
    [
      'lowers MinSize to a left release at once, no further than the release leaves',
      [60],
      { currentMinSize: 8, currentDesiredCapacity: 8, scaleInPerTick: 0, releasedMinSize: 4 },
      { minSize: 4, desiredCapacity: 4 },
    ],
    [
      'lowers the floor at the raise pace when reactive policies own scale-in',
      [60],
      { hasScalingPolicies: true, currentMinSize: 12, currentDesiredCapacity: 12, maxChangePerTick: 4 },
      { minSize: 8, desiredCapacity: 12 },
    ],
    [
      'keeps a higher desired capacity when reactive policies own scale-in',
      [120],
      { hasScalingPolicies: true, currentDesiredCapacity: 9, currentMinSize: 2 },
      { minSize: 2, desiredCapacity: 9 },
    ],
  ] as const)('%s', (_name, load, boundOverrides, expected) => {
    const plan = planCapacity(input([...load], { bounds: bounds(boundOverrides) }));
    expect(plan).toMatchObject(expected);
  });

  it('restores a raised MaxSize once the load is back under it', () => {
    const plan = planCapacity(
      input([60], {
        bounds: bounds({
          currentMaxSize: 25,
          originalMaxSize: 20,
          maxRaiseOverMaxSize: 5,
          currentMinSize: 3,
          currentDesiredCapacity: 3,
        }),
      }),
    );
    expect(plan.maxSize).toBe(20);
  });

  it('stays within [floor, max] and within the per-run change for any forecast', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e5, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 10 }),
        (load, floor, max, currentMin, up, down, raise) => {
          const maxSize = Math.max(max, floor);
          const min = Math.min(currentMin, maxSize);
          const plan = planCapacity(
            input(load, {
              bounds: bounds({
                floorCapacity: floor,
                currentMaxSize: maxSize,
                currentMinSize: min,
                currentDesiredCapacity: min,
                maxChangePerTick: up,
                scaleInPerTick: down,
                maxRaiseOverMaxSize: raise,
              }),
            }),
          );
          expect(plan.minSize).toBeGreaterThanOrEqual(Math.min(floor, plan.maxSize));
          expect(plan.maxSize).toBeLessThanOrEqual(maxSize + raise);
          expect(plan.minSize).toBeLessThanOrEqual(plan.maxSize);
          expect(plan.desiredCapacity).toBeGreaterThanOrEqual(plan.minSize);
          expect(plan.desiredCapacity).toBeLessThanOrEqual(plan.maxSize);
          const withinPace = plan.minSize - min <= up && min - plan.minSize <= down;
          // Only a current MinSize outside [floor, max] may be corrected faster than the pace.
          expect(withinPace || min < floor || min > plan.maxSize).toBe(true);
        },
      ),
    );
  });

  describe("scale-in ahead of the group's policy", () => {
    const withPolicy = (overrides: Partial<CapacityBounds> = {}) =>
      bounds({
        hasScalingPolicies: true,
        currentMinSize: 2,
        currentDesiredCapacity: 12,
        inServiceCapacity: 12,
        ...overrides,
      });

    it('lowers desired capacity to what the recent peak needs when the forecast does not rise', () => {
      const plan = planCapacity(input([300, 300, 300], { bounds: withPolicy(), recentPeakLoad: 420 }));
      expect(plan).toMatchObject({ minSize: 5, desiredCapacity: 7 });
      expect(plan.limits.join()).toMatch(/ahead of the group's policy from 12 to 7/);
    });

    it('keeps headroom for the recent peak at a share of the target', () => {
      // 420 at 60 × 0.9 = 54 per instance needs 8 instances, at 60 it needs 7.
      const plan = planCapacity(
        input([300, 300, 300], { bounds: withPolicy(), recentPeakLoad: 420, recentPeakTargetRatio: 0.9 }),
      );
      expect(plan.desiredCapacity).toBe(8);
    });

    it('removes at most maxChangePerTick instances per run', () => {
      const plan = planCapacity(
        input([60], { bounds: withPolicy({ maxChangePerTick: 3, currentMinSize: 1 }), recentPeakLoad: 60 }),
      );
      expect(plan.desiredCapacity).toBe(9);
    });

    it('rejects a recent-peak target ratio outside (0, 1]', () => {
      for (const ratio of [0, -0.5, 1.2, Number.NaN]) {
        expect(() =>
          planCapacity(
            input([300], { bounds: withPolicy(), recentPeakLoad: 420, recentPeakTargetRatio: ratio }),
          ),
        ).toThrow(/recentPeakTargetRatio must be in \(0, 1\]/);
      }
    });

    it("never goes below what the forecast needs until the next run's launches", () => {
      const plan = planCapacity(input([60, 540, 60], { bounds: withPolicy(), recentPeakLoad: 60 }));
      expect(plan).toMatchObject({ requiredNow: 9, desiredCapacity: 9 });
    });

    it('keeps desired capacity when the forecast needs all of it', () => {
      const plan = planCapacity(input([720, 720], { bounds: withPolicy(), recentPeakLoad: 300 }));
      expect(plan.desiredCapacity).toBe(12);
    });

    it('keeps desired capacity while launches are on the way or without a recent peak', () => {
      expect(
        planCapacity(input([60], { bounds: withPolicy({ inServiceCapacity: 10 }), recentPeakLoad: 60 }))
          .desiredCapacity,
      ).toBe(12);
      expect(planCapacity(input([60], { bounds: withPolicy() })).desiredCapacity).toBe(12);
    });

    it("keeps the recent peak's need in ready instances on top of the instances still warming", () => {
      // 420 at 60 needs 7 ready instances; 3 of the 12 are warming and scale-in terminates ready
      // ones first, so 10 stay until they are warm.
      const plan = planCapacity(
        input([300, 300, 300], { bounds: withPolicy({ warmingCapacity: 3 }), recentPeakLoad: 420 }),
      );
      expect(plan.desiredCapacity).toBe(10);
      expect(plan.limits.join()).toMatch(/from 12 to 10/);
      expect(plan.limits.join()).toMatch(/kept 3 warming instances' worth of ready capacity/);
    });

    it('keeps desired capacity while the warming instances and the recent peak need all of it', () => {
      const plan = planCapacity(
        input([300, 300, 300], { bounds: withPolicy({ warmingCapacity: 6 }), recentPeakLoad: 420 }),
      );
      expect(plan.desiredCapacity).toBe(12);
      expect(plan.limits.join()).toMatch(/kept 6 warming instances' worth/);
    });

    it('does not hold for warming instances the forecast or the floor already keeps', () => {
      // The forecast needs 9 until the next run's launches; the peak's 1 + 2 warming is below that.
      const plan = planCapacity(
        input([60, 540, 60], { bounds: withPolicy({ warmingCapacity: 2 }), recentPeakLoad: 60 }),
      );
      expect(plan.desiredCapacity).toBe(9);
      expect(plan.limits.join()).not.toMatch(/warming/);
    });

    it('rejects a negative or non-finite warming capacity', () => {
      for (const warmingCapacity of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect(() =>
          planCapacity(input([300], { bounds: withPolicy({ warmingCapacity }), recentPeakLoad: 420 })),
        ).toThrow(/warmingCapacity must be a finite number ≥ 0/);
      }
    });

    it('never leaves fewer ready instances than the recent peak needs when it lowers desired capacity', () => {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 0, max: 1200 }), { minLength: 1, maxLength: 12 }),
          fc.integer({ min: 0, max: 1200 }),
          fc.integer({ min: 1, max: 20 }),
          fc.integer({ min: 0, max: 20 }),
          fc.integer({ min: 0, max: 5 }),
          (load, peak, desired, warmingShare, floor) => {
            const warming = Math.min(desired, warmingShare);
            const plan = planCapacity(
              input(load, {
                recentPeakLoad: peak,
                bounds: withPolicy({
                  currentDesiredCapacity: desired,
                  inServiceCapacity: desired,
                  warmingCapacity: warming,
                  floorCapacity: floor,
                  currentMinSize: floor,
                }),
              }),
            );
            expect(plan.desiredCapacity).toBeLessThanOrEqual(plan.maxSize);
            expect(plan.desiredCapacity).toBeGreaterThanOrEqual(plan.minSize);
            // Scale-in terminates the ready (oldest) instances first: those left are the rest.
            if (plan.desiredCapacity < desired) {
              expect(plan.desiredCapacity - warming).toBeGreaterThanOrEqual(Math.ceil(peak / 60 - 1e-9));
            }
          },
        ),
      );
    });

    it("never lowers desired capacity below the plan, the recent peak's need or the floor", () => {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 0, max: 1200 }), { minLength: 1, maxLength: 12 }),
          fc.integer({ min: 0, max: 1200 }),
          fc.integer({ min: 1, max: 20 }),
          fc.integer({ min: 0, max: 5 }),
          fc.double({ min: 0.5, max: 1, noNaN: true }),
          (load, peak, desired, floor, ratio) => {
            const plan = planCapacity(
              input(load, {
                recentPeakLoad: peak,
                recentPeakTargetRatio: ratio,
                bounds: withPolicy({
                  currentDesiredCapacity: desired,
                  inServiceCapacity: desired,
                  floorCapacity: floor,
                  currentMinSize: floor,
                }),
              }),
            );
            expect(plan.desiredCapacity).toBeGreaterThanOrEqual(plan.minSize);
            expect(plan.desiredCapacity).toBeLessThanOrEqual(plan.maxSize);
            expect(plan.desiredCapacity).toBeGreaterThanOrEqual(Math.min(desired, 20) - 10);
            if (plan.desiredCapacity < desired) {
              expect(plan.desiredCapacity).toBeGreaterThanOrEqual(
                Math.min(Math.ceil(peak / (60 * ratio) - 1e-9), 20),
              );
              expect(plan.desiredCapacity).toBeGreaterThanOrEqual(Math.min(plan.requiredNow, 20));
            }
          },
        ),
      );
    });
  });
});
