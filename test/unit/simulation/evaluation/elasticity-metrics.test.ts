import fc from 'fast-check';
import { elasticityMetrics } from '../../../../shared/simulation/evaluation/elasticity-metrics';

describe('elasticityMetrics', () => {
  it('matches a hand-computed case', () => {
    // d = [2,4,4,2], s = [2,2,5,4]
    // under: t1 (4−2)/4 = 0.5 → θU = 100·0.5/4 = 12.5, τU = 25
    // over: t2 (5−4)/4 = 0.25, t3 (4−2)/2 = 1 → θO = 100·1.25/4 = 31.25, τO = 50
    // Δs = [0,+,−], Δd = [+,0,−] → directions differ at 2 of 3 changes → υ = 66.7
    const m = elasticityMetrics([2, 4, 4, 2], [2, 2, 5, 4]);
    expect(m).toMatchObject({ thetaU: 12.5, thetaO: 31.25, tauU: 25, tauO: 50 });
    expect(m.instability).toBeCloseTo(200 / 3, 10);
  });

  it('is zero everywhere for supply that tracks demand exactly', () => {
    expect(elasticityMetrics([1, 3, 2, 2], [1, 3, 2, 2])).toEqual({
      thetaU: 0,
      thetaO: 0,
      tauU: 0,
      tauO: 0,
      instability: 0,
    });
  });

  it('keeps τU + τO ≤ 100 and θU ≤ τU', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 50 })), {
          minLength: 1,
          maxLength: 200,
        }),
        (pairs) => {
          const m = elasticityMetrics(
            pairs.map((p) => p[0]),
            pairs.map((p) => p[1]),
          );
          return (
            m.tauU + m.tauO <= 100 + 1e-9 &&
            m.thetaU <= m.tauU + 1e-9 &&
            m.instability >= 0 &&
            m.instability <= 100
          );
        },
      ),
    );
  });

  it('rejects unequal series and non-positive demand', () => {
    expect(() => elasticityMetrics([1], [1, 2])).toThrow(RangeError);
    expect(() => elasticityMetrics([0], [1])).toThrow(/positive/);
  });
});
