import { parseConfig } from '../../../shared/contracts/parse-config';
import { type UserConfigInput, userConfigSchema } from '../../../shared/contracts/user-config';
import { ResourceNotFoundError } from '../../../shared/ports/errors';
import type { LaunchTemplateFacts } from '../../../shared/ports/instance-catalog';
import type { GroupSnapshot } from '../../../shared/ports/scaling-target';
import { validateRollingUpdate } from '../../../shared/usecases/validate-rolling-update';
import { FakeScalingTarget, groupSnapshot } from '../../fakes/fake-scaling-target';

const NOW = Date.parse('2026-03-02T01:00:00Z');
/** The account's alarms, as the validation's CloudWatch sees them. */
const ALARMS = new Set(['web-5xx', 'web-latency']);
const versions: Record<string, LaunchTemplateFacts> = {
  '5': { launchTemplateId: 'lt-1', versionNumber: 5, imageId: 'ami-5' },
  '6': { launchTemplateId: 'lt-1', versionNumber: 6, imageId: 'ami-6' },
  '7': { launchTemplateId: 'lt-1', versionNumber: 7, imageId: 'ami-7' },
  '8': { launchTemplateId: 'lt-1', versionNumber: 8, imageId: 'resolve:ssm:/ami/latest' },
};

function validate(
  request: unknown,
  group: Partial<GroupSnapshot> = {},
  config: Partial<UserConfigInput> = {},
  planLocks: Record<string, string> = {},
  isGloballyPaused: () => Promise<boolean> = async () => false,
) {
  const scalingTarget = new FakeScalingTarget([
    groupSnapshot({ name: 'web', launchTemplate: { id: 'lt-1', version: '6' }, ...group }),
    groupSnapshot({ name: 'other', launchTemplate: { id: 'lt-1', version: '6' } }),
  ]);
  return validateRollingUpdate(
    {
      scalingTarget,
      clock: { nowMs: () => NOW },
      locks: { getLock: async () => undefined },
      planLocks: {
        getPlanLock: async (groupName: string) =>
          planLocks[groupName]
            ? { groupName, holder: planLocks[groupName], acquiredAtMs: NOW, expiresAtMs: NOW + 3_600_000 }
            : undefined,
      },
      alarmStates: { unknownAlarms: async (names) => names.filter((n) => !ALARMS.has(n)) },
      isGloballyPaused,
      launchTemplates: {
        launchTemplate: async (id, version) => {
          const facts = versions[version === '$Latest' ? '7' : version === '$Default' ? '6' : version];
          if (!facts) throw new ResourceNotFoundError('launch template version', `${id}:${version}`);
          return facts;
        },
      },
    },
    parseConfig(userConfigSchema, { groups: { names: ['web'] }, ...config }, 'test'),
    { request, executionName: 'web-v7-20260302T0100' },
  );
}

