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

describe('estimateLeadTime on a group with a warm pool', () => {
  const seconds = (s: number, fromWarmPool?: boolean) => ({
    startMs: 0,
    endMs: s * 1000,
    ...(fromWarmPool !== undefined ? { fromWarmPool } : {}),
  });

  it('learns cold starts apart from warm ones, which a p90 over both would hide', () => {
    // 17 starts out of the pool (~40 s) and 3 cold ones (~400 s): a p90 over all 20 is a warm one's.
    const warm = Array.from({ length: 17 }, (_, i) => seconds(35 + i / 2, true));
    const cold = [seconds(380), seconds(400), seconds(420)];
    expect(estimateLeadTime([...warm, ...cold.slice(0, 1)], 60, 300)).toEqual({
      leadTimeSeconds: 360,
      source: 'default',
      samples: 1,
      warmLeadTimeSeconds: 103,
    });
    expect(estimateLeadTime([...warm, ...cold], 60, 300)).toEqual({
      leadTimeSeconds: 480,
      source: 'learned',
      samples: 3,
      warmLeadTimeSeconds: 103,
    });
  });

  it('never learns a warm start longer than a cold one', () => {
    const slowPool = [seconds(500, true), seconds(500, true), seconds(500, true)];
    expect(estimateLeadTime(slowPool, 0, 300)).toMatchObject({
      leadTimeSeconds: 300,
      warmLeadTimeSeconds: 300,
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
