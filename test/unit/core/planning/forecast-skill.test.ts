import fc from 'fast-check';
import {
  forecastSkillSettings,
  isForecastUnskilled,
  updateForecastSkill,
} from '../../../../shared/core/planning/forecast-skill';

const settings = forecastSkillSettings(300);

describe('forecastSkill', () => {
  it('uses a one-day window and an hour of steps before a verdict', () => {
    expect(settings).toEqual({ decayPerStep: 1 - 300 / 86_400, minSteps: 12, maxErrorRatio: 1 });
    expect(forecastSkillSettings(3600).minSteps).toBe(3);
    expect(() => forecastSkillSettings(0)).toThrow(/stepSeconds/);
  });

  it('sums the errors of the model and of persistence, decaying older steps', () => {
    const skill = updateForecastSkill(
      undefined,
      [
        { actualLoad: 100, medianLoad: 90, naiveLoad: 70 },
        { actualLoad: 100, medianLoad: 100, naiveLoad: 100 },
      ],
      { ...settings, decayPerStep: 0.5 },
    );
    expect(skill).toEqual({ modelAbsError: 5, naiveAbsError: 15, steps: 1.5 });
  });

  it('skips steps with a non-finite value', () => {
    const skill = updateForecastSkill(
      undefined,
      [{ actualLoad: Number.NaN, medianLoad: 1, naiveLoad: 1 }],
      settings,
    );
    expect(skill.steps).toBe(0);
  });

  it('trusts the forecast until enough steps are scored', () => {
    expect(isForecastUnskilled(undefined, settings)).toBe(false);
    expect(isForecastUnskilled({ modelAbsError: 50, naiveAbsError: 1, steps: 11 }, settings)).toBe(false);
  });

  it("calls a forecast unskilled when its error exceeds persistence's", () => {
    expect(isForecastUnskilled({ modelAbsError: 50, naiveAbsError: 40, steps: 20 }, settings)).toBe(true);
    expect(isForecastUnskilled({ modelAbsError: 30, naiveAbsError: 40, steps: 20 }, settings)).toBe(false);
  });

  it('never calls a forecast unskilled when it is at least as accurate as persistence on every step', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: 0, max: 1e4, noNaN: true }),
            fc.double({ min: 0, max: 1e4, noNaN: true }),
            fc.double({ min: 0, max: 1, noNaN: true }),
          ),
          { minLength: 1, maxLength: 100 },
        ),
        (rows) => {
          // The model's median lies between the actual load and persistence's guess.
          const steps = rows.map(([actual, naive, share]) => ({
            actualLoad: actual,
            naiveLoad: naive,
            medianLoad: actual + share * (naive - actual),
          }));
          const skill = updateForecastSkill(undefined, steps, { ...settings, minSteps: 0 });
          expect(isForecastUnskilled(skill, { ...settings, minSteps: 0 })).toBe(false);
        },
      ),
    );
  });
});
