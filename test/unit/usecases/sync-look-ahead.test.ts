import { AutoScalingScheduledCapacity } from '../../../shared/aws/auto-scaling-scheduled-capacity';
import { autoScalingClient, overrideAwsTransport } from '../../../shared/aws/aws-clients';
import { planLookAhead } from '../../../shared/core/planning/plan-look-ahead';
import { SimulatedWorld } from '../../../shared/simulation/world/simulated-world';
import { type SyncLookAheadInput, syncLookAhead } from '../../../shared/usecases/sync-look-ahead';
import { FakeScheduledCapacity } from '../../fakes/fake-scheduled-capacity';
import { webGroupSpec } from '../../helpers/web-group-spec';
import { base } from '../core/planning/look-ahead-input';

const HOUR_MS = 3_600_000;
const NOW = Date.UTC(2026, 2, 2, 12, 7);
const FIRST_HOUR = Date.UTC(2026, 2, 2, 13);

/** The adapter on the SDK, answered by the simulated Auto Scaling (one action per start time). */
function simulatedGroup() {
  const world = new SimulatedWorld({ startMs: NOW, seed: 1 });
  world.createGroup(webGroupSpec({ minSize: 2, maxSize: 20 }));
  overrideAwsTransport({ answer: world.answer });
  try {
    return new AutoScalingScheduledCapacity(autoScalingClient({ region: 'us-east-1' }));
  } finally {
    overrideAwsTransport(undefined);
  }
}

/** 24 h of 5-minute steps: 8 instances from 12:00 to 15:00, then 3. */
const { freeActionSlots: _readFromTheGroup, ...plan } = base({
  perStepCapacity: Array.from({ length: 288 }, (_, i) => (i < 36 ? 8 : 3)),
  forecastStartMs: Date.UTC(2026, 2, 2, 12, 5),
  nowMs: NOW,
  currentMinSize: 2,
  maxSize: 20,
});
const input: SyncLookAheadInput = {
  groupName: 'web',
  hold: { kind: 'proceed' },
  plan,
  bounds: { minSize: 2, maxSize: 20 },
  left: undefined,
};

