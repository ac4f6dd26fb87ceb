import fc from 'fast-check';
import type { GroupCapacity } from '../../../../shared/core/campaigns/plan-prewarm';
import { planPrewarm, rebasePrewarm } from '../../../../shared/core/campaigns/plan-prewarm';
import {
  type PrewarmChange,
  planRelease,
  type ReleaseRules,
  releaseSteps,
  resumedRelease,
  settleReleaseStep,
  releasedMinSize as stepsEnd,
} from '../../../../shared/core/campaigns/plan-release';

/** Where the loop's steps of `changes` bring the group (`releaseSteps`, `releasedMinSize`). */
const releasedMinSize = (changes: PrewarmChange[], group: GroupCapacity, rules: ReleaseRules) =>
  stepsEnd(releaseSteps(changes, group, rules), group.minSize);

const STEP = 300;
const T = Date.UTC(2026, 10, 27, 8);
const base = {
  forecastStartMs: T - 600_000,
  stepSeconds: STEP,
  windowStartMs: T,
  nowMs: T - 600_000,
  targetLoadPerInstance: 10,
  leadTimeSeconds: 300,
  tickIntervalSeconds: 300,
  floorCapacity: 1,
  maxChangePerTick: 3,
  hasScalingPolicies: false,
};

describe('planPrewarm', () => {
  it('raises MinSize and Desired at once to what the start needs, past the per-tick pace', () => {
    const plannedLoad = [20, 20, 95, 95, 95, 95, 95];
    expect(
      planPrewarm({ ...base, plannedLoad, current: { minSize: 2, maxSize: 20, desiredCapacity: 2 } }),
    ).toEqual({ kind: 'raise', minSize: 10, desiredCapacity: 10, requiredCapacity: 10, limits: [] });
  });

  it('raises at most maxChangePerTick once the campaign has started, as a run of the loop would', () => {
    const plannedLoad = [95, 95, 95, 95, 95, 95, 95];
    const current = { minSize: 2, maxSize: 20, desiredCapacity: 2 };
    expect(planPrewarm({ ...base, plannedLoad, nowMs: T + 20 * 60_000, current })).toEqual({
      kind: 'raise',
      minSize: 5,
      desiredCapacity: 5,
      requiredCapacity: 10,
      limits: ['raise limited to 3 per run'],
    });
  });

  it('stops at MaxSize and says so', () => {
    const plan = planPrewarm({
      ...base,
      plannedLoad: [300, 300, 300, 300, 300, 300],
      current: { minSize: 2, maxSize: 8, desiredCapacity: 2 },
    });
    expect(plan).toEqual(expect.objectContaining({ kind: 'raise', minSize: 8, desiredCapacity: 8 }));
    expect(plan.kind === 'raise' && plan.limits).toEqual(['needed 30 but MaxSize is 8']);
  });

  it('leaves a group alone that already has enough', () => {
    expect(
      planPrewarm({
        ...base,
        plannedLoad: [10, 10, 10, 10],
        current: { minSize: 4, maxSize: 8, desiredCapacity: 5 },
      }),
    ).toEqual(expect.objectContaining({ kind: 'unchanged' }));
  });

  it('never lowers anything and never exceeds MaxSize (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        (plannedLoad, min, extra, maxSize, hasScalingPolicies) => {
          const minSize = Math.min(min, maxSize);
          const desiredCapacity = Math.min(maxSize, minSize + extra);
          const current = { minSize, maxSize, desiredCapacity };
          const plan = planPrewarm({ ...base, plannedLoad, hasScalingPolicies, current });
          if (plan.kind === 'raise') {
            expect(plan.minSize).toBeGreaterThanOrEqual(minSize);
            expect(plan.desiredCapacity).toBeGreaterThanOrEqual(desiredCapacity);
            expect(plan.desiredCapacity).toBeLessThanOrEqual(maxSize);
            expect(plan.minSize).toBeLessThanOrEqual(plan.desiredCapacity);
          }
        },
      ),
    );
  });
});

