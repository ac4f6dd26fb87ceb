import { estimateLeadTime } from '../../../../shared/core/planning/estimate-lead-time';
import { sizeWarmPool } from '../../../../shared/core/planning/size-warm-pool';

describe('estimateLeadTime', () => {
  it('uses the p90 of recent launches plus warmup', () => {
    const launches = [60, 70, 80, 90, 100, 110, 120, 130, 140, 300].map((s) => ({
      startMs: 0,
      endMs: s * 1000,
    }));
    expect(estimateLeadTime(launches, 60, 300)).toEqual({
      leadTimeSeconds: 200,
      source: 'learned',
      samples: 10,
    });
  });

  it('falls back to the default below three valid samples', () => {
    expect(
      estimateLeadTime(
        [
          { startMs: 0, endMs: 50_000 },
          { startMs: 10, endMs: 5 },
        ],
        30,
        300,
      ),
    ).toEqual({
      leadTimeSeconds: 330,
      source: 'default',
      samples: 1,
    });
  });
});

describe('sizeWarmPool', () => {
  it('holds the instances between the planned capacity and the high quantile, bounded', () => {
    expect(sizeWarmPool(4, [200, 400, 300], 60, 20)).toBe(3);
    expect(sizeWarmPool(4, [100], 60, 20)).toBe(0);
    expect(sizeWarmPool(1, [6000], 60, 5)).toBe(5);
  });
});
