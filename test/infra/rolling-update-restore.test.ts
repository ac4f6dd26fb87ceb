import { ROLLED_OUT_ERROR } from '../../shared/contracts/rolling-update';
import type { RunOutcome } from '../../shared/ports/state-store';
import { synthesizedTemplate, TEST_CONFIG } from '../helpers/build-test-app';
import {
  EXECUTION_NAME,
  extractDefinition,
  namedError,
  RollingUpdateWorld,
  T0,
} from './rolling-update-harness';
import { runScalingLoop } from './rolling-update-loop-run';
import { runRollingUpdate } from './rolling-update-run';

/** The synthesized rolling-update state machine, executed on the simulated group's handlers. */
const definition = extractDefinition(
  synthesizedTemplate({ ...TEST_CONFIG, rollingUpdate: { alarmNames: ['web-5xx'] } }),
);
const request = { groupName: 'web', launchTemplateVersion: '7' };
const run = (world: RollingUpdateWorld) => runRollingUpdate(definition, world, request);

function newWorld() {
  const world = new RollingUpdateWorld({}, { rollingUpdate: { alarmNames: ['web-5xx'] } });
  // 300 at 60 a instance: headroom raises the group from min 2 / desired 4 to 6 / 6.
  world.load = () => 300;
  return world;
}

/** UpdateAutoScalingGroup's fault while launches or terminations run, as Step Functions names it. */
const activityInProgress = () =>
  namedError(
    'AutoScaling.ScalingActivityInProgressException',
    "The operation can't be performed because there are scaling activities in progress.",
  );

/** More faults than the task's retries: the call keeps failing. */
const alwaysInProgress = () => Array.from({ length: 12 }, activityInProgress);

const rollout = (world: RollingUpdateWorld) =>
  [...world.items.values()].find((i) => i.sk?.S?.startsWith('ROLLOUT#'));

