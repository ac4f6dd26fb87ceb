import fc from 'fast-check';
import { capPlannedLoad } from '../../../../shared/core/planning/cap-planned-load';

describe('capPlannedLoad', () => {
  it('caps a quantile far above the median and the current load', () => {
    expect(capPlannedLoad([250, 120], [2, 100], 10, 2)).toEqual([20, 120]);
  });

  it('lets the current load lift the cap when it runs above the median', () => {
    expect(capPlannedLoad([500], [50], 200, 2)).toEqual([400]);
  });

  it('rejects a ratio below one and unequal lengths', () => {
    expect(() => capPlannedLoad([1], [1], 1, 0.5)).toThrow(/maxRatio/);
    expect(() => capPlannedLoad([1, 2], [1], 1, 2)).toThrow(/equally long/);
  });

  it('never raises the plan and never cuts it below the ratio × median', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: 0, max: 1e4, noNaN: true }),
            fc.double({ min: 0, max: 1e4, noNaN: true }),
          ),
          {
            maxLength: 30,
          },
        ),
        fc.option(fc.double({ min: 0, max: 1e4, noNaN: true }), { nil: undefined }),
        fc.double({ min: 1, max: 10, noNaN: true }),
        (pairs, current, ratio) => {
          const planned = pairs.map(([p]) => p);
          const median = pairs.map(([, m]) => m);
          const capped = capPlannedLoad(planned, median, current, ratio);
          capped.forEach((c, i) => {
            expect(c).toBeLessThanOrEqual(planned[i] as number);
            expect(c).toBeGreaterThanOrEqual(
              Math.min(planned[i] as number, ratio * (median[i] as number)) - 1e-9,
            );
          });
        },
      ),
    );
  });
});
