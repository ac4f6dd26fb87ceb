import fc from 'fast-check';
import {
  EmptySeriesError,
  InvalidCampaignError,
  InvalidHorizonError,
  InvalidLevelError,
  InvalidStepError,
  NoUsableDataError,
} from '../../../../shared/core/forecast/errors';
import { forecastDemand } from '../../../../shared/core/forecast/forecast-demand';
import { forecastQuantile } from '../../../../shared/core/forecast/forecast-quantile';
import { planningLoad } from '../../../../shared/core/forecast/planning-load';
import type { CampaignWindow, DemandForecast } from '../../../../shared/core/forecast/types';
import { intervalViolations } from './interval-violations';
import { observations, seededRandom, syntheticLoad } from './synthetic-load';

const HOUR = 3600;
const LEVELS = [50, 80, 90, 95, 99];
const history = observations(syntheticLoad({ steps: 24 * 21, stepSeconds: HOUR }), HOUR);
const base = forecastDemand({ history, stepSeconds: HOUR, horizonSteps: 48, levels: LEVELS });

function expectValid(forecast: DemandForecast, horizonSteps: number): void {
  expect(forecast.mean).toHaveLength(horizonSteps);
  expect(intervalViolations(forecast.mean, forecast.intervals, { nonNegative: true })).toEqual([]);
}

