import fc from 'fast-check';
import {
  type ScaleInHeadroomInput,
  scaleInHeadroom,
} from '../../../../shared/core/planning/scale-in-headroom';

const base: ScaleInHeadroomInput = {
  loadPerStep: [],
  targetLoadPerInstance: 50,
  sloLoadPerInstance: 60,
  targetRatio: 0.9,
  returnSteps: 2,
  windowSteps: 1,
  maxRegretShare: 0.02,
};

/** The backtest read literally: every step, its window's peak, the next steps' peak, both capacities. */
function countedByDefinition(
  input: ScaleInHeadroomInput,
  leanRatio: number,
): { releases: number; regrets: number } {
  const { loadPerStep: loads, targetLoadPerInstance: target, sloLoadPerInstance: slo = target } = input;
  const valid = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v) && v >= 0;
  const peakOf = (from: number, to: number) => {
    const within = loads.slice(Math.max(0, from), to + 1).filter(valid);
    return within.length > 0 ? Math.max(...within) : undefined;
  };
  let releases = 0;
  let regrets = 0;
  for (let t = 0; t + input.returnSteps < loads.length; t += 1) {
    const peak = peakOf(t - input.windowSteps + 1, t);
    const next = peakOf(t + 1, t + input.returnSteps);
    if (peak === undefined || next === undefined) continue;
    const headroom = Math.ceil(peak / (target * input.targetRatio) - 1e-9);
    const lean = Math.ceil(peak / (target * leanRatio) - 1e-9);
    if (lean >= headroom) continue;
    releases += 1;
    if (Math.min(Math.ceil(next / slo - 1e-9), headroom) > lean) regrets += 1;
  }
  return { releases, regrets };
}