describe('syncLookAhead on the simulated Auto Scaling', () => {
  it("leaves the prescale- actions of a group another deployment manages: they are that one's look-ahead", async () => {
    const scheduled = simulatedGroup();
    await syncLookAhead(scheduled, input);
    const theirs = await scheduled.scheduledActions('web');
    const reason = 'group is managed by Prescale deployment "PrescaleStaging"';
    const held = { kind: 'hold', reason, otherDeployment: 'PrescaleStaging' } as const;
    expect(await syncLookAhead(scheduled, { ...input, hold: held })).toEqual({ kind: 'left', reason });
    expect(await scheduled.scheduledActions('web')).toEqual(theirs);
    // Any other hold deletes them.
    expect(await syncLookAhead(scheduled, { ...input, hold: { kind: 'hold', reason: 'paused' } })).toEqual({
      kind: 'cleared',
      removed: theirs.length,
      reason: 'paused',
    });
  });

  it('schedules the look-ahead beside a user action at the first whole hour, off its start time', async () => {
    const scheduled = simulatedGroup();
    await scheduled.putScheduledActions('web', [{ name: 'users-peak', startMs: FIRST_HOUR, minSize: 6 }]);
    const result = await syncLookAhead(scheduled, input);
    expect(result).toMatchObject({ kind: 'scheduled', short: false });
    const held = await scheduled.scheduledActions('web');
    expect(held).toContainEqual(
      expect.objectContaining({ name: 'users-peak', startMs: FIRST_HOUR, minSize: 6 }),
    );
    const ours = held.filter((a) => a.name.startsWith('prescale-'));
    expect(ours.some((a) => Math.floor((a.startMs ?? 0) / 60_000) === FIRST_HOUR / 60_000)).toBe(false);
    // The first hour holds the bridge's value on (8 until 15:00): the step moves a minute later.
    expect(ours).toContainEqual(expect.objectContaining({ name: 'prescale-20260302T1301Z', minSize: 8 }));
    // A minute later only the bridge (it moves with every run) is rewritten: the moved step is kept.
    expect(
      await syncLookAhead(scheduled, { ...input, plan: { ...input.plan, nowMs: NOW + 60_000 } }),
    ).toMatchObject({
      kind: 'scheduled',
      written: 1,
      removed: 0,
    });
  });

  it('moves a raise at a user’s whole hour earlier, so capacity arrives no later', async () => {
    const scheduled = simulatedGroup();
    // Demand rises from 3 to 9 at 17:05: the 16:00 step raises (a step and a lead time ahead).
    const rising = Array.from({ length: 288 }, (_, i) => (i >= 60 && i < 72 ? 9 : 3));
    await scheduled.putScheduledActions('web', [
      { name: 'users-peak', startMs: FIRST_HOUR + 3 * HOUR_MS, minSize: 6 },
    ]);
    const result = await syncLookAhead(scheduled, {
      ...input,
      plan: { ...input.plan, perStepCapacity: rising, currentMinSize: 3 },
    });
    expect(result).toMatchObject({ kind: 'scheduled' });
    const raise = (await scheduled.scheduledActions('web')).find((a) => a.minSize === 9);
    expect(raise).toMatchObject({
      name: 'prescale-20260302T1559Z',
      startMs: FIRST_HOUR + 3 * HOUR_MS - 60_000,
    });
  });

  it('deletes and puts again an action the group holds with a DesiredCapacity the plan now leaves out', async () => {
    const scheduled = simulatedGroup();
    await syncLookAhead(scheduled, { ...input, plan: { ...input.plan, setsDesiredCapacity: true } });
    const ours = async () =>
      (await scheduled.scheduledActions('web')).filter((a) => a.name.startsWith('prescale-'));
    expect((await ours()).filter((a) => a.desiredCapacity !== undefined).length).toBeGreaterThan(1);
    // The group has gained a scaling policy: the loop no longer sets DesiredCapacity.
    const later = { ...input.plan, nowMs: NOW + 60_000 };
    const result = await syncLookAhead(scheduled, { ...input, plan: later });
    expect(result).toMatchObject({ kind: 'scheduled', removed: 0 });
    expect((await ours()).filter((a) => a.desiredCapacity !== undefined)).toEqual([]);
    // The group now holds the plan: the same run again writes nothing.
    expect(await syncLookAhead(scheduled, { ...input, plan: later })).toMatchObject({
      written: 0,
      removed: 0,
    });
  });

  describe('a run that goes ahead with no look-ahead to plan (a forecast that reaches no whole hour)', () => {
    /** The group's `prescale-` actions after a run raised MinSize 2 → 8: the last gives 2 back. */
    const raisedBefore = async () => {
      const scheduled = simulatedGroup();
      await syncLookAhead(scheduled, { ...input, plan: { ...input.plan, currentMinSize: 8 } });
      const ours = (await scheduled.scheduledActions('web')).filter((a) => a.name.startsWith('prescale-'));
      const giveBack = ours.reduce((last, a) => ((a.startMs ?? 0) > (last.startMs ?? 0) ? a : last));
      expect(giveBack).toMatchObject({ minSize: 2 });
      return { scheduled, giveBack };
    };
    const shortForecast = (minSize: number, left: { prescaleMinSize: number }) => ({
      ...input,
      bounds: { minSize, maxSize: 20 },
      left,
      plan: { ...input.plan, nowMs: NOW + 300_000, currentMinSize: minSize, perStepCapacity: [8, 8, 8] },
    });
    const ours = async (scheduled: ReturnType<typeof simulatedGroup>) =>
      (await scheduled.scheduledActions('web')).filter((a) => a.name.startsWith('prescale-'));

    it('keeps the give-back, so the MinSize the loop raised does not stay for good if Prescale stops', async () => {
      const { scheduled, giveBack } = await raisedBefore();
      const result = await syncLookAhead(scheduled, shortForecast(8, { prescaleMinSize: 8 }));
      expect(result).toMatchObject({
        kind: 'scheduled',
        written: 0,
        kept: 1,
        short: true,
        limits: ['forecast covers 0 of 24 steps', `kept ${giveBack.name}, which gives MinSize 2 back`],
        minSizes: [[giveBack.startMs, 2]],
      });
      expect(await ours(scheduled)).toEqual([giveBack]);
    });

    it("deletes it where the group's MinSize is an operator's (not what Prescale left)", async () => {
      const { scheduled } = await raisedBefore();
      const result = await syncLookAhead(scheduled, shortForecast(5, { prescaleMinSize: 8 }));
      expect(result).toMatchObject({ kind: 'scheduled', kept: 0, minSizes: [] });
      expect(await ours(scheduled)).toEqual([]);
    });
  });
});

