import type { GroupSnapshot } from '../../../shared/ports/scaling-target';
import { validateWebRollingUpdate } from '../../helpers/validate-web-rolling-update';

// Which requests may start a rolling update: the refusals before anything is changed, and the
// automatic starts the configuration lets through. The refresh a valid request plans is in
// validate-rolling-update-refresh-plan.test.ts.
describe('validateRollingUpdate, admitting a request', () => {
  it('refuses watched alarms that do not exist, naming them and where they were set', async () => {
    const configured = await validateWebRollingUpdate(
      { groupName: 'web', launchTemplateVersion: '7' },
      {},
      { rollingUpdate: { alarmNames: ['web-5xx', 'web-5xxx'] } },
    );
    expect(configured).toEqual({
      outcome: 'rejected',
      reason: expect.stringMatching(
        /^watched alarm\(s\) web-5xxx \(rollingUpdate\.alarmNames\) are no CloudWatch alarm/,
      ),
    });
    const requested = await validateWebRollingUpdate({
      groupName: 'web',
      launchTemplateVersion: '7',
      alarmNames: ['gone'],
    });
    expect(requested).toMatchObject({ reason: expect.stringContaining("gone (the request's alarmNames)") });
    const existing = await validateWebRollingUpdate(
      { groupName: 'web', launchTemplateVersion: '7' },
      {},
      { rollingUpdate: { alarmNames: ['web-5xx', 'web-latency'] } },
    );
    expect(existing).toMatchObject({
      outcome: 'valid',
      preferences: { AlarmSpecification: { Alarms: ['web-5xx', 'web-latency'] } },
    });
  });

  it('refuses a misspelt field by name instead of running the refresh without it', async () => {
    // `alarmName` for alarmNames: dropped, the refresh would run with no alarm watching it.
    const result = await validateWebRollingUpdate({
      groupName: 'web',
      launchTemplateVersion: '7',
      alarmName: ['web-5xx'],
      deadlne: '2026-03-02T05:00:00Z',
    });
    expect(result).toEqual({
      outcome: 'rejected',
      reason: expect.stringContaining('(root): Unrecognized keys: "alarmName", "deadlne"'),
    });
  });

  it('refuses a paused group (its tag, or the processes a refresh needs suspended) and does nothing in a dry run', async () => {
    const paused = await validateWebRollingUpdate(
      { groupName: 'web', launchTemplateVersion: '7' },
      { tags: { 'prescale:paused': 'true' } },
    );
    expect(paused).toMatchObject({
      outcome: 'rejected',
      reason: expect.stringContaining('paused by its prescale:paused tag'),
    });
    for (const process of ['Launch', 'Terminate', 'InstanceRefresh'])
      expect(
        await validateWebRollingUpdate(
          { groupName: 'web', launchTemplateVersion: '7' },
          { suspendedProcesses: ['AZRebalance', process] },
        ),
      ).toEqual({
        outcome: 'rejected',
        reason: `processes suspended on web: ${process}; an instance refresh would replace no instance until they are resumed; nothing was changed`,
      });
    // Processes a refresh does not need may be suspended.
    expect(
      await validateWebRollingUpdate(
        { groupName: 'web', launchTemplateVersion: '7' },
        { suspendedProcesses: ['AZRebalance', 'ScheduledActions', 'AlarmNotification'] },
      ),
    ).toMatchObject({ outcome: 'valid' });
    const dry = await validateWebRollingUpdate(
      { groupName: 'web', launchTemplateVersion: '7' },
      {},
      { dryRun: true },
    );
    expect(dry).toMatchObject({ outcome: 'rejected', reason: expect.stringContaining('dry run') });
  });

  it('refuses a group with instances in Standby, naming how many, which a refresh would wait an hour on, then fail', async () => {
    const refused = await validateWebRollingUpdate(
      { groupName: 'web', launchTemplateVersion: '7' },
      { standbyInstances: 2 },
      // Standby is waited on whatever scaleInProtectedInstances says: Prescale sends no StandbyInstances.
      { rollingUpdate: { scaleInProtectedInstances: 'Refresh' } },
    );
    expect(refused).toEqual({
      outcome: 'rejected',
      reason:
        '2 instance(s) of web are in Standby: a refresh would wait an hour for them to return to service, then fail; return them to service (ExitStandby) or detach them, then ask again',
    });
  });

  it('refuses a group another Prescale deployment manages, naming it, and accepts one this deployment manages', async () => {
    expect(
      await validateWebRollingUpdate(
        { groupName: 'web', launchTemplateVersion: '7' },
        { tags: { 'prescale:deployment': 'PrescaleStaging' } },
      ),
    ).toEqual({
      outcome: 'rejected',
      reason:
        'group web is managed by Prescale deployment "PrescaleStaging" (its prescale:deployment tag), not "Prescale": send the request to that deployment\'s event bus; nothing was changed',
    });
    expect(
      await validateWebRollingUpdate(
        { groupName: 'web', launchTemplateVersion: '7' },
        { tags: { 'prescale:deployment': 'Prescale' } },
      ),
    ).toMatchObject({ outcome: 'valid' });
  });

  it("refuses every request, an operator's too, while the kill switch is on, and fails when it cannot be read", async () => {
    const request = { groupName: 'web', launchTemplateVersion: '7' };
    expect(await validateWebRollingUpdate(request, {}, {}, {}, async () => true)).toEqual({
      outcome: 'rejected',
      reason: 'Prescale is paused for all groups (kill switch); nothing was changed',
    });
    await expect(
      validateWebRollingUpdate(request, {}, {}, {}, async () => {
        throw new Error('SSM is unavailable');
      }),
    ).rejects.toThrow('SSM is unavailable');
  });

  it.each([
    ['the global mode', { mode: 'forecast-only' as const }, {}],
    [
      'the group override',
      { mode: 'forecast-and-scale' as const, groupOverrides: { web: { mode: 'forecast-only' as const } } },
      {},
    ],
    ['the prescale:mode tag', { mode: 'forecast-and-scale' as const }, { 'prescale:mode': 'forecast-only' }],
  ])(
    "refuses automatic starts on a group in forecast-only mode by %s, and lets an operator's request through",
    async (_by, config, tags) => {
      const rollingUpdate = { autoStartOnInstanceTypeChange: true, autoStartOnScheduledEvents: true };
      for (const reason of ['instance-type-change', 'scheduled-maintenance'] as const) {
        expect(
          await validateWebRollingUpdate(
            { groupName: 'web', launchTemplateVersion: '7', reason },
            { tags },
            { ...config, rollingUpdate },
          ),
        ).toEqual({
          outcome: 'rejected',
          reason: `group web is in forecast-only mode, which starts no automatic update (reason ${reason}); nothing was changed`,
        });
      }
      expect(
        await validateWebRollingUpdate(
          { groupName: 'web', launchTemplateVersion: '7' },
          { tags },
          { ...config, rollingUpdate },
        ),
      ).toMatchObject({ outcome: 'valid', reason: 'manual' });
    },
  );

  it('names a prescale:mode it cannot read when that tag is why an automatic start is refused', async () => {
    const rollingUpdate = { autoStartOnInstanceTypeChange: true };
    expect(
      await validateWebRollingUpdate(
        { groupName: 'web', launchTemplateVersion: '7', reason: 'instance-type-change' },
        { tags: { 'prescale:mode': 'scale' } },
        { mode: 'forecast-and-scale', rollingUpdate },
      ),
    ).toEqual({
      outcome: 'rejected',
      reason:
        'group web is in forecast-only mode, which starts no automatic update (reason instance-type-change); ignored tag prescale:mode=scale (expected forecast-only or forecast-and-scale; held forecast-only); nothing was changed',
    });
  });

  it('refuses healthy percentages more than 100 apart before touching anything', async () => {
    expect(
      await validateWebRollingUpdate(
        { groupName: 'web', launchTemplateVersion: '7', minHealthyPercentage: 50 },
        {},
        {
          rollingUpdate: { maxHealthyPercentage: 160 },
        },
      ),
    ).toMatchObject({ outcome: 'rejected', reason: expect.stringContaining('at most 100') });
  });

  it('refuses checkpoints that do not end at 100', async () => {
    expect(
      await validateWebRollingUpdate({
        groupName: 'web',
        launchTemplateVersion: '7',
        checkpointPercentages: [20, 50],
      }),
    ).toMatchObject({ outcome: 'rejected', reason: expect.stringContaining('last checkpoint to be 100') });
  });

  it('refuses a checkpoint delay without checkpoints, naming both fields, instead of dropping it', async () => {
    // Auto Scaling: CheckpointDelay requires CheckpointPercentages.
    expect(
      await validateWebRollingUpdate({
        groupName: 'web',
        launchTemplateVersion: '7',
        checkpointDelaySeconds: 600,
      }),
    ).toMatchObject({
      outcome: 'rejected',
      reason: expect.stringMatching(/checkpointDelaySeconds.*checkpointPercentages/),
    });
  });

  it('refuses an alarm name longer than Auto Scaling and CloudWatch take, by its index, before asking CloudWatch', async () => {
    // AlarmSpecification and DescribeAlarms: 1 to 255 characters; a longer one is a ValidationError at the call.
    expect(
      await validateWebRollingUpdate({
        groupName: 'web',
        launchTemplateVersion: '7',
        alarmNames: ['web-5xx', 'a'.repeat(256)],
      }),
    ).toEqual({
      outcome: 'rejected',
      reason: expect.stringMatching(/alarmNames\.1: Too big: expected string to have <=255 characters/),
    });
  });

  it('refuses an instance warm-up over a day, as the configuration does', async () => {
    expect(
      await validateWebRollingUpdate({
        groupName: 'web',
        launchTemplateVersion: '7',
        instanceWarmupSeconds: 86_401,
      }),
    ).toEqual({
      outcome: 'rejected',
      reason: expect.stringMatching(/instanceWarmupSeconds: Too big: expected number to be <=86400/),
    });
  });

  it('refuses a bake time as long as maxRefreshMinutes, naming both fields: the refresh would always pass its deadline', async () => {
    const refusal = {
      outcome: 'rejected',
      reason: expect.stringMatching(/bakeTimeSeconds 1800 .*maxRefreshMinutes 30/),
    };
    const request = { groupName: 'web', launchTemplateVersion: '7', maxRefreshMinutes: 30 };
    expect(await validateWebRollingUpdate({ ...request, bakeTimeSeconds: 1800 })).toMatchObject(refusal);
    // The configured bake counts as the request's when it names none.
    expect(
      await validateWebRollingUpdate(request, {}, { rollingUpdate: { bakeTimeSeconds: 1800 } }),
    ).toMatchObject(refusal);
    expect(await validateWebRollingUpdate({ ...request, bakeTimeSeconds: 1740 })).toMatchObject({
      outcome: 'valid',
    });
  });

  it.each([
    [{ groupName: 'web', launchTemplateVersion: '$Latest' }, {}, {}, 'explicit version number'],
    [{ groupName: 'web' }, {}, {}, 'launchTemplateVersion'],
    [{ groupName: 'nope', launchTemplateVersion: '7' }, {}, {}, 'does not exist'],
    [{ groupName: 'other', launchTemplateVersion: '7' }, {}, {}, 'not enrolled'],
    [
      { groupName: 'web', launchTemplateVersion: '7' },
      { instanceRefreshInProgress: true },
      {},
      'already in progress',
    ],
    [{ groupName: 'web', launchTemplateVersion: '9' }, {}, {}, 'has no version 9'],
    [
      { groupName: 'web', launchTemplateVersion: '7' },
      { launchTemplate: undefined },
      {},
      'launch configuration',
    ],
    [
      { groupName: 'web', launchTemplateVersion: '7', reason: 'instance-type-change' },
      {},
      {},
      'autoStartOnInstanceTypeChange',
    ],
  ] as const)('rejects %j', async (request, group, config, reason) => {
    const result = await validateWebRollingUpdate(request, group as Partial<GroupSnapshot>, config);
    expect(result.outcome).toBe('rejected');
    expect(result.outcome === 'rejected' && result.reason).toContain(reason);
  });

  it('refuses a version whose image is deregistered as such, not as a version that does not exist', async () => {
    const result = await validateWebRollingUpdate({ groupName: 'web', launchTemplateVersion: '4' });
    expect(result).toEqual({
      outcome: 'rejected',
      reason:
        'version 4 of launch template lt-1 exists, but its image ami-4 was not found (deregistered, or not shared with this account)',
    });
  });

  it('accepts instance-type changes when config enables them on a scaling group', async () => {
    const result = await validateWebRollingUpdate(
      { groupName: 'web', launchTemplateVersion: '7', reason: 'instance-type-change' },
      {},
      { mode: 'forecast-and-scale', rollingUpdate: { autoStartOnInstanceTypeChange: true } },
    );
    expect(result).toMatchObject({ outcome: 'valid', reason: 'instance-type-change' });
  });

  describe('with update plans', () => {
    const edges = {
      groups: { names: ['web', 'api'] },
      dependencies: { edges: [{ from: 'web', to: 'api' }] },
    };

    it('refuses a group of another update plan, and a group next to one', async () => {
      expect(
        await validateWebRollingUpdate({ groupName: 'web', launchTemplateVersion: '7' }, {}, edges, {
          web: 'plan-a',
        }),
      ).toMatchObject({
        outcome: 'rejected',
        reason: expect.stringContaining('web belongs to update plan plan-a'),
      });
      expect(
        await validateWebRollingUpdate({ groupName: 'web', launchTemplateVersion: '7' }, {}, edges, {
          api: 'plan-a',
        }),
      ).toMatchObject({
        outcome: 'rejected',
        reason: expect.stringContaining('dependent group api belongs to update plan plan-a'),
      });
    });

    it("takes a plan child's input with the parent key Step Functions adds to it", async () => {
      const child = {
        groupName: 'web',
        launchTemplateVersion: '7',
        planExecutionName: 'plan-a',
        AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID:
          'arn:aws:states:eu-west-1:123456789012:execution:plan:plan-a',
      };
      expect(
        await validateWebRollingUpdate(child, {}, edges, { web: 'plan-a', api: 'plan-a' }),
      ).toMatchObject({
        outcome: 'valid',
        planExecutionName: 'plan-a',
      });
    });

    it('runs a plan child only when its plan holds the group, and carries the plan on', async () => {
      const child = { groupName: 'web', launchTemplateVersion: '7', planExecutionName: 'plan-a' };
      expect(
        await validateWebRollingUpdate(child, {}, edges, { web: 'plan-a', api: 'plan-a' }),
      ).toMatchObject({
        outcome: 'valid',
        planExecutionName: 'plan-a',
      });
      expect(await validateWebRollingUpdate(child, {}, edges, { web: 'plan-b' })).toMatchObject({
        outcome: 'rejected',
        reason: 'group web is not held by update plan plan-a but by plan-b; nothing was changed',
      });
      expect(await validateWebRollingUpdate(child, {}, edges)).toMatchObject({ outcome: 'rejected' });
    });

    it('ends GroupNoLongerExists, not rejected, for a plan child whose group was deleted since the plan', async () => {
      const child = { groupName: 'nope', launchTemplateVersion: '7', planExecutionName: 'plan-a' };
      expect(await validateWebRollingUpdate(child, {}, edges, { nope: 'plan-a' })).toEqual({
        outcome: 'rejected',
        reason:
          'Auto Scaling group nope no longer exists (it did when update plan plan-a was computed): the update to version 7 was not started and nothing was changed',
        error: 'GroupNoLongerExists',
      });
    });

    describe('a plan child that expects its group on a launch template and version', () => {
      const locks = { web: 'plan-a', api: 'plan-a' };
      // The revert of an update to 7: the group on 7 (updated) or 6 (never updated, or rolled back).
      const revert = {
        groupName: 'web',
        launchTemplateVersion: '6',
        force: true,
        skipMatching: true,
        planExecutionName: 'plan-a',
        expectedLaunchTemplate: { id: 'lt-1', versions: ['7', '6'] },
      };

      it.each([
        ['its owner deployed version 8 since', { id: 'lt-1', version: '8' }, 'runs version 8 of lt-1 now'],
        ['its owner switched it to another template', { id: 'lt-9', version: '7' }, 'launches from lt-9 now'],
      ])(
        'refuses it with GroupChangedSincePlan, changing nothing, when %s',
        async (_, launchTemplate, words) => {
          expect(await validateWebRollingUpdate(revert, { launchTemplate }, edges, locks)).toEqual({
            outcome: 'rejected',
            error: 'GroupChangedSincePlan',
            reason: `group web ${words}, not version 7 or 6 of lt-1 as the update plan expects: its owner changed it since the plan computed or updated it, so the change to version 6 was not started and nothing was changed`,
          });
        },
      );

      it('resolves an alias before comparing: $Default names version 6, one the plan expects', async () => {
        const forward = { ...revert, launchTemplateVersion: '7', force: false, skipMatching: false };
        const onDefault = { launchTemplate: { id: 'lt-1', version: '$Default' } };
        expect(
          await validateWebRollingUpdate(
            { ...forward, expectedLaunchTemplate: { id: 'lt-1', versions: ['6'] } },
            onDefault,
            edges,
            locks,
          ),
        ).toMatchObject({ outcome: 'valid', targetVersion: '7', previousVersion: '6' });
        expect(
          await validateWebRollingUpdate(
            { ...forward, expectedLaunchTemplate: { id: 'lt-1', versions: ['5'] } },
            onDefault,
            edges,
            locks,
          ),
        ).toMatchObject({
          outcome: 'rejected',
          error: 'GroupChangedSincePlan',
          reason: expect.stringContaining(
            'group web runs version 6 ($Default) of lt-1 now, not version 5 of lt-1',
          ),
        });
      });

      it.each([
        ['the version the plan updated it to', '7'],
        ['the version it had', '6'],
      ])('reverts a group on %s', async (_, version) => {
        expect(
          await validateWebRollingUpdate(revert, { launchTemplate: { id: 'lt-1', version } }, edges, locks),
        ).toMatchObject({ outcome: 'valid', targetVersion: '6', launchTemplateId: 'lt-1' });
      });
    });

    it.each([
      ['no plan holds it', {}, ''],
      ['another plan holds it', { nope: 'plan-b' }, ' (plan-b does)'],
    ])(
      'rejects a request naming plan-a for a missing group when %s: not sent by that plan',
      async (_, locks, by) => {
        const request = { groupName: 'nope', launchTemplateVersion: '7', planExecutionName: 'plan-a' };
        expect(await validateWebRollingUpdate(request, {}, edges, locks)).toEqual({
          outcome: 'rejected',
          reason: `Auto Scaling group nope does not exist, and update plan plan-a does not hold it${by}; nothing was changed`,
        });
      },
    );
  });
});
