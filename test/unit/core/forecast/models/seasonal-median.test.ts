import fc from 'fast-check';
import { InsufficientHistoryError } from '../../../../../shared/core/forecast/errors';
import { seasonalMedian } from '../../../../../shared/core/forecast/models/seasonal-median';
import { regularSeries, seededRandom } from '../synthetic-load';

const HOURLY = 3600;

/** Hourly days repeating `shape` (24 values) plus a per-day offset. */
function days(shape: readonly number[], offsets: readonly number[]): number[] {
  return offsets.flatMap((offset) => shape.map((v) => v + offset));
}

const SHAPE = Array.from({ length: 24 }, (_, h) => 50 + 30 * Math.sin((2 * Math.PI * h) / 24));

describe('seasonalMedian', () => {
  it('repeats a stable daily shape exactly', () => {
    const forecast = seasonalMedian('daily')
      .fit(regularSeries(days(SHAPE, [0, 0, 0, 0]), HOURLY))
      .forecast({ horizonSteps: 48, levels: [90] });
    forecast.mean.forEach((m, h) => {
      expect(m).toBeCloseTo(SHAPE[h % 24] as number, 9);
    });
  });

  it('ignores one unusual day among the last three, where seasonal naive would repeat it', () => {
    const values = days(SHAPE, [0, 0, 0, 0]);
    // Yesterday's 10:00 was a spike ten times the usual level.
    const spikeAt = values.length - 24 + 10;
    values[spikeAt] = 10 * (values[spikeAt] as number);
    const forecast = seasonalMedian('daily')
      .fit(regularSeries(values, HOURLY))
      .forecast({ horizonSteps: 24, levels: [] });
    expect(forecast.mean[10]).toBeCloseTo(SHAPE[10] as number, 9);
  });

  it('follows a level that moved on the last day (daily variant)', () => {
    const forecast = seasonalMedian('daily')
      .fit(regularSeries(days(SHAPE, [0, 0, 0, 20]), HOURLY))
      .forecast({ horizonSteps: 24, levels: [] });
    forecast.mean.forEach((m, h) => {
      expect(m).toBeCloseTo((SHAPE[h] as number) + 20, 9);
    });
  });

  it('takes the weekly variant from the same hour of past weeks', () => {
    const week = Array.from({ length: 168 }, (_, t) => (Math.floor(t / 24) < 5 ? 100 : 40) + (t % 24));
    const forecast = seasonalMedian('weekly')
      .fit(regularSeries([...week, ...week, ...week], HOURLY))
      .forecast({ horizonSteps: 168, levels: [] });
    forecast.mean.forEach((m, h) => {
      expect(m).toBeCloseTo(week[h] as number, 9);
    });
  });

  it('pools ±15 minutes around the same time at sub-hourly steps', () => {
    const stepSeconds = 300;
    const perDay = 288;
    // Three days of a flat 10 with one 5-minute burst per day at a time that wanders by 5 minutes.
    const values = new Array<number>(3 * perDay).fill(10);
    values[100] = 90;
    values[perDay + 101] = 90;
    values[2 * perDay + 99] = 90;
    const forecast = seasonalMedian('daily')
      .fit(regularSeries(values, stepSeconds))
      .forecast({ horizonSteps: perDay, levels: [] });
    // The daily level adjustment moves every step by the same amount; no step is pulled towards 90.
    expect(Math.max(...forecast.mean) - Math.min(...forecast.mean)).toBeCloseTo(0, 9);
  });

  it('needs two seasons of history', () => {
    expect(seasonalMedian('daily').minHistorySteps(HOURLY)).toBe(48);
    expect(seasonalMedian('weekly').minHistorySteps(HOURLY)).toBe(336);
    expect(() => seasonalMedian('daily').fit(regularSeries(SHAPE, HOURLY))).toThrow(InsufficientHistoryError);
  });

  it('forecasts within the range of the history it takes medians of (weekly variant)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 336, max: 700 }), (seed, n) => {
        const random = seededRandom(seed);
        const values = Array.from({ length: n }, () => 100 * random());
        const forecast = seasonalMedian('weekly')
          .fit(regularSeries(values, HOURLY))
          .forecast({ horizonSteps: 200, levels: [80] });
        const lo = Math.min(...values);
        const hi = Math.max(...values);
        for (const m of forecast.mean) {
          expect(m).toBeGreaterThanOrEqual(lo);
          expect(m).toBeLessThanOrEqual(hi);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('forecasts each phase as the median of its sorted buffer does, for any values and windows', () => {
    // The profile as first written: every phase's values copied into a buffer and sorted.
    const sortedMedian = (values: Float64Array) => {
      values.sort();
      const mid = values.length >> 1;
      return values.length % 2 === 1
        ? (values[mid] as number)
        : 0.5 * ((values[mid - 1] as number) + (values[mid] as number));
    };
    const reference = (
      y: readonly number[],
      m: number,
      window: number,
      seasons: number,
      adjusted: boolean,
    ) => {
      const end = y.length;
      const used = Math.max(1, Math.min(seasons, Math.floor(end / m)));
      const levels = new Float64Array(used + 1);
      if (adjusted)
        for (let k = 1; k <= used; k += 1)
          levels[k] = sortedMedian(Float64Array.from(y.slice(end - k * m, end - (k - 1) * m)));
      const base = adjusted ? (levels[1] as number) : 0;
      return Array.from({ length: m }, (_, p) => {
        const buffer: number[] = [];
        for (let k = 1; k <= used; k += 1)
          for (let j = -window; j <= window; j += 1) {
            const t = end - k * m + p + j;
            if (t >= 0 && t < end) buffer.push((y[t] as number) - (levels[k] as number));
          }
        return base + sortedMedian(Float64Array.from(buffer));
      });
    };
    const value = fc.oneof(
      { weight: 20, arbitrary: fc.integer({ min: -3, max: 6 }) },
      { weight: 3, arbitrary: fc.constantFrom(-0, 0.1, 0.2, 1e308, -1e308) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
      },
    );
    // Steps of 3600, 1200, 900 and 300 s: a day of 24, 72, 96, 288 steps, ±0, 0, 1, 3 steps around each.
    const setting = fc.constantFrom(
      { stepSeconds: 3600, m: 24, window: 0 },
      { stepSeconds: 1200, m: 72, window: 0 },
      { stepSeconds: 900, m: 96, window: 1 },
      { stepSeconds: 300, m: 288, window: 3 },
    );
    fc.assert(
      fc.property(
        setting,
        fc.double({ min: 2, max: 4.5, noNaN: true }),
        fc.oneof(
          fc.array(value, { minLength: 1, maxLength: 97 }),
          // Mostly zeros of both signs: the sort puts −0 before +0, and the median may be either.
          fc.array(fc.constantFrom(0, -0, -0, -0, 1), { minLength: 1, maxLength: 97 }),
        ),
        fc.boolean(),
        ({ stepSeconds, m, window }, days, pool, finiteOnly) => {
          const n = Math.floor(days * m);
          // The pool spread over the history, in an order that is not the season's.
          const y = Array.from({ length: n }, (_, t) => pool[(t * 37) % pool.length] as number).map((v) =>
            finiteOnly && !Number.isFinite(v) ? 1 : v,
          );
          const want = reference(y, m, window, 3, true);
          const got = seasonalMedian('daily')
            .fit(regularSeries(y, stepSeconds))
            .forecast({ horizonSteps: m, levels: [80] }).mean;
          got.forEach((v, p) => {
            expect(Object.is(v, want[p])).toBe(true);
          });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('orders −0 before +0 among the values a phase takes the median of, as the sort does', () => {
    // Three hourly days of signed zeros (found by search against the sorted-buffer profile): with
    // −0 placed after +0, hours 13 and 16 would come out −0.
    const z = (s: string) => [...s].map((c) => (c === 'n' ? -0 : c === 'p' ? 0 : 1));
    const y = z('npp1nnnpnpnpnnnnn1ppppnpnnnnnpn1nnpnnpnnnnpppppnn1pnnnnpnnn1n1pn1pnppnnn');
    const mean = seasonalMedian('daily')
      .fit(regularSeries(y, HOURLY))
      .forecast({ horizonSteps: 24, levels: [80] }).mean;
    const signs = mean.map((v) => (Object.is(v, -0) ? 'n' : Object.is(v, 0) ? 'p' : String(v)));
    expect(signs.join('')).toBe('p'.repeat(24));
  });
});
