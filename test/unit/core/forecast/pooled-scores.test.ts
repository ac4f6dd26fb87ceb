import fc from 'fast-check';
import { pooledScores } from '../../../../shared/core/forecast/pooled-scores';

const rowsArb = fc.array(
  fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 12 }),
  { minLength: 2, maxLength: 5 },
);
const toRows = (raw: number[][]) => raw.map((r) => Float64Array.from(r));

describe('pooledScores', () => {
  it('returns the ⌈p·(n + 1)⌉-th smallest score with equal weights (the largest when beyond n)', () => {
    const pool = pooledScores([Float64Array.from([5, 1, 3]), Float64Array.from([2, 4])], [1, 1]);
    expect(pool.quantile(0.5)).toBe(3);
    expect(pool.quantile(0.8)).toBe(5);
    expect(pool.quantile(0.99)).toBe(5);
    expect(pool.quantile(0.2)).toBe(1);
    expect(pool.quantile(0.4)).toBe(2);
  });

  it('gives an origin with more weight more say', () => {
    const rows = [Float64Array.from([0, 0, 0]), Float64Array.from([10, 10, 10])];
    expect(pooledScores(rows, [1, 1]).quantile(0.6)).toBe(10);
    expect(pooledScores(rows, [10, 0.1]).quantile(0.6)).toBe(0);
  });

  it('leaves a row out as if it had never been pooled (unit weights)', () => {
    fc.assert(
      fc.property(rowsArb, fc.double({ min: 0.01, max: 0.99, noNaN: true }), fc.nat(), (raw, p, pick) => {
        const rows = toRows(raw);
        const k = pick % rows.length;
        const ones = rows.map(() => 1);
        const rest = rows.filter((_, j) => j !== k);
        expect(pooledScores(rows, ones).quantile(p, k)).toBe(
          pooledScores(
            rest,
            rest.map(() => 1),
          ).quantile(p),
        );
      }),
    );
  });

  it('is monotone in p and returns one of the pooled scores', () => {
    fc.assert(
      fc.property(
        rowsArb,
        fc.array(fc.double({ min: 0.01, max: 10, noNaN: true }), { minLength: 5, maxLength: 5 }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        (raw, weights, a, b) => {
          const rows = toRows(raw);
          const pool = pooledScores(rows, weights.slice(0, rows.length));
          const [lo, hi] = a < b ? [a, b] : [b, a];
          expect(pool.quantile(lo)).toBeLessThanOrEqual(pool.quantile(hi));
          expect(raw.flat()).toContain(pool.quantile(lo));
          expect(raw.flat()).toContain(pool.quantile(hi, 0));
        },
      ),
    );
  });

  it('returns 0 when nothing is pooled', () => {
    expect(pooledScores([], []).quantile(0.9)).toBe(0);
  });
});
