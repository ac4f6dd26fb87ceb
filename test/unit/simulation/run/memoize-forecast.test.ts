import type { ForecastDemandInput } from '../../../../shared/core/forecast/forecast-demand';
import type { DemandForecast } from '../../../../shared/core/forecast/types';
import { memoizeForecast } from '../../../../shared/simulation/run/memoize-forecast';

describe('memoizeForecast', () => {
  it('answers an identical input from the cache and recomputes on any change', () => {
    const fn = jest.fn(
      (input: ForecastDemandInput) => ({ startMs: input.history.length }) as unknown as DemandForecast,
    );
    const memo = memoizeForecast(fn);
    const input = {
      history: [{ timestampMs: 0, value: 1 }],
      stepSeconds: 3600,
      horizonSteps: 24,
      levels: [80, 98],
    };
    expect(memo(input)).toBe(memo({ ...input, history: [{ timestampMs: 0, value: 1 }] }));
    memo({ ...input, history: [{ timestampMs: 0, value: 1.5 }] });
    memo({ ...input, levels: [82, 98] });
    expect(fn).toHaveBeenCalledTimes(3);
    expect(memo.stats).toEqual({ hits: 1, misses: 3 });
  });
});
