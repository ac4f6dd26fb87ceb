import type { GroupSnapshot } from '../../shared/ports/scaling-target';
import { synthesizedTemplate, TEST_CONFIG } from '../helpers/build-test-app';
import { extractDefinition, RollingUpdateWorld, T0 } from './rolling-update-harness';
import { runRollingUpdate } from './rolling-update-run';

/** The synthesized rolling-update state machine, executed on the simulated group's handlers. */
const definition = extractDefinition(
  synthesizedTemplate({ ...TEST_CONFIG, rollingUpdate: { alarmNames: ['web-5xx'] } }),
);
const request = { groupName: 'web', launchTemplateVersion: '7' };
const run = (world: RollingUpdateWorld) => runRollingUpdate(definition, world, request);

type Mixed = NonNullable<GroupSnapshot['mixedInstances']>;
const TEMPLATE = 'lt-0a1b2c3d4e5f60718';
const MIXED: Mixed = {
  launchTemplateId: TEMPLATE,
  version: '6',
  overrides: [{ instanceType: 'm5.large' }, { instanceType: 'm6i.large' }],
  usesAttributeBasedSelection: false,
  instancesDistribution: { OnDemandPercentageAboveBaseCapacity: 100 },
};

function newWorld(group: Partial<GroupSnapshot> = {}) {
  return new RollingUpdateWorld(group, { rollingUpdate: { alarmNames: ['web-5xx'] } });
}

/**
 * Busy for two hours, so the update validates, then waits for low load; after its first look for a
 * window `change` acts on the group (its owner, or Prescale's own instance-type change: no lock is
 * held while the update waits).
 */
function changeDuringWait(
  world: RollingUpdateWorld,
  change: (group: GroupSnapshot) => Partial<GroupSnapshot>,
) {
  world.load = (t) => (t < T0 + 2 * 3_600_000 ? 600 : 120);
  const chooseNow = world.handlers()['Choose update window'] as (input: unknown) => Promise<unknown>;
  world.lambdaOverrides.set('Choose update window', async (input) => {
    world.lambdaOverrides.delete('Choose update window');
    const window = await chooseNow(input);
    world.scalingTarget.groups.set('web', { ...world.group, ...change(world.group) });
    return window;
  });
}

const cheaperTypes = (g: GroupSnapshot): Partial<GroupSnapshot> => ({
  mixedInstances: {
    ...(g.mixedInstances as Mixed),
    overrides: [{ instanceType: 'm7i.large' }],
    instancesDistribution: { OnDemandPercentageAboveBaseCapacity: 50 },
  },
});

const rollout = (world: RollingUpdateWorld) =>
  [...world.items.values()].find((i) => i.sk?.S?.startsWith('ROLLOUT#'));

/**
 * Nothing was started or changed, and every place an operator looks says so: the end state, the
 * notification's subject and the record (not "Rolled back": nothing was). The lock is gone.
 */
function expectRefused(
  world: RollingUpdateWorld,
  result: unknown,
  why: string,
  refusal = {
    error: 'GroupChangedSinceValidation',
    state: 'Refused: group changed since validation',
    notStarted: 'the update to version 7 was not started, so it undoes nothing of that change',
  },
) {
  const { error } = refusal;
  expect(result).toMatchObject({ ok: false, error });
  const cause = (result as { cause: string }).cause;
  expect(cause).toContain(why);
  expect(cause).toContain(refusal.notStarted);
  expect(cause).toContain('Refused: nothing needed undoing');
  expect(world.entered.at(-1)).toBe(refusal.state);
  expect(world.entered).not.toContain('Rolled back');
  expect(world.refreshes).toEqual([]);
  expect(world.calls('Add headroom')).toEqual([]);
  // Not even a capacity restore: the group is left exactly as its owner set it.
  expect(world.scalingTarget.updates).toEqual([]);
  expect(world.published.map((p) => p.Subject)).toEqual(['Prescale rolling update refused, nothing changed']);
  expect(String(world.published[0]?.Message)).toContain(
    `to launch template version 7 was refused: nothing was started or changed. Error: ${error}.`,
  );
  expect(rollout(world)?.status).toEqual({ S: 'Refused' });
  expect(JSON.parse(String(rollout(world)?.outcome?.S))).toMatchObject({
    status: 'Refused',
    error,
    needsAttention: false,
  });
  expect(world.lockItem()).toBeUndefined();
}

