import fc from 'fast-check';
import type { ForecastDemandInput } from '../../../shared/core/forecast/forecast-demand';
import type { DemandForecast } from '../../../shared/core/forecast/types';
import { memoizeForecast } from '../../../shared/usecases/memoize-forecast';

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

  it('tells apart histories that differ in one point, a timestamp or a gap', () => {
    const fn = jest.fn(
      (input: ForecastDemandInput) => ({ startMs: input.history.length }) as unknown as DemandForecast,
    );
    const memo = memoizeForecast(fn);
    const base = { stepSeconds: 300, horizonSteps: 12, levels: [80] };
    const history = Array.from({ length: 500 }, (_, i) => ({ timestampMs: i * 300_000, value: i % 7 }));
    memo({ ...base, history });
    memo({ ...base, history: history.map((o, i) => (i === 499 ? { ...o, value: 0.5 } : o)) });
    memo({ ...base, history: history.map((o, i) => (i === 0 ? { ...o, timestampMs: -1 } : o)) });
    memo({ ...base, history: history.map((o, i) => (i === 250 ? { ...o, value: Number.NaN } : o)) });
    memo({ ...base, history: history.map((o, i) => (i === 250 ? { ...o, value: Number.NaN } : o)) });
    memo({ ...base, history: history.map((o) => ({ ...o })) });
    expect(memo.stats).toEqual({ hits: 2, misses: 4 });
  });

  it('keeps the most recent inputs up to its capacity', () => {
    const fn = jest.fn(
      (input: ForecastDemandInput) => ({ startMs: input.history.length }) as unknown as DemandForecast,
    );
    const memo = memoizeForecast(fn, 2);
    const input = (value: number) => ({
      history: [{ timestampMs: 0, value }],
      stepSeconds: 300,
      horizonSteps: 12,
      levels: [80],
    });
    memo(input(1));
    memo(input(2));
    memo(input(3));
    memo(input(2));
    memo(input(1));
    expect(memo.stats).toEqual({ hits: 1, misses: 4 });
  });

  it('answers from the cache exactly when every point is the same by Object.is', () => {
    const special = fc.constantFrom(0, -0, Number.NaN, 1, -1, Number.POSITIVE_INFINITY, 2 ** 53, 0.1);
    const point = fc.record({ timestampMs: special, value: special });
    fc.assert(
      fc.property(
        fc.array(point, { minLength: 1, maxLength: 6 }),
        fc.array(fc.tuple(fc.nat(), fc.boolean(), special), { maxLength: 3 }),
        (history, edits) => {
          const fn = jest.fn(() => ({}) as unknown as DemandForecast);
          const memo = memoizeForecast(fn);
          const base = { stepSeconds: 300, horizonSteps: 12, levels: [80] };
          memo({ ...base, history });
          const edited = history.map((o) => ({ ...o }));
          for (const [at, onTimestamp, to] of edits) {
            const o = edited[at % edited.length] as (typeof edited)[number];
            if (onTimestamp) o.timestampMs = to;
            else o.value = to;
          }
          memo({ ...base, history: edited });
          const same = history.every(
            (o, i) =>
              Object.is(o.timestampMs, edited[i]?.timestampMs) && Object.is(o.value, edited[i]?.value),
          );
          expect(memo.stats).toEqual(same ? { hits: 1, misses: 1 } : { hits: 0, misses: 2 });
        },
      ),
      { numRuns: 1000 },
    );
  });
});
