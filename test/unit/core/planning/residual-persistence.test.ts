import fc from 'fast-check';
import { residualPersistence } from '../../../../shared/core/planning/residual-persistence';

describe('residualPersistence', () => {
  const season = 4;
  const pattern = (n: number) => Array.from({ length: n }, (_, t) => 10 + (t % season));

  it('is near 1 after a lasting level shift', () => {
    const values = pattern(40).map((v, t) => (t >= 20 ? v + 5 + t * 0.1 : v));
    expect(residualPersistence(values, season, 24)).toBeGreaterThan(0.5);
  });

  it('is 0 for alternating noise around the pattern and for no variation at all', () => {
    const noisy = pattern(40).map(
      (v, t) =>
        v + (t % 2 === 0 ? 3 : -3) * (t >= season ? 1 : 0) * (Math.floor(t / season) % 2 === 0 ? 1 : -1),
    );
    expect(residualPersistence(noisy, season, 32)).toBeLessThan(0.2);
    expect(residualPersistence(pattern(40), season, 32)).toBe(0);
  });

  it('rejects a non-integer season or window', () => {
    expect(() => residualPersistence([1, 2, 3], 0, 3)).toThrow(/seasonSteps/);
    expect(() => residualPersistence([1, 2, 3], 1, 1.5)).toThrow(RangeError);
  });

  it('stays within [0, 0.99] for any series', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { maxLength: 80 }),
        fc.integer({ min: 1, max: 10 }),
        (values, s) => {
          const rho = residualPersistence(values, s, 60);
          expect(rho).toBeGreaterThanOrEqual(0);
          expect(rho).toBeLessThanOrEqual(0.99);
        },
      ),
    );
  });
});
