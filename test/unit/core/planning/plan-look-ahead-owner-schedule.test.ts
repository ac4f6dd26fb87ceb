import {
  type OwnerScheduledAction,
  ownerMinSizeAt,
  ownerMinSizeRuns,
} from '../../../../shared/core/planning/owner-scheduled-min-size';
import { planLookAhead } from '../../../../shared/core/planning/plan-look-ahead';
import { base, HOUR_MS, NOW, perStep } from './look-ahead-input';

/** The owner's evening floor: MinSize 9 from 16:00 to 22:00 UTC, 2 otherwise. */
const EVENING: OwnerScheduledAction[] = [
  { name: 'evening', recurrence: '0 16 * * *', minSize: 9 },
  { name: 'night', recurrence: '0 22 * * *', minSize: 2 },
];

describe("planLookAhead beside the owner's recurring MinSize actions", () => {
  const plan = planLookAhead(base({ otherActions: EVENING, userMinSize: 5 }));
  const runs = ownerMinSizeRuns(EVENING, NOW, NOW + 48 * HOUR_MS);

  it("never schedules a MinSize below the one the owner's schedule holds at the action's start", () => {
    // A need that changes every hour: without the owner's actions, an action every hour, in the evening too.
    const perStepCapacity = perStep((h) => (Math.floor(h / 3) % 2 === 0 ? 3 : 6));
    const alone = planLookAhead(base({ perStepCapacity }));
    const inEvening = alone.actions.filter((a) => ownerMinSizeAt(runs, a.startMs)?.actionName === 'evening');
    expect(inEvening.length).toBeGreaterThanOrEqual(2);
    const hourly = planLookAhead(base({ otherActions: EVENING, perStepCapacity }));
    for (const action of hourly.actions.slice(0, -1))
      expect(action.minSize).toBeGreaterThanOrEqual(ownerMinSizeAt(runs, action.startMs)?.minSize ?? 0);
  });

  it('holds the owner’s evening MinSize from its start until the night action, then paces down to the need', () => {
    const at = (iso: string) => {
      const ms = Date.parse(iso);
      return plan.actions.filter((a) => a.startMs <= ms).at(-1)?.minSize;
    };
    expect(at('2026-11-29T15:00Z')).toBe(4);
    // Raised a minute before the owner's own 16:00 action (AWS takes one action per minute).
    expect(plan.actions.find((a) => a.minSize === 9)?.name).toBe('prescale-20261129T1559Z');
    expect(at('2026-11-29T21:30Z')).toBe(9);
    expect(at('2026-11-29T23:30Z')).toBe(4);
  });

  it("gives back the MinSize the owner's schedule holds when the look-ahead ends, not an older one", () => {
    const last = plan.actions.at(-1);
    expect(last?.minSize).toBe(2);
    expect(ownerMinSizeAt(runs, last?.startMs ?? 0)?.actionName).toBe('night');
  });

  it('gives its plan back right after an owner’s action lowers MinSize below it, though the plan did not change', () => {
    const steady = { perStepCapacity: perStep(() => 12), currentMinSize: 12 };
    const busy = planLookAhead(base({ otherActions: EVENING, ...steady }));
    expect(busy.actions.filter((a) => a.minSize === 12).map((a) => a.name)).toContain(
      'prescale-20261129T2201Z',
    );
    // Without the owner's actions, a plan that never changes needs no action but its first and the restore.
    const alone = planLookAhead(base(steady));
    expect(alone.actions.map((a) => a.minSize)).toEqual([12, 12, 2]);
  });

  it('is the plan without the owner’s actions where they set no MinSize', () => {
    const maxOnly = EVENING.map(({ minSize: _m, ...a }) => ({ ...a, maxSize: 20 }));
    const sizes = (p: ReturnType<typeof planLookAhead>) => p.actions.map((a) => a.minSize);
    expect(sizes(planLookAhead(base({ otherActions: maxOnly, userMinSize: 5 })))).toEqual(
      sizes(planLookAhead(base({ userMinSize: 5 }))),
    );
  });
});

/**
 * The owner's night: MinSize 0 and MaxSize 0 from 20:00 UTC, back to 2–50 at 08:00. An action
 * whose MinSize (or DesiredCapacity) is above the group's MaxSize when it runs breaks Min ≤ Desired
 * ≤ Max, which Auto Scaling's scheduled actions are held to like any update: it fails and changes
 * nothing ("The desired capacity must be equal to or greater than the minimum group size, and equal
 * to or less than the maximum group size"; "If a scheduled action runs without specifying new
 * minimum and maximum size limits for the group, then the group's current minimum and maximum size
 * limits apply", https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-capacity-limits.html),
 * as the simulated world's `runScheduledActions` records a Failed activity for it.
 */
const NIGHT: OwnerScheduledAction[] = [
  { name: 'night', recurrence: '0 20 * * *', minSize: 0, maxSize: 0 },
  { name: 'morning', recurrence: '0 8 * * *', minSize: 2, maxSize: 50 },
];

/** The MaxSize the owner's night schedule holds at `ms` (13:07 to 20:00 the group's own 50). */
const nightMaxSize = (ms: number) => {
  const hour = new Date(ms).getUTCHours();
  return hour >= 20 || hour < 8 ? 0 : 50;
};

describe("planLookAhead beside the owner's scheduled MaxSize", () => {
  const steady = { perStepCapacity: perStep(() => 4), setsDesiredCapacity: true };

  it("schedules no MinSize or DesiredCapacity above the MaxSize the owner's schedule sets at the action's start", () => {
    const plan = planLookAhead(base({ otherActions: NIGHT, ...steady }));
    const atNight = plan.actions.filter((a) => nightMaxSize(a.startMs) === 0);
    expect(atNight.length).toBeGreaterThan(0);
    for (const action of plan.actions) {
      expect({ name: action.name, minSize: action.minSize }).toEqual({
        name: action.name,
        minSize: Math.min(action.minSize, nightMaxSize(action.startMs)),
      });
      expect(action.desiredCapacity ?? 0).toBeLessThanOrEqual(nightMaxSize(action.startMs));
    }
    // The need comes back after the owner's morning action, not before it.
    const morning = plan.actions.find((a) => a.startMs > Date.UTC(2026, 10, 30, 8) && a.minSize === 4);
    expect(morning?.startMs).toBeGreaterThan(Date.UTC(2026, 10, 30, 8));
  });

  it("gives back at night the owner's MinSize and MaxSize, not a MaxSize above the owner's night", () => {
    const plan = planLookAhead(base({ otherActions: NIGHT, ...steady, hours: 12, raisedMaxSize: 60 }));
    const last = plan.actions.at(-1);
    expect(nightMaxSize(last?.startMs ?? 0)).toBe(0);
    expect(last).toMatchObject({ minSize: 0, maxSize: 0 });
  });

  it('takes a MaxSize scheduled no lower than the group’s as no bound beyond the group’s own', () => {
    const raisesMax = [{ name: 'big', recurrence: '0 18 * * *', maxSize: 80 }];
    const need = { perStepCapacity: perStep(() => 70), currentMinSize: 50 };
    const sizes = (p: ReturnType<typeof planLookAhead>) => p.actions.map((a) => a.minSize);
    expect(sizes(planLookAhead(base({ otherActions: raisesMax, ...need })))).toEqual(
      sizes(planLookAhead(base(need))),
    );
  });
});
