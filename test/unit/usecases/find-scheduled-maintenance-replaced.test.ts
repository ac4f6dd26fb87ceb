import { parseConfig } from '../../../shared/contracts/parse-config';
import { userConfigSchema } from '../../../shared/contracts/user-config';
import type { ScheduledInstanceEvent } from '../../../shared/ports/maintenance-events';
import type { GroupSnapshot } from '../../../shared/ports/scaling-target';
import type { WorkflowStart } from '../../../shared/ports/workflow-starter';
import {
  findScheduledMaintenance,
  unservedGroups,
} from '../../../shared/usecases/find-scheduled-maintenance';
import { FakeScalingTarget, groupSnapshot } from '../../fakes/fake-scaling-target';

const NOW = Date.parse('2026-03-02T09:30:00Z');
const DAY = 86_400_000;

/** A retirement in two days on `instanceId` of `groupName`, as the adapter reads it with its lifecycle. */
const retirement = (
  instanceId: string,
  groupName: string,
  instance: Pick<ScheduledInstanceEvent, 'lifecycleState' | 'protectedFromScaleIn'> = {},
): ScheduledInstanceEvent => ({
  instanceId,
  groupName,
  code: 'instance-retirement',
  notBeforeMs: NOW + 2 * DAY,
  description: 'degraded hardware',
  lifecycleState: 'InService',
  protectedFromScaleIn: false,
  ...instance,
});

/** The scan over `groups` (each on lt-1, version 6) with `events`; the starts it made. */
async function scan(
  events: ScheduledInstanceEvent[],
  {
    groups = [groupSnapshot({ name: 'web', launchTemplate: { id: 'lt-1', version: '6' } })],
    scaleInProtectedInstances = 'Wait',
    templateReadFails,
  }: {
    readonly groups?: GroupSnapshot[];
    readonly scaleInProtectedInstances?: 'Refresh' | 'Ignore' | 'Wait';
    /** The launch-template read fails with this for the group whose template is `lt-broken`. */
    readonly templateReadFails?: Error;
  } = {},
) {
  const started: string[] = [];
  const config = parseConfig(
    userConfigSchema,
    {
      mode: 'forecast-and-scale',
      groups: { names: groups.map((g) => g.name) },
      rollingUpdate: { autoStartOnScheduledEvents: true, scaleInProtectedInstances },
    },
    'test',
  );
  const actions = await findScheduledMaintenance(
    {
      scalingTarget: new FakeScalingTarget(groups),
      maintenanceEvents: { upcomingEvents: async () => events },
      launchTemplates: {
        launchTemplate: async (id: string) => {
          if (id === 'lt-broken' && templateReadFails) throw templateReadFails;
          return { launchTemplateId: id, versionNumber: 6 };
        },
      },
      starter: {
        start: async (name: string): Promise<WorkflowStart> => {
          started.push(name);
          return { kind: 'started', executionName: name, executionArn: `arn:${name}` };
        },
      },
      clock: { nowMs: () => NOW },
      runningRollingUpdates: async () => [],
      deployment: 'Prescale',
      isGloballyPaused: async () => false,
    },
    config,
  );
  return { actions, started };
}

