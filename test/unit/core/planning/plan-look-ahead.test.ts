import fc from 'fast-check';
import { diffLookAhead, freeActionSlots } from '../../../../shared/core/planning/diff-look-ahead';
import {
  LOOK_AHEAD_BRIDGE_NAME,
  type LookAheadAction,
  type LookAheadInput,
  lookAheadActionName,
  peakBetween,
  planLookAhead,
} from '../../../../shared/core/planning/plan-look-ahead';

import { base, HOUR_MS, NOW, perStep } from './look-ahead-input';

describe('planLookAhead', () => {
  it('names actions prescale- and their UTC start time', () => {
    expect(lookAheadActionName(Date.UTC(2026, 10, 29, 14))).toBe('prescale-20261129T1400Z');
  });

  it('bridges two loop intervals from now to the first whole hour after that', () => {
    const plan = planLookAhead(base());
    expect(plan.actions[0]).toMatchObject({ name: LOOK_AHEAD_BRIDGE_NAME, startMs: NOW + 600_000 });
    expect(plan.actions[1]?.startMs).toBe(Date.UTC(2026, 10, 29, 14));
    const late = planLookAhead(base({ nowMs: Date.UTC(2026, 10, 29, 13, 55) }));
    expect(late.actions[1]?.startMs).toBe(Date.UTC(2026, 10, 29, 15));
  });

  it('raises the bridge for a peak that starts before the first whole hour', () => {
    // The peak is in the first hour: 13:07 + 10 min is 13:17, so the bridge holds until 14:10.
    const plan = planLookAhead(base({ perStepCapacity: perStep((h) => (h === 0 ? 9 : 4)) }));
    expect(plan.actions[0]).toMatchObject({ name: LOOK_AHEAD_BRIDGE_NAME, minSize: 9 });
  });

  it('raises MinSize an hour and a lead time ahead of a peak, and restores the user MinSize at the end', () => {
    // Hours 0-4 need 4, hour 5 needs 12 (a peak 5 h from now), then 4 again.
    const plan = planLookAhead(base({ perStepCapacity: perStep((h) => (h === 5 ? 12 : 4)) }));
    const at = (h: number) => plan.actions.find((a) => a.startMs === Date.UTC(2026, 10, 29, h));
    // The 17:00 action covers 17:00-18:10 (step plus lead time), which overlaps the 18:07 peak.
    expect(at(14)?.minSize).toBe(4);
    expect(at(17)?.minSize).toBe(12);
    expect(at(19)).toBeUndefined(); // same value as 18:00: no action of its own
    expect(at(20)?.minSize).toBe(4);
    const last = plan.actions.at(-1);
    expect(last?.minSize).toBe(2);
    expect(last?.startMs).toBe(plan.coveredUntilMs);
    expect(plan.coveredUntilMs - NOW).toBeGreaterThanOrEqual(24 * HOUR_MS);
  });

  it('paces scale-in by the loop intervals in one step', () => {
    const plan = planLookAhead(
      base({ perStepCapacity: perStep((h) => (h === 5 ? 12 : 4)), tickIntervalSeconds: 3600 }),
    );
    // One loop interval per step at 1 instance each: 12 steps down from 12 to 4 over 8 hours.
    const values = plan.actions.slice(1, -1).map((a) => a.minSize);
    expect(values).toEqual([4, 12, 11, 10, 9, 8, 7, 6, 5, 4]);
  });

  it('sets DesiredCapacity only where the loop sets it', () => {
    expect(planLookAhead(base()).actions[0]?.desiredCapacity).toBeUndefined();
    const plan = planLookAhead(base({ setsDesiredCapacity: true }));
    expect(plan.actions[0]?.desiredCapacity).toBe(plan.actions[0]?.minSize);
    expect(plan.actions.at(-1)?.desiredCapacity).toBeUndefined();
  });

  it('gives back a MaxSize the loop raised with the restoring action only', () => {
    const plan = planLookAhead(base({ raisedMaxSize: 60 }));
    expect(plan.actions.at(-1)).toMatchObject({ minSize: 2, maxSize: 50 });
    expect(plan.actions.slice(0, -1).every((a) => a.maxSize === undefined)).toBe(true);
    expect(planLookAhead(base()).actions.at(-1)?.maxSize).toBeUndefined();
  });

  it('coarsens the step to fit the free action slots', () => {
    const plan = planLookAhead(base({ perStepCapacity: perStep((h) => 2 + h), freeActionSlots: 10 }));
    expect(plan.actions.length).toBeLessThanOrEqual(10);
    expect(plan.stepHours).toBeGreaterThan(1);
    expect(plan.limits.join()).toMatch(/coarsened/);
  });

  it('writes nothing with fewer than two free slots or zero hours', () => {
    expect(planLookAhead(base({ freeActionSlots: 1 })).actions).toEqual([]);
    expect(planLookAhead(base({ hours: 0 })).actions).toEqual([]);
  });

  it('says why a run at a 5-minute loop plans nothing within 1 hour: the first step is past it', () => {
    // 13:55: the bridge at 14:05, the first whole-hour step at 15:00, 65 minutes out.
    const plan = planLookAhead(base({ nowMs: Date.UTC(2026, 10, 29, 13, 55), hours: 1 }));
    expect(plan).toMatchObject({ actions: [], coveredUntilMs: Date.UTC(2026, 10, 29, 13, 55) });
    expect(plan.limits).toEqual([
      'no look-ahead: its first whole-hour step (15:00 UTC, after the bridge two 5-minute loop intervals out) starts 65 min from now, past lookAhead.hours 1; every run plans one from 2 h',
    ]);
  });

  it('says how many steps it covers when the free slots cut the plan short', () => {
    // A new value every hour: 2 slots, one for the bridge, leave the give-back alone.
    const plan = planLookAhead(
      base({ perStepCapacity: perStep((h) => 2 + h), hours: 1, freeActionSlots: 2 }),
    );
    expect(plan.actions).toEqual([]);
    expect(plan.limits).toEqual([
      'covers 0 of 1 steps: 1 free action slot(s) left for steps and the give-back',
    ]);
  });

  it('says why whenever it plans nothing or covers less than the hours asked (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 300 }),
        fc.integer({ min: 0, max: 48 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 125 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 3599 }),
        (capacity, hours, rateMinutes, slots, stepHours, offsetSeconds) => {
          const plan = planLookAhead(
            base({
              perStepCapacity: capacity,
              hours,
              tickIntervalSeconds: rateMinutes * 60,
              freeActionSlots: slots,
              stepHours,
              nowMs: NOW + offsetSeconds * 1000,
            }),
          );
          const short =
            plan.actions.length === 0 || plan.coveredUntilMs - NOW - offsetSeconds * 1000 < hours * HOUR_MS;
          if (hours > 0 && short) expect(plan.limits).not.toEqual([]);
        },
      ),
    );
  });

  it('stays within floor, MaxSize and quota for any forecast (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 125 }),
        fc.integer({ min: 1, max: 6 }),
        (capacity, floor, max, slots, stepHours) => {
          const plan = planLookAhead(
            base({
              perStepCapacity: capacity,
              floorCapacity: floor,
              maxSize: max,
              freeActionSlots: slots,
              stepHours,
            }),
          );
          expect(plan.actions.length).toBeLessThanOrEqual(slots);
          const steps = plan.actions.slice(0, -1);
          for (const a of steps) {
            expect(a.minSize).toBeLessThanOrEqual(max);
            expect(a.minSize).toBeGreaterThanOrEqual(Math.min(floor, max));
            expect(a.startMs).toBeGreaterThanOrEqual(NOW + 600_000);
            if (a.name !== LOOK_AHEAD_BRIDGE_NAME) expect(a.startMs % HOUR_MS).toBe(0);
          }
          const times = plan.actions.map((a) => a.startMs);
          expect([...times].sort((a, b) => a - b)).toEqual(times);
          expect(new Set(plan.actions.map((a) => a.name)).size).toBe(plan.actions.length);
        },
      ),
    );
  });
});