describe('forecastDemand', () => {
  it('forecasts with nested intervals, starting one step after the history', () => {
    expectValid(base, 48);
    expect(base.startMs).toBe((history[history.length - 1]?.timestampMs ?? 0) + HOUR * 1000);
    expect(base.intervals.map((i) => i.levelPct)).toEqual(LEVELS);
    expect(base.stepSeconds).toBe(HOUR);
  });

  it('names the selected model(s) and their backtest errors', () => {
    expect(['single', 'combination']).toContain(base.selection.kind);
    expect(base.selection.lowConfidence).toBe(false);
    expect(base.selection.models.length).toBeGreaterThan(0);
    const scored = base.selection.backtest.map((b) => b.model);
    for (const model of base.selection.models) expect(scored).toContain(model);
    for (const score of base.selection.backtest) expect(score.mase).toBeGreaterThanOrEqual(0);
  });

  it('tracks a clean daily cycle closely', () => {
    const truth = syntheticLoad({ steps: 24 * 21 + 48, stepSeconds: HOUR, noise: 0 }).slice(24 * 21);
    const errors = truth.map((y, h) => Math.abs(y - (base.mean[h] as number)) / y);
    expect(Math.max(...errors)).toBeLessThan(0.1);
  });

  it('is deterministic', () => {
    expect(forecastDemand({ history, stepSeconds: HOUR, horizonSteps: 48, levels: LEVELS })).toEqual(base);
  });

  it('gives a new group a low-confidence fallback forecast', () => {
    const young = history.slice(0, 10);
    const forecast = forecastDemand({ history: young, stepSeconds: HOUR, horizonSteps: 24, levels: LEVELS });
    expectValid(forecast, 24);
    expect(forecast.selection).toEqual(
      expect.objectContaining({ kind: 'fallback', models: ['recent-level'], lowConfidence: true }),
    );
  });

  it('falls back to daily seasonal naive when history is too short to backtest', () => {
    const forecast = forecastDemand({
      history: history.slice(0, 60),
      stepSeconds: HOUR,
      horizonSteps: 24,
      levels: LEVELS,
    });
    expectValid(forecast, 24);
    expect(forecast.selection).toEqual(
      expect.objectContaining({ kind: 'fallback', models: ['seasonal-naive-daily'], lowConfidence: true }),
    );
  });

  it('cleans and reports NaN, negative and infinite values instead of failing', () => {
    const dirty = history.map((o, i) =>
      i === 100
        ? { ...o, value: Number.NaN }
        : i === 200
          ? { ...o, value: -5 }
          : i === 300
            ? { ...o, value: Number.POSITIVE_INFINITY }
            : o,
    );
    const forecast = forecastDemand({ history: dirty, stepSeconds: HOUR, horizonSteps: 12, levels: LEVELS });
    expectValid(forecast, 12);
    expect(forecast.cleaning).toEqual(
      expect.objectContaining({ droppedNonFinite: 2, droppedNegative: 1, filledGapSteps: 3 }),
    );
  });

  it('reports an injected spike as an anomaly and keeps it out of the fit', () => {
    const spiked = history.map((o, i) => (i === 24 * 18 + 5 ? { ...o, value: o.value * 8 } : o));
    const forecast = forecastDemand({ history: spiked, stepSeconds: HOUR, horizonSteps: 48, levels: LEVELS });
    expect(forecast.anomalies.map((a) => a.timestampMs)).toContain(spiked[24 * 18 + 5]?.timestampMs);
    const maxDiff = Math.max(...forecast.mean.map((m, h) => Math.abs(m - (base.mean[h] as number))));
    expect(maxDiff).toBeLessThan(5);
  });

  it('keeps multi-hour event-day peaks in the fit, reports what it replaced and forecasts the daily peak', () => {
    const values = syntheticLoad({ steps: 24 * 21, stepSeconds: HOUR, seed: 3 });
    // Two event days with a three-hour peak at twice the load, and one single-sample glitch.
    for (const day of [9, 16])
      for (let h = 18; h < 21; h += 1) values[day * 24 + h] = (values[day * 24 + h] as number) * 2;
    values[300] = (values[300] as number) * 6;
    const forecast = forecastDemand({
      history: observations(values, HOUR),
      stepSeconds: HOUR,
      horizonSteps: 24,
      levels: LEVELS,
    });
    const handling = forecast.anomalyHandling;
    expect(handling?.replacedSteps).toBe(1);
    expect(handling?.capReached).toBe(false);
    expect(handling?.keptSteps.sustained).toBeGreaterThanOrEqual(1);
    const replaced = forecast.anomalies.filter((a) => a.replaced).map((a) => a.value);
    expect(replaced).toEqual([values[300]]);
    const [peak] = forecast.dailyPeaks ?? [];
    expect(peak?.peakLoad).toBeGreaterThanOrEqual(Math.max(...forecast.mean));
    expect(peak?.startMs).toBe(forecast.startMs);
    // The planning bound is calibrated on the held-out backtest days, one per upper probability.
    const calibration = forecast.peakCalibration;
    expect(calibration?.heldOutDays).toBeGreaterThan(0);
    expect(calibration?.bounds.map((b) => b.probability)).toEqual(LEVELS.map((l) => (1 + l / 100) / 2));
  });

  it('never replaces history inside a campaign window passed with the forecast', () => {
    const values = syntheticLoad({ steps: 24 * 21, stepSeconds: HOUR, seed: 3 });
    values[300] = (values[300] as number) * 6;
    const history = observations(values, HOUR);
    const at = (history[300] as { timestampMs: number }).timestampMs;
    const campaigns: CampaignWindow[] = [
      {
        campaignId: 'sale',
        startMs: at - HOUR * 1000,
        endMs: at + HOUR * 1000,
        uplift: { kind: 'multiplier', factor: 2 },
        rampUpSeconds: 0,
      },
    ];
    const forecast = forecastDemand({
      history,
      stepSeconds: HOUR,
      horizonSteps: 24,
      levels: LEVELS,
      campaigns,
    });
    expect(forecast.anomalyHandling?.replacedSteps).toBe(0);
    expect(forecast.anomalyHandling?.keptSteps.campaign).toBeGreaterThanOrEqual(1);
    expect(forecast.anomalies.find((a) => a.timestampMs === at)?.reason).toBe('campaign');
    expect(forecast.campaignsApplied).toEqual([]);
  });

  it('forecasts an all-zero history as zero load without NaN', () => {
    const zeros = history.map((o) => ({ ...o, value: 0 }));
    const forecast = forecastDemand({ history: zeros, stepSeconds: HOUR, horizonSteps: 24, levels: LEVELS });
    expectValid(forecast, 24);
    expect(forecast.mean.every((m) => m === 0)).toBe(true);
  });

  it('resamples irregular, shuffled 1-minute observations onto a 5-minute grid', () => {
    const minute = observations(syntheticLoad({ steps: 60 * 24 * 3, stepSeconds: 60 }), 60);
    const shuffled = minute
      .filter((_, i) => i % 7 !== 3)
      .sort((a, b) => (a.timestampMs % 13) - (b.timestampMs % 13));
    const forecast = forecastDemand({ history: shuffled, stepSeconds: 300, horizonSteps: 36, levels: [80] });
    expectValid(forecast, 36);
    // Snapping to the nearest step puts minutes 58–59 of the last 5-minute block one step later.
    expect(forecast.cleaning).toEqual(
      expect.objectContaining({ reordered: true, outputSteps: 12 * 24 * 3 + 1 }),
    );
    expect(forecast.startMs).toBe((minute[0]?.timestampMs ?? 0) + (12 * 24 * 3 + 1) * 300_000);
  });

  it.each([
    ['an empty history', { history: [] }, EmptySeriesError],
    ['an all-NaN history', { history: [{ timestampMs: 0, value: Number.NaN }] }, NoUsableDataError],
    ['an all-negative history', { history: [{ timestampMs: 0, value: -1 }] }, NoUsableDataError],
    ['horizon 0', { horizonSteps: 0 }, InvalidHorizonError],
    ['a negative horizon', { horizonSteps: -3 }, InvalidHorizonError],
    ['a fractional horizon', { horizonSteps: 1.5 }, InvalidHorizonError],
    ['level 0', { levels: [0] }, InvalidLevelError],
    ['level 100', { levels: [80, 100] }, InvalidLevelError],
    ['level NaN', { levels: [Number.NaN] }, InvalidLevelError],
    ['a step that does not divide a day', { stepSeconds: 7000 }, InvalidStepError],
  ] as const)('throws a named error for %s', (_label, override, errorClass) => {
    expect(() =>
      forecastDemand({ history, stepSeconds: HOUR, horizonSteps: 24, levels: LEVELS, ...override }),
    ).toThrow(errorClass);
  });

  it('rejects a malformed campaign with InvalidCampaignError', () => {
    const campaign: CampaignWindow = {
      campaignId: 'bad',
      startMs: base.startMs + 10,
      endMs: base.startMs,
      uplift: { kind: 'multiplier', factor: 2 },
      rampUpSeconds: 0,
    };
    expect(() =>
      forecastDemand({ history, stepSeconds: HOUR, horizonSteps: 24, levels: LEVELS, campaigns: [campaign] }),
    ).toThrow(InvalidCampaignError);
  });

  it('applies campaign uplift inside the window only, keeping intervals nested', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -5, max: 50 }),
        fc.integer({ min: 1, max: 30 }),
        fc.oneof(
          fc.record({
            kind: fc.constant('multiplier' as const),
            factor: fc.double({ min: 0, max: 5, noNaN: true }),
          }),
          fc.record({
            kind: fc.constant('added-load' as const),
            load: fc.double({ min: 0, max: 500, noNaN: true }),
          }),
        ),
        fc.integer({ min: 0, max: 6 * HOUR }),
        (startStep, lengthSteps, uplift, rampUpSeconds) => {
          const stepMs = HOUR * 1000;
          const campaign: CampaignWindow = {
            campaignId: 'promo',
            startMs: base.startMs + startStep * stepMs,
            endMs: base.startMs + (startStep + lengthSteps) * stepMs,
            uplift,
            rampUpSeconds,
          };
          const with_ = forecastDemand({
            history,
            stepSeconds: HOUR,
            horizonSteps: 48,
            levels: LEVELS,
            campaigns: [campaign],
          });
          expectValid(with_, 48);
          // A window reaching into the history changes what the models read (removeCampaignUplift).
          for (let h = 0; h < 48 && startStep >= 0; h += 1) {
            const inside = h >= startStep && h < startStep + lengthSteps;
            if (!inside) expect(with_.mean[h]).toBe(base.mean[h]);
          }
          const touches = startStep < 48 && startStep + lengthSteps > 0;
          expect(with_.campaignsApplied).toEqual(touches ? ['promo'] : []);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('ramps uplift linearly from the window start', () => {
    const campaign: CampaignWindow = {
      campaignId: 'ramp',
      startMs: base.startMs,
      endMs: base.startMs + 10 * HOUR * 1000,
      uplift: { kind: 'multiplier', factor: 3 },
      rampUpSeconds: 4 * HOUR,
    };
    const f = forecastDemand({
      history,
      stepSeconds: HOUR,
      horizonSteps: 48,
      levels: LEVELS,
      campaigns: [campaign],
    });
    const ratio = (h: number): number => (f.mean[h] as number) / (base.mean[h] as number);
    expect(ratio(0)).toBeCloseTo(1, 10);
    expect(ratio(2)).toBeCloseTo(2, 10);
    expect(ratio(5)).toBeCloseTo(3, 10);
    expect(ratio(10)).toBeCloseTo(1, 10);
  });
});