describe('rebasePrewarm', () => {
  const planned = { minSize: 8, desiredCapacity: 8 };
  const rules = { hasScalingPolicies: false, floorCapacity: 1 };

  it.each([
    [
      'the group as planned from',
      { minSize: 1, desiredCapacity: 4, maxSize: 20 },
      rules,
      { minSize: 8, desiredCapacity: 8 },
    ],
    ['a headroom set since, kept', { minSize: 12, desiredCapacity: 12, maxSize: 20 }, rules, undefined],
    [
      'a DesiredCapacity raised since, kept',
      { minSize: 1, desiredCapacity: 10, maxSize: 20 },
      rules,
      { minSize: 8, desiredCapacity: 10 },
    ],
    [
      'a MaxSize lowered since',
      { minSize: 1, desiredCapacity: 4, maxSize: 6 },
      rules,
      { minSize: 6, desiredCapacity: 6 },
    ],
    [
      'a floor above the plan',
      { minSize: 1, desiredCapacity: 4, maxSize: 20 },
      { ...rules, floorCapacity: 9 },
      { minSize: 9, desiredCapacity: 9 },
    ],
  ])('sets the raise on %s', (_, current, rebaseRules, expected) => {
    const rebased = rebasePrewarm(planned, current, rebaseRules);
    if (expected === undefined) expect(rebased.kind).toBe('unchanged');
    else expect(rebased).toEqual({ kind: 'raise', ...expected, setsDesired: true });
  });

  it('leaves DesiredCapacity to scaling policies that scaled out since', () => {
    const current = { minSize: 1, desiredCapacity: 15, maxSize: 20 };
    expect(rebasePrewarm(planned, current, { ...rules, hasScalingPolicies: true })).toEqual({
      kind: 'raise',
      minSize: 8,
      desiredCapacity: 15,
      setsDesired: false,
    });
  });

  it('never lowers MinSize or DesiredCapacity and stays within MaxSize', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.boolean(),
        (min, desiredOver, maxOver, plannedMin, floor, hasScalingPolicies) => {
          const current = {
            minSize: min,
            desiredCapacity: min + (desiredOver % 10),
            maxSize: min + 10 + maxOver,
          };
          const plan = { minSize: plannedMin, desiredCapacity: plannedMin };
          const rebased = rebasePrewarm(plan, current, { hasScalingPolicies, floorCapacity: floor });
          if (rebased.kind === 'unchanged') return;
          expect(rebased.minSize).toBeGreaterThanOrEqual(current.minSize);
          expect(rebased.desiredCapacity).toBeGreaterThanOrEqual(current.desiredCapacity);
          expect(rebased.desiredCapacity).toBeGreaterThanOrEqual(rebased.minSize);
          expect(rebased.desiredCapacity).toBeLessThanOrEqual(current.maxSize);
          expect(rebased.setsDesired).toBe(!hasScalingPolicies);
        },
      ),
    );
  });
});

