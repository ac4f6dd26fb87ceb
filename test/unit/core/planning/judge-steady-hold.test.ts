import {
  judgeSteadyHold,
  STEADY_HOLD_QUANTILE,
  type SteadyHoldInput,
} from '../../../../shared/core/planning/judge-steady-hold';

const DAY = 288;
const HOLD = 3;

/** A day of 5-minute steps: the load each step, with the policy's three steps of hold before. */
function day(loadAt: (step: number) => number): number[] {
  return [...[1500, 1500, 1500], ...Array.from({ length: DAY }, (_, i) => loadAt(i))];
}

/** The highest of the newest 15 minutes' three steps. */
const newestPeak = (loadPerStep: readonly number[]) =>
  Math.max(...loadPerStep.slice(-3).filter(Number.isFinite));

const judge = (loadPerStep: number[], overrides: Partial<SteadyHoldInput> = {}) =>
  judgeSteadyHold({
    loadPerStep,
    fromStep: HOLD,
    targetLoadPerInstance: 60,
    sloLoadPerInstance: 60,
    holdSteps: HOLD,
    scaleOutDelaySteps: 2,
    maxExtraCostShare: 0.05,
    minSteps: DAY,
    newestPeakLoad: newestPeak(loadPerStep),
    ...overrides,
  });

/**
 * Flat load of 25 instances' worth swinging up to 26.5 every seventh step: target tracking climbs to
 * 27 after the first swing, a launch late, and then holds it (the load never falls below its low
 * alarm), so holding 27 all day costs only the steps before that swing.
 */
const flatAt = (i: number) => (i % 7 === 0 ? 1590 : 1500);
/** A daily cycle: 10 instances' load at night, 40 by day. */
const cycleAt = (i: number) => (i >= 96 && i < 240 ? 2400 : 600);