describe('RollingUpdateWorkflow capacity restore', () => {
  it('retries a restore that meets scaling activities in progress, after a rollback', async () => {
    const world = newWorld();
    world.forwardScript = ['InProgress', 'Failed'];
    world.sdkFailures.set('Restore capacity after rollback', [activityInProgress(), activityInProgress()]);
    const result = await run(world);
    expect(result).toMatchObject({ ok: false, error: 'RefreshFailed' });
    expect(world.calls('Restore capacity after rollback')).toHaveLength(3);
    expect(world.group).toMatchObject({ minSize: 2, desiredCapacity: 4 });
    expect(String(world.published[0]?.Message)).toContain('(needs attention: false)');
  });

  it('retries a restore that meets scaling activities in progress, after a rollout', async () => {
    const world = newWorld();
    world.sdkFailures.set('Restore capacity', [activityInProgress()]);
    const result = await run(world);
    expect(result).toMatchObject({ ok: true, output: { status: 'Succeeded' } });
    expect(world.calls('Restore capacity')).toHaveLength(2);
    expect(world.group).toMatchObject({ minSize: 2, desiredCapacity: 4 });
  });

  it('reports a restore that failed after a rollback: cause, subject, needs attention, record', async () => {
    const world = newWorld();
    world.forwardScript = ['InProgress', 'Failed'];
    world.sdkFailures.set('Restore capacity after rollback', alwaysInProgress());
    const result = await run(world);
    expect(result).toMatchObject({ ok: false, error: 'RefreshFailed' });
    const cause = (result as { cause: string }).cause;
    expect(cause).toContain('reverted to version 6 by a second refresh');
    expect(cause).toContain(
      'capacity was NOT restored (AutoScaling.ScalingActivityInProgressException: The operation',
    );
    // The headroom is still on the group, and the operators are told so.
    expect(world.group).toMatchObject({ minSize: 6, desiredCapacity: 6 });
    expect(world.published.map((p) => p.Subject)).toEqual([
      'Prescale rolling update rolled back, capacity not restored',
    ]);
    expect(String(world.published[0]?.Message)).toContain('capacity was NOT restored');
    expect(String(world.published[0]?.Message)).toContain('(needs attention: true)');
    const outcome = JSON.parse(String(rollout(world)?.outcome?.S));
    expect(outcome).toMatchObject({ status: 'RolledBack', needsAttention: true });
    expect(world.lockItem()).toBeUndefined();
  });

  it('reports a restore plan that failed after a rollback the same way', async () => {
    const world = newWorld();
    world.forwardScript = ['InProgress', 'Failed'];
    world.lambdaOverrides.set('Plan capacity restore after rollback', async () => {
      throw namedError('ResourceNotFoundError', 'Auto Scaling group web was not found');
    });
    const result = await run(world);
    expect((result as { cause: string }).cause).toContain(
      'capacity was NOT restored (ResourceNotFoundError: Auto Scaling group web was not found)',
    );
    expect(world.published.map((p) => p.Subject)).toEqual([
      'Prescale rolling update rolled back, capacity not restored',
    ]);
  });

  it('reports a restore that failed after a rollout, once the rollback branch failed to restore too, as a rollout whose capacity was not restored', async () => {
    const world = newWorld();
    world.sdkFailures.set('Restore capacity', alwaysInProgress());
    world.sdkFailures.set('Restore capacity after rollback', alwaysInProgress());
    const result = await run(world);
    // A fixed Error, so an update plan counts the group as updated; the step's own is in the Cause.
    expect(result).toMatchObject({ ok: false, error: ROLLED_OUT_ERROR });
    const cause = (result as { cause: string }).cause;
    expect(cause).toContain('AutoScaling.ScalingActivityInProgressException: ');
    expect(cause).toContain('Rolled out: the refresh had already succeeded; the new version stays');
    expect(cause).toContain('capacity was NOT restored');
    // Nothing was rolled back: the new version stays, and every place an operator looks says so.
    expect(world.entered.at(-1)).toBe('Rolled out, capacity not restored');
    expect(world.entered).not.toContain('Rolled back');
    for (const undo of ['Roll back refresh', 'Cancel refresh', 'Start revert refresh'])
      expect(world.calls(undo)).toHaveLength(0);
    expect(world.group).toMatchObject({ minSize: 6, desiredCapacity: 6 });
    expect(world.published.map((p) => p.Subject)).toEqual([
      'Prescale rolling update succeeded, capacity not restored',
    ]);
    const message = String(world.published[0]?.Message);
    expect(message).not.toContain('did not complete');
    expect(message).toMatch(
      /^Rolling update \S+ of Auto Scaling group web to launch template version 7 rolled out: the new version stays and nothing was rolled back, but a later step failed \(its Error and Cause follow\) and capacity was NOT restored: set MinSize and DesiredCapacity back by hand\. Error: AutoScaling\.ScalingActivityInProgressException\. Cause: /,
    );
    expect(message).toContain('(needs attention: true)');
    expect(rollout(world)?.status).toEqual({ S: 'SucceededCapacityNotRestored' });
    expect(JSON.parse(String(rollout(world)?.outcome?.S))).toMatchObject({
      status: 'SucceededCapacityNotRestored',
      error: 'AutoScaling.ScalingActivityInProgressException',
      needsAttention: true,
    });
    expect(world.lockItem()).toBeUndefined();
  });

  it('reports a rollout whose restore failed and then succeeded in the rollback branch as a rollout, not a rollback', async () => {
    const world = newWorld();
    world.sdkFailures.set('Restore capacity', alwaysInProgress());
    const result = await run(world);
    expect(result).toMatchObject({ ok: false, error: ROLLED_OUT_ERROR });
    expect((result as { cause: string }).cause).toContain('AutoScaling.ScalingActivityInProgressException: ');
    expect((result as { cause: string }).cause).toContain(
      'Rolled out: the refresh had already succeeded; the new version stays',
    );
    expect(world.entered.at(-1)).toBe('Rolled out, needs attention');
    expect(world.group).toMatchObject({ minSize: 2, desiredCapacity: 4 });
    expect(world.published.map((p) => p.Subject)).toEqual([
      'Prescale rolling update succeeded, needs attention',
    ]);
    const message = String(world.published[0]?.Message);
    expect(message).not.toContain('did not complete');
    expect(message).toMatch(
      /^Rolling update \S+ of Auto Scaling group web to launch template version 7 rolled out: the new version stays and nothing was rolled back, and capacity was restored, but a later step failed \(its Error and Cause follow\) and needs attention\. Error: AutoScaling\.ScalingActivityInProgressException\. Cause: /,
    );
    expect(rollout(world)?.status).toEqual({ S: 'SucceededNeedsAttention' });
    expect(world.lockItem()).toBeUndefined();
  });
});

