import { buildTestApp, TEST_CONFIG } from '../helpers/build-test-app';
import { extractDefinition, RollingUpdateWorld, T0 } from './rolling-update-harness';
import { runRollingUpdate } from './rolling-update-run';

/** The synthesized rolling-update state machine, executed on the simulated group's handlers. */
const definition = extractDefinition(
  buildTestApp({ ...TEST_CONFIG, rollingUpdate: { alarmNames: ['web-5xx'] } }).template(),
);

describe('RollingUpdateWorkflow window', () => {
  it('is chosen for the refresh of the capacity the headroom raises the group to', async () => {
    const world = new RollingUpdateWorld({}, { rollingUpdate: { alarmNames: ['web-5xx'] } });
    // 300 at 60 an instance: 5 healthy, so headroom takes desired from 4 to 6, each replaced
    // alone (90–110 % healthy) in 120 s of launch and 300 s of warmup: 2520 s, not 4's 1680 s.
    world.load = () => 300;
    const result = await runRollingUpdate(definition, world, {
      groupName: 'web',
      launchTemplateVersion: '7',
    });
    expect(result).toMatchObject({
      ok: true,
      output: { window: expect.stringContaining('over the next 2520s fits') },
    });
    expect(world.calls('Add headroom')[0]).toMatchObject({ DesiredCapacity: 6 });
    // The refresh deadline (and so the lock) is three times the refresh that runs.
    const [lock] = world.calls('Acquire group lock') as { Item: { expiresAtMs: { N: string } } }[];
    expect(Number(lock?.Item.expiresAtMs.N)).toBe(T0 + 3 * 2520_000 + 6 * 3_600_000);
  });
});
