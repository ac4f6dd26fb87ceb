import fc from 'fast-check';
import { learnScaleInWindow } from '../../../../shared/core/planning/learn-scale-in-window';
import {
  countScaleInByDefinition as countByDefinition,
  scaleInWindowInput as input,
  scaleInArbitraries,
} from '../../../helpers/scale-in-window-definition';

const { loads, windows, slos, saturations } = scaleInArbitraries;

const repeat = (pattern: readonly number[], times: number) =>
  Array.from({ length: times }, () => pattern).flat();

describe('learnScaleInWindow', () => {
  it('keeps the shortest window when the load falls and stays down', () => {
    const choice = learnScaleInWindow(input([...repeat([480], 10), ...repeat([120], 20)]));
    expect(choice.windowSteps).toBe(1);
    expect(choice.candidates[0]).toEqual({ windowSteps: 1, releases: 2, regrets: 0 });
  });

  it("chooses the policy's hold when every burst returns before released capacity could", () => {
    // A burst every 15 minutes: one step at 480 (9 instances at 54), two at 120 (3 instances).
    const choice = learnScaleInWindow(input(repeat([480, 120, 120], 30)));
    expect(choice.windowSteps).toBe(3);
    expect(choice.candidates[0]?.regrets).toBe(choice.candidates[0]?.releases);
    expect(choice.candidates[2]).toEqual({ windowSteps: 3, releases: 0, regrets: 0 });
  });

  it('chooses a middle window when bursts come in pairs one step apart', () => {
    // The second burst of a pair comes two steps after the first: a one-step window releases
    // between them and is regretted, a two-step window holds through the pair.
    const loads = repeat([480, 120, 480, 120, 120, 120, 120, 120, 120, 120], 20);
    const choice = learnScaleInWindow(input(loads, { maxRegretShare: 0.2 }));
    expect(choice.candidates.slice(0, 2)).toEqual([
      { windowSteps: 1, releases: 59, regrets: 19 },
      { windowSteps: 2, releases: 20, regrets: 0 },
    ]);
    expect(choice.windowSteps).toBe(2);
  });

  it('follows the allowed regret share', () => {
    const loads = repeat([480, 120, 120], 30);
    expect(learnScaleInWindow(input(loads, { maxRegretShare: 1 })).windowSteps).toBe(1);
    expect(learnScaleInWindow(input(loads, { maxRegretShare: 0 })).windowSteps).toBe(3);
  });

  it('keeps the shortest window with no release in the history', () => {
    expect(learnScaleInWindow(input(repeat([240], 50))).windowSteps).toBe(1);
    expect(learnScaleInWindow(input([])).windowSteps).toBe(1);
  });

  it('holds when the load keeps coming back above an SLO below the target, and not at the target', () => {
    // Target 70 served at 63: 640 keeps 11 instances, 600 keeps 10. At the target the 640 that
    // returns needs 10 (nothing released is missed); at a 60 SLO it needs 11.
    const loads = repeat([640, 600, 600], 30);
    const atTarget = learnScaleInWindow(input(loads, { targetLoadPerInstance: 70 }));
    expect(atTarget.windowSteps).toBe(1);
    expect(atTarget.candidates[0]?.regrets).toBe(0);
    const belowTarget = learnScaleInWindow(
      input(loads, { targetLoadPerInstance: 70, sloLoadPerInstance: 60 }),
    );
    expect(belowTarget.windowSteps).toBe(3);
    expect(belowTarget.candidates[0]?.regrets).toBe(belowTarget.candidates[0]?.releases);
    expect(belowTarget.candidates[0]?.releases).toBe(atTarget.candidates[0]?.releases);
  });

  it('judges releases at the target when the SLO is at or above it', () => {
    const loads = repeat([640, 600, 600], 30);
    const atTarget = learnScaleInWindow(input(loads, { targetLoadPerInstance: 70 }));
    for (const slo of [70, 80, 1000])
      expect(
        learnScaleInWindow(input(loads, { targetLoadPerInstance: 70, sloLoadPerInstance: slo })),
      ).toEqual(atTarget);
  });

  /**
   * Idle at 50 (one instance at 54), a burst of 480 (nine) that comes back two steps later, then a
   * plateau of 300 (six) that falls to 200 (four) and stays: 27 steps.
   */
  const clustered = [
    ...repeat([50], 6),
    480,
    50,
    480,
    ...repeat([50], 6),
    ...repeat([300], 6),
    ...repeat([200], 6),
  ];

  it('holds after a launch when bursts come back within a launch, and keeps prompt scale-in after other falls', () => {
    const choice = learnScaleInWindow(input(repeat(clustered, 10)));
    // Seven one-step releases per cycle (the first has no return to idle before it): after the
    // first burst's fall (regretted: the second burst comes back), two after the second (beyond
    // the first's hold, not regretted), two after the plateau's fall and two on the return to idle.
    expect(choice.candidates[0]).toEqual({ windowSteps: 1, releases: 68, regrets: 10 });
    expect(choice.windowSteps).toBe(1);
    expect(choice.afterLaunch.candidates[0]).toEqual({ windowSteps: 1, releases: 10, regrets: 10 });
    expect(choice.afterLaunch.candidates[1]).toEqual({ windowSteps: 2, releases: 0, regrets: 0 });
    expect(choice.afterLaunch.windowSteps).toBe(2);
    expect(choice.launchedWithinHold).toBe(false);
  });

  it('tells whether the newest step lies within the hold after a launch', () => {
    const history = repeat(clustered, 10);
    const burst = clustered.indexOf(480);
    const at = (steps: number) => learnScaleInWindow(input(history.slice(0, steps))).launchedWithinHold;
    // The newest step is the burst, one step after it, two (the hold is three steps), three.
    expect([0, 1, 2].map((k) => at(9 * clustered.length + burst + 1 + k))).toEqual([true, true, true]);
    // The second burst is no launch (the first's capacity was still held): three steps after the first.
    expect(at(9 * clustered.length + burst + 4)).toBe(false);
    // A rise from idle (0) to one instance's load is no launch.
    expect(learnScaleInWindow(input([0, 0, 0, 0, 50])).launchedWithinHold).toBe(false);
  });

  it('learns no hold after a launch when the releases made there were not regretted', () => {
    // The burst does not come back: every release after a launch is safe.
    const single = [...repeat([50], 6), 480, ...repeat([50], 8)];
    const choice = learnScaleInWindow(input(repeat(single, 10)));
    expect(choice.afterLaunch.candidates[0]?.regrets).toBe(0);
    expect(choice.afterLaunch.windowSteps).toBe(1);
  });

  /**
   * Idle at 50 (one instance at 54), a burst of 540 (ten) for four steps, one step back at idle,
   * the burst again for two, then idle: 23 steps. From one instance a 60 % CPU target climbs back
   * by at most 100/60 per return, so ten is a deep fall.
   */
  const dip = [...repeat([50], 8), 540, 540, 540, 540, 50, 540, 540, ...repeat([50], 8)];
  const saturating = { saturatedLoadPerInstance: 100 };

  it('weighs deep releases by the climb back and regains the hold when the load comes back into one', () => {
    const history = repeat(dip, 6);
    const choice = learnScaleInWindow(input(history, saturating));
    // Per cycle three one-step releases (the dip, regretted; two on the fall that lasts): a third
    // regretted, so the window stays one step.
    expect(choice.candidates[0]).toEqual({ windowSteps: 1, releases: 18, regrets: 6 });
    expect(choice.windowSteps).toBe(1);
    // Each saves 9 instances for a step; each regret misses 9 − 1 = 8 instances for 2 return
    // steps × 4 returns (1 → 2 → 4 → 7 → 12, ⌈c × 100/60⌉ a return): 384 missed against 162 saved.
    expect(choice.deepFall.candidates[0]).toEqual({
      windowSteps: 1,
      releases: 18,
      regrets: 6,
      savedInstanceSteps: 162,
      missedInstanceSteps: 384,
    });
    expect(choice.deepFall.windowSteps).toBe(2);
    const regainAt = (k: number) =>
      learnScaleInWindow(input([...history, ...dip.slice(0, k + 1)], saturating)).deepFall.regainCapacity;
    // The dip (step 12) releases to one; the burst's return (13) and the step after (14, within the
    // two return steps) regain the ten the hold kept; the fall that lasts (15–) regains nothing.
    expect([11, 12, 13, 14, 15, 16].map(regainAt)).toEqual([0, 0, 10, 10, 0, 0]);
  });

  it('finds no deep release without a saturating metric, nor where the climb back is one return', () => {
    const history = [...repeat(dip, 6), ...dip.slice(0, 14)];
    const unsaturated = learnScaleInWindow(input(history));
    expect(unsaturated.deepFall.candidates.every((c) => c.releases === 0)).toBe(true);
    expect(unsaturated.deepFall.windowSteps).toBe(unsaturated.windowSteps);
    expect(unsaturated.deepFall.regainCapacity).toBe(0);
    // 540 → 400 keeps 8 of 10: one return at 100/60 brings it back.
    const shallow = learnScaleInWindow(
      input(
        history.map((v) => (v === 50 ? 400 : v)),
        saturating,
      ),
    );
    expect(shallow.deepFall.candidates.every((c) => c.releases === 0)).toBe(true);
    expect(shallow.deepFall.regainCapacity).toBe(0);
    // A burst of two instances (100) dipping to one: one return takes 1 to ⌈100/60⌉ = 2.
    const two = learnScaleInWindow(
      input(
        history.map((v) => (v === 540 ? 100 : v)),
        saturating,
      ),
    );
    expect(two.candidates[0]?.regrets).toBeGreaterThan(0);
    expect(two.deepFall.candidates.every((c) => c.releases === 0)).toBe(true);
    expect(two.deepFall.regainCapacity).toBe(0);
  });

  it('regains nothing where deep releases save more than their regrets miss', () => {
    // The same bursts, but the dip comes once in six cycles: one regret against 18 releases.
    const rare = [
      ...dip,
      ...repeat(
        dip.map((v, k) => (k === 12 ? 540 : v)),
        5,
      ),
    ];
    const choice = learnScaleInWindow(input([...rare, ...dip.slice(0, 14)], saturating));
    expect(choice.deepFall.windowSteps).toBe(1);
    expect(choice.deepFall.regainCapacity).toBe(0);
  });

  it('skips steps whose window or return has no finite load', () => {
    const loads = [...repeat([480], 5), Number.NaN, Number.NaN, Number.NaN, ...repeat([120], 5)];
    const choice = learnScaleInWindow(input(loads));
    // The gap outlasts the hold: no window sees the fall as a release.
    expect(choice.candidates.every((c) => c.releases === 0)).toBe(true);
  });

  it('rejects bad input with the field and the value received', () => {
    expect(() => learnScaleInWindow(input([1], { windowSteps: [] }))).toThrow(/windowSteps must list/);
    expect(() => learnScaleInWindow(input([1], { windowSteps: [2, 1] }))).toThrow(
      /ascending whole steps ≥ 1, got 2, 1/,
    );
    expect(() => learnScaleInWindow(input([1], { windowSteps: [0, 1] }))).toThrow(/windowSteps/);
    expect(() => learnScaleInWindow(input([1], { targetLoadPerInstance: 0 }))).toThrow(
      /targetLoadPerInstance.*got 0/,
    );
    expect(() => learnScaleInWindow(input([1], { sloLoadPerInstance: -5 }))).toThrow(
      /sloLoadPerInstance.*got -5/,
    );
    expect(() => learnScaleInWindow(input([1], { targetRatio: 1.5 }))).toThrow(/targetRatio.*got 1.5/);
    expect(() => learnScaleInWindow(input([1], { returnSteps: 0 }))).toThrow(/returnSteps.*got 0/);
    expect(() => learnScaleInWindow(input([1], { maxRegretShare: -0.1 }))).toThrow(
      /maxRegretShare.*got -0.1/,
    );
    expect(() => learnScaleInWindow(input([1], { saturatedLoadPerInstance: 60 }))).toThrow(
      /saturatedLoadPerInstance must be a number above targetLoadPerInstance \(60\), got 60/,
    );
  });

  it('chooses one of the candidates, never counts more regrets than releases, and the longest never releases', () => {
    fc.assert(
      fc.property(
        loads,
        windows,
        fc.integer({ min: 1, max: 4 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (l, w, r, share) => {
          const choice = learnScaleInWindow(
            input(l, { windowSteps: w, returnSteps: r, maxRegretShare: share }),
          );
          expect(w).toContain(choice.windowSteps);
          for (const c of choice.candidates) expect(c.regrets).toBeLessThanOrEqual(c.releases);
          expect(choice.candidates[choice.candidates.length - 1]?.releases).toBe(0);
          // After a launch: one of the candidates, never shorter, over a subset of the releases.
          expect(w).toContain(choice.afterLaunch.windowSteps);
          expect(choice.afterLaunch.windowSteps).toBeGreaterThanOrEqual(choice.windowSteps);
          choice.afterLaunch.candidates.forEach((c, k) => {
            expect(c.regrets).toBeLessThanOrEqual(c.releases);
            expect(c.releases).toBeLessThanOrEqual(choice.candidates[k]?.releases as number);
            expect(c.regrets).toBeLessThanOrEqual(choice.candidates[k]?.regrets as number);
          });
        },
      ),
    );
  });

  it('counts releases and regrets exactly as the definition, window by window', () => {
    fc.assert(
      fc.property(loads, windows, fc.integer({ min: 1, max: 4 }), slos, saturations, (l, w, r, slo, sat) => {
        const i = input(l, {
          windowSteps: w,
          returnSteps: r,
          ...(slo !== undefined ? { sloLoadPerInstance: slo } : {}),
          ...(sat !== undefined ? { saturatedLoadPerInstance: sat } : {}),
        });
        const choice = learnScaleInWindow(i);
        const expected = countByDefinition(i);
        expect(choice.candidates).toEqual(expected.candidates);
        expect(choice.afterLaunch.candidates).toEqual(expected.afterLaunch);
        expect(choice.launchedWithinHold).toBe(expected.launchedWithinHold);
        expect(choice.deepFall.candidates).toEqual(expected.deep);
      }),
    );
  });

  it('counts deep releases among all, regains only past the window that applies, at most the history peak', () => {
    fc.assert(
      fc.property(loads, windows, fc.integer({ min: 1, max: 4 }), saturations, (l, w, r, sat) => {
        const choice = learnScaleInWindow(
          input(l, {
            windowSteps: w,
            returnSteps: r,
            ...(sat !== undefined ? { saturatedLoadPerInstance: sat } : {}),
          }),
        );
        const applied = choice.launchedWithinHold ? choice.afterLaunch.windowSteps : choice.windowSteps;
        expect(w).toContain(choice.deepFall.windowSteps);
        expect(choice.deepFall.windowSteps).toBeGreaterThanOrEqual(applied);
        choice.deepFall.candidates.forEach((c, k) => {
          expect(c.releases).toBeLessThanOrEqual(choice.candidates[k]?.releases as number);
          expect(c.regrets).toBeLessThanOrEqual(choice.candidates[k]?.regrets as number);
          expect(c.missedInstanceSteps > 0).toBe(c.regrets > 0);
        });
        const peak = Math.max(0, ...l.filter((v) => Number.isFinite(v)));
        expect(choice.deepFall.regainCapacity).toBeLessThanOrEqual(Math.ceil(peak / 54 - 1e-9));
        if (choice.deepFall.windowSteps === applied || sat === undefined)
          expect(choice.deepFall.regainCapacity).toBe(0);
      }),
    );
  });

  it('never chooses a longer window when more regret is allowed', () => {
    fc.assert(
      fc.property(
        loads,
        windows,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (l, w, a, b) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          const strict = learnScaleInWindow(input(l, { windowSteps: w, maxRegretShare: low }));
          const lenient = learnScaleInWindow(input(l, { windowSteps: w, maxRegretShare: high }));
          expect(lenient.windowSteps).toBeLessThanOrEqual(strict.windowSteps);
        },
      ),
    );
  });

  it('never chooses a shorter window for a stricter SLO, and counts the same releases', () => {
    fc.assert(
      fc.property(
        loads,
        windows,
        fc.double({ min: 10, max: 120, noNaN: true }),
        fc.double({ min: 10, max: 120, noNaN: true }),
        (l, w, a, b) => {
          const [strictSlo, looseSlo] = a <= b ? [a, b] : [b, a];
          const strict = learnScaleInWindow(input(l, { windowSteps: w, sloLoadPerInstance: strictSlo }));
          const loose = learnScaleInWindow(input(l, { windowSteps: w, sloLoadPerInstance: looseSlo }));
          expect(strict.windowSteps).toBeGreaterThanOrEqual(loose.windowSteps);
          strict.candidates.forEach((c, k) => {
            expect(c.releases).toBe(loose.candidates[k]?.releases);
            expect(c.regrets).toBeGreaterThanOrEqual(loose.candidates[k]?.regrets as number);
          });
        },
      ),
    );
  });
});
