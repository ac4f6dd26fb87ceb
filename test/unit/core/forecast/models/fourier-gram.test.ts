import fc from 'fast-check';
import { buildDesign } from '../../../../../shared/core/forecast/models/fourier-design';
import {
  columnProducts,
  computeWindowGram,
  PREFIX_CHECKPOINT_CACHE_SIZE,
  WINDOW_GRAM_CACHE_SIZE,
  windowGram,
} from '../../../../../shared/core/forecast/models/fourier-gram';

/** Row-by-row sums over the window's steps (the definitions): Σ g·gᵀ, Σ τ·g and Σ τ². */
function direct(m1: number, m2: number, window: number) {
  const design = buildDesign(m1, m2, window);
  const q = design.periodicColumns;
  const periodic = new Float64Array(q * q);
  const trendCross = new Float64Array(q);
  let trendSquares = 0;
  for (let t = 0; t < window; t += 1) {
    const row = (t % design.phases) * q;
    const tau = t / window;
    trendSquares += tau * tau;
    for (let i = 0; i < q; i += 1) {
      const gi = design.table[row + i] as number;
      trendCross[i] = (trendCross[i] as number) + tau * gi;
      for (let j = i; j < q; j += 1)
        periodic[i * q + j] = (periodic[i * q + j] as number) + gi * (design.table[row + j] as number);
    }
  }
  return { periodic, trendCross, trendSquares };
}

/**
 * Collects the values that differ from their expected value by more than the tolerance, for one
 * `expect` per case (one per value made Jest's bookkeeping most of this file's time).
 */
function closeness() {
  const far: string[] = [];
  return {
    close(label: string, actual: number, expected: number): void {
      if (!(Math.abs(actual - expected) <= 1e-9 * (1 + Math.abs(expected))))
        far.push(`${label}: ${actual}, expected ${expected}`);
    },
    far,
  };
}

describe('windowGram', () => {
  it('equals the row-by-row sums of the regressors over the window', () => {
    fc.assert(
      fc.property(fc.integer({ min: 48, max: 600 }), (window) => {
        const design = buildDesign(24, 168, window);
        const q = design.periodicColumns;
        const gram = windowGram(design, window);
        const expected = direct(24, 168, window);
        const { close, far } = closeness();
        for (let i = 0; i < q; i += 1) {
          close(`trendCross[${i}]`, gram.trendCross[i] as number, expected.trendCross[i] as number);
          for (let j = i; j < q; j += 1)
            close(
              `periodic[${i}][${j}]`,
              gram.periodic[i * q + j] as number,
              expected.periodic[i * q + j] as number,
            );
        }
        close('trendSquares', gram.trendSquares, expected.trendSquares);
        expect(far).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it('returns the cached sums for a window it has seen', () => {
    const design = buildDesign(288, 2016, 3456);
    expect(windowGram(design, 3456)).toBe(windowGram(design, 3456));
  });

  it('recomputes an evicted window to the same values', () => {
    const design = buildDesign(24, 168, 500);
    const first = windowGram(design, 500);
    const periodic = Array.from(first.periodic);
    for (let w = 1000; w < 1000 + WINDOW_GRAM_CACHE_SIZE + 1; w += 1) windowGram(design, w);
    const again = windowGram(design, 500);
    expect(again).not.toBe(first);
    expect(Array.from(again.periodic)).toEqual(periodic);
    expect(Array.from(again.trendCross)).toEqual(Array.from(first.trendCross));
    expect(again.trendSquares).toBe(first.trendSquares);
  });
});

describe('computeWindowGram', () => {
  // One expectation per block, naming the first differing entry: an expect per entry made this
  // property spend most of its time in Jest's matchers rather than in the code under test.
  const expectBitIdentical = (actual: Float64Array, expected: Float64Array): void => {
    expect(actual).toHaveLength(expected.length);
    const differing = actual.findIndex((v, i) => !Object.is(v, expected[i]));
    expect(
      differing < 0
        ? undefined
        : { entry: differing, actual: actual[differing], expected: expected[differing] },
    ).toBeUndefined();
  };

  it('resumes a growing window from a kept prefix to the same bits as computing it from scratch', () => {
    // 24/168 over 340–352 steps: two weeks and 4–16 steps, one more count on phases 0…r−1.
    const design = buildDesign(24, 168, 340);
    for (let window = 340; window <= 352; window += 3) {
      const resumed = computeWindowGram(design, window, true);
      const fresh = computeWindowGram(design, window, false);
      expectBitIdentical(resumed.periodic, fresh.periodic);
      expectBitIdentical(resumed.trendCross, fresh.trendCross);
      expect(Object.is(resumed.trendSquares, fresh.trendSquares)).toBe(true);
    }
  });

  it('gives bit-identical blocks for any sequence of growing and jumping windows, resumed or not', () => {
    fc.assert(
      fc.property(
        fc.constantFrom([24, 168], [12, 84], [6, 42]),
        fc.integer({ min: 1, max: 900 }),
        fc.array(fc.integer({ min: -200, max: 40 }), { maxLength: PREFIX_CHECKPOINT_CACHE_SIZE + 8 }),
        ([m1, m2], first, steps) => {
          let window = first;
          for (const step of [0, ...steps]) {
            window = Math.max(1, window + step);
            const design = buildDesign(m1 as number, m2 as number, window);
            expectBitIdentical(
              computeWindowGram(design, window, true).periodic,
              computeWindowGram(design, window, false).periodic,
            );
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('columnProducts', () => {
  it('sums each column of the design weighted by the per-phase sums', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 24, maxLength: 24 }),
        (sums) => {
          const design = buildDesign(24, 168, 30);
          const q = design.periodicColumns;
          const out = new Float64Array(q);
          columnProducts(design, Float64Array.from(sums), out);
          const { close, far } = closeness();
          for (let i = 0; i < q; i += 1) {
            let expected = 0;
            for (let phase = 0; phase < design.phases; phase += 1)
              expected += (sums[phase] as number) * (design.table[phase * q + i] as number);
            close(`column ${i}`, out[i] as number, expected);
          }
          expect(far).toEqual([]);
        },
      ),
    );
  });
});