describe('judgeSteadyHold', () => {
  it('holds flat load at the day’s high level, which target tracking nearly holds anyway', () => {
    const judgement = judge(day(flatAt));
    expect(judgement.kind).toBe('holds');
    if (judgement.kind !== 'holds' && judgement.kind !== 'too-dear') throw new Error('unreachable');
    expect(judgement.heldLoad).toBe(1590);
    // Target tracking is short at the first swing, which it meets a launch late; 27 all day never is.
    expect(judgement.shortSteps.alone).toBeGreaterThan(0);
    expect(judgement.shortSteps.held).toBe(0);
    expect(judgement.extraCostShare).toBeGreaterThan(0);
    expect(judgement.extraCostShare).toBeLessThanOrEqual(0.05);
    expect(judgement.reason).toMatch(
      /^the day's p98 held \(27 instances\) would have cost \d+\.\d % more than target tracking alone \(at most 5\.0 %\), 0 short steps of 288 where it had \d+$/,
    );
  });

  it('leaves a daily cycle to the forecast: its day’s high level held all day costs far more', () => {
    // Judged at the day's high (the newest steps are at night, so it has also left the level).
    const judgement = judge(day(cycleAt), { newestPeakLoad: 2400 });
    expect(judgement.kind).toBe('too-dear');
    if (judgement.kind !== 'holds' && judgement.kind !== 'too-dear') throw new Error('unreachable');
    expect(judgement.heldLoad).toBe(2400);
    expect(judgement.instances).toBe(40);
    expect(judgement.extraCostShare).toBeGreaterThan(0.5);
    // One instance under the p98's (39) is as dear: nothing is held.
    expect(judgement.reason).not.toMatch(/one instance under/);
  });

  /**
   * 25 instances' load swinging to 25.5 every fourth step and to 28 every seventeenth, with a
   * 15-minute lull every three hours that lets target tracking scale in: the p98 needs 28 instances.
   */
  const highSwingsAt = (i: number) => (i % 36 < 3 ? 1200 : i % 17 === 5 ? 1680 : i % 4 === 0 ? 1530 : 1500);

  it('holds one instance under the p98’s when those are too dear and one fewer is not', () => {
    const judgement = judge(day(highSwingsAt));
    expect(judgement).toMatchObject({ kind: 'holds', instances: 27, heldLoad: 27 * 60 });
    if (judgement.kind !== 'holds') throw new Error('unreachable');
    expect(judgement.extraCostShare).toBeLessThanOrEqual(0.05);
    expect(judgement.shortSteps.held).toBeLessThan(judgement.shortSteps.alone);
    expect(judgement.reason).toMatch(
      /^the day's p98 held \(28 instances\) would have cost (\d+\.\d) % more than target tracking alone \(at most 5\.0 %\); one instance under it \(27\) costs \d\.\d %, \d+ short steps of 288 where it had \d+$/,
    );
    const p98Share = Number(/cost (\d+\.\d) %/.exec(judgement.reason)?.[1]);
    expect(p98Share).toBeGreaterThan(5);
    // With a stake the p98's instances fit in, those are held, as before.
    expect(judge(day(highSwingsAt), { maxExtraCostShare: 0.1 })).toMatchObject({
      kind: 'holds',
      instances: 28,
      heldLoad: 1680,
    });
  });

  it('holds no instance under the p98’s that buys no short step', () => {
    // With the SLO far above the target neither replay is ever short: one fewer would cost for nothing.
    const judgement = judge(day(highSwingsAt), { sloLoadPerInstance: 200 });
    expect(judgement).toMatchObject({ kind: 'too-dear', instances: 28, heldLoad: 1680 });
    if (judgement.kind !== 'too-dear') throw new Error('unreachable');
    expect(judgement.shortSteps).toEqual({ alone: 0, held: 0 });
    expect(judgement.reason).not.toMatch(/one instance under/);
  });

  it('compares the hold’s extra cost with the stake given: the same flat day fails a zero stake', () => {
    const judgement = judge(day(flatAt), { maxExtraCostShare: 0 });
    expect(judgement.kind).toBe('too-dear');
  });

  it('holds the quantile of the replayed steps only, not of the hold before them', () => {
    // The hold steps before the day (1500) are below the day's level of 3000.
    const judgement = judge(day(() => 3000));
    if (judgement.kind !== 'holds' && judgement.kind !== 'too-dear') throw new Error('unreachable');
    expect(judgement.heldLoad).toBe(3000);
    expect(judgement.kind).toBe('holds');
    expect(STEADY_HOLD_QUANTILE).toBe(0.98);
  });

  it('holds nothing once the load has left the level: a fall the day’s p98 would outlast', () => {
    // A day at 1500 that fell to 600 for its newest 15 minutes: 10 instances where the day held 25.
    const fell = judge(day((i) => (i >= DAY - 3 ? 600 : 1500)));
    expect(fell).toMatchObject({ kind: 'left-level', heldLoad: 1500 });
    if (fell.kind !== 'left-level') throw new Error('unreachable');
    expect(fell.reason).toBe(
      "the newest 15 minutes need 10 instances, below the day's median (25) by more than one",
    );
    // A trough of flat load is still its level (the day's median, 25 instances), and so is one
    // instance below it; two are not.
    expect(judge(day(flatAt), { newestPeakLoad: 1500 }).kind).toBe('holds');
    expect(judge(day(flatAt), { newestPeakLoad: 1440 }).kind).toBe('holds');
    expect(judge(day(flatAt), { newestPeakLoad: 1380 }).kind).toBe('left-level');
    expect(judge(day(flatAt), { newestPeakLoad: Number.NaN }).kind).toBe('left-level');
  });

  it('gives no verdict on too short a record: missing steps are not replayed', () => {
    const gappy = day((i) => (i % 2 === 0 ? Number.NaN : 1500));
    const judgement = judge(gappy);
    expect(judgement.kind).toBe('too-little-record');
    if (judgement.kind !== 'too-little-record') throw new Error('unreachable');
    expect(judgement.steps).toBeLessThan(DAY);
    expect(judge(day(flatAt), { minSteps: DAY + 1 }).kind).toBe('too-little-record');
  });

  it('refuses a stake that is negative or not a number', () => {
    for (const bad of [-0.01, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => judge(day(flatAt), { maxExtraCostShare: bad })).toThrow(
        /maxExtraCostShare must be a finite number ≥ 0/,
      );
  });
});
