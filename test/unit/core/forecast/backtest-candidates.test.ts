import fc from 'fast-check';
import {
  type BacktestCandidate,
  type BacktestFrame,
  bestCandidate,
  combinations,
  originMase,
  recencyWeights,
  weightedScore,
} from '../../../../shared/core/forecast/backtest-candidates';
import { heldOutErrors } from '../../../../shared/core/forecast/held-out-errors';
import { registry } from '../../../../shared/core/forecast/registry';

const ORIGINS = [10, 14, 18, 22];
const frame: BacktestFrame = {
  origins: ORIGINS,
  weights: [1, 1, 1, 1],
  target: new Array(30).fill(100),
  scale: 1,
};

function candidate(name: string, offsets: readonly number[]): BacktestCandidate {
  const backtest = offsets.map((o) => new Array<number>(4).fill(100 + o));
  return {
    name,
    members: [registry[0] as (typeof registry)[number]],
    combine: (f) => [...(f[0] ?? [])],
    kind: 'single',
    describe: name,
    backtest,
    originMase: originMase(backtest, frame),
  };
}

describe('recencyWeights', () => {
  it.each([
    { origins: [0, 10, 20], halfLife: 10, expected: [0.25, 0.5, 1] },
    { origins: [5], halfLife: 3, expected: [1] },
    { origins: [0, 288], halfLife: 288 * 7, expected: [0.5 ** (1 / 7), 1] },
  ])('weighs origins $origins with half-life $halfLife', ({ origins, halfLife, expected }) => {
    const weights = recencyWeights(origins, halfLife);
    for (const [k, w] of expected.entries()) expect(weights[k]).toBeCloseTo(w, 12);
  });

  it('gives later origins at least the weight of earlier ones, all in (0, 1]', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 5000 }),
        (raw, halfLife) => {
          const weights = recencyWeights(
            [...raw].sort((a, b) => a - b),
            halfLife,
          );
          weights.forEach((w, k) => {
            expect(w).toBeGreaterThan(0);
            expect(w).toBeLessThanOrEqual(1);
            if (k > 0) expect(w).toBeGreaterThanOrEqual(weights[k - 1] as number);
          });
        },
      ),
    );
  });
});

describe('bestCandidate', () => {
  it('lets recent origins decide when they carry the weight', () => {
    const early = candidate('early', [0, 0, 0, 9]);
    const late = candidate('late', [9, 9, 9, 0]);
    expect(bestCandidate([early, late], [1, 1, 1, 1]).name).toBe('early');
    expect(bestCandidate([early, late], [0.01, 0.01, 0.01, 1]).name).toBe('late');
    expect(weightedScore(late.originMase, [1, 1, 1, 1], (k) => k === 3)).toBe(0);
  });
});

describe('heldOutErrors', () => {
  it('measures each origin with the candidate chosen on the other origins', () => {
    // "lucky" is perfect at origin 1 only; scored on all origins it would win there by construction.
    const steady = candidate('seasonal-naive-daily', [2, 2, 2, 2]);
    const lucky = candidate('lucky', [5, 0, 5, 5]);
    const rows = heldOutErrors([steady, lucky], steady, frame, frame.target);
    expect(rows).toHaveLength(4);
    for (const row of rows) expect([...row]).toEqual([-2, -2, -2, -2]);
  });

  it('returns one row per origin, each as long as the backtest horizon', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { minLength: 4, maxLength: 4 }), {
          minLength: 1,
          maxLength: 4,
        }),
        (offsetSets) => {
          const candidates = offsetSets.map((o, i) =>
            candidate(i === 0 ? 'seasonal-naive-daily' : `c${i}`, o),
          );
          const rows = heldOutErrors(candidates, candidates[0] as BacktestCandidate, frame, frame.target);
          expect(rows).toHaveLength(ORIGINS.length);
          for (const row of rows) {
            expect(row).toHaveLength(4);
            for (const e of row) expect(Number.isFinite(e)).toBe(true);
          }
        },
      ),
    );
  });
});

describe('combinations', () => {
  /** The median as the comparator sort gives it (the reference the implementation must match). */
  const referenceMedian = (column: readonly number[]): number => {
    const sorted = [...column].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1
      ? (sorted[mid] as number)
      : 0.5 * ((sorted[mid - 1] as number) + (sorted[mid] as number));
  };

  it('takes the step-by-step medians exactly as the comparator sort orders them (−0, +0, ±∞, NaN)', () => {
    const value = fc.oneof(
      fc.double(),
      fc.constantFrom(0, -0, 1, -1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 4, max: 5 }),
        fc.array(value, { minLength: 5 * 4 * 4, maxLength: 5 * 4 * 4 }),
        (poolSize, values) => {
          const pool = Array.from({ length: poolSize }, (_, m) => {
            const backtest = ORIGINS.map((_, k) => values.slice((m * 4 + k) * 4, (m * 4 + k) * 4 + 4));
            return { ...candidate(`m${m}`, [0, 0, 0, 0]), backtest };
          });
          const made = combinations(
            pool,
            pool.map(() => 1),
            frame,
          );
          for (const [label, size] of [
            ['median3', 3],
            ['median', poolSize],
          ] as const) {
            const found = made.find((c) => c.name.startsWith(`${label}(`)) as BacktestCandidate;
            ORIGINS.forEach((_, k) => {
              const expected = [0, 1, 2, 3].map((h) =>
                referenceMedian(pool.slice(0, size).map((c) => c.backtest[k]?.[h] as number)),
              );
              expect(found.backtest[k]).toEqual(expected);
            });
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
