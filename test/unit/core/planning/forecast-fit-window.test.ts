import fc from 'fast-check';
import {
  fitWindowReachMs,
  forecastFitWindow,
  minHistoryDaysForBacktest,
  refitHorizonSteps,
} from '../../../../shared/core/planning/forecast-fit-window';

const DAY_MS = 86_400_000;
const settings = { stepSeconds: 300, forecastRefreshMinutes: 60, historyDays: 2, horizonHours: 24 };

describe('forecastFitWindow', () => {
  it('holds historyDays whole days ending three steps before the refresh', () => {
    const now = Date.UTC(2026, 2, 16, 7, 25, 12);
    const window = forecastFitWindow(settings, now);
    expect(window.refreshedAtMs).toBe(Date.UTC(2026, 2, 16, 7));
    expect(window.fitEndMs).toBe(Date.UTC(2026, 2, 16, 6, 45));
    expect(window.fitEndMs - window.historyStartMs).toBe(2 * DAY_MS);
    // To 24 hours past the interval's end: 3 steps to the refresh, 12 in it, 288 after.
    expect(window.horizonSteps).toBe(303);
  });

  it('is the same for every run of a refresh interval', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(60, 300, 3600),
        fc.integer({ min: 1, max: 1440 }),
        fc.integer({ min: 10 ** 12, max: 2 * 10 ** 12 }),
        fc.integer({ min: 0, max: 10 ** 9 }),
        (stepSeconds, forecastRefreshMinutes, nowMs, laterMs) => {
          const s = { ...settings, stepSeconds, forecastRefreshMinutes };
          const window = forecastFitWindow(s, nowMs);
          const later = window.refreshedAtMs + (laterMs % window.refreshMs);
          expect(forecastFitWindow(s, later)).toEqual(window);
          expect(window.refreshMs % (stepSeconds * 1000)).toBe(0);
          expect(window.historyStartMs % (stepSeconds * 1000)).toBe(0);
        },
      ),
    );
  });
});

describe('fitWindowReachMs', () => {
  it('is how far back the last run of a refresh interval starts its history, and no run further', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(60, 300, 3600),
        fc.integer({ min: 1, max: 1440 }),
        fc.integer({ min: 3, max: 14 }),
        fc.integer({ min: 10 ** 12, max: 2 * 10 ** 12 }),
        (stepSeconds, forecastRefreshMinutes, historyDays, nowMs) => {
          const s = { ...settings, stepSeconds, forecastRefreshMinutes, historyDays };
          const reachMs = fitWindowReachMs(s);
          const window = forecastFitWindow(s, nowMs);
          expect(nowMs - window.historyStartMs).toBeLessThanOrEqual(reachMs);
          const last = window.refreshedAtMs + window.refreshMs - 1;
          expect(last - forecastFitWindow(s, last).historyStartMs).toBe(reachMs - 1);
        },
      ),
    );
  });
});

describe('minHistoryDaysForBacktest', () => {
  it.each([
    // 288 + 12 + 3 steps: more than a day, so 2 days + 303 steps, in whole days.
    [{ stepSeconds: 300, forecastRefreshMinutes: 60, horizonHours: 24 }, 4],
    [{ stepSeconds: 300, forecastRefreshMinutes: 60, horizonHours: 22 }, 3],
    [{ stepSeconds: 300, forecastRefreshMinutes: 120, horizonHours: 22 }, 4],
    [{ stepSeconds: 3600, forecastRefreshMinutes: 60, horizonHours: 1 }, 3],
    [{ stepSeconds: 3600, forecastRefreshMinutes: 60, horizonHours: 20 }, 3],
    [{ stepSeconds: 60, forecastRefreshMinutes: 60, horizonHours: 48 }, 4],
    [{ stepSeconds: 300, forecastRefreshMinutes: 1440, horizonHours: 1 }, 4],
  ])('is %j → %i days', (fit, days) => {
    expect(minHistoryDaysForBacktest(fit)).toBe(days);
  });

  it('is 2 days and the refit horizon, at most 2 days of it', () => {
    const fit = { stepSeconds: 300, forecastRefreshMinutes: 60, horizonHours: 48 };
    expect(refitHorizonSteps(fit)).toBe(576 + 15);
    expect(minHistoryDaysForBacktest(fit)).toBe(4);
  });
});