describe('RollingUpdateWorkflow capacity restore, with the owner acting during the refresh', () => {
  it('keeps a MinSize the owner raised during the refresh', async () => {
    const world = newWorld();
    world.forwardScript = ['InProgress', 'InProgress', 'Successful'];
    let looks = 0;
    world.afterSdkCall.set('Describe refresh progress', () => {
      looks += 1;
      // The owner's business-hours floor: MinSize 8, desired 8, mid-refresh.
      if (looks === 1) void world.scalingTarget.updateCapacity('web', { minSize: 8, desiredCapacity: 8 });
    });
    const result = await run(world);
    expect(result).toMatchObject({ ok: true, output: { status: 'Succeeded' } });
    expect(world.scalingTarget.updates.at(-1)?.change).toEqual({ minSize: 8, desiredCapacity: 8 });
    expect(world.group).toMatchObject({ minSize: 8, desiredCapacity: 8 });
  });

  it("never restores below the MinSize the owner's scheduled action holds now", async () => {
    const world = newWorld();
    // The owner's action sets MinSize 7 at 01:00 UTC every day (the run starts at 01:00).
    world.scheduledCapacity.actions.set(
      'web',
      new Map([['business-floor', { name: 'business-floor', recurrence: '0 1 * * *', minSize: 7 }]]),
    );
    const result = await run(world);
    expect(result).toMatchObject({ ok: true, output: { status: 'Succeeded' } });
    expect(world.scalingTarget.updates.map((u) => u.change)).toEqual([
      { minSize: 6, desiredCapacity: 6 },
      { minSize: 7, desiredCapacity: 7 },
    ]);
    expect(result).toMatchObject({
      output: { restore: expect.stringContaining("owner's scheduled MinSize 7") },
    });
  });

  /**
   * The owner's night action (MinSize 1, desired 1 at 01:30 UTC every day; the run starts at 01:00),
   * run by Auto Scaling after the first look at the refresh, the load then `loadAfter`.
   */
  const nightScaleDownDuringRefresh = (world: ReturnType<typeof newWorld>, loadAfter: number): void => {
    world.scheduledCapacity.actions.set(
      'web',
      new Map([['night', { name: 'night', recurrence: '30 1 * * *', minSize: 1, desiredCapacity: 1 }]]),
    );
    world.forwardScript = ['InProgress', 'InProgress', 'Successful'];
    let looks = 0;
    world.afterSdkCall.set('Describe refresh progress', () => {
      looks += 1;
      if (looks !== 1) return;
      world.nowMs += 35 * 60_000;
      world.load = () => loadAfter;
      void world.scalingTarget.updateCapacity('web', { minSize: 1, desiredCapacity: 1 });
    });
  };

  it("keeps the owner's night scale-down that ran during the refresh, launching nothing", async () => {
    const world = newWorld();
    // No load is left after the night action for the workflow to raise for.
    nightScaleDownDuringRefresh(world, 0);
    const result = await run(world);
    expect(result).toMatchObject({ ok: true, output: { status: 'Succeeded' } });
    expect(world.scalingTarget.updates.at(-1)?.change).toEqual({ minSize: 1, desiredCapacity: 1 });
    expect(world.group).toMatchObject({ minSize: 1, desiredCapacity: 1 });
  });

  it("takes the workflow's raise below its headroom, after the owner's scale-down, for its own", async () => {
    const world = newWorld();
    // After the night action, 30 at 60 an instance still wants 1 healthy: a raise to 2 / 2.
    nightScaleDownDuringRefresh(world, 30);
    const result = await run(world);
    expect(result).toMatchObject({ ok: true, output: { status: 'Succeeded' } });
    expect(world.scalingTarget.updates.map((u) => u.change)).toEqual([
      { minSize: 6, desiredCapacity: 6 },
      { minSize: 1, desiredCapacity: 1 },
      { minSize: 2, desiredCapacity: 2 },
      { minSize: 1, desiredCapacity: 2 },
    ]);
  });

  it('keeps a MinSize the owner raised during the refresh after a rollback too', async () => {
    const world = newWorld();
    world.forwardScript = ['InProgress', 'Failed'];
    world.afterSdkCall.set('Start instance refresh', () => {
      void world.scalingTarget.updateCapacity('web', { minSize: 8, desiredCapacity: 8 });
    });
    const result = await run(world);
    expect(result).toMatchObject({ ok: false, error: 'RefreshFailed' });
    expect(world.group).toMatchObject({ minSize: 8, desiredCapacity: 8 });
  });
});