describe('forecastDemand with a glitch it replaced', () => {
  // 14 days of 5-minute load; one sample at 30 times the load, which the detector replaces.
  const STEP = 300;
  const perDay = 288;
  const values = syntheticLoad({ steps: 14 * perDay, stepSeconds: STEP, seed: 7 });
  const forecastOf = (history: readonly number[]) =>
    forecastDemand({
      history: observations(history, STEP),
      stepSeconds: STEP,
      horizonSteps: perDay,
      levels: [80, 90],
    });
  const clean = forecastOf(values);

  it.each([
    ['3 days back (the daily maxima)', 3 * perDay],
    ['1 day back (the held-out days)', perDay],
  ])('does not set the daily-peak planning bound: %s', (_label, stepsBack) => {
    const glitched = [...values];
    const at = glitched.length - 1 - stepsBack;
    glitched[at] = 30 * (glitched[at] as number);
    const forecast = forecastOf(glitched);
    expect(forecast.anomalyHandling?.replacedSteps).toBe(1);
    const bounds = forecast.peakCalibration?.bounds ?? [];
    const cleanBounds = clean.peakCalibration?.bounds ?? [];
    expect(bounds.map((b) => b.probability)).toEqual(cleanBounds.map((b) => b.probability));
    for (const [i, bound] of bounds.entries()) {
      const uplift = cleanBounds[i]?.upliftRatio as number;
      expect(Math.abs(bound.upliftRatio - uplift)).toBeLessThanOrEqual(0.1 * uplift);
    }
    // The planned load at the forecast's peak step follows (the per-step quantile aside).
    const peak = clean.mean.indexOf(Math.max(...clean.mean));
    const planned = planningLoad(forecast, 0.9)[peak] as number;
    expect(Math.abs(planned / (planningLoad(clean, 0.9)[peak] as number) - 1)).toBeLessThan(0.1);
  });
});

