import { parseConfig } from '../../../shared/contracts/parse-config';
import { userConfigSchema } from '../../../shared/contracts/user-config';
import { TransientDependencyError } from '../../../shared/ports/errors';
import { planUpdateHeadroom } from '../../../shared/usecases/plan-update-headroom';
import { FakeScalingTarget, groupSnapshot } from '../../fakes/fake-scaling-target';
import { validPlan } from '../../fixtures/valid-plan';

const config = parseConfig(userConfigSchema, { groups: { names: ['web'] } }, 'test');
const plan = validPlan({ previousVersion: '6', validatedAtMs: Date.parse('2026-03-02T01:00:00Z') });
const launchTemplates = {
  launchTemplate: async (id: string, version: string) => ({
    launchTemplateId: id,
    versionNumber: Number(version),
  }),
};
const web = groupSnapshot({
  name: 'web',
  minSize: 2,
  maxSize: 10,
  desiredCapacity: 4,
  launchTemplate: { id: 'lt-1', version: '6' },
});

describe('planUpdateHeadroom', () => {
  it('plans the headroom on the group as it is under the lock', async () => {
    const scalingTarget = new FakeScalingTarget([web]);
    const planned = await planUpdateHeadroom({ scalingTarget, launchTemplates }, config, { plan });
    expect(planned).toMatchObject({
      kind: 'planned',
      plan: { groupName: 'web', targetVersion: '7' },
      headroom: { original: { minSize: 2, desiredCapacity: 4 } },
    });
  });

  it('refuses a group deleted since validation, naming it, instead of failing into a rollback', async () => {
    const scalingTarget = new FakeScalingTarget([]);
    const planned = await planUpdateHeadroom({ scalingTarget, launchTemplates }, config, { plan });
    expect(planned).toEqual({
      kind: 'changed',
      error: {
        Error: 'GroupNoLongerExists',
        Cause:
          'Auto Scaling group web no longer exists (it did when the update was validated at 2026-03-02T01:00:00.000Z): the update to version 7 was not started and nothing was changed',
      },
    });
  });

  it('refuses a group Auto Scaling is deleting, saying it is being deleted: it would refuse the headroom', async () => {
    const scalingTarget = new FakeScalingTarget([{ ...web, deleting: true }]);
    const planned = await planUpdateHeadroom({ scalingTarget, launchTemplates }, config, { plan });
    expect(planned).toEqual({
      kind: 'changed',
      error: {
        Error: 'GroupNoLongerExists',
        Cause:
          'Auto Scaling group web is being deleted (Status "Delete in progress"; it was not when the update was validated at 2026-03-02T01:00:00.000Z): the update to version 7 was not started and nothing was changed',
      },
    });
  });

  it.each([
    [
      { protectedInstances: 2 },
      /^2 instance\(s\) of web are protected from scale in: a refresh would wait an hour/,
    ],
    [{ standbyInstances: 1 }, /^1 instance\(s\) of web are in Standby: a refresh would wait an hour/],
  ])(
    'refuses a group with instances a refresh would wait on since validation (%o), changing nothing',
    async (since, reason) => {
      const scalingTarget = new FakeScalingTarget([{ ...web, ...since }]);
      const planned = await planUpdateHeadroom({ scalingTarget, launchTemplates }, config, { plan });
      expect(planned).toEqual({
        kind: 'changed',
        error: { Error: 'GroupChangedSinceValidation', Cause: expect.stringMatching(reason) },
      });
      if (planned.kind !== 'changed') return;
      expect(planned.error.Cause).toMatch(
        /validated at 2026-03-02T01:00:00\.000Z without them\): the update to version 7 was not started and nothing was changed$/,
      );
    },
  );

  it('plans the headroom with protected instances where scaleInProtectedInstances is not Wait', async () => {
    const ignore = parseConfig(
      userConfigSchema,
      { groups: { names: ['web'] }, rollingUpdate: { scaleInProtectedInstances: 'Ignore' } },
      'test',
    );
    const scalingTarget = new FakeScalingTarget([{ ...web, protectedInstances: 2 }]);
    const planned = await planUpdateHeadroom({ scalingTarget, launchTemplates }, ignore, { plan });
    expect(planned).toMatchObject({ kind: 'planned' });
  });

  it('lets a transient Auto Scaling failure through, for the state to retry', async () => {
    const scalingTarget = new FakeScalingTarget([web]);
    scalingTarget.describeGroups = async () => {
      throw new TransientDependencyError('AutoScaling', 'DescribeAutoScalingGroups');
    };
    await expect(planUpdateHeadroom({ scalingTarget, launchTemplates }, config, { plan })).rejects.toThrow(
      TransientDependencyError,
    );
  });
});
