import { synthesizedTemplate, TEST_CONFIG } from '../helpers/build-test-app';
import { extractDefinition, namedError, RollingUpdateWorld } from './rolling-update-harness';
import { runRollingUpdate } from './rolling-update-run';

/** The synthesized rolling-update state machine, executed on the simulated group's handlers. */
const definition = extractDefinition(
  synthesizedTemplate({ ...TEST_CONFIG, rollingUpdate: { alarmNames: ['web-5xx'] } }),
);
const request = { groupName: 'web', launchTemplateVersion: '7' };
const newWorld = () => new RollingUpdateWorld({}, { rollingUpdate: { alarmNames: ['web-5xx'] } });

describe('RollingUpdateWorkflow rollback branch', () => {
  it('waits on a refresh in a status it does not know, then hands it over, restores and releases the lock', async () => {
    const world = newWorld();
    // Auto Scaling has added statuses before (Baking): one Prescale does not know yet.
    world.forwardScript = ['InProgress', 'Paused' as never];
    // Each look of the rollback branch comes a poll interval (or more) later.
    world.afterSdkCall.set('Describe refreshes for rollback', () => {
      world.nowMs += 15 * 60_000;
    });
    const result = await runRollingUpdate(definition, world, request);
    expect(result).toMatchObject({ ok: false, error: 'RefreshStatusUnknown' });
    expect((result as { cause: string }).cause).toMatch(
      /gave up waiting: refresh in status Paused, which Prescale does not know/,
    );
    for (const undo of ['Roll back refresh', 'Cancel refresh', 'Start revert refresh'])
      expect(world.calls(undo)).toHaveLength(0);
    expect(world.entered).toContain('Restore capacity after rollback');
    expect(world.entered).toContain('Release group lock');
    expect(world.group).toMatchObject({ minSize: 2, desiredCapacity: 4 });
    expect(String(world.published[0]?.Message)).toContain('(needs attention: true)');
    expect(world.lockItem()).toBeUndefined();
  });

  it('restores and releases the lock when the rollback step comes back without an action', async () => {
    const world = newWorld();
    world.forwardScript = ['InProgress', 'Failed'];
    world.lambdaOverrides.set('Choose rollback step', async () => null);
    const result = await runRollingUpdate(definition, world, request);
    expect(result).toMatchObject({ ok: false, error: 'RefreshFailed' });
    expect((result as { cause: string }).cause).toContain('the rollback step could not be decided');
    expect(world.entered).toContain('Restore capacity after rollback');
    expect(world.group).toMatchObject({ minSize: 2, desiredCapacity: 4 });
    expect(world.published.map((p) => p.Subject)).toEqual(['Prescale rolling update rolled back']);
    expect(world.lockItem()).toBeUndefined();
  });

  it('ends failed with nothing changed when it fails before adding headroom: no write, no rollback announced', async () => {
    const world = newWorld();
    world.lambdaOverrides.set('Plan headroom', async () => {
      throw namedError('TransientDependencyError', 'CloudWatch GetMetricData timed out');
    });
    const result = await runRollingUpdate(definition, world, request);
    // A fixed Error, the step's first in the Cause: the new version was never tried.
    expect(result).toMatchObject({ ok: false, error: 'FailedBeforeAnyChange' });
    expect((result as { cause: string }).cause).toContain(
      'TransientDependencyError: CloudWatch GetMetricData timed out Nothing changed: no instance refresh had started; nothing to undo',
    );
    expect(world.calls('Restore capacity after rollback')).toEqual([]);
    expect(world.scalingTarget.updates).toEqual([]);
    expect(world.entered).not.toContain('Rolled back');
    expect(world.entered.at(-1)).toBe('Failed, nothing changed');
    expect(world.published.map((p) => p.Subject)).toEqual([
      'Prescale rolling update failed, nothing changed',
    ]);
    // "Plan headroom" may have moved or deleted the look-ahead before it failed: not "nothing changed".
    expect(String(world.published[0]?.Message)).toContain(
      "failed before it started a refresh or set any capacity: nothing was started, rolled back or restored; Prescale's look-ahead actions due during the refresh may have been moved or deleted, and the scaling loop writes them again at its next run",
    );
    expect([...world.items.values()].find((i) => i.sk?.S?.startsWith('ROLLOUT#'))?.status).toEqual({
      S: 'FailedNothingChanged',
    });
    expect(world.lockItem()).toBeUndefined();
  });

  /**
   * AWS documents ActiveInstanceRefreshNotFound as "an active instance refresh or rollback … was
   * not found": a RollbackInstanceRefresh on a refresh already rolling back may answer something
   * else, a ValidationError (`AutoScaling.AutoScalingException` in Step Functions), say.
   */
  const rollbackInProgressRefused = () =>
    namedError('AutoScaling.AutoScalingException', 'ValidationError: a rollback is already in progress');

  it.each([
    ["Auto Scaling's own auto rollback fired on the same alarm before the branch's", false],
    ['the first rollback took effect and answered a 5xx', true],
  ])(
    'restores no capacity under a rollback still in progress when rolling it back again is refused (%s)',
    async (_why, lostFirstAnswer) => {
      const world = newWorld();
      world.forwardScript = ['InProgress'];
      world.alarmsInAlarm = ['web-5xx'];
      const forward = () => world.refreshes[world.refreshes.length - 1];
      let looks = 0;
      world.afterSdkCall.set('Describe refreshes for rollback', () => {
        looks += 1;
        const f = forward();
        // Auto Scaling rolls back on its own after the branch's first look.
        if (!lostFirstAnswer && looks === 1 && f) f.Status = 'RollbackInProgress';
        // It keeps rolling back for two more looks.
        if (looks < 3 && f?.Status === 'RollbackSuccessful') f.Status = 'RollbackInProgress';
      });
      world.sdkOverrides.set('Roll back refresh', async () => {
        const f = forward();
        if (f?.Status === 'RollbackInProgress') throw rollbackInProgressRefused();
        if (f) f.Status = 'RollbackInProgress';
        return {};
      });
      if (lostFirstAnswer)
        world.sdkFailuresAfterEffect.set('Roll back refresh', [
          namedError('AutoScaling.AutoScalingException', 'We encountered an internal error.'),
        ]);
      const seen: (string | undefined)[] = [];
      world.taskChecks = async (state) => {
        if (state === 'Restore capacity after rollback') seen.push(forward()?.Status);
        return undefined;
      };
      const result = await runRollingUpdate(definition, world, request);
      expect(result).toMatchObject({ ok: false, error: 'AlarmTriggered' });
      expect((result as { cause: string }).cause).toContain('Auto Scaling rolled the refresh back');
      expect(world.entered).not.toContain('Note rollback failure');
      expect(seen).toEqual(['RollbackSuccessful']);
      expect(world.group).toMatchObject({ minSize: 2, desiredCapacity: 4 });
      expect(world.lockItem()).toBeUndefined();
    },
  );

  it('starts the refresh with its bake time and rolls it back when a watched alarm fires while it bakes', async () => {
    const world = newWorld();
    world.forwardScript = ['InProgress', 'Baking'];
    world.afterSdkCall.set('Describe refresh progress', () => {
      if (world.refreshes[0]?.Status === 'Baking') world.alarmsInAlarm = ['web-5xx'];
    });
    const result = await runRollingUpdate(definition, world, { ...request, bakeTimeSeconds: 1800 });
    expect(world.lastStart).toMatchObject({ Preferences: { BakeTime: 1800 } });
    expect(result).toMatchObject({ ok: false, error: 'AlarmTriggered' });
    expect(world.calls('Roll back refresh')).toHaveLength(1);
    expect(world.group).toMatchObject({ minSize: 2, desiredCapacity: 4 });
    expect(world.lockItem()).toBeUndefined();
  });
});
