import { ResourceNotFoundError } from '../../shared/ports/errors';
import { synthesizedTemplate, TEST_CONFIG } from '../helpers/build-test-app';
import { extractDefinition, RollingUpdateWorld } from './rolling-update-harness';
import { runRollingUpdate } from './rolling-update-run';

/** The synthesized rolling-update state machine, executed on the simulated group's handlers. */
const definition = extractDefinition(
  synthesizedTemplate({ ...TEST_CONFIG, rollingUpdate: { alarmNames: ['web-5xx'] } }),
);
const run = (world: RollingUpdateWorld) =>
  runRollingUpdate(definition, world, { groupName: 'web', launchTemplateVersion: '7' });

/** The Auto Scaling calls that change a group, by the states that make them. */
const MUTATIONS = [
  'Roll back refresh',
  'Cancel refresh',
  'Start revert refresh',
  'Start revert refresh without desired configuration',
  'Point group back at previous version',
  'Point group back, no refresh started',
  'Raise headroom',
  'Restore capacity',
  'Restore capacity after rollback',
];

const rollout = (world: RollingUpdateWorld) =>
  [...world.items.values()].find((i) => i.sk?.S?.startsWith('ROLLOUT#'));

/**
 * The run ended on the group's deletion, every place an operator looks saying so: nothing was
 * rolled back or restored, nobody is told to act on the group by hand, the lock is released.
 */
function expectEndedOnDeletion(world: RollingUpdateWorld, result: unknown) {
  expect(result).toMatchObject({ ok: false, error: 'GroupDeletedDuringUpdate' });
  const cause = (result as { cause: string }).cause;
  expect(cause).toContain(
    'Group deleted: the group is gone: nothing is left to roll back or restore, and nothing more was tried on it',
  );
  expect(cause).not.toMatch(/by hand|NOT restored|rollback itself failed/);
  expect(world.entered.at(-1)).toBe('Group deleted during update');
  for (const state of MUTATIONS) expect(world.calls(state)).toEqual([]);
  expect(world.published.map((p) => p.Subject)).toEqual(['Prescale rolling update ended, group deleted']);
  const message = String(world.published[0]?.Message);
  expect(message).toContain(
    'to launch template version 7 ended: the Auto Scaling group was deleted during the update, so nothing is left to roll back or restore.',
  );
  expect(message).not.toMatch(/by hand|needs attention: true/);
  expect(rollout(world)?.status).toEqual({ S: 'GroupDeleted' });
  expect(JSON.parse(String(rollout(world)?.outcome?.S))).toMatchObject({
    status: 'GroupDeleted',
    needsAttention: false,
  });
  expect(world.lockItem()).toBeUndefined();
}

/** Runs `act` on each verdict of "Check alarms and load" once it is given: the group deleted after a look, say. */
function afterEachLook(world: RollingUpdateWorld, act: (progress: { verdict: string }) => void) {
  const look = world.handlers()['Check alarms and load'] as (input: unknown) => Promise<unknown>;
  const override = async (input: unknown) => {
    // The handler runs the override in its place: off while the real look runs.
    world.lambdaOverrides.delete('Check alarms and load');
    const progress = (await look(input)) as { verdict: string };
    world.lambdaOverrides.set('Check alarms and load', override);
    act(progress);
    return progress;
  };
  world.lambdaOverrides.set('Check alarms and load', override);
}

function refreshingWorld() {
  const world = new RollingUpdateWorld({}, { rollingUpdate: { alarmNames: ['web-5xx'] } });
  world.forwardScript = ['InProgress'];
  return world;
}

