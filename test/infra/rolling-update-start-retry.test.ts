import type { GroupSnapshot } from '../../shared/ports/scaling-target';
import { synthesizedTemplate, TEST_CONFIG } from '../helpers/build-test-app';
import { extractDefinition, namedError, RollingUpdateWorld, T0 } from './rolling-update-harness';
import { runRollingUpdate } from './rolling-update-run';

/** The synthesized rolling-update state machine, executed on the simulated group's handlers. */
const definition = extractDefinition(
  synthesizedTemplate({ ...TEST_CONFIG, rollingUpdate: { alarmNames: ['web-5xx'] } }),
);
const request = { groupName: 'web', launchTemplateVersion: '7' };
const run = (world: RollingUpdateWorld) => runRollingUpdate(definition, world, request);

function newWorld(group: Partial<GroupSnapshot> = {}) {
  const world = new RollingUpdateWorld(group, { rollingUpdate: { alarmNames: ['web-5xx'] } });
  world.load = () => 300;
  return world;
}

/**
 * A 5xx after the start took effect: Step Functions raises it as the generic exception, which the
 * state retries, and the retry meets the refresh the first attempt created.
 */
const lostResponse = () => [
  namedError('AutoScaling.AutoScalingException', 'We encountered an internal error.'),
];

describe('RollingUpdateWorkflow when a start took effect and then failed', () => {
  it('watches the refresh its own first attempt started, and rolls out', async () => {
    const world = newWorld();
    world.sdkFailuresAfterEffect.set('Start instance refresh', lostResponse());
    const result = await run(world);
    expect(result).toMatchObject({ ok: true, output: { status: 'Succeeded', refreshId: 'refresh-1' } });
    expect(world.calls('Start instance refresh')).toHaveLength(2);
    expect(world.entered).toContain('Watch the refresh it started');
    expect(world.refreshes).toEqual([
      expect.objectContaining({ InstanceRefreshId: 'refresh-1', Status: 'Successful' }),
    ]);
    // Headroom held through the refresh, and given back only after it.
    expect(world.scalingTarget.updates.map((u) => u.change)).toEqual([
      { minSize: 6, desiredCapacity: 6 },
      { minSize: 2, desiredCapacity: 4 },
    ]);
    expect(world.lockItem()).toBeUndefined();
  });

  it('rolls back the refresh it adopted when that refresh fails', async () => {
    const world = newWorld();
    world.sdkFailuresAfterEffect.set('Start instance refresh', lostResponse());
    world.forwardScript = ['InProgress'];
    world.alarmsInAlarm = ['web-5xx'];
    const result = await run(world);
    expect(result).toMatchObject({ ok: false, error: 'AlarmTriggered' });
    expect(world.calls('Roll back refresh')).toHaveLength(1);
    expect(world.refreshes[0]).toMatchObject({
      InstanceRefreshId: 'refresh-1',
      Status: 'RollbackSuccessful',
    });
  });

  it('watches its own refresh on the fallback path too (no desired configuration)', async () => {
    const world = newWorld({
      launchTemplate: undefined,
      mixedInstances: {
        launchTemplateId: 'lt-0a1b2c3d4e5f60718',
        version: '6',
        overrides: [],
        usesAttributeBasedSelection: true,
      },
    });
    world.sdkFailuresAfterEffect.set('Start instance refresh without desired configuration', lostResponse());
    const result = await run(world);
    expect(result).toMatchObject({ ok: true, output: { status: 'Succeeded', refreshId: 'refresh-1' } });
    expect(world.calls('Point group back, no refresh started')).toEqual([]);
  });

  it.each([
    [
      'another desired configuration',
      {
        DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: 'lt-0a1b2c3d4e5f60718', Version: '8' } },
      },
    ],
    ['other preferences', { Preferences: { MinHealthyPercentage: 50, InstanceWarmup: 300 } }],
    ['a start before the lock', { StartTime: new Date(T0 - 5_000).toISOString() }],
  ])("leaves someone else's refresh alone: %s", async (_what, differs) => {
    const world = newWorld();
    // Someone's refresh starts between the headroom and Prescale's start.
    world.afterSdkCall.set('Record rollout start', () => {
      world.refreshes.unshift({
        InstanceRefreshId: 'operators',
        Status: 'InProgress',
        StartTime: new Date(world.nowMs).toISOString(),
        DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: 'lt-0a1b2c3d4e5f60718', Version: '7' } },
        Preferences: {
          MinHealthyPercentage: 90,
          MaxHealthyPercentage: 110,
          InstanceWarmup: 300,
          SkipMatching: false,
          AutoRollback: true,
          AlarmSpecification: { Alarms: ['web-5xx'] },
        },
        ...differs,
      });
    });
    const result = await run(world);
    expect(result).toMatchObject({ ok: false, error: 'AutoScaling.InstanceRefreshInProgressException' });
    expect((result as { cause: string }).cause).toContain('no instance refresh had started; nothing to undo');
    expect(world.entered).not.toContain('Watch the refresh it started');
    expect(world.refreshes).toEqual([
      expect.objectContaining({ InstanceRefreshId: 'operators', Status: 'InProgress' }),
    ]);
    expect(world.group).toMatchObject({ minSize: 2, desiredCapacity: 4 });
  });
});
