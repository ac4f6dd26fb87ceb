import fc from 'fast-check';
import { adaptiveTailMass, TAIL_MASS_RATIO } from '../../../../shared/core/forecast/adaptive-tail-mass';
import { pooledScores } from '../../../../shared/core/forecast/pooled-scores';

/** 200 evenly spread scores in [−1, 1], times `spread`, sorted. */
const grid = (spread: number) => Float64Array.from({ length: 200 }, (_, i) => spread * (-1 + (2 * i) / 199));
const mass = (rows: Float64Array[], nominal: number, side: 'lower' | 'upper', weights = rows.map(() => 1)) =>
  adaptiveTailMass(pooledScores(rows, weights), rows, weights, nominal, side);

describe('adaptiveTailMass', () => {
  it('keeps about the nominal mass when every origin errs alike', () => {
    const rows = [grid(1), grid(1), grid(1), grid(1)];
    for (const side of ['lower', 'upper'] as const) {
      const m = mass(rows, 0.05, side);
      expect(m).toBeGreaterThan(0.04);
      expect(m).toBeLessThanOrEqual(0.06);
    }
  });

  it('reads wider when each origin left out errs beyond the others', () => {
    expect(mass([grid(1), grid(2), grid(1), grid(2)], 0.05, 'upper')).toBeLessThan(0.04);
  });

  it('reads narrower on a side the left-out origins never reached', () => {
    // Each origin has one far outlier below; leaving it out, the others' 5 % bound still covers it.
    const rows = [0, 1, 2, 3].map(() => Float64Array.from([-50, ...grid(1).slice(1)]).sort());
    expect(mass(rows, 0.005, 'lower')).toBeGreaterThan(0.005);
  });

  it('listens to recent origins more', () => {
    const rows = [grid(3), grid(1), grid(1), grid(1)];
    const even = mass(rows, 0.05, 'upper');
    const recent = mass(rows, 0.05, 'upper', [1e-3, 1, 1, 1]);
    expect(recent).toBeGreaterThan(even);
  });

  it('returns the nominal mass with a single origin', () => {
    expect(mass([grid(1)], 0.05, 'upper')).toBe(0.05);
  });

  it('stays within its bounds for any scores', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 20 }), {
          minLength: 2,
          maxLength: 6,
        }),
        fc.double({ min: 0.001, max: 0.5, noNaN: true }),
        fc.constantFrom('lower' as const, 'upper' as const),
        (raw, nominal, side) => {
          const rows = raw.map((r) => Float64Array.from(r).sort());
          const m = mass(rows, nominal, side);
          expect(m).toBeGreaterThanOrEqual(nominal * TAIL_MASS_RATIO.min * (1 - 1e-9));
          expect(m).toBeLessThanOrEqual(Math.min(0.5, nominal * TAIL_MASS_RATIO.max) * (1 + 1e-9));
        },
      ),
    );
  });
});
