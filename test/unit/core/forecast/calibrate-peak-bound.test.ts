import fc from 'fast-check';
import { calibratePeakBound } from '../../../../shared/core/forecast/calibrate-peak-bound';
import type { HeldOutPeakDay } from '../../../../shared/core/forecast/held-out-peak-days';

const day = (actualPeak: number, forecastAtActualPeak: number, weight = 1): HeldOutPeakDay => ({
  actualPeak,
  forecastAtActualPeak,
  forecastPeak: forecastAtActualPeak,
  weight,
});

describe('calibratePeakBound', () => {
  it('gives no uplift without held-out days', () => {
    expect(calibratePeakBound([], [0.9], 10)).toEqual({
      heldOutDays: 0,
      effectiveDays: 0,
      levelLoad: 10,
      bounds: [{ probability: 0.9, upliftRatio: 0 }],
    });
  });

  it('scores the peak excess relative to the forecast at the peak, never below the mean load', () => {
    // Forecast 40 at the peak of 100 with a mean load of 50: score (100 − 40) / 50 = 1.2.
    // Identical scores have no spread, so the Gumbel floor equals them.
    const calibration = calibratePeakBound([day(100, 40), day(100, 40), day(100, 40)], [0.9], 50);
    expect(calibration.bounds[0]?.upliftRatio).toBeCloseTo(1.2, 12);
  });

  it('reaches beyond the largest held-out score when few days cannot resolve the tail', () => {
    // Scores 0.1, 0.2, 0.3, 0.4: the conformal 0.9 quantile is the largest (0.4); the Gumbel
    // quantile with the same mean and sample sd is higher.
    const days = [110, 120, 130, 140].map((peak) => day(peak, 100));
    const [bound] = calibratePeakBound(days, [0.9], 10).bounds;
    expect(bound?.upliftRatio).toBeGreaterThan(0.4);
    const sd = Math.sqrt(((0.15 ** 2 + 0.05 ** 2) * 2) / 3);
    const gumbel = 0.25 + sd * (Math.sqrt(6) / Math.PI) * (-0.5772156649015329 - Math.log(-Math.log(0.9)));
    expect(bound?.upliftRatio).toBeCloseTo(gumbel, 12);
  });

  it('takes the conformal quantile when the held-out days outnumber the tail', () => {
    // 99 days at score 0 and one at 5: the Gumbel floor (mean 0.05, sd 0.5) is far below 5, and
    // p = 0.999 asks beyond the 99 zero scores.
    const days = [...Array.from({ length: 99 }, () => day(100, 100)), day(600, 100)];
    const bounds = calibratePeakBound(days, [0.9, 0.999], 100).bounds;
    expect(bounds[0]?.upliftRatio).toBeLessThan(1);
    expect(bounds[1]?.upliftRatio).toBeCloseTo(5, 12);
  });

  it('raises the bound at the forecast peak to the Gumbel quantile of the recent daily maxima', () => {
    // Two held-out days with the same peak (overlapping origins): no spread, uplift 0.2 at the
    // forecast peak of 100. The last four days peaked at 100, 110, 120, 130: their 0.9 Gumbel
    // quantile, reached from the forecast peak of 100 in units of max(100, level 50).
    const days = [day(120, 100), day(120, 100)];
    const dailyMaxima = [100, 110, 120, 130];
    const [without] = calibratePeakBound(days, [0.9], 50).bounds;
    const [withHistory] = calibratePeakBound(days, [0.9], 50, { dailyMaxima, forecastPeakLoad: 100 }).bounds;
    const sd = Math.sqrt((15 ** 2 + 5 ** 2 + 5 ** 2 + 15 ** 2) / 3);
    const gumbel = 115 + sd * (Math.sqrt(6) / Math.PI) * (-0.5772156649015329 - Math.log(-Math.log(0.9)));
    expect(without?.upliftRatio).toBeCloseTo(0.2, 12);
    expect(withHistory?.upliftRatio).toBeCloseTo((gumbel - 100) / 100, 12);
  });

  it('raises the bound at the forecast peak to the split-conformal quantile of the daily maxima when the Gumbel fit falls short', () => {
    // Six quiet days at 100 and one at 160: the moment-fitted Gumbel 0.9 quantile (about 138) is
    // below a peak already seen; with 7 maxima the conformal rank ⌈0.9·8⌉ = 8 asks for the largest.
    // At 0.75 the rank ⌈0.75·8⌉ = 6 is 100, so the Gumbel quantile stands.
    const days = [day(110, 100), day(110, 100)];
    const dailyMaxima = [160, 100, 100, 100, 100, 100, 100];
    const { bounds } = calibratePeakBound(days, [0.75, 0.9], 50, { dailyMaxima, forecastPeakLoad: 100 });
    const meanMax = 760 / 7;
    const sd = Math.sqrt(((160 - meanMax) ** 2 + 6 * (100 - meanMax) ** 2) / 6);
    const gumbel75 =
      meanMax + sd * (Math.sqrt(6) / Math.PI) * (-0.5772156649015329 - Math.log(-Math.log(0.75)));
    expect(bounds[0]?.upliftRatio).toBeCloseTo((gumbel75 - 100) / 100, 12);
    expect(bounds[1]?.upliftRatio).toBeCloseTo(0.6, 12);
  });

  it('keeps the held-out uplift when the history peaks are lower or too few', () => {
    const days = [day(150, 100), day(150, 100)];
    const low = calibratePeakBound(days, [0.9], 50, { dailyMaxima: [100, 101], forecastPeakLoad: 100 });
    const one = calibratePeakBound(days, [0.9], 50, { dailyMaxima: [900], forecastPeakLoad: 100 });
    expect(low.bounds[0]?.upliftRatio).toBeCloseTo(0.5, 12);
    expect(one.bounds[0]?.upliftRatio).toBeCloseTo(0.5, 12);
  });

  it('is non-negative, non-decreasing in the probability and never below the held-out uplift', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            actualPeak: fc.double({ min: 0, max: 1e4, noNaN: true }),
            forecastAtActualPeak: fc.double({ min: 0, max: 1e4, noNaN: true }),
            forecastPeak: fc.double({ min: 0, max: 1e4, noNaN: true }),
            weight: fc.double({ min: 1e-6, max: 1, noNaN: true }),
          }),
          { maxLength: 30 },
        ),
        fc.double({ min: 0, max: 1e3, noNaN: true }),
        fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { maxLength: 7 }),
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        (days, levelLoad, dailyMaxima, forecastPeakLoad) => {
          const { bounds } = calibratePeakBound(days, [0.99, 0.6, 0.9, 0.75, 0.9], levelLoad, {
            dailyMaxima,
            forecastPeakLoad,
          });
          const plain = calibratePeakBound(days, [0.99, 0.6, 0.9, 0.75, 0.9], levelLoad).bounds;
          expect(bounds.map((b) => b.probability)).toEqual([0.6, 0.75, 0.9, 0.99]);
          for (const [i, b] of bounds.entries()) {
            expect(b.upliftRatio).toBeGreaterThanOrEqual(0);
            expect(Number.isFinite(b.upliftRatio)).toBe(true);
            if (i > 0) expect(b.upliftRatio).toBeGreaterThanOrEqual(bounds[i - 1]?.upliftRatio as number);
            expect(b.upliftRatio).toBeGreaterThanOrEqual(plain[i]?.upliftRatio as number);
          }
        },
      ),
    );
  });
});