describe('RollingUpdateWorkflow capacity restore after the scaling loop ran during the refresh', () => {
  /** A world whose loop runs once while the refresh is in progress, after `meanwhile`. */
  function loopRunsDuringRefresh(meanwhile: (world: RollingUpdateWorld) => void) {
    const world = newWorld();
    const outcomes: RunOutcome[] = [];
    world.afterSdkCall.set('Describe refresh progress', async () => {
      if (outcomes.length > 0) return;
      meanwhile(world);
      outcomes.push(await runScalingLoop(world));
    });
    return { world, outcomes };
  }

  it("keeps the floor the loop plans for now when only this update's lock held its run", async () => {
    const { world, outcomes } = loopRunsDuringRefresh(() => undefined);
    expect(await run(world)).toMatchObject({ ok: true, output: { status: 'Succeeded' } });
    expect(outcomes).toEqual([expect.objectContaining({ kind: 'held', heldOnlyByLock: EXECUTION_NAME })]);
    // 300 at 60 an instance: the loop plans 5 now, above the original MinSize 2.
    expect(world.group).toMatchObject({ minSize: 5, desiredCapacity: 5 });
  });

  it.each([
    [
      'the owner paused the group by tag',
      (world: RollingUpdateWorld) =>
        world.scalingTarget.groups.set('web', {
          ...world.group,
          tags: { ...world.group.tags, 'prescale:paused': 'true' },
        }),
    ],
    ['the kill switch was turned on', (world: RollingUpdateWorld) => (world.killSwitchOn = true)],
    [
      'someone suspended Launch',
      (world: RollingUpdateWorld) =>
        world.scalingTarget.groups.set('web', { ...world.group, suspendedProcesses: ['Launch'] }),
    ],
  ])(
    'restores the original floor when %s during the refresh: the loop stays held after the update',
    async (_, hold) => {
      const { world, outcomes } = loopRunsDuringRefresh(hold);
      await run(world);
      expect(outcomes).toEqual([expect.objectContaining({ kind: 'held' })]);
      expect(outcomes[0]).not.toHaveProperty('heldOnlyByLock');
      expect(world.group).toMatchObject({ minSize: 2 });
    },
  );
});

