import { cleanSeries } from '../../../shared/core/forecast/clean-series';
import { loadGrid } from '../../../shared/usecases/load-grid';

const T0 = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;
const minutes = (values: readonly number[], fromMinute = 0) =>
  values.map((value, i) => ({ timestampMs: T0 + (fromMinute + i) * MINUTE, value }));

describe('loadGrid', () => {
  it('averages a finer period into the nearest step boundary, as the forecaster’s cleaning does', () => {
    // Minutes 0–2 snap to 00:00, minutes 3–5 to 00:05.
    const history = minutes([1, 2, 3, 4, 5, 6]);
    expect(loadGrid(history, 300_000)).toEqual({ grid: [2, 5], startMs: T0 });
    expect(cleanSeries(history, 300).series).toMatchObject({ startMs: T0, values: [2, 5] });
  });

  it('starts at the step its oldest observation snaps to, whatever the input order, NaN where a step has none', () => {
    // 00:04 snaps to 00:05; nothing near 00:10; 00:16 snaps to 00:15.
    const history = [
      { timestampMs: T0 + 16 * MINUTE, value: 9 },
      { timestampMs: T0 + 4 * MINUTE, value: 3 },
      { timestampMs: T0 + 6 * MINUTE, value: Number.NaN },
    ];
    const { grid, startMs } = loadGrid(history, 300_000);
    expect(startMs).toBe(T0 + 5 * MINUTE);
    expect(grid).toEqual([3, Number.NaN, 9]);
  });

  it('is empty without a finite observation', () => {
    expect(loadGrid([], 300_000)).toEqual({ grid: [], startMs: 0 });
    expect(loadGrid(minutes([Number.NaN]), 300_000)).toEqual({ grid: [], startMs: 0 });
  });
});
