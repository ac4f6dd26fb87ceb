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

  it('counts each warming launch at its instance weight, and 1 when the instance is not listed', () => {
    const launches = [
      { ...launchedInService(10), instanceId: 'i-0a' },
      { ...launchedInService(20), instanceId: 'i-0b' },
      { ...launchedInService(30), instanceId: 'i-0gone' },
      launchedInService(40),
      { ...launchedInService(400), instanceId: 'i-0c' },
    ];
    const weights = { 'i-0a': 4, 'i-0b': 2, 'i-0c': 8 };
    // 4 + 2 + 1 (terminated since) + 1 (no instance named); i-0c is warm.
    expect(warmingCapacity(launches, NOW, 180, weights)).toBe(8);
    expect(warmingCapacity(launches, NOW, 180)).toBe(4);
  });

  it('rejects a weight that is not a finite number above 0, naming the instance', () => {
    for (const weight of [0, -2, Number.NaN]) {
      expect(() =>
        warmingCapacity([{ ...launchedInService(10), instanceId: 'i-0a' }], NOW, 180, { 'i-0a': weight }),
      ).toThrow(/weightByInstanceId\["i-0a"\] must be a finite number > 0/);
    }
  });

  it('sums the weights of exactly the launches counted without weights', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -600, max: 3600 }), fc.integer({ min: 1, max: 999 })), {
          maxLength: 30,
        }),
        fc.integer({ min: 0, max: 1800 }),
        (launchesAgo, warmupSeconds) => {
          const launches = launchesAgo.map(([secondsAgo], i) => ({
            ...launchedInService(secondsAgo),
            instanceId: `i-0${i.toString(16)}`,
          }));
          const weights = Object.fromEntries(
            launchesAgo.map(([, weight], i) => [`i-0${i.toString(16)}`, weight]),
          );
          const units = warmingCapacity(launches, NOW, warmupSeconds, weights);
          const counted = launches.filter((l) => warmingCapacity([l], NOW, warmupSeconds) === 1);
          expect(units).toBe(counted.reduce((sum, l) => sum + (weights[l.instanceId] ?? 0), 0));
          expect(units).toBeGreaterThanOrEqual(warmingCapacity(launches, NOW, warmupSeconds));
          // All weights 1: the plain count.
          const ones = Object.fromEntries(launches.map((l) => [l.instanceId, 1]));
          expect(warmingCapacity(launches, NOW, warmupSeconds, ones)).toBe(counted.length);
        },
      ),
    );
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
