import fc from 'fast-check';
import type { CapacityBounds, PlanCapacityInput } from '../../../../shared/core/planning/capacity-plan-input';
import { planCapacity } from '../../../../shared/core/planning/plan-capacity';
import { planCapacityInput } from '../../../helpers/plan-capacity-input';

/** A group with its own policy, scaled in ahead of it to one instance. */
const bounds = (overrides: Partial<CapacityBounds> = {}): CapacityBounds => ({
  currentMinSize: 1,
  currentMaxSize: 20,
  currentDesiredCapacity: 1,
  floorCapacity: 1,
  maxChangePerTick: 10,
  scaleInPerTick: 1,
  maxRaiseOverMaxSize: 0,
  hasScalingPolicies: true,
  inServiceCapacity: 1,
  ...overrides,
});

const input = (plannedLoad: number[], overrides: Partial<PlanCapacityInput> = {}): PlanCapacityInput =>
  planCapacityInput(plannedLoad, bounds(), overrides);

describe('planCapacity regaining a deep fall', () => {
  it('raises the floor and desired capacity to the capacity the load came back into', () => {
    const plan = planCapacity(input([60, 60, 60, 60], { regainCapacity: 10 }));
    expect(plan).toMatchObject({ requiredNow: 10, minSize: 10, desiredCapacity: 10 });
    expect(plan.limits).toContain('regained 10 released ahead of a deep fall the load came back into');
  });

  it('regains within the raise pace and MaxSize', () => {
    const paced = planCapacity(input([60], { regainCapacity: 15 }));
    expect(paced).toMatchObject({ minSize: 11, desiredCapacity: 11 });
    expect(paced.limits.join()).toMatch(/raise limited to 10 per run/);
    const capped = planCapacity(input([60], { regainCapacity: 25, bounds: bounds({ currentMinSize: 15 }) }));
    expect(capped).toMatchObject({ minSize: 20, maxSize: 20 });
    expect(capped.limits.join()).toMatch(/needed 25 but MaxSize is 20/);
  });

  it('changes nothing when the forecast already needs as much, or with nothing to regain', () => {
    const load = [600, 600, 600];
    const without = planCapacity(input(load));
    for (const regainCapacity of [0, 4, 10]) {
      const plan = planCapacity(input(load, { regainCapacity }));
      expect(plan).toEqual(without);
    }
  });

  it('rejects a negative or fractional capacity to regain', () => {
    expect(() => planCapacity(input([60], { regainCapacity: -1 }))).toThrow(
      /regainCapacity must be a whole number ≥ 0, got -1/,
    );
    expect(() => planCapacity(input([60], { regainCapacity: 2.5 }))).toThrow(/regainCapacity.*got 2.5/);
  });

  it('needs at least the capacity to regain, never less than without it, within the bounds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 3000, noNaN: true }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 30 }),
        (load, regainCapacity, desired, max) => {
          const b = bounds({
            currentMaxSize: max,
            currentDesiredCapacity: Math.min(desired, max),
            inServiceCapacity: Math.min(desired, max),
          });
          const without = planCapacity(input(load, { bounds: b }));
          const plan = planCapacity(input(load, { bounds: b, regainCapacity }));
          expect(plan.requiredNow).toBe(Math.max(without.requiredNow, regainCapacity));
          expect(plan.minSize).toBeGreaterThanOrEqual(without.minSize);
          expect(plan.desiredCapacity).toBeGreaterThanOrEqual(without.desiredCapacity);
          expect(plan.minSize).toBeLessThanOrEqual(plan.maxSize);
          expect(plan.desiredCapacity).toBeLessThanOrEqual(plan.maxSize);
          expect(plan.minSize - 1).toBeLessThanOrEqual(10);
        },
      ),
    );
  });
});
