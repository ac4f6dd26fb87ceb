import fc from 'fast-check';
import { scaleInAheadRatio } from '../../../../shared/core/planning/scale-in-ahead-ratio';

describe('scaleInAheadRatio', () => {
  it.each([
    // target, SLO, configured ratio → share of the target the recent peak is served at
    { target: 60, slo: undefined, ratio: 0.9, expected: 0.9 },
    { target: 60, slo: 60, ratio: 0.9, expected: 0.9 },
    { target: 70, slo: 60, ratio: 0.9, expected: 0.9 },
    { target: 50, slo: 60, ratio: 0.9, expected: 1 },
    { target: 40, slo: 60, ratio: 0.9, expected: 1 },
    { target: 55, slo: 60, ratio: 0.9, expected: 54 / 55 },
    { target: 50, slo: 60, ratio: 0.8, expected: 48 / 50 },
  ])(
    'serves the peak at $expected of a $target target with SLO $slo and ratio $ratio',
    ({ target, slo, ratio, expected }) => {
      expect(
        scaleInAheadRatio({
          targetLoadPerInstance: target,
          ...(slo !== undefined ? { sloLoadPerInstance: slo } : {}),
          targetRatio: ratio,
        }),
      ).toBeCloseTo(expected, 12);
    },
  );

  it('keeps at least the configured headroom below the target and never serves above the target', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1000, noNaN: true }),
        fc.option(fc.double({ min: 1, max: 1000, noNaN: true }), { nil: undefined }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (target, slo, ratio) => {
          const served = scaleInAheadRatio({
            targetLoadPerInstance: target,
            ...(slo !== undefined ? { sloLoadPerInstance: slo } : {}),
            targetRatio: ratio,
          });
          expect(served).toBeGreaterThanOrEqual(ratio);
          expect(served).toBeLessThanOrEqual(1);
          // The load served per instance stays within the configured share of the service level.
          expect(served * target).toBeLessThanOrEqual(ratio * Math.max(target, slo ?? target) + 1e-9);
          if (slo === undefined || slo <= target) expect(served).toBe(ratio);
        },
      ),
    );
  });

  it('never lowers the share as the SLO rises above the target', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 100, noNaN: true }),
        fc.double({ min: 1, max: 200, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (target, slo, more, ratio) => {
          const at = (s: number) =>
            scaleInAheadRatio({ targetLoadPerInstance: target, sloLoadPerInstance: s, targetRatio: ratio });
          expect(at(slo + more)).toBeGreaterThanOrEqual(at(slo));
        },
      ),
    );
  });

  it('rejects a non-positive target or SLO and a ratio outside (0, 1]', () => {
    expect(() => scaleInAheadRatio({ targetLoadPerInstance: 0, targetRatio: 0.9 })).toThrow(
      /targetLoadPerInstance must be a positive number, got 0/,
    );
    expect(() =>
      scaleInAheadRatio({ targetLoadPerInstance: 60, sloLoadPerInstance: -1, targetRatio: 0.9 }),
    ).toThrow(/sloLoadPerInstance must be a positive number, got -1/);
    expect(() => scaleInAheadRatio({ targetLoadPerInstance: 60, targetRatio: 1.2 })).toThrow(
      /targetRatio must be in \(0, 1\], got 1.2/,
    );
  });
});
