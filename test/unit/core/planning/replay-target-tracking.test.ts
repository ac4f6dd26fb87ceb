import {
  replayTargetTracking,
  trackedCapacity,
  wholeInstances,
} from '../../../../shared/core/planning/replay-target-tracking';

/** Three steps of hold, then the load replayed; target and SLO 60 load per instance. */
const replay = (loads: number[], options: { floor?: number[]; delay?: number; target?: number } = {}) =>
  replayTargetTracking({
    loadPerStep: [120, 120, 120, ...loads],
    fromStep: 3,
    targetLoadPerInstance: options.target ?? 60,
    sloLoadPerInstance: 60,
    holdSteps: 3,
    ...(options.delay !== undefined ? { scaleOutDelaySteps: options.delay } : {}),
    ...(options.floor ? { floorPerStep: [Number.NaN, Number.NaN, Number.NaN, ...options.floor] } : {}),
  });

describe('trackedCapacity', () => {
  it('scales out to the newest load at the target, in whole instances', () => {
    expect(trackedCapacity(2, [100, 100, 181], 60)).toBe(4);
  });

  it('scales in only when the whole hold ran below 90 % of the target, to its most load', () => {
    expect(trackedCapacity(4, [100, 100, 100], 60)).toBe(2);
    // 216 = 0.9 × 4 × 60: not below the low alarm.
    expect(trackedCapacity(4, [100, 216, 100], 60)).toBe(4);
  });

  it('never goes below one instance', () => {
    expect(wholeInstances(0)).toBe(1);
    expect(trackedCapacity(3, [0, 0, 0], 60)).toBe(1);
  });
});

describe('replayTargetTracking', () => {
  it('follows the load a step late and counts the step of a rise it did not hold as short', () => {
    // Starts at 2 (the hold's 120); the rise to 240 is short once, then served by 4.
    const result = replay([120, 240, 240, 240]);
    expect(result).toEqual({ steps: 4, instanceSteps: 2 + 2 + 4 + 4, shortSteps: 1 });
  });

  it('serves a raise only after the scale-out delay, paying for it from the launch', () => {
    const result = replay([120, 240, 240, 240], { delay: 2 });
    // Launched at the third step, serving from the fifth: two short steps.
    expect(result).toEqual({ steps: 4, instanceSteps: 12, shortSteps: 3 });
    expect(replay([120, 240, 240, 240, 240], { delay: 2 }).shortSteps).toBe(3);
  });

  it('holds a floor under the policy, which serves its own step and is paid for', () => {
    const result = replay([120, 240, 240, 240], { floor: [2, 4, 4, 4], delay: 2 });
    expect(result).toEqual({ steps: 4, instanceSteps: 2 + 4 + 4 + 4, shortSteps: 0 });
  });

  it('keeps capacity a floor raised until the policy’s own low alarm lets it go', () => {
    const held = replay([120, 120, 120, 120, 120], {
      floor: [6, Number.NaN, Number.NaN, Number.NaN, Number.NaN],
    });
    // 6 at the first step; the hold (120 < 0.9 × 6 × 60) scales it in at the next.
    expect(held.instanceSteps).toBe(6 + 2 + 2 + 2 + 2);
  });

  it('skips steps without a load or a whole hold, and counts only the steps replayed', () => {
    const result = replay([120, Number.NaN, 120, 120, 120, 120]);
    // The gap and the three steps after it (whose hold holds it) are skipped.
    expect(result.steps).toBe(2);
  });

  it('tracks another target while the SLO stays where it was', () => {
    // At a target of 40 the 240 load needs 6, above the SLO's 4: no step short after the rise.
    const lower = replay([120, 240, 240, 240], { target: 40 });
    expect(lower.instanceSteps).toBe(3 + 3 + 6 + 6);
    expect(lower.shortSteps).toBe(1);
  });
});
