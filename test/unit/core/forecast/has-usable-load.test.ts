import { cleanSeries } from '../../../../shared/core/forecast/clean-series';
import { NoUsableDataError } from '../../../../shared/core/forecast/errors';
import { hasUsableLoad, unusableReason } from '../../../../shared/core/forecast/has-usable-load';

const T = Date.UTC(2026, 2, 2);

describe('hasUsableLoad', () => {
  it.each([
    ['nothing', [], false],
    ['only negative values', [-1, -0.5], false],
    ['only NaN and infinite values', [Number.NaN, Number.POSITIVE_INFINITY], false],
    ['a zero among negatives', [-1, 0], true],
    ['a positive value', [Number.NaN, 3], true],
  ])('says whether the forecast can use %s', (_label, values, usable) => {
    const history = values.map((value, i) => ({ timestampMs: T + i * 300_000, value }));
    expect(hasUsableLoad(history)).toBe(usable);
    if (usable) expect(() => cleanSeries(history, 300)).not.toThrow();
    else if (history.length > 0) expect(() => cleanSeries(history, 300)).toThrow(NoUsableDataError);
  });

  it('drops an observation with a non-finite timestamp as cleanSeries does', () => {
    expect(unusableReason({ timestampMs: Number.NaN, value: 5 })).toBe('non-finite');
    expect(unusableReason({ timestampMs: T, value: -5 })).toBe('negative');
    expect(unusableReason({ timestampMs: T, value: 5 })).toBeUndefined();
    expect(hasUsableLoad([{ timestampMs: Number.NaN, value: 5 }])).toBe(false);
  });
});