describe('forecastDemand with a glitch far above the load', () => {
  // 14 days of 5-minute load, 160 ± 60 daily with noise; one sample of 10⁷, replaced as a glitch.
  const STEP = 300;
  const perDay = 288;
  const random = seededRandom(11);
  const values = Array.from(
    { length: 14 * perDay },
    (_, t) => 160 + 60 * Math.sin((2 * Math.PI * t) / perDay) + 10 * random(),
  );
  const forecastOf = (history: readonly number[]) =>
    forecastDemand({
      history: observations(history, STEP),
      stepSeconds: STEP,
      horizonSteps: 303,
      levels: LEVELS,
    });
  const clean = forecastOf(values);
  const glitched = (stepsBack: number, load: number): number[] => {
    const edited = [...values];
    edited[edited.length - stepsBack] = load;
    return edited;
  };

  it('plans for no more than twice the clean load when the glitch is 3 days back (the daily maxima)', () => {
    const forecast = forecastOf(glitched(3 * perDay, 1e7));
    expect(forecast.anomalyHandling?.replacedSteps).toBe(1);
    const cleanPlan = planningLoad(clean, 0.95);
    const over = planningLoad(forecast, 0.95).filter((load, h) => load > 2 * (cleanPlan[h] as number));
    expect(over).toEqual([]);
    expect(forecast.peakCalibration?.levelLoad).toBeLessThan(
      1.05 * (clean.peakCalibration?.levelLoad as number),
    );
  });

  it('keeps a replaced glitch a day back out of the interval calibration', () => {
    const wide = (forecast: DemandForecast) =>
      forecastQuantile(forecast, 0.9).filter((load, h) => load > 2 * (forecast.mean[h] as number));
    expect(wide(clean)).toEqual([]);
    const forecast = forecastOf(glitched(perDay - 10, 1e5));
    expect(forecast.anomalyHandling?.replacedSteps).toBe(1);
    expect(wide(forecast)).toEqual([]);
  });
});

