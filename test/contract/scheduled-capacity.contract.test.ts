import { AutoScalingScheduledCapacity } from '../../shared/aws/auto-scaling-scheduled-capacity';
import { autoScalingClient, overrideAwsTransport } from '../../shared/aws/aws-clients';
import type { ScheduledCapacity } from '../../shared/ports/scheduled-capacity';
import { SimulatedWorld } from '../../shared/simulation/world/simulated-world';
import { FakeScheduledCapacity } from '../fakes/fake-scheduled-capacity';
import { webGroupSpec } from '../helpers/web-group-spec';

const T0 = Date.UTC(2026, 10, 29, 13);
const HOUR = 3_600_000;

/** The adapter on the SDK, its transport answered by the simulated Auto Scaling (AWS's limits). */
function onSimulatedAws(): ScheduledCapacity {
  const world = new SimulatedWorld({ startMs: T0, seed: 1 });
  world.createGroup(webGroupSpec({ desiredCapacity: 1 }));
  overrideAwsTransport({ answer: world.answer });
  try {
    return new AutoScalingScheduledCapacity(autoScalingClient({ region: 'us-east-1' }));
  } finally {
    overrideAwsTransport(undefined);
  }
}

const actions = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({
    name: `prescale-${String(from + i).padStart(3, '0')}`,
    startMs: T0 + (from + i + 1) * HOUR,
    minSize: 2 + ((from + i) % 3),
  }));

describe.each([
  ['FakeScheduledCapacity', () => new FakeScheduledCapacity() as ScheduledCapacity],
  ['AutoScalingScheduledCapacity on the simulated Auto Scaling', onSimulatedAws],
])('ScheduledCapacity contract: %s', (_name, make) => {
  let scheduled: ScheduledCapacity;
  beforeEach(() => {
    scheduled = make();
  });

  it('lists what was put, more than one batch of 50 included', async () => {
    await scheduled.putScheduledActions('web', [
      ...actions(60),
      { name: 'd', startMs: T0 + HOUR / 2, minSize: 3, desiredCapacity: 3 },
    ]);
    const held = await scheduled.scheduledActions('web');
    expect(held).toHaveLength(61);
    expect(held).toContainEqual(
      expect.objectContaining({ name: 'prescale-007', startMs: T0 + 8 * HOUR, minSize: 3 }),
    );
    expect(held).toContainEqual(expect.objectContaining({ name: 'd', desiredCapacity: 3 }));
  });

  it('overwrites an action put again under its name', async () => {
    await scheduled.putScheduledActions('web', actions(1));
    await scheduled.putScheduledActions('web', [
      { name: 'prescale-000', startMs: T0 + 5 * HOUR, minSize: 7 },
    ]);
    expect(await scheduled.scheduledActions('web')).toEqual([
      expect.objectContaining({ name: 'prescale-000', startMs: T0 + 5 * HOUR, minSize: 7 }),
    ]);
  });

  it('keeps on an update the sizes the put leaves out; only a delete clears them', async () => {
    const giveBack = { name: 'prescale-000', startMs: T0 + 5 * HOUR, minSize: 2, maxSize: 16 };
    await scheduled.putScheduledActions('web', [giveBack]);
    await scheduled.putScheduledActions('web', [
      { ...giveBack, minSize: 5, maxSize: undefined, desiredCapacity: 5 },
    ]);
    expect(await scheduled.scheduledActions('web')).toEqual([
      expect.objectContaining({ name: 'prescale-000', minSize: 5, maxSize: 16, desiredCapacity: 5 }),
    ]);
    await scheduled.deleteScheduledActions('web', ['prescale-000']);
    await scheduled.putScheduledActions('web', [
      { name: 'prescale-000', startMs: T0 + 5 * HOUR, minSize: 5 },
    ]);
    expect(await scheduled.scheduledActions('web')).toEqual([
      { name: 'prescale-000', startMs: T0 + 5 * HOUR, minSize: 5 },
    ]);
  });

  it('deletes the named actions, names already gone included, and keeps the others', async () => {
    await scheduled.putScheduledActions('web', actions(3));
    await scheduled.deleteScheduledActions('web', ['prescale-000', 'prescale-002', 'prescale-gone']);
    expect((await scheduled.scheduledActions('web')).map((a) => a.name)).toEqual(['prescale-001']);
  });

  it('deletes nothing, and does not fail, on a group that is gone (its actions went with it)', async () => {
    await expect(scheduled.deleteScheduledActions('deleted-web', ['prescale-000'])).resolves.toBeUndefined();
  });

  it('refuses another name at a start time the group holds (AlreadyExists), writing the rest', async () => {
    await scheduled.putScheduledActions('web', [{ name: 'users-peak', startMs: T0 + 2 * HOUR, minSize: 6 }]);
    await expect(
      scheduled.putScheduledActions('web', [
        { name: 'prescale-a', startMs: T0 + 2 * HOUR, minSize: 3 },
        { name: 'prescale-b', startMs: T0 + 2 * HOUR + 60_000, minSize: 3 },
      ]),
    ).rejects.toThrow(/AlreadyExists/);
    await scheduled.putScheduledActions('web', [{ name: 'users-peak', startMs: T0 + 2 * HOUR, minSize: 7 }]);
    const held = (await scheduled.scheduledActions('web')).map((a) => [a.name, a.minSize]);
    expect(held.sort()).toEqual([
      ['prescale-b', 3],
      ['users-peak', 7],
    ]);
  });

  it('refuses actions beyond the quota of 125 per group', async () => {
    await scheduled.putScheduledActions('web', actions(125));
    await expect(scheduled.putScheduledActions('web', actions(1, 125))).rejects.toThrow(/LimitExceeded/);
  });
});
