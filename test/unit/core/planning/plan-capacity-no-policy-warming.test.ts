import fc from 'fast-check';
import type { CapacityBounds, PlanCapacityInput } from '../../../../shared/core/planning/capacity-plan-input';
import { planCapacity } from '../../../../shared/core/planning/plan-capacity';
import { planCapacityInput } from '../../../helpers/plan-capacity-input';

/** A group without policies of its own at 12 instances: Prescale sets DesiredCapacity = MinSize. */
const untracked = (overrides: Partial<CapacityBounds> = {}): CapacityBounds => ({
  currentMinSize: 12,
  currentMaxSize: 20,
  currentDesiredCapacity: 12,
  floorCapacity: 2,
  maxChangePerTick: 10,
  scaleInPerTick: 10,
  maxRaiseOverMaxSize: 0,
  hasScalingPolicies: false,
  inServiceCapacity: 12,
  ...overrides,
});

const input = (plannedLoad: number[], overrides: Partial<PlanCapacityInput> = {}): PlanCapacityInput =>
  planCapacityInput(plannedLoad, untracked(), overrides);

describe('planCapacity without scaling policies while launches warm', () => {
  it("keeps the recent peak's need in ready instances on top of the warming ones when it scales in", () => {
    // The forecast needs 5; the recent 420 at 60 needs 7 ready, and 3 of the 12 are warming.
    const plan = planCapacity(
      input([300, 300, 300], { bounds: untracked({ warmingCapacity: 3 }), recentPeakLoad: 420 }),
    );
    expect(plan).toMatchObject({ minSize: 10, desiredCapacity: 10 });
    expect(plan.limits.join()).toMatch(/scale-in kept 3 warming instances' worth of ready capacity/);
  });

  it('scales in as before with nothing warming or without a recent peak', () => {
    const cold = planCapacity(input([300, 300, 300], { recentPeakLoad: 420 }));
    expect(cold).toMatchObject({ minSize: 5, desiredCapacity: 5 });
    const noPeak = planCapacity(input([300, 300, 300], { bounds: untracked({ warmingCapacity: 3 }) }));
    expect(noPeak).toMatchObject({ minSize: 5, desiredCapacity: 5 });
    expect(`${cold.limits.join()}${noPeak.limits.join()}`).not.toMatch(/warming/);
  });

  it('never raises capacity above the current DesiredCapacity or MaxSize to hold for warming ones', () => {
    const all = planCapacity(
      input([300, 300, 300], { bounds: untracked({ warmingCapacity: 6 }), recentPeakLoad: 420 }),
    );
    expect(all).toMatchObject({ minSize: 12, desiredCapacity: 12 });
    // MaxSize lowered to 9 by the user: the hold stops there.
    const capped = planCapacity(
      input([300, 300, 300], {
        bounds: untracked({ warmingCapacity: 6, currentMaxSize: 9 }),
        recentPeakLoad: 420,
      }),
    );
    expect(capped).toMatchObject({ maxSize: 9, desiredCapacity: 9 });
  });

  it('does not hold when the run raises capacity', () => {
    const plan = planCapacity(
      input([900, 900], {
        bounds: untracked({ warmingCapacity: 4, currentMinSize: 2, currentDesiredCapacity: 2 }),
        recentPeakLoad: 900,
      }),
    );
    expect(plan.desiredCapacity).toBe(12);
    expect(plan.limits.join()).not.toMatch(/warming/);
  });

  it('rejects a negative or non-finite warming capacity', () => {
    for (const warmingCapacity of [-1, Number.NaN]) {
      expect(() =>
        planCapacity(input([300], { bounds: untracked({ warmingCapacity }), recentPeakLoad: 420 })),
      ).toThrow(/warmingCapacity must be a finite number ≥ 0/);
    }
  });

  it("stays within the bounds and never leaves fewer ready instances than the peak's need when it scales in", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1200 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 1200 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 1, max: 10 }),
        (load, peak, desired, warmingShare, floor, scaleInPerTick) => {
          const warming = Math.min(desired, warmingShare);
          const at = (warmingCapacity: number) =>
            planCapacity(
              input(load, {
                recentPeakLoad: peak,
                bounds: untracked({
                  currentMinSize: desired,
                  currentDesiredCapacity: desired,
                  inServiceCapacity: desired,
                  warmingCapacity,
                  floorCapacity: floor,
                  scaleInPerTick,
                }),
              }),
            );
          const plan = at(warming);
          const cold = at(0);
          expect(plan.desiredCapacity).toBe(plan.minSize);
          expect(plan.desiredCapacity).toBeLessThanOrEqual(plan.maxSize);
          expect(plan.desiredCapacity).toBeGreaterThanOrEqual(Math.min(floor, plan.maxSize));
          // The hold only slows a scale-in: never below the plan without warming ones, never a raise.
          expect(plan.desiredCapacity).toBeGreaterThanOrEqual(cold.desiredCapacity);
          expect(plan.desiredCapacity).toBeLessThanOrEqual(Math.max(cold.desiredCapacity, desired));
          // Scale-in terminates ready instances first: those left are the rest. With nothing
          // warming, the plan alone sets the capacity, as before.
          if (warming > 0 && plan.desiredCapacity < desired) {
            expect(plan.desiredCapacity - warming).toBeGreaterThanOrEqual(Math.ceil(peak / 60 - 1e-9));
          }
        },
      ),
    );
  });
});