describe('scaleInHeadroom', () => {
  it('drops the headroom of flat load that never needed it: the peak served at the target, below a higher SLO', () => {
    // 450 keeps 10 at 0.9 × 50 and 9 at 50; the next steps need 8 at the 60 SLO.
    const choice = scaleInHeadroom({ ...base, loadPerStep: Array(20).fill(450) });
    expect(choice).toEqual({ targetRatio: 1, leanTargetRatio: 1, releases: 18, regrets: 0 });
  });

  it('keeps the headroom where the next steps came back past what the lean release kept', () => {
    // At 450 the lean release keeps 9, and the next 560 needs 10 at the SLO, which the headroom kept.
    const loads = Array.from({ length: 20 }, (_, t) => (t % 2 === 0 ? 450 : 560));
    const choice = scaleInHeadroom({ ...base, loadPerStep: loads });
    expect(choice.targetRatio).toBe(0.9);
    expect(choice.releases).toBe(18);
    expect(choice.regrets).toBe(9);
  });

  it('does not count a return beyond what the headroom kept as the headroom buying anything', () => {
    // 450 → 900: the lean 9 and the headroom's 10 both fall short of the 15 needed; the rise past
    // the headroom still counts (the headroom served part of it), so one regret per rise.
    const loads = [450, 450, 450, 450, 450, 450, 450, 450, 900, 450];
    const choice = scaleInHeadroom({ ...base, loadPerStep: loads, returnSteps: 1 });
    expect(choice).toMatchObject({ releases: 9, regrets: 1, targetRatio: 0.9 });
    expect(
      scaleInHeadroom({ ...base, loadPerStep: loads, returnSteps: 1, maxRegretShare: 1 / 9 }).targetRatio,
    ).toBe(1);
  });

  it('caps the lean ratio at the target, and serves the peak at the share of the SLO below it', () => {
    const flat = Array(20).fill(540);
    expect(
      scaleInHeadroom({ ...base, loadPerStep: flat, targetLoadPerInstance: 57 }).targetRatio,
    ).toBeCloseTo((0.9 * 60) / 57, 12);
    expect(scaleInHeadroom({ ...base, loadPerStep: flat, targetLoadPerInstance: 40 }).leanTargetRatio).toBe(
      1,
    );
  });

  it('keeps the configured ratio without an SLO above the target, or without any release', () => {
    const flat = Array(20).fill(450);
    const unchanged = { targetRatio: 0.9, leanTargetRatio: 0.9, releases: 0, regrets: 0 };
    expect(scaleInHeadroom({ ...base, loadPerStep: flat, sloLoadPerInstance: 50 })).toEqual(unchanged);
    expect(scaleInHeadroom({ ...base, loadPerStep: flat, targetLoadPerInstance: 70 })).toEqual(unchanged);
    const { sloLoadPerInstance: _, ...noSlo } = base;
    expect(scaleInHeadroom({ ...noSlo, loadPerStep: flat })).toEqual(unchanged);
    // 0.9 × 50 and 50 keep the same 8 instances for 360: no release, no evidence, the headroom stays.
    expect(scaleInHeadroom({ ...base, loadPerStep: Array(20).fill(360) })).toMatchObject({
      targetRatio: 0.9,
      releases: 0,
    });
    expect(scaleInHeadroom({ ...base, loadPerStep: [] }).targetRatio).toBe(0.9);
  });

  it('skips missing steps', () => {
    const loads = [450, Number.NaN, 450, Number.NaN, Number.NaN, Number.NaN, 450, 450];
    expect(scaleInHeadroom({ ...base, loadPerStep: loads, returnSteps: 1 })).toMatchObject({
      releases: 1,
      regrets: 0,
    });
  });

  it('rejects settings outside their range', () => {
    const flat = Array(4).fill(450);
    expect(() => scaleInHeadroom({ ...base, loadPerStep: flat, targetLoadPerInstance: 0 })).toThrow(
      RangeError,
    );
    expect(() => scaleInHeadroom({ ...base, loadPerStep: flat, sloLoadPerInstance: -1 })).toThrow(RangeError);
    expect(() => scaleInHeadroom({ ...base, loadPerStep: flat, targetRatio: 1.1 })).toThrow(RangeError);
    expect(() => scaleInHeadroom({ ...base, loadPerStep: flat, returnSteps: 0 })).toThrow(RangeError);
    expect(() => scaleInHeadroom({ ...base, loadPerStep: flat, windowSteps: 1.5 })).toThrow(RangeError);
    expect(() => scaleInHeadroom({ ...base, loadPerStep: flat, maxRegretShare: 2 })).toThrow(RangeError);
  });

  it('counts what the definition counts, and chooses the lean ratio exactly when the share allows', () => {
    const load = fc.oneof(fc.double({ min: 0, max: 1000, noNaN: true }), fc.constant(Number.NaN));
    fc.assert(
      fc.property(
        fc.array(load, { maxLength: 40 }),
        fc.record({
          targetLoadPerInstance: fc.integer({ min: 20, max: 80 }),
          sloLoadPerInstance: fc.integer({ min: 20, max: 80 }),
          targetRatio: fc.double({ min: 0.5, max: 1, noNaN: true }),
          returnSteps: fc.integer({ min: 1, max: 4 }),
          windowSteps: fc.integer({ min: 1, max: 4 }),
          maxRegretShare: fc.double({ min: 0, max: 1, noNaN: true }),
        }),
        (loads, settings) => {
          const input = { ...settings, loadPerStep: loads };
          const choice = scaleInHeadroom(input);
          const lean = Math.max(
            settings.targetRatio,
            Math.min(
              1,
              (settings.targetRatio * settings.sloLoadPerInstance) / settings.targetLoadPerInstance,
            ),
          );
          expect(choice.leanTargetRatio).toBe(lean);
          if (lean <= settings.targetRatio) {
            expect(choice).toEqual({
              targetRatio: settings.targetRatio,
              leanTargetRatio: lean,
              releases: 0,
              regrets: 0,
            });
            return;
          }
          const counted = countedByDefinition(input, lean);
          expect({ releases: choice.releases, regrets: choice.regrets }).toEqual(counted);
          const allowed =
            counted.releases > 0 && counted.regrets <= settings.maxRegretShare * counted.releases;
          expect(choice.targetRatio).toBe(allowed ? lean : settings.targetRatio);
        },
      ),
    );
  });
});
