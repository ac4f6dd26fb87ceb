import fc from 'fast-check';
import type { CapacityBounds, PlanCapacityInput } from '../../../../shared/core/planning/capacity-plan-input';
import { planCapacity, raisesForecastFloor } from '../../../../shared/core/planning/plan-capacity';
import { planCapacityInput } from '../../../helpers/plan-capacity-input';

/** A group with its own policy at 8 instances, its floor raised to 6 by earlier runs. */
const bounds = (overrides: Partial<CapacityBounds> = {}): CapacityBounds => ({
  currentMinSize: 6,
  currentMaxSize: 20,
  currentDesiredCapacity: 8,
  floorCapacity: 2,
  maxChangePerTick: 10,
  scaleInPerTick: 1,
  maxRaiseOverMaxSize: 0,
  hasScalingPolicies: true,
  inServiceCapacity: 8,
  forecastFloor: false,
  ...overrides,
});

const input = (plannedLoad: number[], overrides: Partial<PlanCapacityInput> = {}): PlanCapacityInput =>
  planCapacityInput(plannedLoad, bounds(), overrides);

describe('planCapacity with the floor from the forecast off', () => {
  it('raises no floor for a coming peak: MinSize goes to the user floor and desired stays', () => {
    // A peak of 15 instances within lead time plus a tick: the floor would be raised to 15.
    const load = [600, 900, 900];
    const on = planCapacity(input(load, { bounds: bounds({ forecastFloor: true }) }));
    expect(on).toMatchObject({ requiredNow: 15, minSize: 15, desiredCapacity: 15 });
    const off = planCapacity(input(load));
    expect(off).toMatchObject({ requiredNow: 15, minSize: 2, desiredCapacity: 8 });
    expect(off.limits).toContain('no floor from the forecast (forecastFloor off): the plan needs 15');
    // The per-step plan is still worked out (it guards scale-in ahead and goes to the run record).
    expect(off.perStepCapacity).toEqual(on.perStepCapacity);
  });

  it('still scales in ahead of the policy, no lower than what the plan needs', () => {
    // The recent peak needs 3 at the target; the plan needs 5 until the next launches: 5, not 3.
    const plan = planCapacity(input([300, 300, 300], { recentPeakLoad: 180 }));
    expect(plan).toMatchObject({ requiredNow: 5, minSize: 2, desiredCapacity: 5 });
    expect(plan.limits).toContain("scaled in ahead of the group's policy from 8 to 5");
  });

  it('lets the floor fall at the pace of the policy-owned group, never below floorCapacity', () => {
    const plan = planCapacity(
      input([60], { bounds: bounds({ currentMinSize: 18, currentDesiredCapacity: 18 }) }),
    );
    expect(plan.minSize).toBe(8);
    expect(plan.limits).toContain('scale-in limited to 10 per run');
  });

  it('keeps the floor of a group without scaling policies: nothing else would scale it out', () => {
    const noPolicy = bounds({ hasScalingPolicies: false, currentMinSize: 8 });
    const plan = planCapacity(input([600, 900, 900], { bounds: noPolicy }));
    expect(plan).toMatchObject({ minSize: 15, desiredCapacity: 15 });
    expect(plan.limits).toContain("floor kept: forecastFloor off needs the group's own scaling policies");
  });

  it('keeps a regained deep fall as the least scale-in ahead releases to, without raising the floor', () => {
    const plan = planCapacity(input([60, 60, 60], { regainCapacity: 7, recentPeakLoad: 60 }));
    expect(plan).toMatchObject({ requiredNow: 7, minSize: 2, desiredCapacity: 7 });
    expect(plan.limits).toContain('predictive scale-in keeps 7 after a deep fall the load came back into');
  });

  it('never sets MinSize above the user floor or DesiredCapacity above what the group had, whatever the plan', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 2000, noNaN: true }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 5 }),
        (load, desired, floorCapacity) => {
          const plan = planCapacity(
            input(load, {
              bounds: bounds({
                currentMinSize: floorCapacity,
                currentDesiredCapacity: desired,
                floorCapacity,
              }),
              recentPeakLoad: 60,
            }),
          );
          expect(plan.minSize).toBe(floorCapacity);
          expect(plan.desiredCapacity).toBeLessThanOrEqual(Math.max(desired, floorCapacity));
          expect(plan.desiredCapacity).toBeGreaterThanOrEqual(floorCapacity);
        },
      ),
    );
  });
});

describe('raisesForecastFloor', () => {
  it('is false only with forecastFloor off on a group with its own policies', () => {
    expect(raisesForecastFloor({ hasScalingPolicies: true })).toBe(true);
    expect(raisesForecastFloor({ forecastFloor: true, hasScalingPolicies: true })).toBe(true);
    expect(raisesForecastFloor({ forecastFloor: false, hasScalingPolicies: true })).toBe(false);
    expect(raisesForecastFloor({ forecastFloor: false, hasScalingPolicies: false })).toBe(true);
  });
});
