import fc from 'fast-check';
import { deepFallMeasure } from '../../../../shared/core/planning/deep-fall';

describe('deepFallMeasure', () => {
  it('climbs back in whole instances as target tracking does, from at least one', () => {
    const at60 = deepFallMeasure(60, 100);
    // One return takes c to ⌈c × 100/60⌉: 1 → 2 → 4 → 7 → 12.
    expect([2, 3, 4, 7, 8, 12].map((need) => at60.returns(1, need))).toEqual([1, 2, 2, 3, 4, 4]);
    expect(at60.returns(0, 2)).toBe(1);
    expect(at60.isDeep(2, 1)).toBe(false);
    expect(at60.isDeep(3, 1)).toBe(true);
    expect(at60.isDeep(2, 0)).toBe(false);
    const at70 = deepFallMeasure(70, 100);
    // ⌈100/70⌉ = 2: a fall from two to one is one return, from three is not.
    expect(at70.isDeep(2, 1)).toBe(false);
    expect(at70.isDeep(3, 1)).toBe(true);
    expect(at70.isDeep(10, 7)).toBe(false);
    expect(at70.isDeep(11, 7)).toBe(true);
  });

  it('finds nothing deep and every climb one return without a saturating metric', () => {
    const plain = deepFallMeasure(60, undefined);
    expect(plain.isDeep(40, 1)).toBe(false);
    expect(plain.returns(1, 40)).toBe(1);
  });

  it('calls a release deep exactly when one return cannot climb back to the held capacity', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 99 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 80 }),
        (target, kept, held) => {
          const measure = deepFallMeasure(target, 100);
          const oneReturn = Math.ceil((Math.max(1, kept) * 100) / target - 1e-9);
          expect(measure.isDeep(held, kept)).toBe(kept < held && held > oneReturn);
          // Deep exactly when the climb back to what was held takes more than one return.
          if (kept < held) expect(measure.isDeep(held, kept)).toBe(measure.returns(kept, held) > 1);
        },
      ),
    );
  });
});
