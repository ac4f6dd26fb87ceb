import fc from 'fast-check';
import {
  adaptPlanningQuantile,
  DEFAULT_QUANTILE_CONTROLLER,
} from '../../../../shared/core/planning/adapt-planning-quantile';
import { scoreProvisioning } from '../../../../shared/core/planning/score-provisioning';

describe('adaptPlanningQuantile', () => {
  it('raises after under-provisioning and says why', () => {
    const score = scoreProvisioning(
      Array.from({ length: 20 }, (_, i) => ({
        actualLoad: i < 2 ? 200 : 50,
        medianLoad: 60,
        plannedLoad: 80,
        plannedCapacity: 2,
      })),
      60,
    );
    const decision = adaptPlanningQuantile(0.9, score);
    expect(decision.quantile).toBeGreaterThan(0.9);
    expect(decision.reason).toContain('under-provisioned on 2 of 20 new steps');
  });

  it('lowers slowly while the plan covers the load', () => {
    const score = scoreProvisioning(
      Array.from({ length: 24 }, () => ({
        actualLoad: 30,
        medianLoad: 60,
        plannedLoad: 80,
        plannedCapacity: 2,
      })),
      60,
    );
    // 24 covered steps: −0.02 × 0.02 × 24.
    expect(adaptPlanningQuantile(0.9, score).quantile).toBeCloseTo(0.9 - 0.0096, 10);
  });

  it('keeps the quantile with no new scored step', () => {
    expect(adaptPlanningQuantile(0.9, scoreProvisioning([], 60))).toEqual({
      quantile: 0.9,
      reason: 'kept: no new scored steps',
    });
  });

  it('settles where the shortfall rate equals the budget', () => {
    // One shortfall in 50 steps is exactly the 2 % budget.
    const steps = Array.from({ length: 50 }, (_, i) => ({
      actualLoad: i === 0 ? 200 : 50,
      medianLoad: 60,
      plannedLoad: 80,
      plannedCapacity: 2,
    }));
    expect(adaptPlanningQuantile(0.9, scoreProvisioning(steps, 60)).quantile).toBeCloseTo(0.9, 10);
  });

  it('moves the same whether new steps come one run at a time or all at once', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 20 }), (shortfalls) => {
        const step = (short: boolean) => ({
          actualLoad: short ? 200 : 50,
          medianLoad: 60,
          plannedLoad: 80,
          plannedCapacity: 2,
        });
        const wide = { ...DEFAULT_QUANTILE_CONTROLLER, minQuantile: 0.01, maxQuantile: 0.999 };
        const once = adaptPlanningQuantile(0.5, scoreProvisioning(shortfalls.map(step), 60), wide).quantile;
        const stepwise = shortfalls.reduce(
          (q, short) => adaptPlanningQuantile(q, scoreProvisioning([step(short)], 60), wide).quantile,
          0.5,
        );
        expect(stepwise).toBeCloseTo(once, 9);
      }),
    );
  });

  it('always stays within its bounds', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 500 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (q, steps, under, below, within) => {
          const result = adaptPlanningQuantile(q, {
            steps,
            underProvisionedSteps: Math.min(under, steps),
            belowMedianRatio: below,
            withinPlannedQuantileRatio: within,
          });
          expect(result.quantile).toBeGreaterThanOrEqual(DEFAULT_QUANTILE_CONTROLLER.minQuantile);
          expect(result.quantile).toBeLessThanOrEqual(DEFAULT_QUANTILE_CONTROLLER.maxQuantile);
        },
      ),
    );
  });
});
