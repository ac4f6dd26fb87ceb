import { learnLoadRatio } from '../../../../shared/core/dependencies/learn-load-ratio';

const series = (values: readonly number[], startMs = 0, stepMs = 300_000) =>
  values.map((value, i) => ({ timestampMs: startMs + i * stepMs, value }));

describe('learnLoadRatio', () => {
  it('recovers an exact line', () => {
    const up = series([10, 20, 30, 40]);
    const down = series([7, 12, 17, 22]); // 2 + 0.5 × up
    const fit = learnLoadRatio(up, down, { minSamples: 3 });
    expect(fit.kind).toBe('fitted');
    if (fit.kind !== 'fitted') return;
    expect(fit.slope).toBeCloseTo(0.5, 12);
    expect(fit.intercept).toBeCloseTo(2, 12);
    expect(fit.rSquared).toBeCloseTo(1, 12);
    expect(fit.samples).toBe(4);
  });

  it('matches a hand-computed noisy fit', () => {
    // x = 1, 2, 3, 4; y = 2, 3, 5, 4: x̄ = 2.5, ȳ = 3.5, Sxx = 5, Sxy = 4, Syy = 5.
    // slope = 0.8, intercept = 1.5, SSres = 5 − 0.8 × 4 = 1.8, r² = 1 − 1.8 / 5 = 0.64.
    const fit = learnLoadRatio(series([1, 2, 3, 4]), series([2, 3, 5, 4]), { minSamples: 4 });
    expect(fit).toEqual({
      kind: 'fitted',
      slope: expect.closeTo(0.8, 12),
      intercept: expect.closeTo(1.5, 12),
      rSquared: expect.closeTo(0.64, 12),
      samples: 4,
    });
  });

  it('uses only timestamps both series have, drops non-finite values and averages duplicates', () => {
    const up = [...series([10, 20, 30, Number.NaN, 50]), { timestampMs: 0, value: 30 }];
    // Upstream at t=0 averages 10 and 30 to 20; t=900000 is NaN upstream; t=1500000 has no upstream.
    const down = [
      { timestampMs: 0, value: 10 },
      { timestampMs: 300_000, value: 10 },
      { timestampMs: 600_000, value: 15 },
      { timestampMs: 900_000, value: 99 },
      { timestampMs: 1_500_000, value: 99 },
    ];
    // Aligned, finite: (20, 10), (20, 10), (30, 15) → Sxx > 0; slope 0.5, intercept 0.
    const fit = learnLoadRatio(up, down, { minSamples: 3 });
    expect(fit).toMatchObject({ kind: 'fitted', samples: 3 });
    if (fit.kind !== 'fitted') return;
    expect(fit.slope).toBeCloseTo(0.5, 12);
    expect(fit.intercept).toBeCloseTo(0, 12);
  });

  it('returns too few samples as a value', () => {
    expect(learnLoadRatio(series([1, 2, 3]), series([1, 2, 3]))).toEqual({
      kind: 'insufficient-samples',
      samples: 3,
      minSamples: 12,
      reason: '3 aligned sample(s) with finite values in both series; expected at least 12',
    });
    expect(learnLoadRatio(series([1, 2]), series([1, 2], 1)).kind).toBe('insufficient-samples');
  });

  it('returns a constant upstream as a value', () => {
    const fit = learnLoadRatio(series([5, 5, 5]), series([1, 2, 3]), { minSamples: 2 });
    expect(fit.kind).toBe('constant-upstream');
  });

  it('gives slope 0 and r² 1 for a constant downstream', () => {
    const fit = learnLoadRatio(series([1, 2, 3]), series([4, 4, 4]), { minSamples: 2 });
    expect(fit).toEqual({ kind: 'fitted', slope: 0, intercept: 4, rSquared: 1, samples: 3 });
  });
});
