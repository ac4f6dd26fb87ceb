import { userConfigSchema } from '../../../shared/contracts/user-config';
import { forecastDemand } from '../../../shared/core/forecast/forecast-demand';
import type { LoadObservation } from '../../../shared/core/forecast/types';
import type { GroupSnapshot } from '../../../shared/ports/scaling-target';
import {
  type ForecastFn,
  forecastHistoryQuery,
  groupForecaster,
} from '../../../shared/usecases/group-forecaster';

const STEP_MS = 300_000;
const T0 = Date.UTC(2026, 2, 2);
const DAY = 288;
/** A clean daily sine with a little deterministic texture, 20 days of 5-minute steps. */
const load: LoadObservation[] = Array.from({ length: 20 * DAY }, (_, i) => ({
  timestampMs: T0 + i * STEP_MS,
  value: 100 + 60 * Math.sin((2 * Math.PI * i) / DAY) + (i % 5),
}));
const group = { name: 'web', tags: {} } as unknown as GroupSnapshot;

const forecasterAt = (
  defaults: Record<string, unknown>,
  nowMs: number,
  forecast: ForecastFn = forecastDemand,
) => {
  const config = userConfigSchema.parse({ groups: { names: ['web'] }, defaults, lookAhead: { hours: 1 } });
  const settings = config.defaults;
  const query = forecastHistoryQuery('web', settings, nowMs);
  const history = load.filter((o) => o.timestampMs >= query.startMs && o.timestampMs < query.endMs);
  return groupForecaster(
    { forecast },
    config,
    new Map([['web', group]]),
    new Map([['web', history]]),
    [],
    nowMs,
  );
};

describe('groupForecaster', () => {
  // 07:25 on day 15: the model was refitted at 07:00 on the history up to 06:45.
  const now = T0 + 14 * DAY * STEP_MS + (7 * 12 + 5) * STEP_MS;

  it('backtests its model choice with the least history the configuration allows at its horizon', async () => {
    // 48 h ahead: the backtest's last origin needs 2 days before it and 2 days after: 4 whole days.
    const { forecast } = await forecasterAt({ historyDays: 4, horizonHours: 48 }, now)('web');
    expect(forecast.selection.kind).not.toBe('fallback');
    expect(forecast.selection.lowConfidence).toBe(false);
    expect(forecast.cleaning.outputSteps).toBe(4 * DAY);
  });

  it('fits whole days ending three steps before the refresh, the same for every run of the interval', async () => {
    const asked: Parameters<ForecastFn>[0][] = [];
    const recording: ForecastFn = (input) => {
      asked.push(input);
      return forecastDemand(input);
    };
    for (const minutes of [0, 5, 55]) {
      await forecasterAt({ historyDays: 4 }, now - 25 * 60_000 + minutes * 60_000, recording)('web');
    }
    const [first, ...rest] = asked;
    expect(first?.history).toHaveLength(4 * DAY);
    expect(first?.history[first.history.length - 1]?.timestampMs).toBe(now - 25 * 60_000 - 4 * STEP_MS);
    for (const input of rest) expect(input).toEqual(first);
  });
});
