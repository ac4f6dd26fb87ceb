import fc from 'fast-check';
import { buildDesign } from '../../../../../shared/core/forecast/models/fourier-design';
import {
  PERIODIC_GRAM_CACHE_SIZE,
  periodicGram,
} from '../../../../../shared/core/forecast/models/fourier-gram';

/** Σ over the window's steps of g(t mod phases)·g(t mod phases)ᵀ, row by row (the definition). */
function directGram(m1: number, m2: number, window: number): Float64Array {
  const design = buildDesign(m1, m2, window);
  const q = design.periodicColumns;
  const out = new Float64Array(q * q);
  for (let t = 0; t < window; t += 1) {
    const row = (t % design.phases) * q;
    for (let i = 0; i < q; i += 1)
      for (let j = i; j < q; j += 1)
        out[i * q + j] =
          (out[i * q + j] as number) + (design.table[row + i] as number) * (design.table[row + j] as number);
  }
  return out;
}

describe('periodicGram', () => {
  it('equals the row-by-row sum of the periodic regressors over the window', () => {
    fc.assert(
      fc.property(fc.integer({ min: 48, max: 600 }), (window) => {
        const design = buildDesign(24, 168, window);
        const q = design.periodicColumns;
        const block = periodicGram(design, window);
        const direct = directGram(24, 168, window);
        for (let i = 0; i < q; i += 1)
          for (let j = i; j < q; j += 1) {
            const expected = direct[i * q + j] as number;
            expect(Math.abs((block[i * q + j] as number) - expected)).toBeLessThanOrEqual(
              1e-9 * (1 + Math.abs(expected)),
            );
          }
      }),
      { numRuns: 40 },
    );
  });

  it('returns the cached block for a window it has seen', () => {
    const design = buildDesign(288, 2016, 3456);
    expect(periodicGram(design, 3456)).toBe(periodicGram(design, 3456));
  });

  it('recomputes an evicted window to the same values', () => {
    const design = buildDesign(24, 168, 500);
    const first = Float64Array.from(periodicGram(design, 500));
    for (let w = 1000; w < 1000 + PERIODIC_GRAM_CACHE_SIZE + 1; w += 1) periodicGram(design, w);
    const again = periodicGram(design, 500);
    expect(Array.from(again)).toEqual(Array.from(first));
  });
});
