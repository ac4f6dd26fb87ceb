import { forecastAccuracy } from '../../../../shared/simulation/evaluation/forecast-accuracy';

describe('forecastAccuracy', () => {
  it('computes MAE, MAE % of mean and MASE against the seasonal naive error', () => {
    // Season 2: actual 10, 20, 14, 24 → naive errors |14−10|, |24−20| → scale 4.
    const actual = new Map([
      [0, 10],
      [1, 20],
      [2, 14],
      [3, 24],
    ]);
    const pairs = [
      { timestampMs: 2, forecast: 12, actual: 14 },
      { timestampMs: 3, forecast: 25, actual: 24 },
    ];
    const result = forecastAccuracy(pairs, actual, 2);
    expect(result).toMatchObject({ mae: 1.5, mase: 0.375, points: 2 });
    expect(result?.maePct).toBeCloseTo((100 * 1.5) / 19, 10);
  });

  it('returns undefined without pairs', () => {
    expect(forecastAccuracy([], new Map(), 1)).toBeUndefined();
  });
});
