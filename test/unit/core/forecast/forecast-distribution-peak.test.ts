import fc from 'fast-check';
import {
  forecastDistributionPeak,
  type HeldOutErrorLaw,
  heldOutErrorLaw,
} from '../../../../shared/core/forecast/forecast-distribution-peak';

/** A law of equally weighted errors, independent steps unless `lag1Autocorrelation` says otherwise. */
const lawOf = (errors: number[], lag1Autocorrelation = 0): HeldOutErrorLaw => {
  const sorted = [...errors].sort((a, b) => a - b);
  return {
    errors: Float64Array.from(sorted),
    cumulativeShare: Float64Array.from(sorted, (_, i) => (i + 1) / sorted.length),
    lag1Autocorrelation,
  };
};

describe('heldOutErrorLaw', () => {
  it('reads each error as actual − forecast with the forecast floored at 0, weighted by its row', () => {
    const actual = [0, 0, 5, 9, 4, 2];
    // Origin 2: forecasts 4, 6, 7 and −1 → 0, so errors 1, 3, −3 and 2 (not the row's 3).
    const law = heldOutErrorLaw(actual, [Float64Array.from([1, 3, -3, 3])], [2], [0.5]);
    expect(Array.from(law?.errors ?? [])).toEqual([-3, 1, 2, 3]);
    expect(Array.from(law?.cumulativeShare ?? [])).toEqual([0.25, 0.5, 0.75, 1]);
  });

  it('weighs the errors of a recent row more than an old one', () => {
    const actual = [10, 10, 10, 10];
    const rows = [Float64Array.from([1, 1]), Float64Array.from([5, 5])];
    const law = heldOutErrorLaw(actual, rows, [0, 2], [0.25, 1]);
    expect(Array.from(law?.errors ?? [])).toEqual([1, 1, 5, 5]);
    expect(law?.cumulativeShare[1]).toBeCloseTo(0.2, 12);
  });

  it('measures how much neighbouring errors repeat, from 0 for alternating errors to near 1 for runs', () => {
    const actual = new Array<number>(8).fill(100);
    const alternating = heldOutErrorLaw(actual, [Float64Array.from([5, -5, 5, -5, 5, -5, 5, -5])], [0], [1]);
    const runs = heldOutErrorLaw(actual, [Float64Array.from([5, 5, 5, 5, -5, -5, -5, -5])], [0], [1]);
    expect(alternating?.lag1Autocorrelation).toBe(0);
    // Around the mean 0: 6 of 7 neighbouring pairs agree, 1 disagrees; (6 − 1)·25 / (8·25).
    expect(runs?.lag1Autocorrelation).toBeCloseTo(5 / 8, 12);
  });

  it('has no law without a finite error', () => {
    expect(heldOutErrorLaw([1, 2], [], [], [])).toBeUndefined();
    expect(heldOutErrorLaw([1, 2], [Float64Array.from([Number.NaN])], [0], [1])).toBeUndefined();
  });
});

describe('forecastDistributionPeak', () => {
  it('adds the error to the mean peak when every held-out error was the same', () => {
    expect(forecastDistributionPeak([3, 9, 4], 0, 3, lawOf([2, 2, 2]))).toBeCloseTo(11, 9);
  });

  it('expects a higher peak over more independent steps than over one', () => {
    // Errors 0 or 10, equally likely: one step's median is 5 + 0, but over 4 independent steps the
    // chance that none reaches 10 is 1/16, so the day's median peak is 5 + 10.
    const law = lawOf([0, 10]);
    expect(forecastDistributionPeak([5], 0, 1, law)).toBeCloseTo(5, 9);
    expect(forecastDistributionPeak([5, 5, 5, 5], 0, 4, law)).toBeCloseTo(15, 9);
  });

  it('counts strongly repeating errors as fewer draws', () => {
    // The same 4 steps with ρ = 0.9 count as max(1, 4·0.1/1.9) = 1 draw: the median of one error.
    expect(forecastDistributionPeak([5, 5, 5, 5], 0, 4, lawOf([0, 10], 0.9))).toBeCloseTo(5, 9);
  });

  it('reads only the window it is given', () => {
    expect(forecastDistributionPeak([100, 1, 2, 100], 1, 3, lawOf([1]))).toBeCloseTo(3, 9);
  });

  it('moves with the mean and stays within the mean peak plus the smallest and largest error', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 1, maxLength: 48 }),
        fc.array(fc.double({ min: -500, max: 500, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        (mean, errors, rho, shift) => {
          const law = lawOf(errors, rho);
          const peak = forecastDistributionPeak(mean, 0, mean.length, law);
          const meanPeak = Math.max(...mean);
          const tolerance = 1e-6 * (1 + Math.abs(meanPeak) + Math.max(...errors.map(Math.abs)));
          expect(peak).toBeGreaterThanOrEqual(meanPeak + Math.min(...errors) - tolerance);
          expect(peak).toBeLessThanOrEqual(meanPeak + Math.max(...errors) + tolerance);
          const shifted = forecastDistributionPeak(
            mean.map((m) => m + shift),
            0,
            mean.length,
            law,
          );
          expect(shifted).toBeCloseTo(peak + shift, 3);
        },
      ),
    );
  });
});