describe('syncLookAhead replacing the give-back', () => {
  const T0 = Date.UTC(2026, 11, 7, 10, 0);
  const { freeActionSlots: _free, ...flat } = base({
    perStepCapacity: Array.from({ length: 30 * 12 }, () => 10),
    forecastStartMs: T0,
    nowMs: T0,
    currentMinSize: 10,
    floorCapacity: 2,
    maxSize: 20,
    maxChangePerTick: 5,
    userMinSize: 2,
  });
  const at = (nowMs: number): SyncLookAheadInput => ({
    groupName: 'web',
    hold: { kind: 'proceed' },
    plan: { ...flat, nowMs },
    bounds: { minSize: 10, maxSize: 20 },
    left: undefined,
  });
  const seeded = () =>
    new FakeScheduledCapacity({ web: planLookAhead({ ...flat, freeActionSlots: 125 }).actions });

  it('keeps the old give-back when the put of its successor fails', async () => {
    const scheduled = seeded();
    scheduled.putScheduledActions = async () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
    };
    const result = await syncLookAhead(scheduled, at(T0 + HOUR_MS));
    expect(result.kind).toBe('failed');
    // If Prescale stops now, MinSize 10 must still come back down to the group's own 2.
    expect(scheduled.of('web').some((a) => a.minSize === 2)).toBe(true);
  });

  it('deletes the old give-back first when the quota has no slot for it beside the new plan', async () => {
    const planned = planLookAhead({ ...flat, nowMs: T0 + HOUR_MS, freeActionSlots: 125 }).actions;
    const owners = Array.from({ length: 125 - planned.length }, (_, i) => ({
      name: `owner-${i}`,
      startMs: T0 + 40 * 24 * HOUR_MS + i * 60_000,
      minSize: 2,
    }));
    const earlier = planLookAhead({ ...flat, freeActionSlots: 125 }).actions;
    const scheduled = new FakeScheduledCapacity({ web: [...owners, ...earlier] });
    const result = await syncLookAhead(scheduled, at(T0 + HOUR_MS));
    // Kept through the put, the old give-back would take the 126th slot: AWS would refuse the put.
    expect(result).toMatchObject({ kind: 'scheduled', written: expect.any(Number) });
    expect(scheduled.of('web')).toHaveLength(125);
  });

  it('puts the new give-back first and deletes the old one only after the put', async () => {
    const scheduled = seeded();
    const before = scheduled.of('web').map((a) => a.name);
    const calls: string[] = [];
    const put = scheduled.putScheduledActions.bind(scheduled);
    const remove = scheduled.deleteScheduledActions.bind(scheduled);
    scheduled.putScheduledActions = async (group, actions) => {
      calls.push(`put ${actions.map((a) => a.name).join(' ')}`);
      return put(group, actions);
    };
    scheduled.deleteScheduledActions = async (group, names) => {
      calls.push(`delete ${names.join(' ')}`);
      return remove(group, names);
    };
    const result = await syncLookAhead(scheduled, at(T0 + HOUR_MS));
    expect(result).toMatchObject({ kind: 'scheduled' });
    const oldGiveBack = before
      .filter((n) => n !== 'prescale-next')
      .sort()
      .at(-1);
    const newGiveBack = scheduled
      .of('web')
      .map((a) => a.name)
      .filter((n) => n !== 'prescale-next')
      .sort()
      .at(-1);
    expect(newGiveBack).not.toBe(oldGiveBack);
    expect(calls.at(-1)).toBe(`delete ${oldGiveBack}`);
    expect(calls.find((c) => c.startsWith('put '))?.split(' ')[1]).toBe(newGiveBack);
    expect(scheduled.of('web').find((a) => a.name === newGiveBack)).toMatchObject({ minSize: 2 });
  });
});
