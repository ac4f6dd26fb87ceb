import fc from 'fast-check';
import { propagateForecast } from '../../../../shared/core/dependencies/propagate-forecast';
import { demandForecast } from '../../../helpers/demand-forecast';

const api = demandForecast([10, 10, 10], [{ levelPct: 80, lower: [8, 8, 8], upper: [12, 12, 12] }]);
const web = demandForecast([10, 20, 40], [{ levelPct: 80, lower: [5, 15, 30], upper: [15, 25, 50] }]);
// One step earlier than api, and only a 50 % interval: its 80 % bounds are clamped to the 50 % ones.
const mobile = demandForecast([0, 1, 2, 3], [{ levelPct: 50, lower: [0, 0, 1, 2], upper: [0, 2, 3, 4] }], {
  startMs: -300_000,
});

describe('propagateForecast', () => {
  it('takes the per-step max of its own forecast and intercept + ratio × upstream', () => {
    // Propagated: mean 2 + 0.5 × [10, 20, 40] = [7, 12, 22]; lower [4.5, 9.5, 17]; upper [9.5, 14.5, 27].
    const result = propagateForecast(api, [{ groupName: 'web', loadRatio: 0.5, forecast: web }], {
      interceptLoad: 2,
    });
    expect(result.forecast.mean).toEqual([10, 12, 22]);
    expect(result.forecast.intervals).toEqual([{ levelPct: 80, lower: [8, 9.5, 17], upper: [12, 14.5, 27] }]);
    expect(result.raisedSteps).toEqual([
      {
        stepIndex: 1,
        timestampMs: 300_000,
        ownMeanLoad: 10,
        propagatedMeanLoad: 12,
        maxIncreaseLoad: 2.5,
        upstreams: [{ groupName: 'web', meanLoad: 10 }],
      },
      {
        stepIndex: 2,
        timestampMs: 600_000,
        ownMeanLoad: 10,
        propagatedMeanLoad: 22,
        maxIncreaseLoad: 15,
        upstreams: [{ groupName: 'web', meanLoad: 20 }],
      },
    ]);
    expect(result.coveredSteps).toBe(3);
    expect(result.skippedUpstreams).toEqual([]);
    expect(result.forecast.selection).toBe(api.selection);
  });

  it('sums several upstreams aligned by timestamp', () => {
    // mobile aligned: mean [1, 2, 3], lower [0, 1, 2], upper [2, 3, 4].
    // mean 2 + [5, 10, 20] + [1, 2, 3] = [8, 14, 25]; lower 2 + [2.5, 7.5, 15] + [0, 1, 2] = [4.5, 10.5, 19];
    // upper 2 + [7.5, 12.5, 25] + [2, 3, 4] = [11.5, 17.5, 31].
    const result = propagateForecast(
      api,
      [
        { groupName: 'web', loadRatio: 0.5, forecast: web },
        { groupName: 'mobile', loadRatio: 1, forecast: mobile },
      ],
      { interceptLoad: 2 },
    );
    expect(result.forecast.mean).toEqual([10, 14, 25]);
    expect(result.forecast.intervals[0]?.lower).toEqual([8, 10.5, 19]);
    expect(result.forecast.intervals[0]?.upper).toEqual([12, 17.5, 31]);
    expect(result.raisedSteps.map((s) => s.stepIndex)).toEqual([1, 2]);
    expect(result.raisedSteps[1]?.upstreams).toEqual([
      { groupName: 'web', meanLoad: 20 },
      { groupName: 'mobile', meanLoad: 3 },
    ]);
  });

  it('keeps its own values where an upstream forecast does not reach', () => {
    const short = demandForecast([100], [{ levelPct: 80, lower: [90], upper: [110] }], { startMs: 300_000 });
    const result = propagateForecast(api, [{ groupName: 'web', loadRatio: 1, forecast: short }]);
    expect(result.coveredSteps).toBe(1);
    expect(result.forecast.mean).toEqual([10, 100, 10]);
    expect(result.forecast.intervals[0]?.upper).toEqual([12, 110, 12]);
  });

  it('skips upstreams with another step, misaligned steps or a negative ratio, and says why', () => {
    const hourly = demandForecast([100, 100, 100], [], { stepSeconds: 3600 });
    const shifted = demandForecast([100, 100, 100], [], { startMs: 1000 });
    const result = propagateForecast(api, [
      { groupName: 'hourly', loadRatio: 1, forecast: hourly },
      { groupName: 'shifted', loadRatio: 1, forecast: shifted },
      { groupName: 'negative', loadRatio: -0.2, forecast: web },
    ]);
    expect(result.forecast).toBe(api);
    expect(result.raisedSteps).toEqual([]);
    expect(result.skippedUpstreams).toEqual([
      { groupName: 'hourly', reason: 'step 3600 s differs from the downstream step 300 s' },
      {
        groupName: 'shifted',
        reason: 'forecast starts at 1000, not on a downstream step (start 0, step 300 s)',
      },
      { groupName: 'negative', reason: 'load ratio -0.2 is not a finite number ≥ 0' },
    ]);
  });

  it('never lowers its own forecast, keeps intervals nested and floors at 0', () => {
    const nested = (n: number) =>
      fc.array(
        fc.tuple(
          fc.double({ min: 0, max: 100, noNaN: true }),
          fc.double({ min: 0, max: 20, noNaN: true }),
          fc.double({ min: 0, max: 20, noNaN: true }),
        ),
        {
          minLength: n,
          maxLength: n,
        },
      );
    const toForecast = (rows: [number, number, number][]) =>
      demandForecast(
        rows.map(([m]) => m),
        [
          { levelPct: 50, lower: rows.map(([m, a]) => m - a), upper: rows.map(([m, a]) => m + a) },
          {
            levelPct: 90,
            lower: rows.map(([m, a, b]) => m - a - b),
            upper: rows.map(([m, a, b]) => m + a + b),
          },
        ],
      );
    fc.assert(
      fc.property(
        nested(4),
        nested(4),
        fc.double({ min: 0, max: 3, noNaN: true }),
        fc.double({ min: -50, max: 50, noNaN: true }),
        (own, up, ratio, intercept) => {
          const down = toForecast(own);
          const result = propagateForecast(
            down,
            [{ groupName: 'u', loadRatio: ratio, forecast: toForecast(up) }],
            {
              interceptLoad: intercept,
            },
          ).forecast;
          const [i50, i90] = result.intervals;
          for (let h = 0; h < 4; h++) {
            expect(result.mean[h]).toBeGreaterThanOrEqual(down.mean[h] as number);
            expect(i90?.lower[h]).toBeLessThanOrEqual((i50?.lower[h] as number) + 1e-9);
            expect(i50?.lower[h]).toBeLessThanOrEqual((result.mean[h] as number) + 1e-9);
            expect(result.mean[h]).toBeLessThanOrEqual((i50?.upper[h] as number) + 1e-9);
            expect(i50?.upper[h]).toBeLessThanOrEqual((i90?.upper[h] as number) + 1e-9);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