describe('findScheduledMaintenance and the instances a refresh would not replace', () => {
  it('starts nothing for events only on instances leaving the group, in Standby, or protected under Ignore', async () => {
    const { actions, started } = await scan(
      [
        retirement('i-1', 'web', { lifecycleState: 'Terminating:Wait' }),
        retirement('i-2', 'web', { lifecycleState: 'Standby' }),
        retirement('i-3', 'web', { protectedFromScaleIn: true }),
      ],
      { scaleInProtectedInstances: 'Ignore' },
    );
    expect(started).toEqual([]);
    expect(actions).toEqual([
      {
        kind: 'skipped',
        groupName: 'web',
        reason:
          'no refresh replaces the instances with events: i-1 already leaving the group (Terminating:Wait); i-2 in Standby, which a refresh waits an hour on, then fails (return it to service first); i-3 protected from scale in, which a refresh leaves in place under scaleInProtectedInstances Ignore',
      },
    ]);
  });

  it('starts nothing for an event on an instance stopped or hibernated in the warm pool', async () => {
    const { actions, started } = await scan([
      retirement('i-1', 'web', { lifecycleState: 'Warmed:Stopped' }),
      { ...retirement('i-2', 'web', { lifecycleState: 'Warmed:Hibernated' }), code: 'system-reboot' },
    ]);
    expect(started).toEqual([]);
    const stopped = (id: string, state: string) =>
      `${id} stopped in the warm pool (${state}): the event finds it stopped, and the start that brings it into service moves it to healthy hardware`;
    expect(actions).toEqual([
      {
        kind: 'skipped',
        groupName: 'web',
        reason: `no refresh replaces the instances with events: ${stopped('i-1', 'Warmed:Stopped')}; ${stopped('i-2', 'Warmed:Hibernated')}`,
      },
    ]);
    // A pool instance running (or launching) still has its event served.
    const running = await scan([retirement('i-3', 'web', { lifecycleState: 'Warmed:Running' })]);
    expect(running.started).toEqual(['web-v6-20260302T0000']);
  });

  it('refreshes for the instances it replaces, naming only those', async () => {
    const { actions, started } = await scan([
      retirement('i-1', 'web', { lifecycleState: 'Standby' }),
      retirement('i-2', 'web'),
    ]);
    expect(started).toEqual(['web-v6-20260302T0000']);
    expect(actions).toEqual([expect.objectContaining({ kind: 'started', instanceIds: ['i-2'] })]);
  });

  it('starts none on a group with instances protected from scale in under Wait, which the workflow refuses', async () => {
    const web = groupSnapshot({
      name: 'web',
      launchTemplate: { id: 'lt-1', version: '6' },
      protectedInstances: 2,
    });
    const { actions, started } = await scan([retirement('i-1', 'web')], { groups: [web] });
    expect(started).toEqual([]);
    expect(actions).toEqual([
      {
        kind: 'skipped',
        groupName: 'web',
        reason: expect.stringMatching(
          /^2 instance\(s\) of web are protected from scale in: a refresh would wait an hour/,
        ),
        unserved: { code: 'instance-retirement', instanceId: 'i-1', notBefore: '2026-03-04T09:30:00.000Z' },
      },
    ]);
  });

  it('starts none on a group with an instance in Standby, which the refresh would wait on, then fail', async () => {
    const web = groupSnapshot({
      name: 'web',
      launchTemplate: { id: 'lt-1', version: '6' },
      standbyInstances: 1,
    });
    const { actions, started } = await scan([retirement('i-1', 'web')], { groups: [web] });
    expect(started).toEqual([]);
    expect(actions).toEqual([
      {
        kind: 'skipped',
        groupName: 'web',
        reason: expect.stringMatching(/^1 instance\(s\) of web are in Standby: a refresh would wait an hour/),
        unserved: { code: 'instance-retirement', instanceId: 'i-1', notBefore: '2026-03-04T09:30:00.000Z' },
      },
    ]);
  });

  it('goes on with the other groups when one fails, and reports it as failed', async () => {
    const groups = [
      // Its version is resolved from the template (`$Default`), whose read fails.
      groupSnapshot({ name: 'a-api', launchTemplate: { id: 'lt-broken', version: '$Default' } }),
      groupSnapshot({ name: 'b-web', launchTemplate: { id: 'lt-1', version: '6' } }),
    ];
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'RequestLimitExceeded' });
    const { actions, started } = await scan([retirement('i-1', 'a-api'), retirement('i-2', 'b-web')], {
      groups,
      templateReadFails: throttled,
    });
    expect(started).toEqual(['b-web-v6-20260302T0000']);
    expect(actions).toEqual([
      { kind: 'failed', groupName: 'a-api', reason: 'RequestLimitExceeded: Rate exceeded' },
      expect.objectContaining({ kind: 'started', groupName: 'b-web' }),
    ]);
  });

  it('counts as unserved a group skipped with events a refresh would replace, with its first such event', async () => {
    const web = groupSnapshot({
      name: 'web',
      launchTemplate: { id: 'lt-1', version: '6' },
      protectedInstances: 2,
    });
    const { actions } = await scan(
      [
        // Earlier, but on an instance a refresh would not replace: not the one named.
        { ...retirement('i-0', 'web', { lifecycleState: 'Standby' }), notBeforeMs: NOW + DAY },
        { ...retirement('i-2', 'web'), code: 'system-reboot', notBeforeMs: NOW + 3 * DAY },
        retirement('i-1', 'web'),
      ],
      { groups: [web] },
    );
    expect(unservedGroups(actions).map((a) => [a.groupName, a.unserved])).toEqual([
      ['web', { code: 'instance-retirement', instanceId: 'i-1', notBefore: '2026-03-04T09:30:00.000Z' }],
    ]);
  });

  it('counts as unserved neither a group not enrolled nor one whose events no refresh would replace, held or not', async () => {
    const groups = [
      groupSnapshot({ name: 'a-api', launchTemplate: { id: 'lt-1', version: '6' } }),
      // Held (protected instances under Wait), but its only event is on an instance in Standby.
      groupSnapshot({ name: 'b-web', launchTemplate: { id: 'lt-1', version: '6' }, protectedInstances: 1 }),
    ];
    const { actions, started } = await scan(
      [
        retirement('i-1', 'a-api', { lifecycleState: 'Terminating:Wait' }),
        retirement('i-2', 'b-web', { lifecycleState: 'Standby' }),
        retirement('i-3', 'elsewhere'),
      ],
      { groups },
    );
    expect(started).toEqual([]);
    expect(actions.map((a) => [a.groupName, a.kind])).toEqual([
      ['a-api', 'skipped'],
      ['b-web', 'skipped'],
      ['elsewhere', 'skipped'],
    ]);
    expect(unservedGroups(actions)).toEqual([]);
  });
});