describe('planRelease', () => {
  const change = { before: { minSize: 2, desiredCapacity: 3 }, after: { minSize: 10, desiredCapacity: 10 } };
  const rules = (hasScalingPolicies: boolean, floorCapacity = 0) => ({ hasScalingPolicies, floorCapacity });

  it('lowers exactly what the pre-warm added', () => {
    expect(planRelease(change, { minSize: 10, maxSize: 20, desiredCapacity: 10 }, rules(false))).toEqual({
      kind: 'lower',
      minSize: 2,
      desiredCapacity: 3,
      heldAtFloor: false,
    });
  });

  it('keeps a raise the loop made on its own since', () => {
    expect(planRelease(change, { minSize: 14, maxSize: 20, desiredCapacity: 14 }, rules(false))).toEqual({
      kind: 'lower',
      minSize: 6,
      desiredCapacity: 7,
      heldAtFloor: false,
    });
  });

  it('leaves DesiredCapacity to the group’s own scaling policies', () => {
    expect(planRelease(change, { minSize: 10, maxSize: 20, desiredCapacity: 12 }, rules(true))).toEqual({
      kind: 'lower',
      minSize: 2,
      desiredCapacity: 12,
      heldAtFloor: false,
    });
  });

  it('stops at the group’s floor when it is above the MinSize from before the pre-warm', () => {
    expect(planRelease(change, { minSize: 10, maxSize: 20, desiredCapacity: 10 }, rules(false, 8))).toEqual({
      kind: 'lower',
      minSize: 8,
      desiredCapacity: 8,
      heldAtFloor: true,
    });
    expect(planRelease(change, { minSize: 10, maxSize: 20, desiredCapacity: 12 }, rules(true, 8))).toEqual({
      kind: 'lower',
      minSize: 8,
      desiredCapacity: 12,
      heldAtFloor: true,
    });
  });

  it('keeps MinSize when the floor is above it, never raising to reach the floor', () => {
    expect(planRelease(change, { minSize: 10, maxSize: 12, desiredCapacity: 10 }, rules(false, 15))).toEqual({
      kind: 'unchanged',
      reason: 'nothing the pre-warm added is left to release',
    });
  });

  it('does nothing when the group is already back', () => {
    expect(planRelease(change, { minSize: 2, maxSize: 20, desiredCapacity: 3 }, rules(false)).kind).toBe(
      'unchanged',
    );
  });

  it('never raises and never goes below the MinSize from before or the floor within MaxSize (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 30 }),
        fc.boolean(),
        (beforeMin, raise, currentMin, currentExtra, roomUnderMax, floor, policies) => {
          const c = {
            before: { minSize: beforeMin, desiredCapacity: beforeMin },
            after: { minSize: beforeMin + raise, desiredCapacity: beforeMin + raise },
          };
          const desiredCapacity = currentMin + currentExtra;
          const current = { minSize: currentMin, maxSize: desiredCapacity + roomUnderMax, desiredCapacity };
          const plan = planRelease(c, current, { hasScalingPolicies: policies, floorCapacity: floor });
          if (plan.kind === 'lower') {
            expect(plan.minSize).toBeLessThanOrEqual(current.minSize);
            expect(plan.desiredCapacity).toBeLessThanOrEqual(current.desiredCapacity);
            expect(plan.minSize).toBeGreaterThanOrEqual(Math.min(beforeMin, currentMin));
            expect(plan.minSize).toBeGreaterThanOrEqual(Math.min(floor, current.maxSize, currentMin));
            expect(plan.minSize).toBeLessThanOrEqual(plan.desiredCapacity);
          }
        },
      ),
    );
  });
});

describe('releasedMinSize', () => {
  const raise = (from: number, to: number) => ({
    before: { minSize: from, desiredCapacity: from },
    after: { minSize: to, desiredCapacity: to },
  });
  const rules = { hasScalingPolicies: false, floorCapacity: 1 };

  it('lowers by each left release in turn, from the group as it is', () => {
    // Two campaigns raised 2 → 6 and 6 → 9: both given back, down to 2.
    expect(
      releasedMinSize([raise(2, 6), raise(6, 9)], { minSize: 9, maxSize: 20, desiredCapacity: 9 }, rules),
    ).toBe(2);
    // The loop raised 3 more on its own since: kept.
    expect(releasedMinSize([raise(2, 8)], { minSize: 11, maxSize: 20, desiredCapacity: 11 }, rules)).toBe(5);
  });

  it('stops at the floor, and keeps the MinSize as it is with nothing left to release', () => {
    const group = { minSize: 8, maxSize: 20, desiredCapacity: 8 };
    expect(releasedMinSize([raise(2, 8)], group, { ...rules, floorCapacity: 4 })).toBe(4);
    expect(releasedMinSize([], group, rules)).toBe(8);
  });
});

