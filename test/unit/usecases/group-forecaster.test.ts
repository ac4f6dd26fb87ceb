import { userConfigSchema } from '../../../shared/contracts/user-config';
import { campaignWindows } from '../../../shared/core/campaigns/campaign-windows';
import { forecastDemand } from '../../../shared/core/forecast/forecast-demand';
import type { DemandForecast, LoadObservation } from '../../../shared/core/forecast/types';
import { wallClock } from '../../../shared/core/forecast/wall-clock-time';
import { residualPersistence } from '../../../shared/core/planning/residual-persistence';
import type { GroupSnapshot } from '../../../shared/ports/scaling-target';
import {
  type ForecastFn,
  forecastHistoryQuery,
  groupForecaster,
  levelPersistence,
} from '../../../shared/usecases/group-forecaster';
import { loadGrid } from '../../../shared/usecases/load-grid';
import { flatForecast } from './prewarm-campaign-setup';

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
  const config = userConfigSchema.parse({ groups: { names: ['web'] }, defaults });
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

  it("with a timeZone, the model sees the history on the group's wall clock and the forecast stays on UTC steps", async () => {
    const asked: Parameters<ForecastFn>[0][] = [];
    const recording: ForecastFn = (input) => {
      asked.push(input);
      return forecastDemand(input);
    };
    const utc = await forecasterAt({ historyDays: 4 }, now, recording)('web');
    const berlin = await forecasterAt({ historyDays: 4, timeZone: 'Europe/Berlin' }, now, recording)('web');
    const [inUtc, inBerlin] = asked;
    // March 2026 before the change: Berlin is an hour ahead of UTC.
    expect(inBerlin?.history[0]?.timestampMs).toBe((inUtc?.history[0]?.timestampMs as number) + 3_600_000);
    expect(berlin.forecast.startMs).toBe(utc.forecast.startMs);
    expect(berlin.forecast.mean).toHaveLength(utc.forecast.mean.length);
  });

  /** The corrected forecast's median minus the model's at `now` + each of `minutes`. */
  const correctionAt = async (history: LoadObservation[], nowMs: number, minutes: readonly number[]) => {
    const config = userConfigSchema.parse({ groups: { names: ['web'] } });
    let model: DemandForecast | undefined;
    const keeping: ForecastFn = (input) => {
      model = forecastDemand(input);
      return model;
    };
    const history_ = new Map([['web', history]]);
    const { forecast } = await groupForecaster(
      { forecast: keeping },
      config,
      new Map([['web', group]]),
      history_,
      [],
      nowMs,
    )('web');
    const stepAt = (ms: number) => Math.round((ms - forecast.startMs) / STEP_MS);
    return minutes.map((m) => {
      const step = stepAt(nowMs + m * 60_000);
      return (forecast.mean[step] as number) - (model?.mean[step] as number);
    });
  };

  /** A noisy daily sine (noise ±15 from a fixed-seed generator), from T0, `days` long. */
  const noisyDays = (days: number, level: (timestampMs: number) => number) => {
    let seed = 9;
    const noise = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648 - 0.5;
    };
    return Array.from({ length: days * DAY }, (_, i) => {
      const timestampMs = T0 + i * STEP_MS;
      return {
        timestampMs,
        value: level(timestampMs) * (500 + 300 * Math.sin((2 * Math.PI * i) / DAY)) + 30 * noise(),
      };
    });
  };

  it('plans without an upstream whose metric reports only negative values', async () => {
    const config = userConfigSchema.parse({ groups: { names: ['front', 'web'] } });
    const query = forecastHistoryQuery('web', config.defaults, now);
    const inWindow = load.filter((o) => o.timestampMs >= query.startMs && o.timestampMs < query.endMs);
    const negative = inWindow.map((o) => ({ ...o, value: -5 - (o.value % 3) }));
    const forecaster = groupForecaster(
      { forecast: forecastDemand },
      config,
      new Map([
        ['front', { name: 'front', tags: {} } as unknown as GroupSnapshot],
        ['web', group],
      ]),
      new Map([
        ['front', negative],
        ['web', inWindow],
      ]),
      [{ from: 'front', to: 'web', loadRatio: 2 }],
      now,
    );
    const { raisedByUpstreams } = await forecaster('web');
    expect(raisedByUpstreams).toEqual([]);
  });

  it('follows a load that doubled since the refit, though the day before it was only noise', async () => {
    // The load doubles at 08:00 on day 16 and stays; the run at 08:31 plans from the 08:00 refit.
    const shiftMs = T0 + 15 * DAY * STEP_MS + 8 * 3_600_000;
    const nowMs = shiftMs + 31 * 60_000;
    const doubled = noisyDays(16, (t) => (t >= shiftMs ? 2 : 1)).filter(
      (o) => o.timestampMs < nowMs - STEP_MS,
    );
    const [tenMinutesOut] = await correctionAt(doubled, nowMs, [10]);
    // The model, fitted before the shift, is about 730 there; the load about 1470.
    expect(tenMinutesOut).toBeGreaterThan(500);
  });

  it('corrects the level the same with or without a missing hour of metrics in the day before', async () => {
    const nowMs = T0 + 14 * DAY * STEP_MS + (7 * 12 + 5) * STEP_MS;
    // The newest 40 minutes run 150 above the usual load: a burst, not the kind of day the history shows.
    const bursting = noisyDays(15, () => 1)
      .filter((o) => o.timestampMs < nowMs)
      .map((o) => (o.timestampMs >= nowMs - 40 * 60_000 ? { ...o, value: o.value + 150 } : o));
    const holeStartMs = nowMs - 10 * 3_600_000;
    const withHole = bursting.filter(
      (o) => o.timestampMs < holeStartMs || o.timestampMs >= holeStartMs + 3_600_000,
    );
    const minutes = [0, 60, 120];
    const whole = await correctionAt(bursting, nowMs, minutes);
    const holed = await correctionAt(withHole, nowMs, minutes);
    // Compared a day earlier by array position, the hole read the burst as a lasting shift (+49 an hour out).
    for (const [i, value] of holed.entries()) expect(Math.abs(value - (whole[i] as number))).toBeLessThan(15);
  });

  describe('with a sale that was expected ×3 and brought ×1.5', () => {
    const HOUR_MS = 3_600_000;
    const saleStartMs = T0 + 14 * 24 * HOUR_MS + 10 * HOUR_MS;
    const saleEndMs = saleStartMs + 6 * HOUR_MS;
    // Load 100 every hour, 150 during the sale; the model (flat 100) is right outside it.
    const hourly = Array.from({ length: 15 * 24 }, (_, i) => {
      const timestampMs = T0 + i * HOUR_MS;
      return { timestampMs, value: timestampMs >= saleStartMs && timestampMs < saleEndMs ? 150 : 100 };
    });
    const saleAt = (nowMs: number, extraInstances: number) => {
      const config = userConfigSchema.parse({
        groups: { names: ['web'] },
        defaults: { stepSeconds: 3600, targetLoadPerInstance: 60, historyDays: 4 },
      });
      const windows = campaignWindows(
        [
          {
            campaignId: 'sale',
            startMs: saleStartMs,
            endMs: saleEndMs,
            rampUpSeconds: 0,
            uplift: { kind: 'multiplier', factor: 3 },
            extraInstances,
          },
        ],
        60,
      );
      return groupForecaster(
        { forecast: flatForecast, campaignsFor: async () => windows },
        config,
        new Map([['web', group]]),
        new Map([['web', hourly.filter((o) => o.timestampMs < nowMs)]]),
        [],
        nowMs,
      )('web');
    };
    const meanAt = (forecast: DemandForecast, timestampMs: number) =>
      forecast.mean[(timestampMs - forecast.startMs) / HOUR_MS] as number;

    it("forecasts the model's own level right after the sale, not the sale's shortfall", async () => {
      // 16:05: the refit at 16:00 stopped at 13:00, so every residual it has is a sale hour's.
      for (const extraInstances of [0, 2]) {
        const { forecast } = await saleAt(saleEndMs + 5 * 60_000, extraInstances);
        for (const hours of [0, 1, 2, 3]) expect(meanAt(forecast, saleEndMs + hours * HOUR_MS)).toBe(100);
      }
    });
  });
});

