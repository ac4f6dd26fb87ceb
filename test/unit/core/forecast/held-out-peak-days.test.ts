import { heldOutPeakDays } from '../../../../shared/core/forecast/held-out-peak-days';

describe('heldOutPeakDays', () => {
  it('cuts each row into days and reads the forecast as actual − error, floored at 0', () => {
    const actual = [0, 0, 5, 9, 4, 2, 8, 3];
    // Origin 2, a two-day row of 2-step days: forecasts 4, 6 | 7, 0 (the last is floored from −1).
    const errors = [Float64Array.from([1, 3, -3, 3])];
    expect(heldOutPeakDays(actual, errors, [2], [0.5], 2)).toEqual([
      { actualPeak: 9, forecastAtActualPeak: 6, forecastPeak: 6, weight: 0.5 },
      { actualPeak: 4, forecastAtActualPeak: 7, forecastPeak: 7, weight: 0.5 },
    ]);
  });

  it('uses the whole row when it is shorter than a day and leaves out a short trailing day', () => {
    const actual = [1, 2, 3, 4, 5, 6, 7];
    const rows = [Float64Array.from([0, 0, 0])];
    expect(heldOutPeakDays(actual, rows, [4], [], 24)).toEqual([
      { actualPeak: 7, forecastAtActualPeak: 7, forecastPeak: 7, weight: 1 },
    ]);
    // Days of 4 steps: a 5-step row leaves its fifth step out (under half a day), a 6-step row keeps it.
    expect(heldOutPeakDays(actual, [new Float64Array(5)], [0], [1], 4)).toHaveLength(1);
    expect(heldOutPeakDays(actual, [new Float64Array(6)], [0], [1], 4)).toHaveLength(2);
  });

  it('reads the peaks from the given history and the forecast from the one the errors were measured on', () => {
    const actual = [0, 0, 5, 90, 4, 2];
    const repaired = [0, 0, 5, 9, 4, 2];
    // Forecasts 4, 6 | 7, 0 as above: the replaced 90 is no peak, and the forecast at step 3 is still 6.
    const errors = [Float64Array.from([1, 84, -3, 3])];
    expect(heldOutPeakDays(actual, errors, [2], [1], 2, repaired)).toEqual([
      { actualPeak: 9, forecastAtActualPeak: 6, forecastPeak: 6, weight: 1 },
      { actualPeak: 4, forecastAtActualPeak: 7, forecastPeak: 7, weight: 1 },
    ]);
  });
});
