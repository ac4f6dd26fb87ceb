import { cleanSeries } from '../../../../shared/core/forecast/clean-series';
import { forecastDemand } from '../../../../shared/core/forecast/forecast-demand';
import { doubleSeasonalHoltWinters } from '../../../../shared/core/forecast/models/double-seasonal-holt-winters';
import { seasonalMedian } from '../../../../shared/core/forecast/models/seasonal-median';
import type { DemandForecast, ForecastModel, LoadObservation } from '../../../../shared/core/forecast/types';
import { type DemandForecastFn, onWallClock } from '../../../../shared/core/forecast/wall-clock-forecast';
import { wallClock } from '../../../../shared/core/forecast/wall-clock-time';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const at = (iso: string) => Date.parse(iso);

/**
 * Hourly load of a group serving `zone`: 100 from 09:00 to 17:00 local, 10 otherwise, over the
 * `days` days before `endIso`.
 */
function dailyRamp(zone: string, endIso: string, days: number): LoadObservation[] {
  const clock = wallClock(zone);
  const endMs = at(endIso);
  return Array.from({ length: days * 24 }, (_, k) => {
    const timestampMs = endMs - days * DAY_MS + k * HOUR_MS;
    const localHour = new Date(clock.toWallClockMs(timestampMs)).getUTCHours();
    return { timestampMs, value: localHour >= 9 && localHour < 17 ? 100 : 10 };
  });
}

/** One model alone as a forecaster, on the cleaned history. */
function modelForecaster(model: ForecastModel): DemandForecastFn {
  return ({ history, stepSeconds, horizonSteps, levels }) => {
    const { series, report } = cleanSeries(history, stepSeconds);
    const { mean, intervals } = model.fit(series).forecast({ horizonSteps, levels });
    return {
      startMs: series.startMs + series.values.length * stepSeconds * 1000,
      stepSeconds,
      mean,
      intervals,
      selection: { kind: 'single', models: [model.name], backtest: [], lowConfidence: false, reason: '' },
      cleaning: report,
      anomalies: [],
      campaignsApplied: [],
    };
  };
}

/** The first UTC hour of the forecast's first day at which the mean reaches half the ramp. */
function rampHourUtc(forecast: DemandForecast): number {
  const step = forecast.mean.findIndex((m) => m >= 55);
  return new Date(forecast.startMs + step * forecast.stepSeconds * 1000).getUTCHours();
}

describe('onWallClock', () => {
  // Five weeks to the end of 2027-03-28, Berlin's spring-forward day (01:00Z).
  const berlinHistory = dailyRamp('Europe/Berlin', '2027-03-29T00:00:00Z', 35);
  const ask = { history: berlinHistory, stepSeconds: 3600, horizonSteps: 24, levels: [80] };

  it.each([
    ['seasonal-median-weekly', seasonalMedian('weekly')],
    ['double-seasonal-holt-winters', doubleSeasonalHoltWinters],
  ])(
    '%s: the day after spring-forward, the 09:00 Berlin ramp comes at 07:00Z with the zone, at 08:00Z without',
    (_name, model) => {
      const forecast = modelForecaster(model);
      const local = onWallClock(forecast, 'Europe/Berlin')(ask);
      expect(local.startMs).toBe(at('2027-03-29T00:00:00Z'));
      expect(local.mean).toHaveLength(24);
      expect(rampHourUtc(local)).toBe(7);
      expect(rampHourUtc(forecast(ask))).toBe(8);
    },
  );

  it('forecastDemand with the zone puts the ramp at 07:00Z the day after spring-forward', () => {
    expect(rampHourUtc(onWallClock(forecastDemand, 'Europe/Berlin')(ask))).toBe(7);
  });

  it('New York: the day after its spring-forward (2027-03-14 07:00Z) the 09:00 ramp comes at 13:00Z', () => {
    const history = dailyRamp('America/New_York', '2027-03-15T04:00:00Z', 35);
    const forecast = modelForecaster(seasonalMedian('weekly'));
    const input = { history, stepSeconds: 3600, horizonSteps: 24, levels: [80] };
    expect(rampHourUtc(onWallClock(forecast, 'America/New_York')(input))).toBe(13);
    expect(rampHourUtc(forecast(input))).toBe(14);
  });

  it('after Berlin falls back (2027-10-31 01:00Z) the ramp moves to 08:00Z and the day has 25 UTC hours', () => {
    const history = dailyRamp('Europe/Berlin', '2027-10-31T00:00:00Z', 35);
    const forecast = onWallClock(modelForecaster(seasonalMedian('weekly')), 'Europe/Berlin');
    const f = forecast({ history, stepSeconds: 3600, horizonSteps: 48, levels: [80] });
    expect(f.startMs).toBe(at('2027-10-31T00:00:00Z'));
    expect(f.mean).toHaveLength(48);
    expect(rampHourUtc(f)).toBe(8);
    // The repeated 02:00 local (00:00Z and 01:00Z) reads the same wall-clock step twice.
    expect(f.mean[1]).toBe(f.mean[2]);
    // 17:00 local, the ramp's end, is 16:00Z after the change.
    expect(f.mean[15]).toBe(100);
    expect(f.mean[16]).toBe(10);
    for (const i of f.intervals) expect(i.upper).toHaveLength(48);
  });

  it('across a spring-forward inside the horizon, the skipped hour is never read and the horizon stays whole', () => {
    const history = dailyRamp('Europe/Berlin', '2027-03-27T12:00:00Z', 35);
    const f = onWallClock(
      modelForecaster(seasonalMedian('weekly')),
      'Europe/Berlin',
    )({ history, stepSeconds: 3600, horizonSteps: 36, levels: [80] });
    expect(f.mean).toHaveLength(36);
    // 2027-03-28 07:00Z is 09:00 CEST: up; 06:00Z is 08:00: not yet.
    const stepOf = (iso: string) => (at(iso) - f.startMs) / HOUR_MS;
    expect(f.mean[stepOf('2027-03-28T06:00:00Z')]).toBe(10);
    expect(f.mean[stepOf('2027-03-28T07:00:00Z')]).toBe(100);
  });

  it('with no zone or UTC it is the forecaster itself: output identical to today', () => {
    const forecast = modelForecaster(seasonalMedian('weekly'));
    expect(onWallClock(forecast, undefined)).toBe(forecast);
    expect(onWallClock(forecastDemand, 'UTC')).toBe(forecastDemand);
    expect(onWallClock(forecastDemand, 'UTC')(ask)).toEqual(forecastDemand(ask));
  });

  it('moves campaign windows onto the wall clock and daily peaks back to instants', () => {
    const campaign = {
      campaignId: 'sale',
      startMs: at('2027-03-29T05:00:00Z'),
      endMs: at('2027-03-29T06:00:00Z'),
      uplift: { kind: 'multiplier', factor: 3 } as const,
      rampUpSeconds: 0,
    };
    const f = onWallClock(forecastDemand, 'Europe/Berlin')({ ...ask, campaigns: [campaign] });
    // 05:00Z is 07:00 CEST: before the ramp, 10 × 3 in that hour only.
    expect(f.mean[5]).toBeCloseTo(30, 0);
    expect(f.mean[4]).toBeCloseTo(10, 0);
    expect(f.campaignsApplied).toEqual(['sale']);
    const firstDay = f.dailyPeaks?.[0];
    expect(firstDay?.startMs).toBe(at('2027-03-29T00:00:00Z'));
    expect(firstDay?.peakAtMs).toBeGreaterThanOrEqual(at('2027-03-29T07:00:00Z'));
  });
});