describe('settleReleaseStep', () => {
  const change = { before: { minSize: 2, desiredCapacity: 2 }, after: { minSize: 8, desiredCapacity: 8 } };
  const rules = { hasScalingPolicies: false, floorCapacity: 1 };
  const group = { minSize: 8, maxSize: 20, desiredCapacity: 8 };
  const [step] = releaseSteps([change], group, rules);
  if (!step) throw new Error('expected a step');

  it('is done once the run comes down to the step’s end, untouched when it lowered nothing', () => {
    expect(step).toEqual({ change, fromMinSize: 8, toMinSize: 2 });
    expect(settleReleaseStep(step, 2)).toEqual({ kind: 'done' });
    expect(settleReleaseStep(step, 8)).toEqual({ kind: 'untouched' });
    expect(settleReleaseStep(step, 9)).toEqual({ kind: 'untouched' });
  });

  it('owes the rest when the run’s need stopped it part way, so a later run ends where the step would', () => {
    const settled = settleReleaseStep(step, 5);
    expect(settled).toEqual({
      kind: 'owing',
      change: { before: change.before, after: { minSize: 5, desiredCapacity: 8 }, settledAtMinSize: 5 },
    });
    if (settled.kind !== 'owing') throw new Error('expected owing');
    const later = { minSize: 5, maxSize: 20, desiredCapacity: 5 };
    expect(stepsEnd(releaseSteps([settled.change], later, rules), later.minSize)).toBe(2);
    // Held at a floor above `before`, the rest still ends at the floor, not below it.
    const floored = { ...rules, floorCapacity: 4 };
    const [atFloor] = releaseSteps([change], group, floored);
    if (!atFloor) throw new Error('expected a step');
    const part = settleReleaseStep(atFloor, 6);
    if (part.kind !== 'owing') throw new Error('expected owing');
    expect(stepsEnd(releaseSteps([part.change], { ...later, minSize: 6 }, floored), 6)).toBe(4);
  });
});

describe('resumedRelease', () => {
  const change = { before: { minSize: 2, desiredCapacity: 2 }, after: { minSize: 8, desiredCapacity: 8 } };
  const rules = { hasScalingPolicies: false, floorCapacity: 1 };
  // The loop raised MinSize to 12 during the hold: the release takes back the pre-warm's 6 (12 → 6).
  const group = { minSize: 12, maxSize: 20, desiredCapacity: 12 };
  const underWay = (minSize: number) => ({ ...change, underWay: { fromMinSize: 12, toMinSize: 6, minSize } });
  const ends = (release: PrewarmChange, minSize: number) =>
    releasedMinSize([release], { ...group, minSize, desiredCapacity: minSize }, rules);

  it('is the release as it was without a step under way, or when the run’s change never landed', () => {
    expect(resumedRelease(change, 12)).toBe(change);
    expect(resumedRelease(underWay(6), 12)).toEqual(change);
    expect(ends(resumedRelease(underWay(6), 12), 12)).toBe(6);
  });

  it('owes nothing once the change landed whole: the loop’s own raise above the pre-warm’s is kept', () => {
    const resumed = resumedRelease(underWay(6), 6);
    expect(resumed).toEqual({ before: change.before, after: change.before, settledAtMinSize: 6 });
    expect(ends(resumed, 6)).toBe(6);
  });

  it('owes the rest from where the run left MinSize when its need stopped it part way', () => {
    const resumed = resumedRelease(underWay(9), 9);
    expect(resumed).toEqual({ ...change, after: { minSize: 5, desiredCapacity: 8 }, settledAtMinSize: 9 });
    expect(ends(resumed, 9)).toBe(6);
  });

  it('reads a stacked release’s change as landed unless the group is back at the MinSize the run started from', () => {
    // sale 2 → 8 under launch 8 → 12: the run lowered the group 12 → 2, the sale's step 8 → 2.
    const sale = { ...change, underWay: { fromMinSize: 8, toMinSize: 2, minSize: 2, startMinSize: 12 } };
    expect(resumedRelease(sale, 12)).toEqual(change);
    // Raised back to the step's start since (a look-ahead action): not taken back a second time.
    expect(resumedRelease(sale, 8)).toEqual({ ...change, after: change.before, settledAtMinSize: 2 });
  });

  it('keeps where the run left MinSize on one moved since, so the rest is not lowered from there', () => {
    expect(resumedRelease(underWay(9), 10)).toEqual(expect.objectContaining({ settledAtMinSize: 9 }));
    expect(resumedRelease(underWay(6), 10)).toEqual(expect.objectContaining({ after: change.before }));
  });
});