describe('forecastDemand with a campaign already running', () => {
  // 14 days of 5-minute load; a ×2 campaign started 2 hours before the history ends and runs 12
  // hours in all, so 10 of the forecast's 24 hours lie inside it.
  const STEP = 300;
  const perDay = 288;
  const n = 14 * perDay;
  const start = n - 24;
  const end = start + 144;
  const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

  it.each([0, 3600])(
    'applies its uplift once, and returns to the base load after it (ramp %p s)',
    (rampUpSeconds) => {
      const base = syntheticLoad({ steps: n + perDay, stepSeconds: STEP, seed: 5 });
      // The load the campaign gives, at each step's start as the forecast reads it.
      const factor = (t: number) =>
        t < start || t >= end ? 1 : 1 + Math.min(1, ((t - start) * STEP) / Math.max(1, rampUpSeconds));
      const actual = base.map((v, t) => v * (rampUpSeconds > 0 ? factor(t) : t >= start && t < end ? 2 : 1));
      const t0 = Date.UTC(2024, 0, 1);
      const campaign: CampaignWindow = {
        campaignId: 'sale',
        startMs: t0 + start * STEP * 1000,
        endMs: t0 + end * STEP * 1000,
        uplift: { kind: 'multiplier', factor: 2 },
        rampUpSeconds,
      };
      const forecast = forecastDemand({
        history: observations(actual.slice(0, n), STEP),
        stepSeconds: STEP,
        horizonSteps: perDay,
        levels: [80],
        campaigns: [campaign],
      });
      const future = actual.slice(n);
      const inside = end - n;
      const ratioInside = sum(forecast.mean.slice(0, inside)) / sum(future.slice(0, inside));
      const ratioAfter = sum(forecast.mean.slice(inside)) / sum(future.slice(inside));
      expect(Math.abs(ratioInside - 1)).toBeLessThan(0.15);
      expect(Math.abs(ratioAfter - 1)).toBeLessThan(0.15);
      // The report shows the load the metric said, not the history the models read.
      for (const a of forecast.anomalies) {
        expect(a.value).toBe(actual[Math.round((a.timestampMs - t0) / (STEP * 1000))]);
      }
    },
  );
});

