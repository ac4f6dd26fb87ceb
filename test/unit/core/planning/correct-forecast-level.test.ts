import fc from 'fast-check';
import { applyCampaigns } from '../../../../shared/core/forecast/apply-campaigns';
import type { CampaignWindow } from '../../../../shared/core/forecast/types';
import {
  correctForecastLevel,
  levelCorrectionFitEndMs,
} from '../../../../shared/core/planning/correct-forecast-level';
import { demandForecast } from '../../../helpers/demand-forecast';

const STEP_MS = 300_000;
const flat = (n: number, v: number) => Array.from({ length: n }, () => v);
const obs = (values: readonly number[]) => values.map((value, i) => ({ timestampMs: i * STEP_MS, value }));

describe('correctForecastLevel', () => {
  const forecast = demandForecast(flat(20, 100), [
    { levelPct: 80, lower: flat(20, 80), upper: flat(20, 130) },
  ]);

  it('leaves the forecast unchanged without observations on its steps', () => {
    const out = correctForecastLevel(forecast, [{ timestampMs: 123, value: 500 }]);
    expect(out).toEqual({ forecast, offsetLoad: 0, residualsUsed: 0 });
  });

  it('shifts the steps after the newest observation by the median residual, decaying per step', () => {
    const out = correctForecastLevel(forecast, obs([150, 150, 150]), {
      residualCount: 3,
      persistencePerStep: 0.5,
    });
    expect(out.offsetLoad).toBe(50);
    expect(out.forecast.mean.slice(0, 5)).toEqual([100, 100, 100, 125, 112.5]);
    expect(out.forecast.intervals[0]?.upper[3]).toBe(155);
    expect(out.forecast.intervals[0]?.lower[3]).toBe(105);
  });

  it('ignores a single burst among the newest residuals', () => {
    const out = correctForecastLevel(forecast, obs([100, 400, 100]));
    expect(out.offsetLoad).toBe(0);
    expect(out.forecast.mean).toEqual(forecast.mean);
  });

  it('lowers the forecast when load runs below it, never under zero', () => {
    const out = correctForecastLevel(forecast, obs([0, 0]), { residualCount: 2, persistencePerStep: 0.99 });
    expect(out.offsetLoad).toBe(-100);
    expect(Math.min(...out.forecast.mean, ...(out.forecast.intervals[0]?.lower ?? []))).toBe(0);
  });

  it('rejects settings outside their ranges', () => {
    expect(() => correctForecastLevel(forecast, [], { residualCount: 0, persistencePerStep: 0.5 })).toThrow(
      /residualCount/,
    );
    expect(() => correctForecastLevel(forecast, [], { residualCount: 1, persistencePerStep: 1 })).toThrow(
      RangeError,
    );
  });

  it('shifts every series bit for bit as a per-step map of the decayed offset does', () => {
    // The straightforward formulation the in-place loop replaces, kept here as the reference.
    const reference = (values: readonly number[], lastStep: number, offsetLoad: number, rho: number) =>
      values.map((v, h) => (h <= lastStep ? v : Math.max(0, v + offsetLoad * rho ** (h - lastStep))));
    const series = (maxLength: number) =>
      fc.array(fc.double({ min: -500, max: 1000, noNaN: true }), { minLength: 1, maxLength });
    fc.assert(
      fc.property(
        series(40),
        series(40),
        series(40),
        fc.array(fc.double({ min: -500, max: 2000, noNaN: true }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 5 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (mean, lower, upper, actual, residualCount, rho) => {
          const f = demandForecast(mean, [{ levelPct: 80, lower, upper }]);
          const settings = { residualCount, persistencePerStep: rho };
          const out = correctForecastLevel(f, obs(actual), settings);
          const used = actual
            .map((value, step) => ({ value, step }))
            .filter(({ value, step }) => step < mean.length && Number.isFinite(value) && value >= 0);
          const lastStep = used[used.length - 1]?.step;
          if (lastStep === undefined) {
            expect(out.forecast).toBe(f);
            return;
          }
          const expectSame = (got: readonly number[], want: readonly number[]) => {
            expect(got).toHaveLength(want.length);
            for (const [h, v] of got.entries()) expect(Object.is(v, want[h])).toBe(true);
          };
          expectSame(out.forecast.mean, reference(mean, lastStep, out.offsetLoad, rho));
          expectSame(out.forecast.intervals[0]?.lower ?? [], reference(lower, lastStep, out.offsetLoad, rho));
          expectSame(out.forecast.intervals[0]?.upper ?? [], reference(upper, lastStep, out.offsetLoad, rho));
        },
      ),
    );
  });

  it('reads only the observations on whole steps of the horizon, wherever the others lie', () => {
    // The definition read literally: an observation counts when (t − start) / step is a whole
    // step of the horizon (the last one on a step wins); the offset is the median residual of
    // the newest three such steps.
    const literal = (f: typeof forecast, observations: readonly { timestampMs: number; value: number }[]) => {
      const residuals = new Map<number, number>();
      for (const o of observations) {
        const step = (o.timestampMs - f.startMs) / (f.stepSeconds * 1000);
        if (Number.isInteger(step) && step >= 0 && step < f.mean.length)
          residuals.set(step, o.value - (f.mean[step] as number));
      }
      const newest = [...residuals.keys()].sort((a, b) => a - b).slice(-3);
      const sorted = newest.map((step) => residuals.get(step) as number).sort((a, b) => a - b);
      const mid = sorted.length >> 1;
      const offsetLoad =
        sorted.length === 0
          ? 0
          : sorted.length % 2 === 1
            ? (sorted[mid] as number)
            : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
      return { offsetLoad, residualsUsed: newest.length };
    };
    const timestamp = fc.oneof(
      fc.integer({ min: -30, max: 30 }).map((k) => k * STEP_MS),
      fc.integer({ min: -30 * STEP_MS, max: 30 * STEP_MS }),
      fc.double({ noNaN: false }),
      fc.constantFrom(-0, -STEP_MS, -STEP_MS - 1, -STEP_MS + 1, -1, Number.MIN_VALUE, -Number.MIN_VALUE),
    );
    const observation = fc.record({ timestampMs: timestamp, value: fc.integer({ min: 0, max: 300 }) });
    fc.assert(
      fc.property(
        fc.array(observation, { maxLength: 60 }),
        fc.constantFrom(300, 60, 1e-300, 1e300, 0.001, Number.MIN_VALUE),
        fc.constantFrom(0, 12_345, -STEP_MS),
        (observations, stepSeconds, startMs) => {
          const f = { ...forecast, stepSeconds, startMs };
          const { offsetLoad, residualsUsed } = correctForecastLevel(f, observations);
          expect({ offsetLoad, residualsUsed }).toEqual(literal(f, observations));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('keeps bounds finite, ≥ 0 and nested around the median', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 2, maxLength: 30 }),
        fc.array(fc.double({ min: 0, max: 2000, noNaN: true }), { maxLength: 30 }),
        (mean, actual) => {
          const f = demandForecast(mean, [
            { levelPct: 50, lower: mean.map((m) => m * 0.9), upper: mean.map((m) => m * 1.1) },
            { levelPct: 90, lower: mean.map((m) => m * 0.5), upper: mean.map((m) => m * 1.5) },
          ]);
          const out = correctForecastLevel(f, obs(actual)).forecast;
          out.mean.forEach((m, h) => {
            const [inner, outer] = out.intervals;
            expect(Number.isFinite(m) && m >= 0).toBe(true);
            expect(outer?.lower[h]).toBeLessThanOrEqual((inner?.lower[h] as number) + 1e-9);
            expect(inner?.lower[h]).toBeLessThanOrEqual(m + 1e-9);
            expect(inner?.upper[h]).toBeGreaterThanOrEqual(m - 1e-9);
            expect(outer?.upper[h]).toBeGreaterThanOrEqual((inner?.upper[h] as number) - 1e-9);
          });
        },
      ),
    );
  });
});

describe('correctForecastLevel with campaigns', () => {
  const settings = { residualCount: 3, persistencePerStep: 0.5 };
  /** A window over steps [from, to) of the 5-minute grid. */
  const windowOver = (
    campaignId: string,
    from: number,
    to: number,
    uplift: CampaignWindow['uplift'],
    headroom?: boolean,
  ): CampaignWindow => ({
    campaignId,
    startMs: from * STEP_MS,
    endMs: to * STEP_MS,
    uplift,
    rampUpSeconds: 0,
    ...(headroom ? { headroom } : {}),
  });
  /** The model's flat 100 (80 % interval 80–130) over 12 steps with `campaigns` applied, as forecastDemand does. */
  const raisedBy = (campaigns: readonly CampaignWindow[]) => {
    const adjusted = applyCampaigns(
      0,
      300,
      flat(12, 100),
      [{ levelPct: 80, lower: flat(12, 80), upper: flat(12, 130) }],
      campaigns,
    );
    return demandForecast(adjusted.mean, adjusted.intervals);
  };
  // A sale over steps 2–5 expected ×3 (300) that brings ×1.5 (150).
  const sale = windowOver('sale', 2, 6, { kind: 'multiplier', factor: 3 });

  it('leaves the steps after a campaign at the model level when only the campaign was observed', () => {
    const actual = [2, 3, 4].map((step) => ({ timestampMs: step * STEP_MS, value: 150 }));
    const out = correctForecastLevel(raisedBy([sale]), actual, settings, [sale]);
    // The sale's own last step follows its shortfall; the steps after it are the model's.
    expect(out.forecast.mean).toEqual([100, 100, 300, 300, 300, 225, 100, 100, 100, 100, 100, 100]);
    expect(out.forecast.intervals[0]?.upper.slice(5)).toEqual([390 - 75, 130, 130, 130, 130, 130, 130]);
    expect(out).toMatchObject({ offsetLoad: 0, residualsUsed: 0 });
  });

  it('shifts the steps after a campaign by the offset of the ordinary steps before it only', () => {
    const actual = obs([120, 120, 150, 150, 150]);
    const out = correctForecastLevel(raisedBy([sale]), actual, settings, [sale]);
    expect(out).toMatchObject({ offsetLoad: 20, residualsUsed: 2 });
    // The sale's last step follows the sale; after it, 20 decayed from the newest ordinary step (1).
    expect(out.forecast.mean[5]).toBe(225);
    for (const h of [6, 7, 8]) expect(out.forecast.mean[h]).toBeCloseTo(100 + 20 * 0.5 ** (h - 1), 12);
  });

  it('carries the ordinary offset into an upcoming campaign scaled by its multiplier', () => {
    const later = windowOver('later', 4, 8, { kind: 'multiplier', factor: 3 });
    const out = correctForecastLevel(raisedBy([later]), obs([120, 120, 120]), settings, [later]);
    expect(out.forecast.mean.slice(3, 9)).toEqual([
      110,
      300 + 3 * 20 * 0.25,
      300 + 3 * 20 * 0.125,
      300 + 3 * 20 * 0.0625,
      300 + 3 * 20 * 0.03125,
      100 + 20 * 0.5 ** 6,
    ]);
  });

  it('carries the ordinary offset into an added-load campaign unscaled', () => {
    const added = windowOver('added', 4, 8, { kind: 'added-load', load: 50 });
    const out = correctForecastLevel(raisedBy([added]), obs([120, 120, 120]), settings, [added]);
    expect(out.forecast.mean.slice(3, 5)).toEqual([110, 150 + 20 * 0.25]);
  });

  it('reads residuals under extra instances without them and keeps them on the steps ahead', () => {
    const extra = windowOver('sale+extra-instances', 0, 8, { kind: 'added-load', load: 120 }, true);
    const forecast = raisedBy([extra]);
    const level = correctForecastLevel(forecast, obs([100, 100, 100]), settings, [extra]);
    expect(level.forecast.mean).toEqual(forecast.mean);
    const higher = correctForecastLevel(forecast, obs([130, 130, 130]), settings, [extra]);
    expect(higher).toMatchObject({ offsetLoad: 30, residualsUsed: 3 });
    expect(higher.forecast.mean.slice(3, 5)).toEqual([220 + 15, 220 + 7.5]);
  });

  it('corrects the same as without campaigns when no window overlaps the horizon', () => {
    const past = windowOver('past', -20, -2, { kind: 'multiplier', factor: 3 });
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 1, maxLength: 12 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (actual, rho) => {
          const f = raisedBy([]);
          const s = { residualCount: 3, persistencePerStep: rho };
          expect(correctForecastLevel(f, obs(actual), s, [past])).toEqual(
            correctForecastLevel(f, obs(actual), s),
          );
        },
      ),
    );
  });
});

describe('levelCorrectionFitEndMs', () => {
  it('ends the fit residualCount steps before the refresh', () => {
    expect(levelCorrectionFitEndMs(3_600_000, STEP_MS, 3)).toBe(3_600_000 - 3 * STEP_MS);
    expect(levelCorrectionFitEndMs(3_600_000, STEP_MS, 0)).toBe(3_600_000);
  });

  it('leaves exactly residualCount whole steps between the fit and the refresh for any refresh and step', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.constantFrom(60_000, 300_000, 3_600_000),
        fc.integer({ min: 0, max: 12 }),
        (refreshStep, stepMs, residualCount) => {
          const refreshedAtMs = refreshStep * stepMs;
          const fitEndMs = levelCorrectionFitEndMs(refreshedAtMs, stepMs, residualCount);
          expect((refreshedAtMs - fitEndMs) / stepMs).toBe(residualCount);
        },
      ),
    );
  });

  it('rejects a step that is not positive and a residual count that is not a whole number', () => {
    expect(() => levelCorrectionFitEndMs(0, 0, 3)).toThrow(/stepMs > 0/);
    expect(() => levelCorrectionFitEndMs(0, STEP_MS, 1.5)).toThrow(/got 300000 and 1.5/);
  });
});
