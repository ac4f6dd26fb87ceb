import fc from 'fast-check';
import { memoizedPeaks, slidingPeaks } from '../../../../shared/core/planning/window-peaks';

/**
 * The definition read literally: the highest finite, non-negative load of the window (the newest
 * of equal ones, so 0 and −0 come out as the queue keeps them), or NaN.
 */
function peakByDefinition(loads: readonly number[], t: number, width: number): number {
  let peak = Number.NaN;
  for (let k = Math.max(0, t - width + 1); k <= t; k += 1) {
    const v = loads[k] as number;
    if (Number.isFinite(v) && v >= 0 && !(v < peak)) peak = v;
  }
  return peak;
}

describe('slidingPeaks', () => {
  it('gives the peak of the window ending at each step, fewer steps at the start', () => {
    expect(Array.from(slidingPeaks([1, 5, 2, 0, 3], 2))).toEqual([1, 5, 5, 2, 3]);
  });

  it('skips missing and negative loads, and is NaN where a window holds none', () => {
    expect(Array.from(slidingPeaks([Number.NaN, -1, 4, Number.POSITIVE_INFINITY, Number.NaN], 2))).toEqual([
      Number.NaN,
      Number.NaN,
      4,
      4,
      Number.NaN,
    ]);
  });

  it('equals the definition at every step for any loads and width', () => {
    const load = fc.oneof(
      fc.double({ min: -10, max: 1000, noNaN: true }),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, 0),
    );
    fc.assert(
      fc.property(fc.array(load, { maxLength: 60 }), fc.integer({ min: 1, max: 12 }), (loads, width) => {
        const peaks = slidingPeaks(loads, width);
        loads.forEach((_, t) => {
          expect(peaks[t]).toBe(peakByDefinition(loads, t, width));
        });
      }),
    );
  });
});

describe('memoizedPeaks', () => {
  it('computes each width once and returns the same peaks', () => {
    const peaksOf = memoizedPeaks([3, 1, 4, 1, 5]);
    expect(peaksOf(2)).toBe(peaksOf(2));
    expect(Array.from(peaksOf(3))).toEqual([3, 3, 4, 4, 5]);
  });
});
