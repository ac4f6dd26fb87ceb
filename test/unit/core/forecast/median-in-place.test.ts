import fc from 'fast-check';
import { medianInPlace } from '../../../../shared/core/forecast/median-in-place';

/** The reference: interpolate the middle of the natively sorted copy. */
function sortedMedian(values: readonly number[]): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return 0;
  const position = 0.5 * (n - 1);
  const lo = Math.floor(position);
  const hi = Math.min(n - 1, lo + 1);
  const w = position - lo;
  return (sorted[lo] as number) * (1 - w) + (sorted[hi] as number) * w;
}

describe('medianInPlace', () => {
  it.each([
    { values: [], expected: 0 },
    { values: [7], expected: 7 },
    { values: [3, 1, 2], expected: 2 },
    { values: [4, 1, 3, 2], expected: 2.5 },
    { values: [5, 5, 5, 5, 5], expected: 5 },
  ])('gives $expected for $values', ({ values, expected }) => {
    expect(medianInPlace(Float64Array.from(values))).toBe(expected);
  });

  it('equals the middle of the sorted copy, to the sign of zero (any doubles, duplicates, NaN)', () => {
    const value = fc.oneof(fc.double(), fc.constantFrom(0, -0, 1, -1, 2), fc.integer({ min: -3, max: 3 }));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 300 }), (values) => {
        expect(Object.is(medianInPlace(Float64Array.from(values)), sortedMedian(values))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
