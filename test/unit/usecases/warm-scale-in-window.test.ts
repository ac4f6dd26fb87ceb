import fc from 'fast-check';
import {
  learnScaleInWindow,
  type ScaleInWindowInput,
} from '../../../shared/core/planning/learn-scale-in-window';
import { WarmScaleInWindows } from '../../../shared/usecases/warm-scale-in-window';

const STEP_MS = 300_000;

/** Target 60 served at 0.9 × 60 = 54 per instance; capacity comes back 2 steps after a release. */
const input = (
  loadPerStep: readonly number[],
  overrides: Partial<ScaleInWindowInput> = {},
): ScaleInWindowInput => ({
  loadPerStep,
  targetLoadPerInstance: 60,
  targetRatio: 0.9,
  returnSteps: 2,
  windowSteps: [1, 2, 3],
  maxRegretShare: 0.3,
  ...overrides,
});

/** Bursty load with falls: every window releases and some regret. */
const burstyLoad = (length: number, offset = 0) =>
  Array.from({ length }, (_, i) => [480, 120, 120, 300, 60, 480, 480, 90][(i + offset) % 8] as number);

describe('WarmScaleInWindows', () => {
  it("chooses as learnScaleInWindow does and reuses the held tally as a group's grid slides and grows", () => {
    const warm = new WarmScaleInWindows();
    for (let run = 0; run < 20; run += 1) {
      // Each run the grid's start moves one step on and two new steps arrive (one was the old newest).
      const loads = burstyLoad(60 + run, run);
      const i = input(loads);
      expect(warm.learn(i, { key: 'web', startMs: run * STEP_MS, stepMs: STEP_MS })).toEqual(
        learnScaleInWindow(i),
      );
      // Under CPU's 100 % ceiling the same group's deep releases are weighed, and held apart.
      const cpu = input(loads, { saturatedLoadPerInstance: 100 });
      const choice = warm.learn(cpu, { key: 'cpu', startMs: run * STEP_MS, stepMs: STEP_MS });
      expect(choice).toEqual(learnScaleInWindow(cpu));
      expect(choice.deepFall.candidates[0]?.missedInstanceSteps).toBeGreaterThan(0);
    }
    expect(warm.stats).toEqual({ reused: 38, counted: 2 });
  });

  it('counts the whole grid for another setting, a grid starting earlier, or a cold container', () => {
    const warm = new WarmScaleInWindows();
    const place = { key: 'web', startMs: 10 * STEP_MS, stepMs: STEP_MS };
    const loads = burstyLoad(80);
    warm.learn(input(loads), place);
    expect(warm.learn(input(loads, { returnSteps: 3 }), place)).toEqual(
      learnScaleInWindow(input(loads, { returnSteps: 3 })),
    );
    expect(warm.learn(input(loads, { returnSteps: 3 }), { ...place, startMs: 9 * STEP_MS })).toEqual(
      learnScaleInWindow(input(loads, { returnSteps: 3 })),
    );
    expect(warm.stats).toEqual({ reused: 0, counted: 3 });
    // The regret share only chooses among the counts: a held tally serves it.
    expect(
      warm.learn(input(loads, { returnSteps: 3, maxRegretShare: 1 }), { ...place, startMs: 9 * STEP_MS }),
    ).toEqual(learnScaleInWindow(input(loads, { returnSteps: 3, maxRegretShare: 1 })));
    expect(warm.stats).toEqual({ reused: 1, counted: 3 });
    warm.clear();
    warm.learn(input(loads), place);
    expect(warm.stats).toEqual({ reused: 0, counted: 1 });
  });

  it("counts again the steps the grid's new start cuts short", () => {
    // The held grid judged step 2 (500) against the hold before it, steps 0–1 (1000): no launch.
    // With step 0 gone, the new grid's first step alone precedes it: a launch, and the release at
    // the new step 2 comes within the hold after it.
    const warm = new WarmScaleInWindows();
    const held = [1000, 100, 500, 100, 100, 100];
    const settings = { windowSteps: [1, 2], returnSteps: 1 };
    warm.learn(input(held, settings), { key: 'web', startMs: 0, stepMs: STEP_MS });
    const next = input(held.slice(1), settings);
    const choice = warm.learn(next, { key: 'web', startMs: STEP_MS, stepMs: STEP_MS });
    expect(choice).toEqual(learnScaleInWindow(next));
    expect(choice.afterLaunch.candidates[0]?.releases).toBe(1);
    expect(warm.stats).toEqual({ reused: 1, counted: 1 });
  });

  it('holds at most its capacity of groups, dropping the least recently used', () => {
    const warm = new WarmScaleInWindows(2);
    const place = (key: string) => ({ key, startMs: 0, stepMs: STEP_MS });
    const loads = burstyLoad(40);
    warm.learn(input(loads), place('a'));
    warm.learn(input(loads), place('b'));
    warm.learn(input(loads), place('a'));
    warm.learn(input(loads), place('c'));
    expect(warm.stats).toEqual({ reused: 1, counted: 3 });
    warm.learn(input(loads), place('a'));
    warm.learn(input(loads), place('b'));
    expect(warm.stats).toEqual({ reused: 2, counted: 4 });
  });

  /** What becomes of a group's grid between two runs. */
  const change = fc.record({
    key: fc.constantFrom('a', 'b', 'c'),
    dropFront: fc.integer({ min: 0, max: 12 }),
    changeTail: fc.integer({ min: 0, max: 3 }),
    appended: fc.array(
      fc.oneof(
        fc.double({ min: 0, max: 1000, noNaN: true }),
        fc.constant(Number.NaN),
        fc.constantFrom(0, -0, 120, 480),
      ),
      {
        maxLength: 12,
      },
    ),
    edit: fc.option(
      fc.record({
        at: fc.nat(),
        value: fc.oneof(
          fc.double({ min: -10, max: 1000 }),
          fc.constantFrom(Number.POSITIVE_INFINITY, Number.NaN, -0),
        ),
      }),
      { nil: undefined },
    ),
    misplaced: fc.boolean(),
    returnSteps: fc.integer({ min: 1, max: 3 }),
    windowSteps: fc.constantFrom([1, 2, 3], [2, 4], [1, 2, 3, 4, 5, 6], [1]),
    slo: fc.option(fc.constantFrom(50, 60, 75), { nil: undefined }),
    // CPU's 100 % (deep releases counted and weighed), another ceiling, or a metric that does not saturate.
    saturated: fc.option(fc.constantFrom(100, 150), { nil: undefined }),
    maxRegretShare: fc.constantFrom(0, 0.2, 0.5, 1),
  });

  it('chooses exactly as learnScaleInWindow over any sequence of runs of any groups', () => {
    fc.assert(
      fc.property(fc.array(change, { minLength: 1, maxLength: 25 }), (changes) => {
        const warm = new WarmScaleInWindows(2);
        const grids = new Map<string, { loads: number[]; startMs: number }>();
        for (const c of changes) {
          const held = grids.get(c.key) ?? { loads: burstyLoad(30), startMs: 0 };
          const kept = held.loads.slice(Math.min(c.dropFront, held.loads.length));
          const loads = [
            ...kept.slice(0, Math.max(0, kept.length - c.changeTail)),
            ...kept.slice(kept.length - c.changeTail).map((v) => v + 60),
            ...c.appended,
          ];
          if (c.edit !== undefined && loads.length > 0) loads[c.edit.at % loads.length] = c.edit.value;
          const startMs = held.startMs + c.dropFront * STEP_MS + (c.misplaced ? STEP_MS / 2 : 0);
          grids.set(c.key, { loads, startMs });
          const i = input(loads, {
            returnSteps: c.returnSteps,
            windowSteps: c.windowSteps,
            maxRegretShare: c.maxRegretShare,
            ...(c.slo !== undefined ? { sloLoadPerInstance: c.slo } : {}),
            ...(c.saturated !== undefined ? { saturatedLoadPerInstance: c.saturated } : {}),
          });
          expect(warm.learn(i, { key: c.key, startMs, stepMs: STEP_MS })).toEqual(learnScaleInWindow(i));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('throws as learnScaleInWindow does on bad input', () => {
    const warm = new WarmScaleInWindows();
    expect(() =>
      warm.learn(input([1], { windowSteps: [2, 1] }), { key: 'web', startMs: 0, stepMs: STEP_MS }),
    ).toThrow(/windowSteps must be ascending/);
  });
});
