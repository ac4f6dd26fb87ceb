import fc from 'fast-check';
import { insertionSort, stableSorted } from '../../../../shared/core/forecast/insertion-sort';

function sameBits(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

describe('insertionSort', () => {
  it('sorts into the native typed-array order, -0 before +0', () => {
    const values = Float64Array.from([3, 0, -0, -2, 0, 1.5, -0]);
    expect(insertionSort(values)).toBe(true);
    expect(Array.from(values).map((v) => (Object.is(v, -0) ? '-0' : String(v)))).toEqual([
      '-2',
      '-0',
      '-0',
      '0',
      '0',
      '1.5',
      '3',
    ]);
  });

  it('reports a NaN so the caller sorts natively', () => {
    expect(insertionSort(Float64Array.from([2, Number.NaN, 1]))).toBe(false);
    expect(insertionSort(Float64Array.from([Number.NaN, 2, 1]))).toBe(false);
  });

  it('gives the same bits as Float64Array.prototype.sort, with the native sort after a NaN', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double(), fc.constantFrom(0, -0, 1, -1, Number.NaN, Number.POSITIVE_INFINITY)), {
          maxLength: 60,
        }),
        (input) => {
          const expected = Float64Array.from(input).sort();
          const values = Float64Array.from(input);
          if (!insertionSort(values)) values.sort();
          return sameBits(values, expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('stableSorted', () => {
  it('keeps -0 and +0 in their input order, as the stable comparator sort does', () => {
    const out = stableSorted([0, 2, -0, -1]);
    expect(out.map((v) => Object.is(v, -0))).toEqual([false, false, true, false]);
    expect(out).toEqual([-1, 0, -0, 2]);
  });

  it('gives the same bits as [...values].sort((a, b) => a - b), NaN included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double(), fc.constantFrom(0, -0, 1, -1, Number.NaN, Number.NEGATIVE_INFINITY)), {
          maxLength: 60,
        }),
        (input) => {
          const expected = Float64Array.from([...input].sort((a, b) => a - b));
          return sameBits(Float64Array.from(stableSorted(input)), expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});
