import { InvalidStepError } from '../../../../shared/core/forecast/errors';
import { dividesDay, seasonPeriods, seasonSteps } from '../../../../shared/core/forecast/season-periods';

describe('seasonPeriods', () => {
  it.each([
    [60, 1440, 10_080],
    [300, 288, 2016],
    [1200, 72, 504],
    [3600, 24, 168],
    [86_400, 1, 7],
  ])('counts whole steps per day and week at %i s', (stepSeconds, dailySteps, weeklySteps) => {
    expect(seasonPeriods(stepSeconds)).toEqual({ dailySteps, weeklySteps });
    expect(seasonSteps('daily', stepSeconds)).toBe(dailySteps);
  });

  it.each([7000, 420, 0, 86_401, Number.NaN])(
    'throws InvalidStepError naming %p, which does not divide a day',
    (step) => {
      expect(dividesDay(step)).toBe(false);
      expect(() => seasonPeriods(step)).toThrow(InvalidStepError);
      expect(() => seasonPeriods(step)).toThrow(`received ${step}`);
    },
  );
});
