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
});
