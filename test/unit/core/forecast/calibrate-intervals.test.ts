import fc from 'fast-check';
import { calibrateIntervals } from '../../../../shared/core/forecast/calibrate-intervals';

describe('calibrateIntervals', () => {
  it('produces nested, non-crossing, finite intervals for any backtest errors', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.array(
          fc.array(fc.double({ min: -1e4, max: 1e4, noNaN: true }), { minLength: 12, maxLength: 12 }),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        fc.uniqueArray(fc.double({ min: 0.5, max: 99.5, noNaN: true }), { minLength: 1, maxLength: 6 }),
        (mean, rows, rawLevels) => {
          const levels = [...rawLevels].sort((a, b) => a - b);
          const intervals = calibrateIntervals(
            mean,
            rows.map((r) => Float64Array.from(r)),
            levels,
          );
          expect(intervals.map((i) => i.levelPct)).toEqual(levels);
          intervals.forEach((interval, k) => {
            mean.forEach((m, h) => {
              const lower = interval.lower[h] as number;
              const upper = interval.upper[h] as number;
              expect(Number.isFinite(lower) && Number.isFinite(upper)).toBe(true);
              expect(lower).toBeLessThanOrEqual(m);
              expect(upper).toBeGreaterThanOrEqual(m);
              const inner = intervals[k - 1];
              if (inner !== undefined) {
                expect(lower).toBeLessThanOrEqual(inner.lower[h] as number);
                expect(upper).toBeGreaterThanOrEqual(inner.upper[h] as number);
              }
            });
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('covers about the requested share of errors drawn like the backtest ones', () => {
    const rows = Array.from({ length: 8 }, (_, k) =>
      Float64Array.from({ length: 24 }, (_, h) => ((k * 24 + h) % 21) - 10),
    );
    const [i90] = calibrateIntervals(new Array<number>(24).fill(100), rows, [90]);
    const inside = rows
      .flatMap((r) => [...r])
      .filter((e, i) => {
        const h = i % 24;
        return 100 + e >= (i90?.lower[h] as number) && 100 + e <= (i90?.upper[h] as number);
      }).length;
    expect(inside / (8 * 24)).toBeGreaterThanOrEqual(0.9);
  });
});