describe('RollingUpdateWorkflow on a group that changed while the update waited', () => {
  it("refreshes with the group's overrides and instances distribution as they are now, not as validated", async () => {
    const world = newWorld({ launchTemplate: undefined, mixedInstances: MIXED });
    changeDuringWait(world, cheaperTypes);
    const result = await run(world);
    expect(result).toMatchObject({ ok: true, output: { status: 'Succeeded' } });
    expect(world.entered).toContain('Wait for low load');
    expect(world.lastStart?.DesiredConfiguration).toEqual({
      MixedInstancesPolicy: {
        LaunchTemplate: {
          LaunchTemplateSpecification: { LaunchTemplateId: TEMPLATE, Version: '7' },
          Overrides: [{ InstanceType: 'm7i.large' }],
        },
        InstancesDistribution: { OnDemandPercentageAboveBaseCapacity: 50 },
      },
    });
    const plan = JSON.parse(String(rollout(world)?.plan?.S));
    expect(plan.notes.join('\n')).toContain(
      'the group changed since the update was validated at 2026-03-02T01:00:00.000Z: the refresh keeps it as it is now (version 7, overrides m7i.large, InstancesDistribution OnDemandPercentageAboveBaseCapacity 50; it was version 7, overrides m5.large, m6i.large, InstancesDistribution OnDemandPercentageAboveBaseCapacity 100) and changes only its launch template version',
    );
  });

  it('carries the re-planned plan once, in $.plan, for the rest of the run', async () => {
    const world = newWorld({ launchTemplate: undefined, mixedInstances: MIXED });
    changeDuringWait(world, cheaperTypes);
    const states: Record<string, unknown>[] = [];
    const planRestore = world.handlers()['Plan capacity restore'] as (input: unknown) => Promise<unknown>;
    world.lambdaOverrides.set('Plan capacity restore', async (input) => {
      world.lambdaOverrides.delete('Plan capacity restore');
      states.push(input as Record<string, unknown>);
      return planRestore(input);
    });
    expect(await run(world)).toMatchObject({ ok: true, output: { status: 'Succeeded' } });
    expect(states).toHaveLength(1);
    expect(states[0]?.planned).toEqual({ kind: 'planned' });
    expect(states[0]?.plan).toMatchObject({ desiredConfiguration: expect.anything() });
  });

  it("reverts a failed refresh onto the group's overrides as they are now too", async () => {
    const world = newWorld({ launchTemplate: undefined, mixedInstances: MIXED });
    changeDuringWait(world, cheaperTypes);
    world.forwardScript = ['InProgress', 'Failed'];
    const result = await run(world);
    expect(result).toMatchObject({ ok: false, error: 'RefreshFailed' });
    expect(world.calls('Start revert refresh')[0]?.DesiredConfiguration).toEqual({
      MixedInstancesPolicy: {
        LaunchTemplate: {
          LaunchTemplateSpecification: { LaunchTemplateId: TEMPLATE, Version: '6' },
          Overrides: [{ InstanceType: 'm7i.large' }],
        },
        InstancesDistribution: { OnDemandPercentageAboveBaseCapacity: 50 },
      },
    });
  });

  it('does not start when the group moved to another version meanwhile', async () => {
    const world = newWorld();
    world.templateVersions.set('8', { launchTemplateId: TEMPLATE, versionNumber: 8, imageId: 'ami-8' });
    changeDuringWait(world, () => ({ launchTemplate: { id: TEMPLATE, version: '8' } }));
    const result = await run(world);
    expectRefused(
      world,
      result,
      `group web runs version 8 of ${TEMPLATE} now, not version 6 (the update was validated at 2026-03-02T01:00:00.000Z on the group as it was then)`,
    );
  });

  it('does not start when the version $Default names moved meanwhile', async () => {
    const world = newWorld({ launchTemplate: { id: TEMPLATE, version: '$Default' } });
    world.templateVersions.set('8', { launchTemplateId: TEMPLATE, versionNumber: 8, imageId: 'ami-8' });
    changeDuringWait(world, () => {
      world.aliases.$Default = '8';
      return {};
    });
    const result = await run(world);
    expectRefused(world, result, `group web runs version 8 ($Default) of ${TEMPLATE} now, not version 6`);
  });

  const unusable = {
    error: 'LaunchTemplateVersionUnusable',
    state: 'Refused: launch template version unusable',
    notStarted: 'the update to version 7 was not started and nothing was changed',
  };

  it('goes on and starts the refresh to the target when the image $Default names was deregistered meanwhile, as validation allowed', async () => {
    const world = newWorld({ launchTemplate: { id: TEMPLATE, version: '$Default' } });
    changeDuringWait(world, () => {
      world.deregisteredImages.add('ami-6');
      return {};
    });
    expect(await run(world)).toMatchObject({ ok: true, output: { status: 'Succeeded' } });
    expect(world.lastStart?.DesiredConfiguration).toMatchObject({
      LaunchTemplate: { LaunchTemplateId: TEMPLATE, Version: '7' },
    });
    const plan = JSON.parse(String(rollout(world)?.plan?.S));
    expect(plan.previousVersion).toBeUndefined();
    expect(plan.revertDesiredConfiguration).toBeUndefined();
    expect(plan.notes).toContain(
      "the group's version $Default (version 6 when validated) cannot be read now (gone, or its image deregistered); a revert is impossible",
    );
  });

  it.each([
    [
      'its image was deregistered',
      (w: RollingUpdateWorld) => w.deregisteredImages.add('ami-7'),
      `version 7 of launch template ${TEMPLATE} exists, but its image ami-7 was not found (deregistered, or not shared with this account)`,
    ],
    [
      'it was deleted',
      (w: RollingUpdateWorld) => w.templateVersions.delete('7'),
      `launch template ${TEMPLATE} has no version 7`,
    ],
  ])(
    'does not start when the target version is unusable because %s meanwhile',
    async (_what, change, why) => {
      const world = newWorld();
      changeDuringWait(world, () => {
        change(world);
        return {};
      });
      expectRefused(world, await run(world), why, unusable);
    },
  );

  it.each([
    ['its version was deleted', (w: RollingUpdateWorld) => w.templateVersions.delete('6')],
    ["its version's image was deregistered", (w: RollingUpdateWorld) => w.deregisteredImages.add('ami-6')],
  ])(
    'does not start an attribute-based group whose $Default no longer resolves because %s meanwhile, as validation refuses it',
    async (_what, change) => {
      const world = newWorld({
        launchTemplate: undefined,
        mixedInstances: { ...MIXED, version: '$Default', overrides: [], usesAttributeBasedSelection: true },
      });
      changeDuringWait(world, () => {
        change(world);
        return {};
      });
      expectRefused(
        world,
        await run(world),
        'group web selects instance types by attributes, so a rollback needs the version it runs, and $Default no longer resolves (version 6 gone, or its image deregistered) (it did when the update was validated at 2026-03-02T01:00:00.000Z)',
        unusable,
      );
    },
  );

  it('does not start, nor roll back, when the group was deleted meanwhile', async () => {
    const world = newWorld();
    // Deleted after the last look for a window: under the lock, "Plan headroom" finds it gone.
    world.afterSdkCall.set('Acquire group lock', () => world.scalingTarget.groups.delete('web'));
    expectRefused(
      world,
      await run(world),
      'Auto Scaling group web no longer exists (it did when the update was validated at 2026-03-02T01:00:00.000Z)',
      {
        error: 'GroupNoLongerExists',
        state: 'Refused: group no longer exists',
        notStarted: 'the update to version 7 was not started and nothing was changed',
      },
    );
  });

  it.each([
    [
      'protected from scale in',
      { protectedInstances: 2 },
      '2 instance(s) of web are protected from scale in: a refresh would wait an hour for their protection to go, then fail',
    ],
    [
      'put in Standby',
      { standbyInstances: 1 },
      '1 instance(s) of web are in Standby: a refresh would wait an hour for them to return to service, then fail',
    ],
  ])(
    'does not start, add headroom, nor roll back when instances were %s after the last look for a window',
    async (_what, since, why) => {
      const world = newWorld();
      // Under the lock, "Plan headroom" finds them: AWS's default Wait would fail the refresh an hour in.
      world.afterSdkCall.set('Acquire group lock', () =>
        world.scalingTarget.groups.set('web', { ...world.group, ...since }),
      );
      expectRefused(world, await run(world), why, {
        error: 'GroupChangedSinceValidation',
        state: 'Refused: group changed since validation',
        notStarted: 'the update to version 7 was not started and nothing was changed',
      });
      expect(world.calls('Start instance refresh')).toEqual([]);
    },
  );

  it('ends refused, recorded and notified, when the group was deleted while the update waited for a window', async () => {
    const world = newWorld();
    // Busy for two hours: after its first look the update waits, and its owner deletes the group.
    world.load = (t) => (t < T0 + 2 * 3_600_000 ? 600 : 120);
    const chooseNow = world.handlers()['Choose update window'] as (input: unknown) => Promise<unknown>;
    world.lambdaOverrides.set('Choose update window', async (input) => {
      world.lambdaOverrides.delete('Choose update window');
      const window = await chooseNow(input);
      world.scalingTarget.groups.delete('web');
      return window;
    });
    expectRefused(
      world,
      await run(world),
      'Auto Scaling group web no longer exists (it did when the update was validated at 2026-03-02T01:00:00.000Z)',
      {
        error: 'GroupNoLongerExists',
        state: 'Refused: group no longer exists',
        notStarted: 'the update to version 7 was not started and nothing was changed',
      },
    );
    // No lock was taken: the update waited without one.
    expect(world.calls('Acquire group lock')).toEqual([]);
  });

  it('does not start when the group launches from another launch template meanwhile', async () => {
    const world = newWorld();
    changeDuringWait(world, () => ({ launchTemplate: { id: 'lt-0fedcba9876543210', version: '3' } }));
    const result = await run(world);
    expectRefused(
      world,
      result,
      `group web launches from launch template lt-0fedcba9876543210 now, not ${TEMPLATE}`,
    );
  });

  it('does not start when the group took to selecting instance types by attributes meanwhile', async () => {
    const world = newWorld({ launchTemplate: undefined, mixedInstances: MIXED });
    changeDuringWait(world, (g) => ({
      mixedInstances: { ...(g.mixedInstances as Mixed), overrides: [], usesAttributeBasedSelection: true },
    }));
    const result = await run(world);
    expectRefused(world, result, 'group web selects instance types by attributes now');
  });
});