describe('peakBetween', () => {
  /** The straightforward formulation: every forecast step, whether it overlaps or not. */
  function everyStepPeak(
    input: Pick<LookAheadInput, 'perStepCapacity' | 'forecastStartMs' | 'stepSeconds'>,
    fromMs: number,
    toMs: number,
  ): number | undefined {
    const stepMs = input.stepSeconds * 1000;
    let peak: number | undefined;
    input.perStepCapacity.forEach((capacity, i) => {
      const stepStartMs = input.forecastStartMs + i * stepMs;
      if (stepStartMs + stepMs > fromMs && stepStartMs < toMs) peak = Math.max(peak ?? 0, capacity);
    });
    return peak;
  }

  it('finds exactly the peak of every overlapping step, for any window and step (property)', () => {
    const capacity = fc.oneof(
      fc.integer({ min: 0, max: 40 }),
      fc.constantFrom(Number.NaN, -0, Number.POSITIVE_INFINITY),
    );
    const ms = fc.oneof(
      fc.integer({ min: -20, max: 400 }).map((k) => NOW + k * 60_000),
      fc.integer({ min: NOW - 10 * HOUR_MS, max: NOW + 40 * HOUR_MS }),
      fc.constantFrom(Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY),
    );
    const stepSeconds = fc.oneof(
      fc.constantFrom(60, 300, 3600, 0, -300, Number.NaN, Number.POSITIVE_INFINITY),
      fc.integer({ min: 1, max: 7200 }),
    );
    fc.assert(
      fc.property(
        fc.array(capacity, { maxLength: 60 }),
        fc.integer({ min: NOW - 2 * HOUR_MS, max: NOW }),
        stepSeconds,
        ms,
        ms,
        (perStepCapacity, forecastStartMs, seconds, fromMs, toMs) => {
          const input = { perStepCapacity, forecastStartMs, stepSeconds: seconds };
          expect(Object.is(peakBetween(input, fromMs, toMs), everyStepPeak(input, fromMs, toMs))).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('skips the holes of a sparse list, as forEach does', () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole is what is tested
    const input = { perStepCapacity: [1, , 3] as number[], forecastStartMs: 0, stepSeconds: 60 };
    expect(peakBetween(input, 0, 180_000)).toBe(3);
    expect(peakBetween(input, 60_000, 120_000)).toBeUndefined();
  });
});

describe('diffLookAhead', () => {
  const planned = planLookAhead(base({ perStepCapacity: perStep((h) => (h === 5 ? 12 : 4)) })).actions;

  it("puts new actions and removes dropped ones, never touching the user's", () => {
    const existing = [
      { name: 'nightly-scale-in', recurrence: '0 22 * * *', minSize: 1 },
      { name: 'prescale-20261129T0900Z', startMs: Date.UTC(2026, 10, 29, 9), minSize: 3 },
      { ...(planned[0] as (typeof planned)[0]) },
    ];
    const diff = diffLookAhead(existing, planned);
    expect(diff.remove).toEqual(['prescale-20261129T0900Z']);
    expect(diff.put).toHaveLength(planned.length - 1);
    expect(diff.kept).toBe(1);
    expect(freeActionSlots(existing)).toBe(124);
  });

  it('rewrites an action whose sizes changed', () => {
    const first = planned[0] as (typeof planned)[0];
    const diff = diffLookAhead([{ ...first, minSize: first.minSize + 1 }], [first]);
    expect(diff.put).toEqual([first]);
    expect(diff.replace).toEqual([]);
  });

  // AWS keeps on an update what the put leaves out: only a delete clears a field.
  it('deletes, then puts, an action held with a MaxSize, DesiredCapacity or Recurrence the plan leaves out', () => {
    const [first, second, third] = planned as [LookAheadAction, LookAheadAction, LookAheadAction];
    expect([first.maxSize, first.desiredCapacity]).toEqual([undefined, undefined]);
    const existing = [
      { ...first, maxSize: 16 },
      { ...second, desiredCapacity: second.minSize },
      { ...third, recurrence: '0 * * * *' },
    ];
    const diff = diffLookAhead(existing, planned);
    expect(diff.replace).toEqual([first.name, second.name, third.name]);
    expect(diff.put.slice(0, 3)).toEqual([first, second, third]);
    expect(diff.remove).toEqual([]);
    // Planned with it, a field the group holds is rewritten by the put alone.
    const withMax = { ...first, maxSize: 20 };
    expect(diffLookAhead([{ ...first, maxSize: 16 }], [withMax])).toMatchObject({
      put: [withMax],
      replace: [],
    });
  });
});

describe('planLookAhead beside the group’s other actions (AWS refuses two at one start time)', () => {
  const MIN_MS = 60_000;
  // 9 from 16:05 to 17:05: raised at 15:00 (an hour and a lead time ahead), lowered at 18:00.
  const peak = perStep((h) => (h === 3 ? 9 : 4));
  const at = (h: number, m = 0) => Date.UTC(2026, 10, 29, h, m);
  const starts = (o: Partial<LookAheadInput>) => planLookAhead(base({ perStepCapacity: peak, ...o })).actions;

  it('moves a raise at a taken hour one minute earlier, named after its new time', () => {
    const actions = starts({ otherActions: [{ startMs: at(15) }] });
    expect(actions.find((a) => a.minSize === 9)).toMatchObject({
      name: 'prescale-20261129T1459Z',
      startMs: at(14, 59),
    });
    expect(actions.some((a) => a.startMs === at(15))).toBe(false);
  });

  it('moves a lower at a taken hour one minute later', () => {
    const free = starts({});
    const actions = starts({ otherActions: [{ startMs: at(18) }] });
    const lowered = free.findIndex((a) => a.startMs === at(18));
    expect(free[lowered]?.minSize).toBe(4);
    expect(actions[lowered]).toMatchObject({
      name: 'prescale-20261129T1801Z',
      startMs: at(18, 1),
      minSize: 4,
    });
  });

  it('keeps clear of every hour an hourly recurring action takes, and of the bridge’s minute', () => {
    const free = planLookAhead(base({ perStepCapacity: peak }));
    const plan = planLookAhead(
      base({
        perStepCapacity: peak,
        otherActions: [{ recurrence: '0 * * * *' }, { startMs: NOW + 600_000 }],
      }),
    );
    expect(plan.actions).toHaveLength(free.actions.length);
    for (const a of plan.actions) expect(new Date(a.startMs).getUTCMinutes()).not.toBe(0);
    expect(Math.floor((plan.actions[0]?.startMs ?? 0) / MIN_MS)).not.toBe(
      Math.floor((NOW + 600_000) / MIN_MS),
    );
    expect(plan.coveredUntilMs).toBe(plan.actions.at(-1)?.startMs);
    expect(plan.limits).toContainEqual(expect.stringContaining('moved off start times'));
  });

  it('never starts at a taken minute and never holds less than the plan beside no actions (property)', () => {
    const inEffect = (actions: readonly { startMs: number; minSize: number }[], t: number) =>
      actions.filter((a) => a.startMs <= t).at(-1)?.minSize ?? 4;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 288 }),
        fc.array(fc.integer({ min: 9, max: 26 * 60 }), { maxLength: 30 }),
        fc.boolean(),
        (capacity, minutes, hourly) => {
          const otherActions = [
            ...minutes.map((m) => ({ startMs: NOW + m * MIN_MS })),
            ...(hourly ? [{ recurrence: '0 * * * *' }] : []),
          ];
          const free = planLookAhead(base({ perStepCapacity: capacity }));
          const plan = planLookAhead(base({ perStepCapacity: capacity, otherActions }));
          const taken = new Set(minutes.map((m) => Math.floor((NOW + m * MIN_MS) / MIN_MS)));
          for (const a of plan.actions) {
            expect(taken.has(Math.floor(a.startMs / MIN_MS))).toBe(false);
            if (hourly) expect(new Date(a.startMs).getUTCMinutes()).not.toBe(0);
            expect(a.startMs).toBeGreaterThanOrEqual(NOW + 600_000);
          }
          expect(new Set(plan.actions.map((a) => a.name)).size).toBe(plan.actions.length);
          if (plan.limits.some((l) => l.includes('runs late'))) return;
          for (let t = NOW; t < free.coveredUntilMs - HOUR_MS; t += MIN_MS)
            expect(inEffect(plan.actions, t)).toBeGreaterThanOrEqual(inEffect(free.actions, t));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('is unchanged by actions at minutes it does not use', () => {
    expect(starts({ otherActions: [{ startMs: at(15, 30) }] })).toEqual(starts({}));
  });
});
