import fc from 'fast-check';
import { dailyPeakErrors, InvalidStepsPerDayError } from '../../../../shared/core/forecast/daily-peak-error';
import { MetricInputError } from '../../../../shared/core/forecast/errors';

describe('dailyPeakErrors', () => {
  it.each([
    {
      case: 'an under-forecast peak one step late',
      actual: [1, 5, 2, 1],
      forecast: [1, 2, 4, 1],
      upper: [2, 6, 5, 2],
      expected: {
        actualPeak: 5,
        actualPeakStep: 1,
        forecastPeak: 4,
        forecastPeakStep: 2,
        peakError: -1,
        timingErrorSteps: 1,
        upperAtPeak: 6,
        upperCoversPeak: true,
      },
    },
    {
      case: 'an exact peak whose upper bound falls short',
      actual: [3, 1, 1, 1],
      forecast: [3, 1, 1, 1],
      upper: [2.5, 2, 2, 2],
      expected: { peakError: 0, timingErrorSteps: 0, upperCoversPeak: false },
    },
  ])('compares $case', ({ actual, forecast, upper, expected }) => {
    expect(dailyPeakErrors(actual, forecast, 4, upper)).toEqual([expect.objectContaining(expected)]);
  });

  it('cuts days from the first step and drops a trailing part shorter than half a day', () => {
    const days = dailyPeakErrors([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 1, 1, 1, 1, 1, 1, 1], 4);
    expect(days.map((d) => d.actualPeak)).toEqual([4, 8]);
  });

  it('gives zero error and full coverage when the forecast and the bound are the actuals', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 24 }),
        (actual, perDay) => {
          for (const day of dailyPeakErrors(actual, actual, perDay, actual)) {
            expect(day.peakError).toBe(0);
            expect(day.timingErrorSteps).toBe(0);
            expect(day.upperCoversPeak).toBe(true);
          }
        },
      ),
    );
  });

  it('rejects misaligned arrays and a bad day length', () => {
    expect(() => dailyPeakErrors([1, 2], [1], 2)).toThrow(MetricInputError);
    expect(() => dailyPeakErrors([1, 2], [1, 2], 2, [1])).toThrow(MetricInputError);
    expect(() => dailyPeakErrors([1, 2], [1, 2], 0)).toThrow(InvalidStepsPerDayError);
  });
});
