import fc from 'fast-check';
import { holdsAfterLaunch } from '../../../../shared/core/planning/hold-after-launch';

const MINUTE_MS = 60_000;
const NOW_MS = 1_000 * MINUTE_MS;
/** `slo` null: no SLO set. */
const input = (launchMinutesAgo: readonly number[], target = 40, slo: number | null = 60) => ({
  targetLoadPerInstance: target,
  ...(slo !== null ? { sloLoadPerInstance: slo } : {}),
  launchStartsMs: launchMinutesAgo.map((m) => NOW_MS - m * MINUTE_MS),
  nowMs: NOW_MS,
  holdMs: 15 * MINUTE_MS,
});

describe('holdsAfterLaunch', () => {
  it('holds a group run below its SLO while a launch started within the hold', () => {
    expect(holdsAfterLaunch(input([10]))).toBe(true);
    expect(holdsAfterLaunch(input([40, 14]))).toBe(true);
  });

  it('releases at once when the newest launch is older than the hold, or there is none', () => {
    expect(holdsAfterLaunch(input([15]))).toBe(false);
    expect(holdsAfterLaunch(input([20, 90]))).toBe(false);
    expect(holdsAfterLaunch(input([]))).toBe(false);
  });

  it('never holds at or above the SLO, or without one', () => {
    expect(holdsAfterLaunch(input([1], 60, 60))).toBe(false);
    expect(holdsAfterLaunch(input([1], 70, 60))).toBe(false);
    expect(holdsAfterLaunch(input([1], 40, null))).toBe(false);
  });

  it('holds exactly when the target is below the SLO and a launch lies within the hold', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.option(fc.integer({ min: 1, max: 100 }), { nil: null }),
        fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 5 }),
        (target, slo, minutesAgo) => {
          const within = minutesAgo.some((m) => m < 15);
          expect(holdsAfterLaunch(input(minutesAgo, target, slo))).toBe(
            slo !== null && slo > target && within,
          );
        },
      ),
    );
  });

  it('rejects a non-positive target, SLO or hold', () => {
    expect(() => holdsAfterLaunch(input([1], 0))).toThrow(
      /targetLoadPerInstance must be a positive number, got 0/,
    );
    expect(() => holdsAfterLaunch(input([1], 40, -5))).toThrow(
      /sloLoadPerInstance must be a positive number, got -5/,
    );
    expect(() => holdsAfterLaunch({ ...input([1]), holdMs: 0 })).toThrow(
      /holdMs must be a positive number, got 0/,
    );
  });
});
