import { jsonBytes, withinBytes } from '../../../../shared/core/update-plan/within-bytes';

describe('withinBytes', () => {
  it('keeps the longest prefix whose JSON fits, in order, and counts the rest', () => {
    const items = ['aaaa', 'bbbb', 'cccc'];
    const fits = jsonBytes(items.slice(0, 2));
    expect(withinBytes(items, fits)).toEqual({ kept: ['aaaa', 'bbbb'], omitted: 1 });
    expect(withinBytes(items, fits - 1)).toEqual({ kept: ['aaaa'], omitted: 2 });
    expect(withinBytes(items, jsonBytes(items))).toEqual({ kept: items, omitted: 0 });
  });

  it('counts UTF-8 bytes, not characters', () => {
    expect(jsonBytes(['→'])).toBe(7);
    expect(withinBytes(['→'], 6)).toEqual({ kept: [], omitted: 1 });
  });

  it('refuses a budget that is not positive', () => {
    expect(() => withinBytes([], 0)).toThrow('maxBytes must be positive; got 0');
  });
});
