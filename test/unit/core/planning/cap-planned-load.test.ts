import fc from 'fast-check';
import { capPlannedLoad } from '../../../../shared/core/planning/cap-planned-load';

describe('capPlannedLoad', () => {
  it('plans the smaller of the median and the current load where the quantile is far above both', () => {
    expect(capPlannedLoad([250, 120], [2, 100], 10, 2)).toEqual([2, 120]);
    expect(capPlannedLoad([250], [30], 10, 2)).toEqual([10]);
  });

  it('lets the current load lift the bound when it runs above the median', () => {
    expect(capPlannedLoad([400], [50], 200, 2)).toEqual([400]);
    expect(capPlannedLoad([401], [50], 200, 2)).toEqual([50]);
  });

  it('lets the median stand in for a current load that is not known', () => {
    // Not planned at nothing where the quantile is far above the median, nor lifted by a guess.
    expect(capPlannedLoad([250, 120], [30, 100], undefined, 2)).toEqual([30, 120]);
  });

  it('rejects a ratio below one and unequal lengths', () => {
    expect(() => capPlannedLoad([1], [1], 1, 0.5)).toThrow(/maxRatio/);
    expect(() => capPlannedLoad([1, 2], [1], 1, 2)).toThrow(/equally long/);
    expect(() => capPlannedLoad([1], [1], 1, 2, [1, 2])).toThrow(/equally long/);
  });

  it('falls back where the spread band is far above, even when the planned quantile is not', () => {
    // Planned 30 is within 2 × 20, but the forecast's upper band (250) says it cannot place the step.
    expect(capPlannedLoad([30, 30], [20, 20], 10, 2, [250, 35])).toEqual([10, 30]);
  });

  it('never raises the plan, and keeps it whole up to the ratio × the larger of median and current load', () => {
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
        fc.double({ min: 0, max: 2, noNaN: true }),
        (pairs, current, ratio, spreadFactor) => {
          const planned = pairs.map(([p]) => p);
          const median = pairs.map(([, m]) => m);
          const spread = planned.map((p) => p * spreadFactor);
          const capped = capPlannedLoad(planned, median, current, ratio, spread);
          capped.forEach((c, i) => {
            const p = planned[i] as number;
            const m = median[i] as number;
            expect(c).toBeLessThanOrEqual(p);
            if (Math.max(p, spread[i] as number) <= ratio * Math.max(m, current ?? 0)) expect(c).toBe(p);
            else expect(c).toBeLessThanOrEqual(m);
          });
        },
      ),
    );
  });
});