describe('RollingUpdateWorkflow headroom while the scaling loop is down', () => {
  const MINUTE_MS = 60_000;

  /**
   * The loop pre-warmed `web` to MinSize 4 (its own: 2) and left its look-ahead (a group without
   * scaling policies: MinSize and DesiredCapacity), then stopped right after the lock: its Lambda
   * failing, say. Auto Scaling runs each action at its time, one look at the refresh every 6 minutes.
   */
  function loopDownWorld() {
    const world = newWorld();
    world.scalingTarget.groups.set('web', { ...world.group, minSize: 4 });
    world.scheduledCapacity.actions.set(
      'web',
      new Map(
        [
          { name: 'prescale-next', startMs: T0 + 10 * MINUTE_MS, minSize: 4, desiredCapacity: 4 },
          { name: 'prescale-20260302T0120Z', startMs: T0 + 20 * MINUTE_MS, minSize: 3, desiredCapacity: 3 },
          { name: 'prescale-20260302T0130Z', startMs: T0 + 30 * MINUTE_MS, minSize: 2 },
        ].map((a) => [a.name, a]),
      ),
    );
    world.forwardScript = [
      'InProgress',
      'InProgress',
      'InProgress',
      'InProgress',
      'InProgress',
      'Successful',
    ];
    const duringRefresh: { minSize: number; desiredCapacity: number }[] = [];
    world.afterSdkCall.set('Describe refresh progress', async () => {
      world.nowMs += 6 * MINUTE_MS;
      await runDueActions(world);
      const { minSize, desiredCapacity } = world.group;
      duringRefresh.push({ minSize, desiredCapacity });
    });
    return { world, duringRefresh };
  }

  /** Auto Scaling running each of `web`'s actions due by the world's clock, then forgetting it. */
  async function runDueActions(world: RollingUpdateWorld) {
    for (const action of world.scheduledCapacity.of('web')) {
      if ((action.startMs ?? Number.POSITIVE_INFINITY) > world.nowMs) continue;
      await world.scalingTarget.updateCapacity('web', {
        ...(action.minSize !== undefined ? { minSize: action.minSize } : {}),
        ...(action.desiredCapacity !== undefined ? { desiredCapacity: action.desiredCapacity } : {}),
      });
      world.scheduledCapacity.actions.get('web')?.delete(action.name);
    }
  }

  it("keeps MinSize and DesiredCapacity at the headroom while the refresh runs: the loop's look-ahead due by the deadline that cuts it is deleted under the lock", async () => {
    const { world, duringRefresh } = loopDownWorld();
    const result = await run(world);
    expect(result).toMatchObject({ ok: true, output: { status: 'Succeeded' } });
    // Past every action's time: each would have run.
    expect(world.nowMs).toBeGreaterThan(T0 + 30 * MINUTE_MS);
    expect(duringRefresh).toHaveLength(6);
    for (const seen of duringRefresh) expect(seen).toEqual({ minSize: 6, desiredCapacity: 6 });
    // Only the give-back is left, moved past the lock's expiry.
    expect(world.scheduledCapacity.of('web')).toEqual([
      { name: expect.stringMatching(/^prescale-2026/), startMs: expect.any(Number), minSize: 2 },
    ]);
  });

  it("restores the original MinSize, then the moved give-back gives the group's own back once the lock has expired", async () => {
    const { world } = loopDownWorld();
    const result = await run(world);
    // Nothing given back early (since 2026-12-07): with the loop down, no plan says it is safe.
    expect(result).toMatchObject({
      ok: true,
      output: { restore: 'min 6 → 4 (original 4); desired 6 → 4 (original 4)' },
    });
    expect(world.group).toMatchObject({ minSize: 4, desiredCapacity: 4 });
    const [moved] = world.scheduledCapacity.of('web');
    expect(moved?.startMs).toBeGreaterThan(world.nowMs);
    world.nowMs = moved?.startMs ?? Number.NaN;
    await runDueActions(world);
    expect(world.group).toMatchObject({ minSize: 2, desiredCapacity: 4 });
    expect(world.scheduledCapacity.of('web')).toEqual([]);
  });
});
