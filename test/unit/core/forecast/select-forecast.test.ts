import { selectForecast } from '../../../../shared/core/forecast/select-forecast';
import { regularSeries, syntheticLoad } from './synthetic-load';

const HOUR = 3600;

describe('selectForecast', () => {
  const series = regularSeries(syntheticLoad({ steps: 24 * 21, stepSeconds: HOUR, seed: 7 }), HOUR);
  const selected = selectForecast(series, series.values, 24, [80, 95]);

  it('scores every eligible model and the combinations of the best ones', () => {
    const names = selected.selection.backtest.map((b) => b.model);
    expect(names).toEqual(
      expect.arrayContaining([
        'seasonal-naive-daily',
        'seasonal-naive-weekly',
        'holt-winters-damped',
        'fourier-regression-ar',
      ]),
    );
    expect(names.some((n) => n.startsWith('median('))).toBe(true);
    expect(names).not.toContain('recent-level');
  });

  it('picks the lowest backtest error and says why', () => {
    const best = Math.min(...selected.selection.backtest.map((b) => b.mase));
    expect(selected.selection.reason).toContain(best.toFixed(3));
    expect(selected.mean).toHaveLength(24);
  });

  it('names each model of the chosen forecast once', () => {
    expect(new Set(selected.selection.models).size).toBe(selected.selection.models.length);
  });

  it('reports the seasonal-naive guard with both recent scores', () => {
    const guard = selected.selection.guard;
    expect(guard).toBeDefined();
    expect(guard?.recentMaseSelected).toBeGreaterThanOrEqual(0);
    expect(guard?.recentMaseSeasonalNaive).toBeGreaterThan(0);
    expect([0, 0.5, 1]).toContain(guard?.seasonalNaiveShare);
    expect(guard?.engaged).toBe((guard?.seasonalNaiveShare ?? 0) > 0);
  });

  it('returns recency weights for the calibration rows, the latest origin weighing most', () => {
    expect(selected.originWeights).toHaveLength(selected.backtestErrors.length);
    expect(selected.originWeights[selected.originWeights.length - 1]).toBe(1);
    expect(Math.min(...selected.originWeights)).toBeGreaterThan(0);
  });

  it('returns one backtest error row per origin for calibration', () => {
    expect(selected.backtestErrors.length).toBeGreaterThanOrEqual(4);
    for (const row of selected.backtestErrors) expect(row).toHaveLength(24);
  });

  it('falls back, flagged low-confidence, when no origin leaves two days of history', () => {
    const short = { ...series, values: series.values.slice(0, 40) };
    const result = selectForecast(short, short.values, 24, [80]);
    expect(result.selection).toEqual(
      expect.objectContaining({
        kind: 'fallback',
        models: ['recent-level'],
        lowConfidence: true,
        backtest: [],
      }),
    );
    expect(result.backtestErrors).toEqual([]);
    expect(result.modelForecast.intervals.map((i) => i.levelPct)).toEqual([80]);
  });
});
