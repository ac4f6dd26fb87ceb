import fc from 'fast-check';
import { planHeadroom } from '../../../../shared/core/rolling-update/plan-headroom';
import { healthyCapacity } from '../../../../shared/core/rolling-update/types';

describe('planHeadroom', () => {
  it.each([
    // peak, min, desired, max, minHealthy → kind, min, desired
    [300, 2, 4, 10, 90, 'raised', 6, 6],
    [120, 4, 4, 10, 90, 'unchanged', 4, 4],
    [120, 2, 4, 10, 90, 'raised', 4, 4],
    [600, 2, 4, 10, 90, 'capped', 10, 10],
    [0, 1, 3, 5, 100, 'raised', 3, 3],
    [60, 0, 0, 5, 0, 'capped', 5, 5],
    [60, 1, 1, 3, 50, 'raised', 2, 2],
  ] as const)(
    'peak %d with min %d desired %d max %d at %d%% → %s %d/%d',
    (peak, min, desired, max, pct, kind, minSize, desiredCapacity) => {
      const plan = planHeadroom({
        current: { minSize: min, desiredCapacity: desired, maxSize: max },
        peakLoad: peak,
        targetLoadPerInstance: 60,
        minHealthyPercentage: pct,
      });
      expect(plan).toMatchObject({ kind, minSize, desiredCapacity });
      expect(plan.original).toEqual({ minSize: min, desiredCapacity: desired, maxSize: max });
    },
  );

  it('never goes above MaxSize, never lowers, and keeps p90 healthy whenever that is feasible', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 0, max: 50 }),
        fc.double({ min: 0, max: 5000, noNaN: true }),
        fc.integer({ min: 0, max: 100 }),
        fc.double({ min: 1, max: 200, noNaN: true }),
        (a, b, c, peakLoad, minHealthyPercentage, targetLoadPerInstance) => {
          const [minSize, desiredCapacity, maxSize] = [a, b, c].sort((x, y) => x - y) as [
            number,
            number,
            number,
          ];
          const plan = planHeadroom({
            current: { minSize, desiredCapacity, maxSize },
            peakLoad,
            targetLoadPerInstance,
            minHealthyPercentage,
          });
          expect(plan.desiredCapacity).toBeLessThanOrEqual(maxSize);
          expect(plan.minSize).toBeLessThanOrEqual(plan.desiredCapacity);
          expect(plan.desiredCapacity).toBeGreaterThanOrEqual(desiredCapacity);
          expect(plan.minSize).toBeGreaterThanOrEqual(minSize);
          const feasible = healthyCapacity(maxSize, minHealthyPercentage) >= plan.requiredHealthyCapacity;
          if (feasible) {
            expect(plan.kind).not.toBe('capped');
            expect(
              healthyCapacity(plan.desiredCapacity, minHealthyPercentage) * targetLoadPerInstance,
            ).toBeGreaterThanOrEqual(peakLoad - 1e-6);
          }
        },
      ),
    );
  });
});
