import fc from 'fast-check';
import { forecastQuantile } from '../../../../shared/core/forecast/forecast-quantile';
import { peakUplift, planningLoad } from '../../../../shared/core/forecast/planning-load';
import type { PeakCalibration } from '../../../../shared/core/forecast/types';
import { demandForecast } from '../../../helpers/demand-forecast';

const calibration: PeakCalibration = {
  heldOutDays: 8,
  effectiveDays: 7,
  levelLoad: 50,
  bounds: [
    { probability: 0.75, upliftRatio: 0.2 },
    { probability: 0.9, upliftRatio: 0.8 },
  ],
};
const mean = [20, 100, 60];
const intervals = [{ levelPct: 80, lower: [10, 90, 50], upper: [30, 110, 200] }];
const forecast = { ...demandForecast(mean, intervals), peakCalibration: calibration };

describe('planningLoad', () => {
  it('raises each step to mean + u·max(mean, level load), keeping a higher per-step quantile', () => {
    // u(0.9) = 0.8: 20 + 0.8·50 = 60; 100 + 0.8·100 = 180; the per-step 200 stays.
    expect(planningLoad(forecast, 0.9)).toEqual([60, 180, 200]);
  });

  it('is the per-step quantile without a peak calibration or at the median', () => {
    const plain = demandForecast(mean, intervals);
    expect(planningLoad(plain, 0.9)).toEqual(forecastQuantile(plain, 0.9));
    expect(planningLoad(forecast, 0.5)).toEqual(mean);
  });

  it('interpolates the uplift from 0 at p = 0.5 and holds it beyond the last probability', () => {
    expect(peakUplift(calibration, 0.625)).toBeCloseTo(0.1, 12);
    expect(peakUplift(calibration, 0.825)).toBeCloseTo(0.5, 12);
    expect(peakUplift(calibration, 0.95)).toBeCloseTo(0.8, 12);
  });

  it('is never below the per-step quantile and non-decreasing in the probability', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 0.9, noNaN: true }),
        fc.double({ min: 0.1, max: 0.9, noNaN: true }),
        (p, q) => {
          const [low, high] = p <= q ? [p, q] : [q, p];
          const a = planningLoad(forecast, low);
          const b = planningLoad(forecast, high);
          const perStep = forecastQuantile(forecast, low);
          a.forEach((v, h) => {
            expect(v).toBeGreaterThanOrEqual(perStep[h] as number);
            expect(b[h]).toBeGreaterThanOrEqual(v - 1e-9);
          });
        },
      ),
    );
  });
});
