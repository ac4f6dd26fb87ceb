import { REFRESH_LEFT_RUNNING } from '../../shared/contracts/rolling-update';
import type { GroupSnapshot } from '../../shared/ports/scaling-target';
import { synthesizedTemplate, TEST_CONFIG } from '../helpers/build-test-app';
import { extractDefinition, namedError, RollingUpdateWorld } from './rolling-update-harness';
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

const attributeBased: Partial<GroupSnapshot> = {
  launchTemplate: undefined,
  mixedInstances: {
    launchTemplateId: 'lt-0a1b2c3d4e5f60718',
    version: '6',
    overrides: [],
    usesAttributeBasedSelection: true,
  },
};

/** A 5xx after the revert's start took effect: retried, the retry meets the revert in progress. */
const lostResponse = () => [
  namedError('AutoScaling.AutoScalingException', 'We encountered an internal error.'),
];

/** The status of refresh `id` each time a capacity-restore state of the rollback is entered. */
function statusAtRestore(world: RollingUpdateWorld, id: string): (string | undefined)[] {
  const seen: (string | undefined)[] = [];
  world.taskChecks = async (state) => {
    if (state.includes('restore after rollback') || state === 'Restore capacity after rollback')
      seen.push(world.refreshes.find((r) => r.InstanceRefreshId === id)?.Status);
    return undefined;
  };
  return seen;
}

describe('RollingUpdateWorkflow when a revert start took effect and then failed', () => {
  it.each([
    ['with a desired configuration', {}, 'Start revert refresh', ['InProgress', 'Failed'], []],
    [
      'on the fallback path (no desired configuration)',
      attributeBased,
      'Start revert refresh without desired configuration',
      ['InProgress'],
      ['web-5xx'],
    ],
  ] as const)(
    'watches the revert it started %s to Successful, then restores capacity',
    async (_what, group, startState, script, alarms) => {
      const world = newWorld(group);
      world.forwardScript = [...script];
      world.alarmsInAlarm = [...alarms];
      world.sdkFailuresAfterEffect.set(startState, lostResponse());
      const seen = statusAtRestore(world, 'refresh-2');
      const result = await run(world);
      expect(result).toMatchObject({ ok: false });
      expect((result as { cause: string }).cause).toContain('reverted to version 6 by a second refresh');
      expect(world.calls(startState)).toHaveLength(2);
      expect(world.entered).toContain('Watch the revert it started');
      expect(world.entered).not.toContain('Note rollback failure');
      expect(world.refreshes[0]).toMatchObject({ InstanceRefreshId: 'refresh-2', Status: 'Successful' });
      // Capacity goes back only once the revert has ended.
      expect(seen).toEqual(['Successful', 'Successful']);
      expect(world.group).toMatchObject({ minSize: 2, desiredCapacity: 4 });
      expect(world.published.map((p) => p.Subject)).toEqual(['Prescale rolling update rolled back']);
      expect(world.lockItem()).toBeUndefined();
    },
  );

  describe("when the refresh in progress is someone else's", () => {
    /** An operator's refresh to the target starts after the forward refresh failed, before the revert's start. */
    function operatorsRefreshBeforeRevert(world: RollingUpdateWorld) {
      world.forwardScript = ['InProgress', 'Failed'];
      world.afterSdkCall.set('Describe refreshes for rollback', () => {
        world.nowMs += 15 * 60_000;
        if (world.refreshes.some((r) => r.InstanceRefreshId === 'operators')) return;
        world.refreshes.unshift({
          InstanceRefreshId: 'operators',
          Status: 'InProgress',
          StartTime: new Date(world.nowMs).toISOString(),
          DesiredConfiguration: {
            LaunchTemplate: { LaunchTemplateId: 'lt-0a1b2c3d4e5f60718', Version: '7' },
          },
          Preferences: { MinHealthyPercentage: 90, SkipMatching: false },
        });
      });
    }

    it('holds capacity while it runs, and past the give-up ends without restoring it', async () => {
      const world = newWorld();
      operatorsRefreshBeforeRevert(world);
      const result = await run(world);
      // Not "rolled back": nothing was reverted and the operator's refresh goes on.
      expect(result).toMatchObject({ ok: false, error: REFRESH_LEFT_RUNNING });
      const { cause } = result as { cause: string };
      expect(cause).toMatch(/^RefreshFailed: /);
      expect(cause).toContain('refresh operators, which this run did not start, is in progress');
      expect(cause).toContain('capacity was NOT restored');
      expect(world.calls('Start revert refresh')).toHaveLength(1);
      expect(world.entered).not.toContain('Watch the revert it started');
      expect(world.calls('Restore capacity after rollback')).toEqual([]);
      expect(world.group).toMatchObject({ minSize: 6, desiredCapacity: 6 });
      expect(world.refreshes[0]).toMatchObject({ InstanceRefreshId: 'operators', Status: 'InProgress' });
      expect(world.published.map((p) => p.Subject)).toEqual([
        'Prescale rolling update left running, capacity held',
      ]);
      expect(world.entered.at(-1)).toBe('Left running, capacity held');
      expect(world.entered).not.toContain('Rolled back');
      const record = [...world.items.values()].find((i) => i.sk?.S?.startsWith('ROLLOUT#'));
      expect(record?.status).toEqual({ S: 'LeftRunning' });
      expect(JSON.parse(String(record?.outcome?.S))).toMatchObject({
        status: 'LeftRunning',
        needsAttention: true,
      });
      expect(world.lockItem()).toBeUndefined();
    });

    it('restores capacity once it has ended, without reverting over it', async () => {
      const world = newWorld();
      operatorsRefreshBeforeRevert(world);
      let looks = 0;
      const describeHook = world.afterSdkCall.get('Describe refreshes for rollback');
      world.afterSdkCall.set('Describe refreshes for rollback', () => {
        describeHook?.();
        looks += 1;
        const operators = world.refreshes.find((r) => r.InstanceRefreshId === 'operators');
        if (operators && looks === 4) operators.Status = 'Successful';
      });
      const seen = statusAtRestore(world, 'operators');
      const result = await run(world);
      expect(result).toMatchObject({ ok: false, error: 'RefreshFailed' });
      expect((result as { cause: string }).cause).toContain('instances were not reverted');
      expect(world.calls('Start revert refresh')).toHaveLength(1);
      expect(seen).toEqual(['Successful', 'Successful']);
      expect(world.group).toMatchObject({ minSize: 2, desiredCapacity: 4 });
      expect(world.published.map((p) => p.Subject)).toEqual(['Prescale rolling update rolled back']);
      expect(world.lockItem()).toBeUndefined();
    });
  });
});
