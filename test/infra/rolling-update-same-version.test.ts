import { synthesizedTemplate, TEST_CONFIG } from '../helpers/build-test-app';
import { extractDefinition, RollingUpdateWorld } from './rolling-update-harness';
import { runRollingUpdate } from './rolling-update-run';

/**
 * A refresh to the version the group runs already (the maintenance scan's, off hardware EC2
 * retires), on the synthesized rolling-update state machine: the group keeps the version it names,
 * `$Default` included, and a failure is cancelled with nothing to revert.
 */
const definition = extractDefinition(
  synthesizedTemplate({
    ...TEST_CONFIG,
    rollingUpdate: { alarmNames: ['web-5xx'], autoStartOnScheduledEvents: true },
  }),
);
const run = (world: RollingUpdateWorld, input: Record<string, unknown>) =>
  runRollingUpdate(definition, world, input);

/** The maintenance scan's request: the version web runs ($Default resolves to 6 here). */
const maintenance = { groupName: 'web', launchTemplateVersion: '6', reason: 'scheduled-maintenance' };

const newWorld = (group: ConstructorParameters<typeof RollingUpdateWorld>[0]) =>
  new RollingUpdateWorld(group, {
    rollingUpdate: { alarmNames: ['web-5xx'], autoStartOnScheduledEvents: true },
  });

/** Every way the branch could undo a refresh. */
const UNDO_STATES = [
  'Roll back refresh',
  'Start revert refresh',
  'Point group back at previous version',
  'Start revert refresh without desired configuration',
];

describe('A rolling update to the version the group runs already', () => {
  it('names $Default in the desired configuration of a group on $Default, so the group keeps it', async () => {
    const world = newWorld({ launchTemplate: { id: 'lt-0a1b2c3d4e5f60718', version: '$Default' } });
    const result = await run(world, maintenance);
    expect(result).toMatchObject({ ok: true, output: { status: 'Succeeded', targetVersion: '6' } });
    expect(world.lastStart).toMatchObject({
      DesiredConfiguration: {
        LaunchTemplate: { LaunchTemplateId: 'lt-0a1b2c3d4e5f60718', Version: '$Default' },
      },
      Preferences: { AutoRollback: false },
    });
  });

  it('cancels a failed refresh and reverts nothing: the replaced instances run the same version', async () => {
    const world = newWorld({ launchTemplate: { id: 'lt-0a1b2c3d4e5f60718', version: '$Default' } });
    world.forwardScript = ['InProgress', 'Failed'];
    const result = await run(world, maintenance);
    expect(result).toMatchObject({ ok: false, error: 'RefreshFailed' });
    expect((result as { cause: string }).cause).toContain(
      'its instances run version 6 as before: nothing to revert',
    );
    for (const undo of UNDO_STATES) expect([undo, world.calls(undo)]).toEqual([undo, []]);
    expect(world.entered.at(-1)).toBe('Rolled back');
  });

  it('cancels rather than rolls back on an explicit version, where a rollback would replace the new instances again', async () => {
    const world = newWorld({});
    world.forwardScript = ['InProgress'];
    world.alarmsInAlarm = ['web-5xx'];
    const result = await run(world, maintenance);
    expect(result).toMatchObject({ ok: false, error: 'AlarmTriggered' });
    expect(world.lastStart).toMatchObject({
      DesiredConfiguration: { LaunchTemplate: { Version: '6' } },
      Preferences: { AutoRollback: false },
    });
    expect(world.calls('Cancel refresh')).toHaveLength(1);
    for (const undo of UNDO_STATES) expect([undo, world.calls(undo)]).toEqual([undo, []]);
  });

  it('leaves an attribute-based group on $Default: no pointing at the number, a refresh without desired configuration', async () => {
    const world = newWorld({
      launchTemplate: undefined,
      mixedInstances: {
        launchTemplateId: 'lt-0a1b2c3d4e5f60718',
        version: '$Default',
        overrides: [],
        usesAttributeBasedSelection: true,
      },
    });
    world.forwardScript = ['InProgress', 'Failed'];
    const result = await run(world, maintenance);
    expect(result).toMatchObject({ ok: false, error: 'RefreshFailed' });
    expect(world.calls('Point group at target version')).toEqual([]);
    expect(world.calls('Start instance refresh without desired configuration')).toHaveLength(1);
    for (const undo of UNDO_STATES) expect([undo, world.calls(undo)]).toEqual([undo, []]);
  });
});
