import type { GroupSnapshot } from '../../../shared/ports/scaling-target';
import { NOW, validateWebRollingUpdate } from '../../helpers/validate-web-rolling-update';

// The instance refresh a valid request plans: desired configuration, preferences, rollback path
// and timing. Which requests are refused is in validate-rolling-update-admission.test.ts.
type MixedInstances = NonNullable<GroupSnapshot['mixedInstances']>;

/** Group `web` on a mixed-instances policy over lt-1 version 6 (overrides none), `over` on top. */
const onMixedInstances = (over: Partial<MixedInstances>): Partial<GroupSnapshot> => ({
  launchTemplate: undefined,
  mixedInstances: {
    launchTemplateId: 'lt-1',
    version: '6',
    overrides: [],
    usesAttributeBasedSelection: false,
    ...over,
  },
});

describe('validateRollingUpdate, planning the refresh', () => {
  it('plans a native refresh with a desired configuration, config defaults and a record key', async () => {
    const plan = await validateWebRollingUpdate({ groupName: 'web', launchTemplateVersion: '7' });
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

  it('plans the refresh and its revert at the configured healthy percentages and warm-up, a request’s own winning', async () => {
    const rollingUpdate = { minHealthyPercentage: 50, maxHealthyPercentage: 150, instanceWarmupSeconds: 120 };
    const configured = { MinHealthyPercentage: 50, MaxHealthyPercentage: 150, InstanceWarmup: 120 };
    expect(
      await validateWebRollingUpdate({ groupName: 'web', launchTemplateVersion: '7' }, {}, { rollingUpdate }),
    ).toMatchObject({ outcome: 'valid', preferences: configured, revertPreferences: configured });
    const asked = { minHealthyPercentage: 100, maxHealthyPercentage: 200, instanceWarmupSeconds: 30 };
    const own = { MinHealthyPercentage: 100, MaxHealthyPercentage: 200, InstanceWarmup: 30 };
    expect(
      await validateWebRollingUpdate(
        { groupName: 'web', launchTemplateVersion: '7', ...asked },
        {},
        { rollingUpdate },
      ),
    ).toMatchObject({ outcome: 'valid', preferences: own, revertPreferences: own });
  });

  it('bakes the refresh for the configured BakeTime, a request’s own winning, and not its revert', async () => {
    const plain = await validateWebRollingUpdate({ groupName: 'web', launchTemplateVersion: '7' });
    expect((plain as { preferences: object }).preferences).not.toHaveProperty('BakeTime');
    const configured = await validateWebRollingUpdate(
      { groupName: 'web', launchTemplateVersion: '7' },
      {},
      { rollingUpdate: { bakeTimeSeconds: 900 } },
    );
    expect(configured).toMatchObject({ outcome: 'valid', preferences: { BakeTime: 900 } });
    expect((configured as { revertPreferences: object }).revertPreferences).not.toHaveProperty('BakeTime');
    expect(
      await validateWebRollingUpdate(
        { groupName: 'web', launchTemplateVersion: '7', bakeTimeSeconds: 1800 },
        {},
        { rollingUpdate: { bakeTimeSeconds: 900 } },
      ),
    ).toMatchObject({ outcome: 'valid', preferences: { BakeTime: 1800 } });
  });

  it('refuses a bake time past Auto Scaling’s 172800 seconds, naming the field', async () => {
    expect(
      await validateWebRollingUpdate({
        groupName: 'web',
        launchTemplateVersion: '7',
        bakeTimeSeconds: 172_801,
      }),
    ).toMatchObject({ outcome: 'rejected', reason: expect.stringMatching(/bakeTimeSeconds.*172800/) });
  });

  it('refuses a group with instances protected from scale in under Wait, before anything is touched', async () => {
    const refused = await validateWebRollingUpdate(
      { groupName: 'web', launchTemplateVersion: '7' },
      { protectedInstances: 2 },
    );
    expect(refused).toEqual({
      outcome: 'rejected',
      reason: expect.stringMatching(
        /^2 instance\(s\) of web are protected from scale in: .*set rollingUpdate\.scaleInProtectedInstances to Ignore/,
      ),
    });
  });

  it.each(['Ignore', 'Refresh'] as const)(
    'plans the refresh and its revert with ScaleInProtectedInstances %s where configured',
    async (choice) => {
      const plan = await validateWebRollingUpdate(
        { groupName: 'web', launchTemplateVersion: '7' },
        { protectedInstances: 2 },
        { rollingUpdate: { scaleInProtectedInstances: choice } },
      );
      expect(plan).toMatchObject({
        outcome: 'valid',
        preferences: { ScaleInProtectedInstances: choice },
        revertPreferences: { ScaleInProtectedInstances: choice },
      });
    },
  );

  it('waits rollingUpdate.maxWaitHours by default, polls every rollingUpdate.pollIntervalSeconds and keeps the record recordRetentionDays', async () => {
    const byDefault = await validateWebRollingUpdate({ groupName: 'web', launchTemplateVersion: '7' });
    expect(byDefault).toMatchObject({
      recordExpiresAt: String((NOW + 30 * 86_400_000) / 1000),
      pollIntervalSeconds: 60,
    });
    // The request's own interval wins over the configuration's.
    const asked = await validateWebRollingUpdate(
      { groupName: 'web', launchTemplateVersion: '7', pollIntervalSeconds: 90 },
      {},
      { rollingUpdate: { pollIntervalSeconds: 45 } },
    );
    expect(asked).toMatchObject({ pollIntervalSeconds: 90 });
    const chosen = await validateWebRollingUpdate(
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
    expect(
      await validateWebRollingUpdate({ groupName: 'web', launchTemplateVersion: '7', deadline: at(168) }),
    ).toMatchObject({
      outcome: 'valid',
      deadlineMs: NOW + 168 * 3_600_000,
    });
    expect(
      await validateWebRollingUpdate({ groupName: 'web', launchTemplateVersion: '7', deadline: at(169) }),
    ).toEqual({
      outcome: 'rejected',
      reason: `deadline must be at most 168 hours ahead (${at(168)}), as rollingUpdate.maxWaitHours; got ${at(169)}`,
    });
  });

  it('keeps the mixed-instances overrides in the desired configuration', async () => {
    const plan = await validateWebRollingUpdate(
      { groupName: 'web', launchTemplateVersion: '7' },
      onMixedInstances({ overrides: [{ instanceType: 'm7g.large', weightedCapacity: 2 }] }),
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
    const plan = await validateWebRollingUpdate(
      { groupName: 'web', launchTemplateVersion: '7' },
      onMixedInstances({
        overrides: [
          { instanceType: 'm7i.large' },
          { instanceType: 'm7g.large', launchTemplate: { id: 'lt-arm', version: '3' } },
        ],
        instancesDistribution: distribution,
      }),
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

  it('leaves out of the desired configuration the SpotInstancePools a price-capacity-optimized group reports', async () => {
    const plan = await validateWebRollingUpdate(
      { groupName: 'web', launchTemplateVersion: '7' },
      onMixedInstances({
        overrides: [{ instanceType: 'm7i.large' }],
        instancesDistribution: { SpotAllocationStrategy: 'price-capacity-optimized', SpotInstancePools: 2 },
      }),
    );
    // StartInstanceRefresh would refuse it: pools are valid only with the lowest-price strategy.
    const distribution = { SpotAllocationStrategy: 'price-capacity-optimized' };
    expect(plan).toMatchObject({
      desiredConfiguration: { MixedInstancesPolicy: { InstancesDistribution: distribution } },
      revertDesiredConfiguration: { MixedInstancesPolicy: { InstancesDistribution: distribution } },
    });
    expect(plan).not.toHaveProperty(
      'desiredConfiguration.MixedInstancesPolicy.InstancesDistribution.SpotInstancePools',
    );
  });

  it('takes the fallback path for attribute-based selection, recording the previous version', async () => {
    const plan = await validateWebRollingUpdate(
      { groupName: 'web', launchTemplateVersion: '7' },
      onMixedInstances({ version: '$Default', usesAttributeBasedSelection: true }),
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

  describe('a refresh to the version the group runs already (scheduled maintenance)', () => {
    const maintenance = { groupName: 'web', launchTemplateVersion: '6', reason: 'scheduled-maintenance' };
    const config = {
      mode: 'forecast-and-scale' as const,
      rollingUpdate: { autoStartOnScheduledEvents: true },
    };

    it('names $Default, which the group keeps once the refresh succeeds, and plans no rollback or revert', async () => {
      const plan = await validateWebRollingUpdate(
        maintenance,
        { launchTemplate: { id: 'lt-1', version: '$Default' } },
        config,
      );
      expect(plan).toMatchObject({
        outcome: 'valid',
        targetVersion: '6',
        previousVersion: '6',
        nativeRollback: false,
        desiredConfiguration: { LaunchTemplate: { LaunchTemplateId: 'lt-1', Version: '$Default' } },
        preferences: { AutoRollback: false },
        notes: expect.arrayContaining([expect.stringContaining('names $Default, which the group keeps')]),
      });
      expect(plan).not.toHaveProperty('revertDesiredConfiguration');
    });

    it("names a mixed group's $Default in its policy, the overrides kept", async () => {
      const plan = await validateWebRollingUpdate(
        maintenance,
        onMixedInstances({ version: '$Default', overrides: [{ instanceType: 'm7i.large' }] }),
        config,
      );
      expect(plan).toMatchObject({
        desiredConfiguration: {
          MixedInstancesPolicy: {
            LaunchTemplate: {
              LaunchTemplateSpecification: { Version: '$Default' },
              Overrides: [{ InstanceType: 'm7i.large' }],
            },
          },
        },
      });
    });

    it('cancels instead of rolling back on an explicit version: a rollback would replace the new instances again', async () => {
      const plan = await validateWebRollingUpdate(maintenance, {}, config);
      expect(plan).toMatchObject({
        nativeRollback: false,
        desiredConfiguration: { LaunchTemplate: { Version: '6' } },
        preferences: { AutoRollback: false },
      });
      expect(plan).not.toHaveProperty('revertDesiredConfiguration');
    });

    it('still pins a group on $Default to a different version it is rolled out to', async () => {
      const plan = await validateWebRollingUpdate(
        { groupName: 'web', launchTemplateVersion: '7' },
        { launchTemplate: { id: 'lt-1', version: '$Default' } },
      );
      expect(plan).toMatchObject({
        desiredConfiguration: { LaunchTemplate: { Version: '7' } },
        revertDesiredConfiguration: { LaunchTemplate: { Version: '6' } },
      });
    });
  });

  it('gives up native rollback when the version it returns to takes its AMI from an SSM parameter', async () => {
    expect(
      await validateWebRollingUpdate(
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
    expect(await validateWebRollingUpdate({ groupName: 'web', launchTemplateVersion: '8' })).toMatchObject({
      nativeRollback: true,
      preferences: { AutoRollback: true },
    });
  });

  it('resolves a $Latest group to its version so a revert is possible', async () => {
    expect(
      await validateWebRollingUpdate(
        { groupName: 'web', launchTemplateVersion: '5' },
        { launchTemplate: { id: 'lt-1', version: '$Latest' } },
      ),
    ).toMatchObject({ previousVersion: '7', nativeRollback: false });
  });
});
