import { ProbabilityOutOfRangeError } from '../../../../shared/core/forecast/errors';
import { FORECAST_LEVELS_PCT, MAX_PLANNING_QUANTILE } from '../../../../shared/core/forecast/forecast-levels';
import { forecastQuantile } from '../../../../shared/core/forecast/forecast-quantile';
import { demandForecast } from '../../../helpers/demand-forecast';

/** A one-step forecast around 100 with an interval at every level a group's forecast is asked for. */
const forecast = demandForecast(
  [100],
  FORECAST_LEVELS_PCT.map((levelPct) => ({ levelPct, lower: [100 - levelPct], upper: [100 + levelPct] })),
);

describe('MAX_PLANNING_QUANTILE', () => {
  it('is 0.99, the upper bound of the widest level a group’s forecast is asked for', () => {
    expect(MAX_PLANNING_QUANTILE).toBe(0.99);
    expect(forecastQuantile(forecast, MAX_PLANNING_QUANTILE)).toEqual([198]);
  });

  it('is the highest quantile such a forecast gives', () => {
    expect(() => forecastQuantile(forecast, 0.995)).toThrow(ProbabilityOutOfRangeError);
  });
});
