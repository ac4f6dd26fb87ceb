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
});