describe('validateRollingUpdate', () => {
  it('refuses watched alarms that do not exist, naming them and where they were set', async () => {
    const configured = await validate(
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
    const requested = await validate({ groupName: 'web', launchTemplateVersion: '7', alarmNames: ['gone'] });
    expect(requested).toMatchObject({ reason: expect.stringContaining("gone (the request's alarmNames)") });
    const existing = await validate(
      { groupName: 'web', launchTemplateVersion: '7' },
      {},
      { rollingUpdate: { alarmNames: ['web-5xx', 'web-latency'] } },
    );
    expect(existing).toMatchObject({
      outcome: 'valid',
      preferences: { AlarmSpecification: { Alarms: ['web-5xx', 'web-latency'] } },
    });
  });

  it('refuses a paused group (its tag, or the processes a refresh needs suspended) and does nothing in a dry run', async () => {
    const paused = await validate(
      { groupName: 'web', launchTemplateVersion: '7' },
      { tags: { 'prescale:paused': 'true' } },
    );
    expect(paused).toMatchObject({
      outcome: 'rejected',
      reason: expect.stringContaining('paused by its prescale:paused tag'),
    });
    for (const process of ['Launch', 'Terminate', 'InstanceRefresh'])
      expect(
        await validate(
          { groupName: 'web', launchTemplateVersion: '7' },
          { suspendedProcesses: ['AZRebalance', process] },
        ),
      ).toEqual({
        outcome: 'rejected',
        reason: `processes suspended on web: ${process}; an instance refresh would replace no instance until they are resumed; nothing was changed`,
      });
    // Processes a refresh does not need may be suspended.
    expect(
      await validate(
        { groupName: 'web', launchTemplateVersion: '7' },
        { suspendedProcesses: ['AZRebalance', 'ScheduledActions', 'AlarmNotification'] },
      ),
    ).toMatchObject({ outcome: 'valid' });
    const dry = await validate({ groupName: 'web', launchTemplateVersion: '7' }, {}, { dryRun: true });
    expect(dry).toMatchObject({ outcome: 'rejected', reason: expect.stringContaining('dry run') });
  });

  it("refuses every request, an operator's too, while the kill switch is on, and fails when it cannot be read", async () => {
    const request = { groupName: 'web', launchTemplateVersion: '7' };
    expect(await validate(request, {}, {}, {}, async () => true)).toEqual({
      outcome: 'rejected',
      reason: 'Prescale is paused for all groups (kill switch); nothing was changed',
    });
    await expect(
      validate(request, {}, {}, {}, async () => {
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
          await validate(
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
        await validate(
          { groupName: 'web', launchTemplateVersion: '7' },
          { tags },
          { ...config, rollingUpdate },
        ),
      ).toMatchObject({ outcome: 'valid', reason: 'manual' });
    },
  );

  it('plans a native refresh with a desired configuration, config defaults and a record key', async () => {
    const plan = await validate({ groupName: 'web', launchTemplateVersion: '7' });
    expect(plan).toMatchObject({
      outcome: 'valid',
      path: 'native',
      nativeRollback: true,
      previousVersion: '6',
      desiredConfiguration: { LaunchTemplate: { LaunchTemplateId: 'lt-1', Version: '7' } },
      revertDesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: 'lt-1', Version: '6' } },
      preferences: {
        MinHealthyPercentage: 90,
        MaxHealthyPercentage: 110,
        InstanceWarmup: 300,
        AutoRollback: true,
      },
      revertPreferences: { SkipMatching: true, AutoRollback: false },
      deadlineMs: NOW + 24 * 3_600_000,
      validatedAtMs: NOW,
      lockPk: 'GROUP#web',
      recordSk: `ROLLOUT#00${NOW}#web-v7-20260302T0100`,
    });
  });

  it('waits rollingUpdate.maxWaitHours by default, polls every rollingUpdate.pollIntervalSeconds and keeps the record recordRetentionDays', async () => {
    const byDefault = await validate({ groupName: 'web', launchTemplateVersion: '7' });
    expect(byDefault).toMatchObject({
      recordExpiresAt: String((NOW + 30 * 86_400_000) / 1000),
      pollIntervalSeconds: 60,
    });
    // The request's own interval wins over the configuration's.
    const asked = await validate(
      { groupName: 'web', launchTemplateVersion: '7', pollIntervalSeconds: 90 },
      {},
      { rollingUpdate: { pollIntervalSeconds: 45 } },
    );
    expect(asked).toMatchObject({ pollIntervalSeconds: 90 });
    const chosen = await validate(
      { groupName: 'web', launchTemplateVersion: '7' },
      {},
      { rollingUpdate: { maxWaitHours: 6, pollIntervalSeconds: 45 }, recordRetentionDays: 7 },
    );
    expect(chosen).toMatchObject({
      deadlineMs: NOW + 6 * 3_600_000,
      pollIntervalSeconds: 45,
      recordExpiresAt: String((NOW + 7 * 86_400_000) / 1000),
    });
  });

  it('takes a deadline up to 168 hours ahead and refuses a later one, naming the latest', async () => {
    // The workflow waits in Step Functions: its looks are spread over the wait, and the wait bounded.
    const at = (hours: number) => new Date(NOW + hours * 3_600_000).toISOString();
    expect(await validate({ groupName: 'web', launchTemplateVersion: '7', deadline: at(168) })).toMatchObject(
      {
        outcome: 'valid',
        deadlineMs: NOW + 168 * 3_600_000,
      },
    );
    expect(await validate({ groupName: 'web', launchTemplateVersion: '7', deadline: at(169) })).toEqual({
      outcome: 'rejected',
      reason: `deadline must be at most 168 hours ahead (${at(168)}), as rollingUpdate.maxWaitHours; got ${at(169)}`,
    });
  });

  it('keeps the mixed-instances overrides in the desired configuration', async () => {
    const plan = await validate(
      { groupName: 'web', launchTemplateVersion: '7' },
      {
        launchTemplate: undefined,
        mixedInstances: {
          launchTemplateId: 'lt-1',
          version: '6',
          overrides: [{ instanceType: 'm7g.large', weightedCapacity: 2 }],
          usesAttributeBasedSelection: false,
        },
      },
    );
    expect(plan).toMatchObject({
      desiredConfiguration: {
        MixedInstancesPolicy: {
          LaunchTemplate: {
            LaunchTemplateSpecification: { LaunchTemplateId: 'lt-1', Version: '7' },
            Overrides: [{ InstanceType: 'm7g.large', WeightedCapacity: '2' }],
          },
        },
      },
    });
  });

  it('keeps the instances distribution and per-override launch templates in the desired configuration', async () => {
    const distribution = {
      OnDemandBaseCapacity: 1,
      OnDemandPercentageAboveBaseCapacity: 20,
      SpotAllocationStrategy: 'price-capacity-optimized',
    };
    const plan = await validate(
      { groupName: 'web', launchTemplateVersion: '7' },
      {
        launchTemplate: undefined,
        mixedInstances: {
          launchTemplateId: 'lt-1',
          version: '6',
          overrides: [
            { instanceType: 'm7i.large' },
            { instanceType: 'm7g.large', launchTemplate: { id: 'lt-arm', version: '3' } },
          ],
          usesAttributeBasedSelection: false,
          instancesDistribution: distribution,
        },
      },
    );
    const expected = (version: string) => ({
      MixedInstancesPolicy: {
        LaunchTemplate: {
          LaunchTemplateSpecification: { LaunchTemplateId: 'lt-1', Version: version },
          Overrides: [
            { InstanceType: 'm7i.large' },
            {
              InstanceType: 'm7g.large',
              LaunchTemplateSpecification: { LaunchTemplateId: 'lt-arm', Version: '3' },
            },
          ],
        },
        InstancesDistribution: distribution,
      },
    });
    expect(plan).toMatchObject({
      desiredConfiguration: expected('7'),
      revertDesiredConfiguration: expected('6'),
    });
  });

  it('takes the fallback path for attribute-based selection, recording the previous version', async () => {
    const plan = await validate(
      { groupName: 'web', launchTemplateVersion: '7' },
      {
        launchTemplate: undefined,
        mixedInstances: {
          launchTemplateId: 'lt-1',
          version: '$Default',
          overrides: [],
          usesAttributeBasedSelection: true,
        },
      },
      { groups: { names: ['web'] } },
    );
    expect(plan).toMatchObject({
      outcome: 'valid',
      path: 'fallback',
      nativeRollback: false,
      previousVersion: '6',
      preferences: { AutoRollback: false },
    });
    expect(plan).not.toHaveProperty('desiredConfiguration');
  });

  it('gives up native rollback when the version it returns to takes its AMI from an SSM parameter', async () => {
    expect(
      await validate(
        { groupName: 'web', launchTemplateVersion: '7' },
        { launchTemplate: { id: 'lt-1', version: '8' } },
      ),
    ).toMatchObject({
      nativeRollback: false,
      preferences: { AutoRollback: false },
      notes: [expect.stringContaining('a rollback returns to (8) takes its AMI from an SSM parameter')],
    });
  });

  it('keeps native rollback when only the new version takes its AMI from an SSM parameter', async () => {
    expect(await validate({ groupName: 'web', launchTemplateVersion: '8' })).toMatchObject({
      nativeRollback: true,
      preferences: { AutoRollback: true },
    });
  });

  it('refuses healthy percentages more than 100 apart before touching anything', async () => {
    expect(
      await validate(
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
      await validate({ groupName: 'web', launchTemplateVersion: '7', checkpointPercentages: [20, 50] }),
    ).toMatchObject({ outcome: 'rejected', reason: expect.stringContaining('last checkpoint to be 100') });
  });

  it('resolves a $Latest group to its version so a revert is possible', async () => {
    expect(
      await validate(
        { groupName: 'web', launchTemplateVersion: '5' },
        { launchTemplate: { id: 'lt-1', version: '$Latest' } },
      ),
    ).toMatchObject({ previousVersion: '7', nativeRollback: false });
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
    const result = await validate(request, group as Partial<GroupSnapshot>, config);
    expect(result.outcome).toBe('rejected');
    expect(result.outcome === 'rejected' && result.reason).toContain(reason);
  });

  it('accepts instance-type changes when config enables them on a scaling group', async () => {
    const result = await validate(
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
        await validate({ groupName: 'web', launchTemplateVersion: '7' }, {}, edges, { web: 'plan-a' }),
      ).toMatchObject({
        outcome: 'rejected',
        reason: expect.stringContaining('web belongs to update plan plan-a'),
      });
      expect(
        await validate({ groupName: 'web', launchTemplateVersion: '7' }, {}, edges, { api: 'plan-a' }),
      ).toMatchObject({
        outcome: 'rejected',
        reason: expect.stringContaining('dependent group api belongs to update plan plan-a'),
      });
    });

    it('runs a plan child only when its plan holds the group, and carries the plan on', async () => {
      const child = { groupName: 'web', launchTemplateVersion: '7', planExecutionName: 'plan-a' };
      expect(await validate(child, {}, edges, { web: 'plan-a', api: 'plan-a' })).toMatchObject({
        outcome: 'valid',
        planExecutionName: 'plan-a',
      });
      expect(await validate(child, {}, edges, { web: 'plan-b' })).toMatchObject({
        outcome: 'rejected',
        reason: 'group web is not held by update plan plan-a but by plan-b; nothing was changed',
      });
      expect(await validate(child, {}, edges)).toMatchObject({ outcome: 'rejected' });
    });
  });
});
