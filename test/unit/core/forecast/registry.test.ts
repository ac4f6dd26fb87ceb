import {
  InsufficientHistoryError,
  InvalidHorizonError,
  InvalidLevelError,
} from '../../../../shared/core/forecast/errors';
import { registry } from '../../../../shared/core/forecast/registry';
import type { ModelForecast } from '../../../../shared/core/forecast/types';
import { intervalViolations } from './interval-violations';
import { regularSeries, syntheticLoad } from './synthetic-load';

const LEVELS = [50, 80, 90, 95, 99];

function expectWellFormed(forecast: ModelForecast, horizonSteps: number): void {
  expect(forecast.mean).toHaveLength(horizonSteps);
  expect(forecast.intervals.map((i) => i.levelPct)).toEqual(LEVELS);
  expect(forecast.intervals.map((i) => [i.lower.length, i.upper.length])).toEqual(
    LEVELS.map(() => [horizonSteps, horizonSteps]),
  );
  expect(intervalViolations(forecast.mean, forecast.intervals)).toEqual([]);
}

describe('registry', () => {
  it('lists every model once by a unique name', () => {
    const names = registry.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        'seasonal-naive-daily',
        'seasonal-naive-weekly',
        'holt-winters-damped',
        'double-seasonal-holt-winters',
        'theta-seasonal',
        'fourier-regression-ar',
        'seasonal-median-daily',
        'seasonal-median-weekly',
        'recent-level',
      ]),
    );
  });

  describe.each(registry.map((model) => [model.name, model] as const))('%s conformance', (_name, model) => {
    for (const stepSeconds of [3600, 900]) {
      const min = model.minHistorySteps(stepSeconds);
      const history = regularSeries(
        syntheticLoad({ steps: Math.max(min, 21 * (86_400 / stepSeconds)), stepSeconds }),
        stepSeconds,
      );

      it(`forecasts the requested horizon with finite, nested intervals at ${stepSeconds} s steps`, () => {
        const horizonSteps = 2 * (86_400 / stepSeconds) + 3;
        const forecast = model.fit(history).forecast({ horizonSteps, levels: [95, 50, 80, 99, 90] });
        expect(forecast.model).toBe(model.name);
        expectWellFormed(forecast, horizonSteps);
      });

      it(`is deterministic at ${stepSeconds} s steps`, () => {
        const a = model.fit(history).forecast({ horizonSteps: 30, levels: LEVELS });
        const b = model
          .fit({ ...history, values: [...history.values] })
          .forecast({ horizonSteps: 30, levels: LEVELS });
        expect(b).toEqual(a);
      });

      it(`fits exactly its minimum history and rejects one step less at ${stepSeconds} s steps`, () => {
        const shortest = { ...history, values: history.values.slice(0, min) };
        expectWellFormed(model.fit(shortest).forecast({ horizonSteps: 5, levels: LEVELS }), 5);
        if (min > 1) {
          const tooShort = { ...history, values: history.values.slice(0, min - 1) };
          expect(() => model.fit(tooShort)).toThrow(InsufficientHistoryError);
        }
      });
    }

    it('rejects an empty history with InsufficientHistoryError', () => {
      expect(() => model.fit(regularSeries([], 3600))).toThrow(InsufficientHistoryError);
    });

    it('rejects a bad horizon or level with a named error', () => {
      const fitted = model.fit(regularSeries(syntheticLoad({ steps: 24 * 21, stepSeconds: 3600 }), 3600));
      expect(() => fitted.forecast({ horizonSteps: 0, levels: LEVELS })).toThrow(InvalidHorizonError);
      expect(() => fitted.forecast({ horizonSteps: 2.5, levels: LEVELS })).toThrow(InvalidHorizonError);
      expect(() => fitted.forecast({ horizonSteps: 4, levels: [100] })).toThrow(InvalidLevelError);
      expect(() => fitted.forecast({ horizonSteps: 4, levels: [0] })).toThrow(InvalidLevelError);
    });

    it('handles a constant series without NaN', () => {
      const flat = regularSeries(new Array<number>(24 * 21).fill(42), 3600);
      const forecast = model.fit(flat).forecast({ horizonSteps: 48, levels: LEVELS });
      expectWellFormed(forecast, 48);
      for (const value of forecast.mean) expect(value).toBeCloseTo(42, 6);
    });
  });
});
