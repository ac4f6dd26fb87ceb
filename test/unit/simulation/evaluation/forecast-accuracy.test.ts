import {
  dailyPeakAccuracy,
  forecastAccuracy,
} from '../../../../shared/simulation/evaluation/forecast-accuracy';

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

describe('dailyPeakAccuracy', () => {
  it('scores day-ahead peaks against seasonal naive and checks the plan at the actual peak', () => {
    const days = [
      // Peak 30 at step 2; the forecast says 27 at step 1, the plan reaches 31 at step 2; yesterday peaked at 20.
      {
        median: [10, 27, 25, 10],
        planned: [12, 29, 31, 12],
        actual: [10, 20, 30, 10],
        dayBefore: [10, 20, 15, 10],
        stepSeconds: 3600,
      },
      // Peak 40 at step 0; the forecast says 36 at step 0, the plan (38) falls short; yesterday peaked at 44.
      {
        median: [36, 20, 20, 20],
        planned: [38, 22, 22, 22],
        actual: [40, 20, 20, 20],
        dayBefore: [44, 20, 20, 20],
        stepSeconds: 3600,
      },
    ];
    const result = dailyPeakAccuracy(days);
    expect(result).toMatchObject({
      days: 2,
      peakMae: 3.5,
      naivePeakMae: 7,
      peakMaeRatio: 0.5,
      plannedCoversPeak: 0.5,
    });
    expect(result?.timingErrorHours).toBeCloseTo(0.5, 10);
  });

  it("scores the forecaster's own daily peak when it gives one", () => {
    const day = {
      median: [10, 12, 10],
      planned: [11, 13, 11],
      actual: [10, 30, 10],
      dayBefore: [10, 20, 10],
      stepSeconds: 3600,
    };
    expect(dailyPeakAccuracy([{ ...day, peakLoad: 28 }])).toMatchObject({
      peakMae: 2,
      naivePeakMae: 10,
      peakMaeRatio: 0.2,
    });
    expect(dailyPeakAccuracy([day])).toMatchObject({ peakMae: 18 });
  });

  it('returns undefined without days', () => {
    expect(dailyPeakAccuracy([])).toBeUndefined();
  });
});
