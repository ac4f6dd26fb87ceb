import { forecastDemand } from '../../../shared/core/forecast/forecast-demand';
import { warmForecastDemand } from '../../../shared/usecases/warm-forecast-demand';

describe('warmForecastDemand', () => {
  const history = Array.from({ length: 3 * 288 }, (_, i) => ({
    timestampMs: Date.UTC(2024, 0, 1) + i * 300_000,
    value: 50 + 30 * Math.sin((2 * Math.PI * i) / 288) + (i % 5),
  }));
  const input = { history, stepSeconds: 300, horizonSteps: 36, levels: [80, 90] };

  it('gives what forecastDemand gives, and refits a repeated question only once', () => {
    const before = { ...warmForecastDemand.stats };
    const first = warmForecastDemand(input);
    const again = warmForecastDemand({ ...input, history: history.map((o) => ({ ...o })) });
    expect(again).toBe(first);
    expect(first).toEqual(forecastDemand(input));
    expect(warmForecastDemand.stats).toEqual({ hits: before.hits + 1, misses: before.misses + 1 });
  });

  it('refits when the refresh interval brings a new observation', () => {
    const first = warmForecastDemand(input);
    const next = [...history, { timestampMs: Date.UTC(2024, 0, 1) + history.length * 300_000, value: 60 }];
    const misses = warmForecastDemand.stats.misses;
    const refitted = warmForecastDemand({ ...input, history: next });
    expect(refitted).not.toBe(first);
    expect(warmForecastDemand.stats.misses).toBe(misses + 1);
  });
});