describe('RollingUpdateWorkflow on a group deleted during its refresh', () => {
  it('ends on the deletion, undoing nothing, when the watch finds the group gone', async () => {
    const world = refreshingWorld();
    world.afterSdkCall.set('Describe refresh progress', () => world.scalingTarget.groups.delete('web'));
    const result = await run(world);
    expectEndedOnDeletion(world, result);
    expect((result as { cause: string }).cause).toMatch(
      /^GroupDeletedDuringUpdate: Auto Scaling group web was deleted during the update to version 7 Group deleted: /,
    );
  });

  it('ends on the deletion, undoing nothing, when Auto Scaling refuses the next look at the group', async () => {
    const world = refreshingWorld();
    afterEachLook(world, () => world.scalingTarget.groups.delete('web'));
    const result = await run(world);
    expectEndedOnDeletion(world, result);
    // Auto Scaling refused the look at a group it no longer has, as AWS does; the Cause keeps it.
    expect((result as { cause: string }).cause).toMatch(
      /^AutoScaling.AutoScalingException: AutoScalingGroup name not found - AutoScalingGroup web not found Group deleted: /,
    );
  });

  it('ends on the deletion, undoing nothing, when Auto Scaling refuses the headroom on a group gone', async () => {
    const world = refreshingWorld();
    const plan = world.handlers()['Plan headroom'] as (input: unknown) => Promise<unknown>;
    world.lambdaOverrides.set('Plan headroom', async (input: unknown) => {
      world.lambdaOverrides.delete('Plan headroom');
      const planned = await plan(input);
      world.scalingTarget.groups.delete('web');
      return planned;
    });
    const result = await run(world);
    expectEndedOnDeletion(world, result);
    // UpdateAutoScalingGroup's own answer for a missing group (docs/evaluation.md).
    expect((result as { cause: string }).cause).toMatch(
      /^AutoScaling.AutoScalingException: AutoScalingGroup name not found - null Group deleted: /,
    );
  });

  it('ends on the deletion, undoing nothing, when Auto Scaling is deleting the group', async () => {
    const world = refreshingWorld();
    world.afterSdkCall.set('Describe refresh progress', () =>
      world.scalingTarget.groups.set('web', { ...world.group, deleting: true }),
    );
    const result = await run(world);
    expectEndedOnDeletion(world, result);
    expect((result as { cause: string }).cause).toContain(
      'GroupDeletedDuringUpdate: Auto Scaling group web was deleted during the update to version 7',
    );
  });

  it('ends on the deletion at once when the group is deleted while the restore is planned', async () => {
    const world = refreshingWorld();
    world.load = () => 400;
    // Deleted between the restore's look at the group and its read of the group's scheduled
    // actions, which Auto Scaling refuses as the adapter translates it (ResourceNotFoundError).
    const listActions = world.scheduledCapacity.scheduledActions.bind(world.scheduledCapacity);
    world.scheduledCapacity.scheduledActions = async (groupName) => {
      // "Plan headroom" reads them too, before the refresh.
      if (world.refreshes.length === 0) return listActions(groupName);
      world.scalingTarget.groups.delete(groupName);
      throw new ResourceNotFoundError('group', groupName);
    };
    world.forwardScript = ['InProgress', 'Successful'];
    const result = await run(world);
    expectEndedOnDeletion(world, result);
    const restore = world.entered.indexOf('Plan capacity restore');
    expect(world.entered.slice(restore)).toEqual([
      'Plan capacity restore',
      'Is the group still there?',
      'Note group deleted before restore',
      'Nothing left to undo',
      'End group deleted',
      'Notify operators',
      'Summarize rollback',
      'Record outcome',
      'Release group lock',
      'How did it end?',
      'Group deleted during update',
    ]);
    // No Auto Scaling call was made on the deleted group, so none was refused and retried.
    expect(world.sdkCalls.filter((c) => c.state === 'Describe refreshes for rollback')).toEqual([]);
    expect(world.sdkCalls.map((c) => c.state).slice(-3)).toEqual([
      'Notify operators',
      'Record outcome',
      'Release group lock',
    ]);
  });

  it('ends on the deletion, restoring nothing, when the group is deleted as its refresh succeeds', async () => {
    const world = refreshingWorld();
    world.forwardScript = ['InProgress', 'Successful'];
    afterEachLook(world, ({ verdict }) => {
      if (verdict === 'succeeded') world.scalingTarget.groups.delete('web');
    });
    const result = await run(world);
    expectEndedOnDeletion(world, result);
    expect(world.entered).toContain('Note group deleted before restore');
  });
});

describe('RollingUpdateWorkflow on a group deleted before it started', () => {
  const planChild = {
    groupName: 'web',
    launchTemplateVersion: '7',
    planExecutionName: 'plan-20260302T0100-abcd1234',
  };

  it('ends a plan child GroupNoLongerExists at validation, touching nothing', async () => {
    const world = new RollingUpdateWorld();
    await world.planStore.acquirePlanLock({
      groupName: 'web',
      holder: planChild.planExecutionName,
      acquiredAtMs: world.nowMs - 60_000,
      expiresAtMs: world.nowMs + 86_400_000,
    });
    world.scalingTarget.groups.delete('web');
    const result = await runRollingUpdate(definition, world, planChild);
    expect(result).toEqual({
      ok: false,
      error: 'GroupNoLongerExists',
      cause:
        'Auto Scaling group web no longer exists (it did when update plan plan-20260302T0100-abcd1234 was computed): the update to version 7 was not started and nothing was changed',
    });
    expect(world.entered).toEqual([
      'Validate request',
      'Is the request valid?',
      'Request rejected: group no longer exists',
    ]);
    expect(world.sdkCalls).toEqual([]);
  });

  it('still rejects a request of its own naming a group that does not exist', async () => {
    const world = new RollingUpdateWorld();
    world.scalingTarget.groups.delete('web');
    const result = await run(world);
    expect(result).toEqual({
      ok: false,
      error: 'RollingUpdateRejected',
      cause: 'Auto Scaling group web does not exist',
    });
  });
});
