import fc from 'fast-check';
import { ProbabilityOutOfRangeError } from '../../../../shared/core/forecast/errors';
import { forecastQuantile } from '../../../../shared/core/forecast/forecast-quantile';
import { demandForecast } from '../../../helpers/demand-forecast';

const forecast = demandForecast(
  [10, 20],
  [
    { levelPct: 50, lower: [8, 15], upper: [12, 26] },
    { levelPct: 80, lower: [6, 10], upper: [15, 30] },
    { levelPct: 95, lower: [2, 5], upper: [20, 40] },
  ],
);

describe('forecastQuantile', () => {
  it.each([
    [0.5, [10, 20]],
    [0.9, [15, 30]],
    [0.1, [6, 10]],
    [0.75, [12, 26]],
    [0.975, [20, 40]],
    [0.025, [2, 5]],
    [0.625, [11, 23]],
    [0.95, [18 + 1 / 3, 36 + 2 / 3]],
  ])('maps probability %p to the matching bound, interpolating between levels', (p, expected) => {
    const result = forecastQuantile(forecast, p);
    result.forEach((v, h) => {
      expect(v).toBeCloseTo(expected[h] as number, 10);
    });
  });

  it('is non-decreasing in the probability at every step', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.025, max: 0.975, noNaN: true }),
        fc.double({ min: 0.025, max: 0.975, noNaN: true }),
        (a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const qa = forecastQuantile(forecast, lo);
          const qb = forecastQuantile(forecast, hi);
          qa.forEach((v, h) => {
            expect(v).toBeLessThanOrEqual((qb[h] as number) + 1e-9);
          });
        },
      ),
    );
  });

  it.each([0, 1, 0.99, 0.01, -0.5, Number.NaN])('throws ProbabilityOutOfRangeError for %p', (p) => {
    expect(() => forecastQuantile(forecast, p)).toThrow(ProbabilityOutOfRangeError);
  });
});
