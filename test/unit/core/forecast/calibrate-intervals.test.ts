import fc from 'fast-check';
import {
  calibrateIntervals,
  effectiveOrigins,
  MAX_RECENT_ERROR_INFLATION,
  recentErrorInflation,
} from '../../../../shared/core/forecast/calibrate-intervals';
import { intervalViolations } from './interval-violations';

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
        fc.array(fc.double({ min: 1e-6, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 }),
        (mean, rows, rawLevels, weights) => {
          const levels = [...rawLevels].sort((a, b) => a - b);
          const intervals = calibrateIntervals(
            mean,
            rows.map((r) => Float64Array.from(r)),
            levels,
            weights.slice(0, rows.length),
          );
          expect(intervals.map((i) => i.levelPct)).toEqual(levels);
          expect(intervalViolations(mean, intervals)).toEqual([]);
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

  const steady = (k: number, size: number) =>
    Float64Array.from({ length: 24 }, (_, h) => size * ((((k * 24 + h) * 7) % 21) - 10));
  const flat = new Array<number>(24).fill(100);
  const width = (rows: Float64Array[], weights?: number[]) => {
    const [i90] = calibrateIntervals(flat, rows, [90], weights);
    return (i90?.upper[0] as number) - (i90?.lower[0] as number);
  };

  it.each([
    { case: 'equal errors', sizes: [1, 1, 1, 1], expected: 1 },
    { case: 'a calm latest origin', sizes: [2, 2, 2, 1], expected: 1 },
    { case: 'a latest origin 1.6× the weighted mean', sizes: [1, 1, 1, 2], expected: 1.6 },
    {
      case: 'an extreme latest origin (capped)',
      sizes: [1, 1, 1, 100],
      expected: MAX_RECENT_ERROR_INFLATION,
    },
    { case: 'a single origin', sizes: [7], expected: 1 },
  ])('inflates the scale by the latest origin against the rest: $case', ({ sizes, expected }) => {
    const rows = sizes.map((size) =>
      Float64Array.from({ length: 24 }, (_, h) => (h % 2 === 0 ? size : -size)),
    );
    expect(recentErrorInflation(rows)).toBeCloseTo(expected, 10);
  });

  it('widens when the latest origin errs more than the calibration set, and not otherwise', () => {
    const calm = [1, 1, 1, 1].map((size, k) => steady(k, size));
    const shifted = [1, 1, 1, 3].map((size, k) => steady(k, size));
    const earlyShock = [3, 1, 1, 1].map((size, k) => steady(k, size));
    expect(width(shifted)).toBeGreaterThan(width(earlyShock));
    expect(width(earlyShock)).toBeGreaterThan(width(calm));
  });

  it('bounds the width by the errors seen when the newest origin alone erred (a level change after an exact fit)', () => {
    // Nine origins that were exact, then one off by 100 at every step: the half-width is that
    // error widened by at most the recent-error inflation, not a score against a near-zero scale.
    const rows = [...Array.from({ length: 9 }, () => new Float64Array(24)), new Float64Array(24).fill(100)];
    const [i90] = calibrateIntervals(new Array(24).fill(100), rows, [90]);
    for (const u of i90?.upper ?? [])
      expect(u - 100).toBeLessThanOrEqual(MAX_RECENT_ERROR_INFLATION * 100 + 1e-9);
    expect(Math.max(...(i90?.upper ?? []))).toBeGreaterThan(100);
  });

  it('lets heavily weighted recent origins dominate the width', () => {
    const rows = [4, 4, 4, 1].map((size, k) => steady(k, size));
    expect(width(rows, [1e-6, 1e-6, 1e-6, 1])).toBeLessThan(width(rows));
  });

  it('reads the lower side of right-skewed errors narrower than a Gaussian, never the upper side', () => {
    // Small errors either side, bursts only above: a symmetric Gaussian floor over-covers below.
    const skewed = [0, 1, 2, 3].map((k) =>
      Float64Array.from({ length: 48 }, (_, h) =>
        (h + 5 * k) % 12 === 0 ? 8 : ((h * 7 + k) % 5) * 0.25 - 0.5,
      ),
    );
    const mean = new Array<number>(48).fill(100);
    const [i90] = calibrateIntervals(mean, skewed, [90]);
    let mae = 0;
    for (const row of skewed) for (const e of row) mae += Math.abs(e);
    mae /= 4 * 48;
    const gaussian = Math.sqrt(Math.PI / 2) * 1.6448536 * mae;
    expect(100 - (i90?.lower[24] as number)).toBeLessThan(0.8 * gaussian);
    expect((i90?.upper[24] as number) - 100).toBeGreaterThanOrEqual(gaussian * 0.99);
  });

  it('keeps the Gaussian floor on both sides with a single origin (nothing to leave out)', () => {
    const row = Float64Array.from({ length: 24 }, (_, h) => (h % 6 === 0 ? 6 : 0));
    const [i90] = calibrateIntervals(new Array<number>(24).fill(100), [row], [90]);
    const gaussian = Math.sqrt(Math.PI / 2) * 1.6448536;
    expect(100 - (i90?.lower[12] as number)).toBeGreaterThanOrEqual(gaussian * 0.99);
    expect((i90?.upper[12] as number) - 100).toBeGreaterThanOrEqual(gaussian * 0.99);
  });

  it('reports the effective number of origins of a weighting', () => {
    expect(effectiveOrigins([1, 1, 1, 1])).toBeCloseTo(4);
    expect(effectiveOrigins([1, 1e-9])).toBeCloseTo(1);
    expect(effectiveOrigins([])).toBe(0);
  });

  it('never narrows when every error grows (wider errors, wider intervals)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 8, maxLength: 8 }), {
          minLength: 2,
          maxLength: 5,
        }),
        fc.double({ min: 1, max: 5, noNaN: true }),
        (raw, factor) => {
          const rows = raw.map((r) => Float64Array.from(r));
          const grown = raw.map((r) => Float64Array.from(r, (e) => e * factor));
          const mean = new Array<number>(8).fill(1000);
          const [a] = calibrateIntervals(mean, rows, [90]);
          const [b] = calibrateIntervals(mean, grown, [90]);
          for (let h = 0; h < 8; h += 1)
            expect((b?.upper[h] as number) + 1e-6).toBeGreaterThanOrEqual(a?.upper[h] as number);
        },
      ),
    );
  });
});
