import { estimateRefreshDuration } from '../../../../shared/core/rolling-update/estimate-refresh-duration';

describe('estimateRefreshDuration', () => {
  it.each([
    // instances, warmup, min%, max%, checkpoints → seconds, batch
    [10, 300, 90, 100, [], 10 * 420, 1],
    [10, 300, 90, 110, [], 5 * 420, 2],
    [10, 300, 50, 100, [], 2 * 420, 5],
    [20, 60, 100, 200, [], 180, 20],
    [4, 300, 90, 110, [50, 100], 4 * 420 + 3600, 1],
    [0, 300, 90, 110, [], 0, 1],
  ] as const)(
    '%d instances, %ds warmup, %d–%d%% → %ds',
    (instances, warmup, min, max, checkpoints, seconds, batch) => {
      const estimate = estimateRefreshDuration({
        instances,
        instanceWarmupSeconds: warmup,
        minHealthyPercentage: min,
        maxHealthyPercentage: max,
        checkpointPercentages: checkpoints,
      });
      expect(estimate.durationSeconds).toBe(seconds);
      expect(estimate.batchSize).toBe(batch);
    },
  );

  it('adds the bake time, which the refresh waits before it counts as complete', () => {
    const preferences = {
      instances: 4,
      instanceWarmupSeconds: 300,
      minHealthyPercentage: 90,
      maxHealthyPercentage: 110,
    };
    expect(estimateRefreshDuration({ ...preferences, bakeTimeSeconds: 1800 }).durationSeconds).toBe(
      estimateRefreshDuration(preferences).durationSeconds + 1800,
    );
  });
});
