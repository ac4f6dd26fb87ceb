import fc from 'fast-check';
import { warmingCapacity } from '../../../../shared/core/planning/warming-capacity';

const NOW = Date.UTC(2026, 0, 5, 12, 0);
const launchedInService = (secondsAgo: number) => ({
  startMs: NOW - (secondsAgo + 150) * 1000,
  endMs: NOW - secondsAgo * 1000,
});

describe('warmingCapacity', () => {
  it.each([
    { case: 'InService 10 s ago, 180 s warmup', secondsAgo: [10], warmupSeconds: 180, expected: 1 },
    { case: 'InService exactly one warmup ago', secondsAgo: [180], warmupSeconds: 180, expected: 0 },
    { case: 'InService just now', secondsAgo: [0], warmupSeconds: 180, expected: 1 },
    { case: 'two warming, one warm', secondsAgo: [30, 170, 400], warmupSeconds: 180, expected: 2 },
    { case: 'no warmup set on the group', secondsAgo: [0, 30], warmupSeconds: 0, expected: 0 },
    { case: 'no launches', secondsAgo: [], warmupSeconds: 180, expected: 0 },
  ])('counts the launches InService within the warmup: $case', ({ secondsAgo, warmupSeconds, expected }) => {
    expect(warmingCapacity(secondsAgo.map(launchedInService), NOW, warmupSeconds)).toBe(expected);
  });

  it('does not count a launch that reaches InService after now', () => {
    expect(warmingCapacity([launchedInService(-30)], NOW, 180)).toBe(0);
  });

  it('rejects a negative or non-finite warmup', () => {
    for (const warmupSeconds of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => warmingCapacity([], NOW, warmupSeconds)).toThrow(
        /warmupSeconds must be a finite number ≥ 0/,
      );
    }
  });

  it('counts no more than the launches and never fewer with a longer warmup', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -600, max: 3600 }), { maxLength: 30 }),
        fc.integer({ min: 0, max: 1800 }),
        fc.integer({ min: 0, max: 1800 }),
        (secondsAgo, warmupSeconds, extraSeconds) => {
          const launches = secondsAgo.map(launchedInService);
          const warming = warmingCapacity(launches, NOW, warmupSeconds);
          expect(warming).toBeGreaterThanOrEqual(0);
          expect(warming).toBeLessThanOrEqual(launches.length);
          expect(warmingCapacity(launches, NOW, warmupSeconds + extraSeconds)).toBeGreaterThanOrEqual(
            warming,
          );
        },
      ),
    );
  });
});
