import fc from 'fast-check';
import { lowerMedian, median } from '../../../../shared/core/forecast/median';

describe('median', () => {
  it('is the middle value of an odd list and the mean of the two middle ones of an even list', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([-1, 5])).toBe(2);
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('has as many values at or below it as at or above it', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1 }), (values) => {
        const m = median(values);
        expect(values.filter((v) => v <= m).length).toBeGreaterThanOrEqual(values.length / 2);
        expect(values.filter((v) => v >= m).length).toBeGreaterThanOrEqual(values.length / 2);
      }),
    );
  });
});

describe('lowerMedian', () => {
  it('is the middle value of an odd list and the lower middle one of an even list', () => {
    expect(lowerMedian([3, 1, 2])).toBe(2);
    expect(lowerMedian([4, 1, 3, 2])).toBe(2);
    expect(lowerMedian([7])).toBe(7);
  });

  it('is always one of the values, at or below the median', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1 }), (values) => {
        const m = lowerMedian(values);
        expect(values).toContain(m);
        expect(m).toBeLessThanOrEqual(median(values));
      }),
    );
  });
});