describe('levelPersistence across a daylight-saving change', () => {
  const berlin = wallClock('Europe/Berlin');
  const HOUR = 3_600_000;
  /** Load by local wall-clock time: flat at night (00:00–05:00), a day ramp with persistent noise. */
  const localLoad = (wallMs: number): number => {
    const hour = (wallMs % 86_400_000) / HOUR;
    if (hour < 5) return 50;
    const k = Math.round(wallMs / STEP_MS);
    let noise = 0;
    for (let j = 0; j < 10; j += 1) {
      const hashed = Math.sin((k - j) * 12.9898) * 43_758.5453;
      noise += 0.5 ** j * 20 * (hashed - Math.floor(hashed) - 0.5);
    }
    return 50 + 400 * Math.sin((Math.PI * (hour - 5)) / 19) + noise;
  };
  // Three days ending at 12:00Z the day after Berlin's spring-forward (2027-03-28 01:00Z).
  const endMs = Date.UTC(2027, 2, 29, 12);
  const startMs = endMs - 3 * 86_400_000;
  const inBerlin: LoadObservation[] = [];
  for (let t = startMs; t < endMs; t += STEP_MS)
    inBerlin.push({ timestampMs: t, value: localLoad(berlin.toWallClockMs(t)) });
  // The same local load where the clock does not change: every wall-clock step once.
  const noChange: LoadObservation[] = [];
  for (let w = berlin.toWallClockMs(startMs); w <= berlin.toWallClockMs(endMs - STEP_MS); w += STEP_MS)
    noChange.push({ timestampMs: w, value: localLoad(w) });

  it("with the group's timeZone, reads the day after the change as the same load without a change", () => {
    const withZone = levelPersistence(inBerlin, { stepSeconds: 300, timeZone: 'Europe/Berlin' });
    const reference = levelPersistence(noChange, { stepSeconds: 300 });
    expect(withZone).toBe(reference);
    // Compared by UTC day, the hour's shift of the ramp reads as a lasting deviation.
    expect(levelPersistence(inBerlin, { stepSeconds: 300 })).toBeGreaterThan(reference + 0.2);
  });

  it('without a zone or with "UTC", compares UTC days exactly as before the setting', () => {
    const utcGrid = residualPersistence(loadGrid(inBerlin, STEP_MS).grid, DAY, DAY);
    expect(levelPersistence(inBerlin, { stepSeconds: 300 })).toBe(utcGrid);
    expect(levelPersistence(inBerlin, { stepSeconds: 300, timeZone: 'UTC' })).toBe(utcGrid);
  });
});
