import { parseConfig } from '../../../shared/contracts/parse-config';
import { userConfigSchema } from '../../../shared/contracts/user-config';
import { ResourceNotFoundError, TransientDependencyError } from '../../../shared/ports/errors';
import { planUpdateHeadroom } from '../../../shared/usecases/plan-update-headroom';
import { FakeScalingTarget, groupSnapshot } from '../../fakes/fake-scaling-target';
import { FakeScheduledCapacity } from '../../fakes/fake-scheduled-capacity';
import { validPlan } from '../../fixtures/valid-plan';

const config = parseConfig(userConfigSchema, { groups: { names: ['web'] } }, 'test');
const plan = validPlan({ previousVersion: '6', validatedAtMs: Date.parse('2026-03-02T01:00:00Z') });
const launchTemplates = {
  launchTemplate: async (id: string, version: string) => ({
    launchTemplateId: id,
    versionNumber: Number(version),
  }),
};
const NOW = Date.parse('2026-03-02T01:00:00Z');
const MINUTE_MS = 60_000;
const deps = (scalingTarget: FakeScalingTarget, scheduledCapacity = new FakeScheduledCapacity()) => ({
  scalingTarget,
  launchTemplates,
  scheduledCapacity,
  clock: { nowMs: () => NOW },
});
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
    const planned = await planUpdateHeadroom(deps(scalingTarget), config, { plan });
    expect(planned).toMatchObject({
      kind: 'planned',
      plan: { groupName: 'web', targetVersion: '7' },
      headroom: { original: { minSize: 2, desiredCapacity: 4 } },
    });
  });

  it('refuses a group deleted since validation, naming it, instead of failing into a rollback', async () => {
    const scalingTarget = new FakeScalingTarget([]);
    const planned = await planUpdateHeadroom(deps(scalingTarget), config, { plan });
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
    const planned = await planUpdateHeadroom(deps(scalingTarget), config, { plan });
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
      const planned = await planUpdateHeadroom(deps(scalingTarget), config, { plan });
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
    const planned = await planUpdateHeadroom(deps(scalingTarget), ignore, { plan });
    expect(planned).toMatchObject({ kind: 'planned' });
  });

  it('lets a transient Auto Scaling failure through, for the state to retry', async () => {
    const scalingTarget = new FakeScalingTarget([web]);
    scalingTarget.describeGroups = async () => {
      throw new TransientDependencyError('AutoScaling', 'DescribeAutoScalingGroups');
    };
    await expect(planUpdateHeadroom(deps(scalingTarget), config, { plan })).rejects.toThrow(
      TransientDependencyError,
    );
  });

  describe('under the lock, the look-ahead due during the refresh', () => {
    /** A window whose refresh deadline is 40 minutes from now, its lock expiring 6 h after. */
    const window = {
      decision: 'proceed' as const,
      reason: 'low load',
      waitSeconds: 0,
      durationSeconds: 1_200,
      peakLoad: 300,
      refreshDeadlineMs: NOW + 40 * MINUTE_MS,
      pollIntervalSeconds: 60,
      lock: {
        acquiredAtMs: String(NOW),
        expiresAtMs: String(NOW + 400 * MINUTE_MS),
        expiresAt: String((NOW + 400 * MINUTE_MS) / 1000),
      },
    };
    /** The group pre-warmed by the loop to MinSize 4 (its own: 2), with its look-ahead and the owner's action. */
    const prewarmed = { ...web, minSize: 4 };
    const lookAhead = (giveBack: { startMs: number; maxSize?: number }) =>
      new FakeScheduledCapacity({
        web: [
          { name: 'prescale-next', startMs: NOW + 10 * MINUTE_MS, minSize: 4, desiredCapacity: 4 },
          { name: 'prescale-20260302T0120Z', startMs: NOW + 20 * MINUTE_MS, minSize: 3, desiredCapacity: 3 },
          { name: 'prescale-last', minSize: 2, ...giveBack },
          { name: 'business-floor', recurrence: '0 8 * * *', minSize: 1 },
        ],
      });

    it('deletes the actions due before the refresh deadline that would cut the headroom (6/6), moving their give-back past the lock', async () => {
      const scheduled = lookAhead({ startMs: NOW + 30 * MINUTE_MS });
      const scalingTarget = new FakeScalingTarget([prewarmed]);
      const planned = await planUpdateHeadroom(deps(scalingTarget, scheduled), config, { plan, window });
      expect(scheduled.of('web')).toEqual([
        { name: 'business-floor', recurrence: '0 8 * * *', minSize: 1 },
        { name: 'prescale-20260302T0740Z', startMs: NOW + 400 * MINUTE_MS, minSize: 2 },
      ]);
      expect(planned).toMatchObject({
        kind: 'planned',
        headroom: {
          minSize: 6,
          desiredCapacity: 6,
          lookAheadRemoved: 3,
          movedGiveBack: { name: 'prescale-20260302T0740Z', atMs: NOW + 400 * MINUTE_MS },
          reason: expect.stringContaining(
            'deleted 3 Prescale look-ahead action(s) due before the refresh deadline that would cut the headroom, its give-back (MinSize 2) moved to prescale-20260302T0740Z, after the lock',
          ),
        },
      });
      expect(planned.kind === 'planned' && planned.headroom).not.toHaveProperty('keptGiveBack');
    });

    it('leaves the actions due after the deadline: the rest of the fail-static plan', async () => {
      const scheduled = lookAhead({ startMs: NOW + 90 * MINUTE_MS });
      const planned = await planUpdateHeadroom(deps(new FakeScalingTarget([prewarmed]), scheduled), config, {
        plan,
        window,
      });
      expect(scheduled.of('web').map((a) => a.name)).toEqual(['prescale-last', 'business-floor']);
      expect(planned).toMatchObject({ kind: 'planned', headroom: { lookAheadRemoved: 2 } });
      expect(planned.kind === 'planned' && planned.headroom).not.toHaveProperty('movedGiveBack');
    });

    it('keeps the pre-warm steps that hold or raise the headroom, due before a deadline hours away: the loop is down, its peak still comes', async () => {
      // Refresh estimated 70 minutes: deadline 3.5 h away, the lock 4 h. Headroom 6/6.
      const longWindow = {
        ...window,
        refreshDeadlineMs: NOW + 210 * MINUTE_MS,
        lock: { ...window.lock, expiresAtMs: String(NOW + 240 * MINUTE_MS) },
      };
      const steps = [
        { name: 'prescale-20260302T0200Z', startMs: NOW + 60 * MINUTE_MS, minSize: 6, desiredCapacity: 6 },
        { name: 'prescale-20260302T0230Z', startMs: NOW + 90 * MINUTE_MS, minSize: 8, desiredCapacity: 5 },
        { name: 'prescale-20260302T0300Z', startMs: NOW + 120 * MINUTE_MS, minSize: 10 },
      ];
      const giveBack = { name: 'prescale-20260302T0400Z', startMs: NOW + 180 * MINUTE_MS, minSize: 2 };
      const scheduled = new FakeScheduledCapacity({ web: [...steps, giveBack] });
      const planned = await planUpdateHeadroom(deps(new FakeScalingTarget([prewarmed]), scheduled), config, {
        plan,
        window: longWindow,
      });
      expect(planned).toMatchObject({ headroom: { minSize: 6, desiredCapacity: 6, lookAheadRemoved: 2 } });
      // The step setting desired 5 would cut it; the give-back fires once the lock expires, at 05:00.
      expect(scheduled.of('web')).toEqual([
        steps[0],
        steps[2],
        { name: 'prescale-20260302T0500Z', startMs: NOW + 240 * MINUTE_MS, minSize: 2 },
      ]);
    });

    it.each([[{}], [{ maxSize: 8 }]])(
      'moves the give-back (%o) once when a retry follows a deletion that failed after it was put: nothing lost, none twice',
      async (raise) => {
        const scheduled = lookAhead({ startMs: NOW + 30 * MINUTE_MS, ...raise });
        const deleteOnce = scheduled.deleteScheduledActions.bind(scheduled);
        let failures = 1;
        scheduled.deleteScheduledActions = async (groupName, names) => {
          if (failures-- > 0) throw new TransientDependencyError('AutoScaling', 'BatchDeleteScheduledAction');
          return deleteOnce(groupName, names);
        };
        const attempt = () =>
          planUpdateHeadroom(deps(new FakeScalingTarget([prewarmed]), scheduled), config, { plan, window });
        await expect(attempt()).rejects.toThrow(TransientDependencyError);
        const retried = await attempt();
        expect(retried).toMatchObject({ kind: 'planned', headroom: { lookAheadRemoved: 3 } });
        expect(scheduled.of('web')).toEqual([
          { name: 'business-floor', recurrence: '0 8 * * *', minSize: 1 },
          { name: 'prescale-20260302T0740Z', startMs: NOW + 400 * MINUTE_MS, minSize: 2, ...raise },
        ]);
      },
    );

    it('refuses a group deleted before its scheduled actions are read, as one deleted before it was described', async () => {
      const scheduled = lookAhead({ startMs: NOW + 30 * MINUTE_MS });
      scheduled.scheduledActions = async (groupName) => {
        throw new ResourceNotFoundError('group', groupName);
      };
      const planned = await planUpdateHeadroom(deps(new FakeScalingTarget([prewarmed]), scheduled), config, {
        plan,
        window,
      });
      expect(planned).toMatchObject({ kind: 'changed', error: { Error: 'GroupNoLongerExists' } });
    });

    it('deletes nothing on a group it refuses: nothing was changed', async () => {
      const scheduled = lookAhead({ startMs: NOW + 30 * MINUTE_MS });
      const scalingTarget = new FakeScalingTarget([{ ...prewarmed, standbyInstances: 1 }]);
      const planned = await planUpdateHeadroom(deps(scalingTarget, scheduled), config, { plan, window });
      expect(planned).toMatchObject({ kind: 'changed' });
      expect(scheduled.of('web')).toHaveLength(4);
    });
  });
});
