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
    expect(decision.reason).toContain('under-provisioned on 2 of 20');
  });

  it('lowers slowly after sustained over-provisioning', () => {
    const score = scoreProvisioning(
      Array.from({ length: 24 }, () => ({
        actualLoad: 30,
        medianLoad: 60,
        plannedLoad: 80,
        plannedCapacity: 2,
      })),
      60,
    );
    expect(adaptPlanningQuantile(0.9, score).quantile).toBeCloseTo(0.895, 10);
  });

  it('keeps the quantile with too few scored steps', () => {
    expect(adaptPlanningQuantile(0.9, scoreProvisioning([], 60)).quantile).toBe(0.9);
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
