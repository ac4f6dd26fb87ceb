import fc from 'fast-check';
import { cleanSeries } from '../../../../shared/core/forecast/clean-series';
import {
  EmptySeriesError,
  InvalidStepError,
  NoUsableDataError,
  SeriesSpanTooLargeError,
} from '../../../../shared/core/forecast/errors';
import type { LoadObservation } from '../../../../shared/core/forecast/types';

const MIN = 60_000;
const at = (minute: number, value: number): LoadObservation => ({ timestampMs: minute * MIN, value });

describe('cleanSeries', () => {
  it('keeps a clean regular series unchanged and reports nothing cleaned', () => {
    const { series, report } = cleanSeries([at(0, 1), at(5, 2), at(10, 3)], 300);
    expect(series).toEqual({ startMs: 0, stepSeconds: 300, values: [1, 2, 3] });
    expect(report).toEqual({
      inputPoints: 3,
      droppedNonFinite: 0,
      droppedNegative: 0,
      mergedDuplicates: 0,
      reordered: false,
      filledGapSteps: 0,
      outputSteps: 3,
    });
  });

  it.each([
    ['unsorted timestamps', [at(10, 3), at(0, 1), at(5, 2)], [1, 2, 3], { reordered: true }],
    [
      'duplicate timestamps (averaged)',
      [at(0, 1), at(5, 2), at(5, 4), at(10, 3)],
      [1, 3, 3],
      { mergedDuplicates: 1 },
    ],
    ['jittered timestamps (snapped to the grid)', [at(0, 1), at(6, 2), at(9, 3)], [1, 2, 3], {}],
    [
      'NaN and infinite values',
      [at(0, 1), at(5, Number.NaN), at(10, Number.POSITIVE_INFINITY), at(15, 4)],
      [1, 2, 3, 4],
      { droppedNonFinite: 2, filledGapSteps: 2 },
    ],
    [
      'negative values',
      [at(0, 1), at(5, -7), at(10, 3)],
      [1, 2, 3],
      { droppedNegative: 1, filledGapSteps: 1 },
    ],
    ['a short gap (linear fill)', [at(0, 0), at(20, 8)], [0, 2, 4, 6, 8], { filledGapSteps: 3 }],
    [
      '1-minute data resampled to 5 minutes',
      [at(0, 1), at(1, 1), at(2, 4), at(3, 5), at(4, 6), at(5, 6)],
      [2, 17 / 3],
      { mergedDuplicates: 4 },
    ],
  ] as const)('cleans %s deterministically', (_label, input, values, reportPart) => {
    const { series, report } = cleanSeries(input, 300);
    expect(series.values).toEqual(values);
    expect(report).toEqual(expect.objectContaining(reportPart));
  });

  it('fills a gap longer than an hour with the previous day shifted to join both edges', () => {
    const perDay = 24;
    const values = Array.from({ length: 3 * perDay }, (_, t) => 10 + (t % perDay));
    const observations = values
      .map((value, t) => ({ timestampMs: t * 3_600_000, value }))
      .filter((_, t) => t < 50 || t > 55);
    const { series, report } = cleanSeries(observations, 3600);
    expect(report.filledGapSteps).toBe(6);
    expect(series.values).toEqual(values);
  });

  it('aligns the grid to multiples of the step since the epoch', () => {
    const { series } = cleanSeries([at(7, 1), at(12, 2)], 300);
    expect(series.startMs).toBe(5 * MIN);
  });

  it('gives the same result whatever the input order', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            minute: fc.integer({ min: 0, max: 200 }),
            value: fc.double({ min: 0, max: 1e6, noNaN: true }),
          }),
          {
            minLength: 1,
            maxLength: 60,
          },
        ),
        fc.integer(),
        (points, seed) => {
          const input = points.map((p) => at(p.minute, p.value));
          const shuffled = [...input].sort(
            (a, b) => ((a.timestampMs * 31 + seed) % 97) - ((b.timestampMs * 31 + seed) % 97),
          );
          const a = cleanSeries(input, 300);
          const b = cleanSeries(shuffled, 300);
          expect(b.series).toEqual(a.series);
          for (const v of a.series.values) expect(Number.isFinite(v) && v >= 0).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('throws EmptySeriesError for an empty history', () => {
    expect(() => cleanSeries([], 300)).toThrow(EmptySeriesError);
  });

  it('throws NoUsableDataError when every value is NaN, infinite or negative', () => {
    expect(() => cleanSeries([at(0, Number.NaN), at(5, Number.NEGATIVE_INFINITY), at(10, -1)], 300)).toThrow(
      expect.objectContaining({ name: 'NoUsableDataError', droppedNonFinite: 2, droppedNegative: 1 }),
    );
    expect(() => cleanSeries([at(0, Number.NaN)], 300)).toThrow(NoUsableDataError);
  });

  it.each([0, -60, Number.NaN, 86_401, 7000, 420])('throws InvalidStepError for stepSeconds %p', (step) => {
    expect(() => cleanSeries([at(0, 1)], step)).toThrow(InvalidStepError);
  });

  it('names a step that does not divide a day, and what it expected', () => {
    expect(() => cleanSeries([at(0, 1)], 7000)).toThrow(
      expect.objectContaining({
        name: 'InvalidStepError',
        stepSeconds: 7000,
        message: expect.stringContaining(
          'received 7000, expected a number of seconds in [1, 86400] that divides a day',
        ),
      }),
    );
  });

  it('throws SeriesSpanTooLargeError for a stray timestamp decades away', () => {
    expect(() => cleanSeries([at(0, 1), { timestampMs: 1.7e12, value: 1 }], 60)).toThrow(
      SeriesSpanTooLargeError,
    );
  });
});