describe('forecastDemand after a regime change', () => {
  const days = 21;
  const horizon = 48;
  const shiftAt = 24 * days - 36;
  /** Coverage of the 90 % interval over the next two days, and the forecast, for five seeds. */
  const run = (kind: 'none' | 'level' | 'noise') =>
    [1, 2, 3, 4, 5].map((seed) => {
      const values = syntheticLoad({ steps: 24 * days + horizon, stepSeconds: HOUR, seed, noise: 3 });
      const random = seededRandom(seed + 100);
      const shifted = values.map((v, t) => {
        if (t < shiftAt || kind === 'none') return v;
        return kind === 'level' ? 1.5 * v : Math.max(0, v + 30 * (random() - 0.5) * 2);
      });
      const forecast = forecastDemand({
        history: observations(shifted.slice(0, 24 * days), HOUR),
        stepSeconds: HOUR,
        horizonSteps: horizon,
        levels: [90],
      });
      const [i90] = forecast.intervals;
      const future = shifted.slice(24 * days);
      const inside = future.filter(
        (y, h) => y >= (i90?.lower[h] as number) && y <= (i90?.upper[h] as number),
      );
      return { coverage: inside.length / horizon, forecast };
    });
  const average = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

  it('widens after a level shift without counting the newest errors twice', () => {
    // The day of the shift dominates the backtest's error scale; scored against the near-exact
    // origins before it as well, the 90 % upper bound ran to many times the load.
    for (const { forecast } of run('level')) {
      const upper = forecast.intervals[0]?.upper as number[];
      const relative = forecast.mean
        .map((m, h) => ((upper[h] as number) - m) / Math.max(1, m))
        .sort((a, b) => a - b);
      // 0.64–0.68 here for the five seeds; 0.87–1.01 when the shift's errors counted twice.
      expect(relative[Math.floor(relative.length / 2)]).toBeLessThan(0.75);
    }
  });

  it('recovers most of its coverage within a day and a half of a level shift', () => {
    const shifted = run('level');
    expect(average(shifted.map((r) => r.coverage))).toBeGreaterThanOrEqual(0.75);
    for (const r of shifted) expect(r.forecast.calibration?.recentErrorInflation).toBeGreaterThan(1);
  });

  it('re-centres on a step change in the newest half hour that the models have not followed', () => {
    // 5-minute steps, 14 days of a steady daily cycle; the level steps up by 60 % six steps before
    // the end (as `rds_cpu_utilization_e47b3b` does on its ninth day) and stays there.
    const perDay = 288;
    const results = [1, 2, 3, 4, 5].map((seed) => {
      const random = seededRandom(seed);
      const values = Array.from(
        { length: 15 * perDay },
        (_, t) => 20 + 2 * Math.sin((2 * Math.PI * t) / perDay) + 0.6 * (random() - 0.5),
      );
      const stepped = values.map((v, t) => (t < 14 * perDay - 6 ? v : v + 12));
      const forecast = forecastDemand({
        history: observations(stepped.slice(0, 14 * perDay), 300),
        stepSeconds: 300,
        horizonSteps: perDay,
        levels: [90],
      });
      const future = stepped.slice(14 * perDay);
      const [i90] = forecast.intervals;
      const inside = future.filter(
        (y, h) => y >= (i90?.lower[h] as number) && y <= (i90?.upper[h] as number),
      );
      return {
        coverage: inside.length / perDay,
        bias: average(future.map((y, h) => (forecast.mean[h] as number) - y)),
      };
    });
    // The re-centred mean lands about 0.5 above the new level (noise ±0.3), so the misses are below
    // the interval, the side no longer held to a Gaussian floor: 74 % here, 76 % with the floor on
    // both sides (calibrate-intervals.ts).
    expect(average(results.map((r) => r.coverage))).toBeGreaterThanOrEqual(0.7);
    for (const r of results) expect(Math.abs(r.bias)).toBeLessThan(2);
  });

  it('widens to keep covering when the noise suddenly grows', () => {
    const noisy = run('noise');
    expect(average(noisy.map((r) => r.coverage))).toBeGreaterThanOrEqual(0.85);
  });

  it('keeps intervals unwidened on a steady series', () => {
    for (const r of run('none')) {
      expect(r.coverage).toBeGreaterThanOrEqual(0.9);
      expect(r.forecast.calibration?.recentErrorInflation).toBeLessThan(1.5);
    }
  });
});
