import { headroomRefreshDuration } from '../../../../shared/core/rolling-update/headroom-refresh-duration';

/** 90–110 % healthy, 120 s launch + 300 s warmup a batch. */
const refresh = { instanceWarmupSeconds: 300, minHealthyPercentage: 90, maxHealthyPercentage: 110 };
const estimate = (desiredCapacity: number, maxSize: number, peakLoad: number) =>
  headroomRefreshDuration({
    current: { desiredCapacity, maxSize },
    peakLoad,
    targetLoadPerInstance: 60,
    refresh,
  });

describe('headroomRefreshDuration', () => {
  it.each([
    // desired, MaxSize, p90 peak → desired with headroom, today's refresh, the refresh with headroom
    ['enough already', 4, 8, 120, 4, 1680, 1680],
    ['4 raised to 6 for 300 (5 healthy)', 4, 8, 300, 6, 1680, 2520],
    ['the raise stops at MaxSize', 4, 5, 600, 5, 1680, 2100],
    // 9 go one at a time (3,780 s), 10 two at a time (2,100 s): the longer one is kept.
    ['never below the refresh of today’s capacity', 9, 12, 540, 10, 3780, 3780],
  ])('%s', (_, desired, maxSize, peak, withHeadroom, currentSeconds, durationSeconds) => {
    expect(estimate(desired, maxSize, peak)).toEqual({
      desiredCapacity: withHeadroom,
      currentSeconds,
      durationSeconds,
    });
  });

  it('counts the warm pool’s instances, sized as Auto Scaling sizes the pool at each capacity', () => {
    // Pool = MaxSize 8 − desired: 4 + 4 now, 6 + 2 once raised; 8 replaced one at a time either way.
    const pooled = headroomRefreshDuration({
      current: { desiredCapacity: 4, maxSize: 8, warmPool: { minSize: 0 } },
      peakLoad: 300,
      targetLoadPerInstance: 60,
      refresh,
    });
    expect(pooled).toEqual({ desiredCapacity: 6, currentSeconds: 3360, durationSeconds: 3360 });
  });

  it('sizes the headroom on the refresh’s own MinHealthyPercentage', () => {
    // At 50 % healthy, 300 takes 10 instances, replaced 6 at a time (50–110 %): 2 batches.
    const half = headroomRefreshDuration({
      current: { desiredCapacity: 4, maxSize: 12 },
      peakLoad: 300,
      targetLoadPerInstance: 60,
      refresh: { ...refresh, minHealthyPercentage: 50 },
    });
    expect(half).toEqual({ desiredCapacity: 10, currentSeconds: 840, durationSeconds: 840 });
  });
});
