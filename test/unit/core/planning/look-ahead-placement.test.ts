import fc from 'fast-check';
import {
  lookAheadPlacement,
  lookAheadStepCount,
  minLookAheadHours,
} from '../../../../shared/core/planning/look-ahead-placement';
import { planLookAhead } from '../../../../shared/core/planning/plan-look-ahead';
import { base, HOUR_MS, NOW, STEP_S } from './look-ahead-input';

/** `base` at another time and loop rate, its forecast starting at the step `nowMs` is in. */
const at = (nowMs: number, rateMinutes: number, hours: number) =>
  base({
    nowMs,
    forecastStartMs: Math.floor(nowMs / (STEP_S * 1000)) * STEP_S * 1000,
    tickIntervalSeconds: rateMinutes * 60,
    hours,
  });

describe('lookAheadPlacement', () => {
  it('puts the bridge two loop intervals out and the first step at the next whole hour', () => {
    expect(lookAheadPlacement(Date.UTC(2026, 0, 5, 10, 55), 300)).toEqual({
      bridgeMs: Date.UTC(2026, 0, 5, 11, 5),
      firstStepMs: Date.UTC(2026, 0, 5, 12),
    });
    expect(lookAheadPlacement(Date.UTC(2026, 0, 5, 10, 50), 300).firstStepMs).toBe(Date.UTC(2026, 0, 5, 11));
  });

  it('counts no step when the first one starts at or past the hours asked', () => {
    const nowMs = Date.UTC(2026, 0, 5, 10);
    expect(lookAheadStepCount(nowMs, nowMs + HOUR_MS, 1, 1)).toBe(0);
    expect(lookAheadStepCount(nowMs, nowMs + HOUR_MS, 2, 1)).toBe(1);
    expect(lookAheadStepCount(nowMs, nowMs + HOUR_MS, 24, 5)).toBe(5);
  });
});

describe('minLookAheadHours', () => {
  it.each([
    [1, 2],
    [5, 2],
    [15, 2],
    [30, 2],
    [31, 3],
    [60, 3],
  ])('is %i min → %i h', (rateMinutes, hours) => {
    expect(minLookAheadHours(rateMinutes * 60)).toBe(hours);
  });

  it('refuses a loop interval that is no finite number of seconds', () => {
    expect(() => minLookAheadHours(Number.NaN)).toThrow(/tickIntervalSeconds/);
  });

  it('gives every run a step from the bound on, and some run none below it (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 24 * 60 * 60 - 1 }),
        (rateMinutes, offsetSeconds) => {
          const least = minLookAheadHours(rateMinutes * 60);
          const plan = planLookAhead(at(NOW + offsetSeconds * 1000, rateMinutes, least));
          expect(plan.actions.length).toBeGreaterThanOrEqual(2);
          expect(plan.limits).toEqual([]);
          // Below it, the run whose bridge is 1 ms past a whole hour plans nothing, and says why.
          const latest = Date.UTC(2026, 10, 30, 9) + 1 - 2 * rateMinutes * 60_000;
          const short = planLookAhead(at(latest, rateMinutes, least - 1));
          expect(short.actions).toEqual([]);
          expect(short.limits).toEqual([expect.stringMatching(/^no look-ahead: its first whole-hour step/)]);
        },
      ),
    );
  });
});
