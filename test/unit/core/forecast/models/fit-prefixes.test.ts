import fc from 'fast-check';
import { InsufficientHistoryError } from '../../../../../shared/core/forecast/errors';
import { registry } from '../../../../../shared/core/forecast/registry';
import type { ForecastModel } from '../../../../../shared/core/forecast/types';
import { regularSeries, syntheticLoad } from '../synthetic-load';

const HOURLY = 3600;
const batched = registry.filter(
  (model): model is ForecastModel & Required<Pick<ForecastModel, 'fitPrefixes'>> =>
    model.fitPrefixes !== undefined,
);

describe('fitPrefixes', () => {
  it('is offered by the Holt-Winters models', () => {
    expect(batched.map((m) => m.name)).toEqual(['holt-winters-damped', 'double-seasonal-holt-winters']);
  });

  describe.each(batched.map((model) => [model.name, model] as const))('%s', (_name, model) => {
    const min = model.minHistorySteps(HOURLY);
    const values = syntheticLoad({ steps: min + 24 * 12, stepSeconds: HOURLY, seed: 7, noise: 5 });
    const series = regularSeries(values, HOURLY);

    it('gives exactly the forecasts of fit on each prefix', () => {
      fc.assert(
        fc.property(
          fc.uniqueArray(fc.integer({ min, max: values.length }), { minLength: 1, maxLength: 5 }),
          fc.integer({ min: 1, max: 60 }),
          (unsorted, horizonSteps) => {
            const lengths = [...unsorted].sort((a, b) => a - b);
            const fits = model.fitPrefixes(series, lengths);
            expect(fits).toHaveLength(lengths.length);
            lengths.forEach((length, i) => {
              const alone = model
                .fit(regularSeries(values.slice(0, length), HOURLY))
                .forecast({ horizonSteps, levels: [80, 95] });
              expect(fits[i]?.forecast({ horizonSteps, levels: [80, 95] })).toEqual(alone);
            });
          },
        ),
        { numRuns: 15 },
      );
    });

    it('accepts a repeated length', () => {
      const [a, b] = model.fitPrefixes(series, [min + 5, min + 5]);
      expect(a?.forecast({ horizonSteps: 4, levels: [] })).toEqual(
        b?.forecast({ horizonSteps: 4, levels: [] }),
      );
    });

    it('rejects a prefix shorter than the minimum history', () => {
      expect(() => model.fitPrefixes(series, [min - 1, min])).toThrow(InsufficientHistoryError);
    });

    it('rejects lengths that descend or exceed the series', () => {
      expect(() => model.fitPrefixes(series, [min + 2, min + 1])).toThrow(/must ascend/);
      expect(() => model.fitPrefixes(series, [values.length + 1])).toThrow(/must ascend/);
    });
  });
});
