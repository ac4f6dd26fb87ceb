import fc from 'fast-check';
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
