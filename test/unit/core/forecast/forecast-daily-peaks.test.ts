import fc from 'fast-check';
import { forecastDailyPeaks } from '../../../../shared/core/forecast/forecast-daily-peaks';

const DAY = 24;
const START = Date.UTC(2024, 0, 8);

/** Days of a flat load of 10 with one burst of `burst` at `hour`. */
const bursty = (days: number, hour: (d: number) => number, burst: (d: number) => number) =>
  Array.from({ length: days * DAY }, (_, t) =>
    t % DAY === hour(Math.floor(t / DAY)) ? burst(Math.floor(t / DAY)) : 10,
  );

describe('forecastDailyPeaks', () => {
  it('forecasts the burst a flat mean forecast averages away', () => {
    const history = bursty(
      7,
      (d) => (5 * d) % DAY,
      () => 100,
    );
    const mean = new Array<number>(DAY).fill(13.75);
    const [day] = forecastDailyPeaks(history, mean, START, 3600, DAY);
    expect(day?.peakLoad).toBeCloseTo(100, 6);
    expect(day).toMatchObject({ startMs: START, endMs: START + DAY * 3_600_000 });
  });

  it('follows the level of the mean forecast when the burstiness stays the same', () => {
    const history = Array.from({ length: 7 * DAY }, (_, t) => (t % DAY === 12 ? 20 : 10));
    const mean = Array.from({ length: DAY }, (_, h) => (h === 12 ? 40 : 20)); // twice the level
    const [day] = forecastDailyPeaks(history, mean, START, 3600, DAY);
    expect(day?.peakAtMs).toBe(START + 12 * 3_600_000);
    // Median of: level × ratio (≈ 40), recent maxima (20), yesterday's maximum (20) — at least the mean's 40.
    expect(day?.peakLoad).toBeCloseTo(40, 6);
  });

  it("learns the selected model's own peak miss from held-out days when the history estimates disagree", () => {
    // History maxima of 20, 20, 20, 60 (yesterday), 60: estimates 20 (median of maxima), 60
    // (yesterday), 60 (recency-weighted median); level × ratio is 10 × 2 = 20 on a flat mean of 10.
    const history = [20, 20, 20, 60, 60].flatMap((max) =>
      Array.from({ length: DAY }, (_, t) => (t === 0 ? max : (10 * DAY - max) / (DAY - 1))),
    );
    const mean = new Array<number>(DAY).fill(10);
    const withoutDays = forecastDailyPeaks(history, mean, START, 3600, DAY)[0]?.peakLoad;
    // Held out, the same flat forecast of 10 missed peaks of 60: 10 + 50 in load units (estimate 5)
    // and 10 + (50 / 10) × 10 in proportion to load (estimate 6); the median of six is then 60.
    const days = [1, 0.5, 0.25].map((weight) => ({
      actualPeak: 60,
      forecastAtActualPeak: 10,
      forecastPeak: 10,
      weight,
    }));
    const withDays = forecastDailyPeaks(history, mean, START, 3600, DAY, days)[0]?.peakLoad;
    expect(withoutDays).toBeCloseTo(40, 6);
    expect(withDays).toBeCloseTo(60, 6);
  });

  it('counts the peak of the forecast distribution as one more estimate', () => {
    // Without held-out days the estimates are 20, 20 (level × ratio, median of maxima) and 60, 60
    // (yesterday's, recency-weighted): median 40. The seventh is 10 + the held-out error.
    const history = [20, 20, 20, 60, 60].flatMap((max) =>
      Array.from({ length: DAY }, (_, t) => (t === 0 ? max : (10 * DAY - max) / (DAY - 1))),
    );
    const mean = new Array<number>(DAY).fill(10);
    const law = (error: number) => ({
      errors: Float64Array.of(error),
      cumulativeShare: Float64Array.of(1),
      lag1Autocorrelation: 0,
    });
    const peak = (error: number) =>
      forecastDailyPeaks(history, mean, START, 3600, DAY, [], law(error))[0]?.peakLoad;
    expect(peak(50)).toBeCloseTo(60, 6);
    expect(peak(0)).toBeCloseTo(20, 6);
  });

  it("does not let the model's four estimates outvote the history's three when its forecast is off", () => {
    // Days of 50 with one step of 100 (peak-to-mean 1.92); a broken flat forecast of 30 that its
    // held-out days and errors call exact: model estimates 57.6, 30, 30, 30 (weight ¾ each),
    // history estimates 100, 100, 100 (weight 1). Centred shares: 57.6 at 0.4375, 100 at 0.583.
    const history = Array.from({ length: 7 * DAY }, (_, t) => (t % DAY === 9 ? 100 : 50));
    const mean = new Array<number>(DAY).fill(30);
    const days = [1, 1].map((weight) => ({
      actualPeak: 30,
      forecastAtActualPeak: 30,
      forecastPeak: 30,
      weight,
    }));
    const law = { errors: Float64Array.of(0), cumulativeShare: Float64Array.of(1), lag1Autocorrelation: 0 };
    const [day] = forecastDailyPeaks(history, mean, START, 3600, DAY, days, law);
    expect(day?.peakLoad).toBeCloseTo(57.6 + ((0.5 - 0.4375) / (3.5 / 6 - 0.4375)) * (100 - 57.6), 6);
  });

  it('scales the held-out peak miss with the forecast level, whatever kind of level the model gives', () => {
    // A median model forecasts 4 on load whose mean is about 7 (a burst of 100 once a day on a base of 2–4).
    const history = Array.from({ length: 7 * DAY }, (_, t) => (t % DAY === 18 ? 100 : t % 2 === 0 ? 4 : 2));
    const level = history.reduce((a, b) => a + b, 0) / history.length;
    const flat = new Array<number>(DAY).fill(4);
    const days = [1, 1, 1, 1].map((weight) => ({
      actualPeak: 100,
      forecastAtActualPeak: 4,
      forecastPeak: 4,
      weight,
    }));
    const [day] = forecastDailyPeaks(history, flat, START, 3600, DAY, days);
    // Estimate 6: 4 + ((100 − 4) / level) × level = 100, as are the maxima and estimate 5.
    expect(level).toBeGreaterThan(4);
    expect(day?.peakLoad).toBeCloseTo(100, 6);
  });

  it('caps every estimate at the largest load of the history when the mean forecast stays below it', () => {
    // Days peaking at 20 on a mean of 10; a flat forecast of 15 reads as 15 × 2 = 30 (estimate 1),
    // and held-out misses of 50 give 15 + 50 and 15 + 5 × 15 (estimates 5 and 6): uncapped, the
    // median of 30, 20, 20, 20, 65, 90 would be 25, a peak the history never reached.
    const history = Array.from({ length: 5 * DAY }, (_, t) =>
      t % DAY === 6 ? 20 : (10 * DAY - 20) / (DAY - 1),
    );
    const mean = new Array<number>(DAY).fill(15);
    const days = [1, 1, 1].map((weight) => ({
      actualPeak: 60,
      forecastAtActualPeak: 10,
      forecastPeak: 10,
      weight,
    }));
    const [day] = forecastDailyPeaks(history, mean, START, 3600, DAY, days);
    expect(day?.peakLoad).toBeCloseTo(20, 6);
  });

  it('is above the largest load of the history only where the mean forecast is', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: DAY, maxLength: 8 * DAY }),
        fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: DAY, maxLength: DAY }),
        fc.array(
          fc.record({
            actualPeak: fc.double({ min: 0, max: 5000, noNaN: true }),
            forecastAtActualPeak: fc.double({ min: 0, max: 1000, noNaN: true }),
            forecastPeak: fc.double({ min: 0, max: 1000, noNaN: true }),
            weight: fc.double({ min: 0.01, max: 1, noNaN: true }),
          }),
          { maxLength: 8 },
        ),
        fc.array(fc.double({ min: -2000, max: 2000, noNaN: true }), { minLength: 1, maxLength: 30 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (history, mean, heldOut, errors, lag1Autocorrelation) => {
          const sorted = [...errors].sort((a, b) => a - b);
          const law = {
            errors: Float64Array.from(sorted),
            cumulativeShare: Float64Array.from(sorted, (_, i) => (i + 1) / sorted.length),
            lag1Autocorrelation,
          };
          const [day] = forecastDailyPeaks(history, mean, START, 3600, DAY, heldOut, law);
          expect(day?.peakLoad).toBeLessThanOrEqual(Math.max(...history, ...mean));
          expect(day?.peakLoad).toBeGreaterThanOrEqual(Math.max(...mean));
        },
      ),
    );
  });

  it('falls back to the mean forecast maximum without a whole day of history', () => {
    const [day] = forecastDailyPeaks([5, 6, 7], [3, 9, 4, 2], START, 3600, 4);
    expect(day).toMatchObject({ peakLoad: 9, peakAtMs: START + 3_600_000, peakToMeanRatio: 1 });
  });

  it('is never below the mean forecast maximum and gives one peak per whole or half day', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 0, maxLength: 10 * DAY }),
        fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 1, maxLength: 3 * DAY }),
        (history, mean) => {
          const days = forecastDailyPeaks(history, mean, START, 3600, DAY);
          expect(days).toHaveLength(Math.floor(mean.length / DAY) + (mean.length % DAY >= DAY / 2 ? 1 : 0));
          for (const [i, d] of days.entries()) {
            const window = mean.slice(i * DAY, (i + 1) * DAY);
            expect(d.peakLoad).toBeGreaterThanOrEqual(Math.max(...window));
            expect(Number.isFinite(d.peakLoad)).toBe(true);
          }
        },
      ),
    );
  });
});
