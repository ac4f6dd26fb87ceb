import { parseConfig } from '../../../shared/contracts/parse-config';
import { userConfigSchema } from '../../../shared/contracts/user-config';
import { ResourceNotFoundError } from '../../../shared/ports/errors';
import type { GroupSnapshot } from '../../../shared/ports/scaling-target';
import { prewarmCampaign } from '../../../shared/usecases/prewarm-campaign';
import { removeLookAhead } from '../../../shared/usecases/remove-look-ahead';
import { groupSnapshot } from '../../fakes/fake-scaling-target';
import { releaseGroupsDeps } from '../../helpers/release-groups-deps';
import { config as campaignConfig, setup as campaignSetup, START } from './prewarm-campaign-setup';

const T = Date.UTC(2026, 10, 29, 14);
const config = parseConfig(
  userConfigSchema,
  { groups: { names: ['web'], tag: { key: 'prescale:enabled', value: 'true' } } },
  'test',
);

describe('removeLookAhead', () => {
  it("deletes every prescale- action of the enrolled groups and leaves everyone else's", async () => {
    const deps = releaseGroupsDeps(
      [
        groupSnapshot({ name: 'web' }),
        groupSnapshot({ name: 'api', tags: { 'prescale:enabled': 'true' } }),
        groupSnapshot({ name: 'other' }),
      ],
      {
        web: [
          { name: 'prescale-next', startMs: T, minSize: 3 },
          { name: 'prescale-20261129T1500Z', startMs: T + 3_600_000, minSize: 1 },
          { name: 'nightly', recurrence: '0 22 * * *', minSize: 1 },
        ],
        api: [{ name: 'weekend', recurrence: '0 0 * * 6', minSize: 1 }],
        other: [{ name: 'prescale-20261129T1500Z', startMs: T, minSize: 2 }],
      },
    );
    const { scheduledCapacity } = deps;
    const result = await removeLookAhead(deps, config, { nowMs: T });
    expect(result).toEqual({
      groups: 2,
      removed: { web: 2 },
      restored: {},
      notRestored: {},
      leftToOtherDeployments: {},
      released: [],
      failed: [],
    });
    expect(scheduledCapacity.of('web').map((a) => a.name)).toEqual(['nightly']);
    expect(scheduledCapacity.of('api')).toHaveLength(1);
    expect(scheduledCapacity.of('other')).toHaveLength(1);
  });

  it("leaves another deployment's groups and look-ahead, and deletes its own claims", async () => {
    const deps = releaseGroupsDeps(
      [
        groupSnapshot({ name: 'web', tags: { 'prescale:deployment': 'Prescale' } }),
        groupSnapshot({
          name: 'api',
          tags: { 'prescale:enabled': 'true', 'prescale:deployment': 'PrescaleStaging' },
        }),
      ],
      {
        web: [{ name: 'prescale-next', startMs: T, minSize: 3 }],
        api: [{ name: 'prescale-next', startMs: T, minSize: 4 }],
      },
    );
    const { scalingTarget, scheduledCapacity } = deps;
    const result = await removeLookAhead(deps, config, { nowMs: T });
    expect(result).toEqual({
      groups: 2,
      removed: { web: 1 },
      restored: {},
      notRestored: {},
      leftToOtherDeployments: { api: 'PrescaleStaging' },
      released: ['web'],
      failed: [],
    });
    expect(scheduledCapacity.of('api')).toHaveLength(1);
    expect(scalingTarget.groups.get('web')?.tags).toEqual({});
    expect(scalingTarget.groups.get('api')?.tags['prescale:deployment']).toBe('PrescaleStaging');
  });

  it('deletes the actions and the tag of a group it owns that is no longer enrolled, not of one another deployment owns', async () => {
    const theirs = { name: 'prescale-next', startMs: T, minSize: 4 };
    const deps = releaseGroupsDeps(
      [
        groupSnapshot({ name: 'web' }),
        groupSnapshot({ name: 'legacy', minSize: 9, tags: { 'prescale:deployment': 'Prescale' } }),
        groupSnapshot({ name: 'staged', tags: { 'prescale:deployment': 'PrescaleStaging' } }),
      ],
      {
        legacy: [
          { name: 'prescale-20261129T1500Z', startMs: T + 3_600_000, minSize: 9 },
          { name: 'prescale-20261130T1400Z', startMs: T + 24 * 3_600_000, minSize: 2 },
          { name: 'nightly', recurrence: '0 22 * * *', minSize: 1 },
        ],
        staged: [theirs],
      },
    );
    const { scalingTarget, scheduledCapacity } = deps;
    const result = await removeLookAhead(deps, config, { nowMs: T });
    expect(result).toEqual({
      groups: 2,
      removed: { legacy: 2 },
      // Forecast-only (the configuration's mode), its bounds given back all the same at deletion:
      // the owner's nightly MinSize 1 holds now.
      restored: { legacy: { minSize: 1 } },
      notRestored: {},
      leftToOtherDeployments: {},
      released: ['legacy'],
      failed: [],
    });
    expect(scheduledCapacity.of('legacy').map((a) => a.name)).toEqual(['nightly']);
    expect(scalingTarget.groups.get('legacy')).toMatchObject({ minSize: 1, tags: {} });
    expect(scheduledCapacity.of('staged')).toEqual([theirs]);
  });

  it('leaves a MinSize its owner set by hand since Prescale’s last run and names it, giving back one still Prescale’s', async () => {
    const owned = { 'prescale:deployment': 'Prescale' };
    // Prescale's last run left MinSize 6 on both (their own 2); the owner has set 10 on `legacy` since.
    const deps = releaseGroupsDeps([
      groupSnapshot({ name: 'legacy', minSize: 10, desiredCapacity: 10, maxSize: 20, tags: owned }),
      groupSnapshot({ name: 'old', minSize: 6, desiredCapacity: 6, maxSize: 20, tags: owned }),
    ]);
    const { scalingTarget, stateStore } = deps;
    const state = { planningQuantile: 0.6, updatedAtMs: T, userMinSize: 2, prescaleMinSize: 6 };
    await stateStore.putGroupState('legacy', state);
    await stateStore.putGroupState('old', state);
    const result = await removeLookAhead(deps, config, { nowMs: T });
    expect(result).toMatchObject({
      failed: [],
      released: ['legacy', 'old'],
      restored: { old: { minSize: 2 } },
      notRestored: {
        legacy:
          'MinSize 10 is not the one Prescale left (6): left as its owner set it since, not lowered to its own 2',
      },
    });
    expect(scalingTarget.groups.get('legacy')).toMatchObject({ minSize: 10, tags: {} });
    expect(scalingTarget.groups.get('old')).toMatchObject({ minSize: 2, tags: {} });
  });

  it("gives up a group a rolling update's lock holds without waiting for it: bounds left, tag deleted, the deletion not failed", async () => {
    const deps = releaseGroupsDeps(
      [groupSnapshot({ name: 'web', minSize: 9, tags: { 'prescale:deployment': 'Prescale' } })],
      { web: [{ name: 'prescale-20261130T1400Z', startMs: T + 24 * 3_600_000, minSize: 2 }] },
    );
    const { scalingTarget, scheduledCapacity, stateStore } = deps;
    await stateStore.acquireLock({
      groupName: 'web',
      holder: 'exec-1',
      acquiredAtMs: T,
      expiresAtMs: T + 3_600_000,
    });
    // The loop's last run left MinSize 9 (its pre-warm), which the look-ahead gives back to 2 tomorrow.
    await stateStore.putGroupState('web', { planningQuantile: 0.6, updatedAtMs: T, prescaleMinSize: 9 });
    const result = await removeLookAhead(deps, config, { nowMs: T });
    expect(result).toMatchObject({
      failed: [],
      released: ['web'],
      notRestored: {
        web: "locked by exec-1 until 2026-11-29T15:00:00.000Z: its look-ahead's last action gives MinSize 2 back at 2026-11-30T14:00:00.000Z",
      },
    });
    // The update's restore and then the give-back decide the bounds; no run of this deployment comes.
    expect(scheduledCapacity.of('web')).toEqual([
      expect.objectContaining({ name: 'prescale-20261130T1400Z' }),
    ]);
    expect(scalingTarget.groups.get('web')).toMatchObject({ minSize: 9, tags: {} });
  });

  it("names the warm pool an instance refresh leaves at Prescale's MinSize, and does not write it mid-refresh", async () => {
    const warmPool = { minSize: 5, maxGroupPreparedCapacity: 10, poolState: 'Stopped', reuseOnScaleIn: true };
    const deps = releaseGroupsDeps(
      [
        groupSnapshot({
          name: 'web',
          minSize: 9,
          tags: { 'prescale:deployment': 'Prescale' },
          warmPool,
          instanceRefreshInProgress: true,
        }),
      ],
      { web: [{ name: 'prescale-20261129T1500Z', startMs: T + 3_600_000, minSize: 9 }] },
    );
    const { scalingTarget } = deps;
    await deps.stateStore.putGroupState('web', {
      planningQuantile: 0.6,
      updatedAtMs: T,
      userMinSize: 2,
      userWarmPoolMinSize: 0,
      prescaleWarmPoolMinSize: 5,
    });
    const result = await removeLookAhead(deps, config, { nowMs: T });
    expect(result).toMatchObject({
      failed: [],
      released: ['web'],
      restored: {},
      notRestored: {
        web: "an instance refresh is in progress; its warm pool keeps Prescale's MinSize 5 (its own 0): set it back once that change is over, with the pool's other settings restated: aws autoscaling put-warm-pool --auto-scaling-group-name web --min-size 0 --max-group-prepared-capacity 10 --pool-state Stopped --instance-reuse-policy ReuseOnScaleIn=true",
      },
    });
    expect([scalingTarget.warmPoolUpdates, scalingTarget.updates]).toEqual([[], []]);
    expect(scalingTarget.groups.get('web')).toMatchObject({ minSize: 9, tags: {} });
  });

  it("names a locked group's pool after its look-ahead's give-back, its name quoted for the shell", async () => {
    const name = "web's canary";
    const warmPool = { minSize: 3, maxGroupPreparedCapacity: 8 };
    const tags = { 'prescale:deployment': 'Prescale' };
    const giveBack = { name: 'prescale-20261130T1400Z', startMs: T + 24 * 3_600_000, minSize: 2 };
    const deps = releaseGroupsDeps([groupSnapshot({ name, minSize: 9, tags, warmPool })], {
      [name]: [giveBack],
    });
    const { scalingTarget, stateStore } = deps;
    await stateStore.acquireLock({
      groupName: name,
      holder: 'exec-1',
      acquiredAtMs: T,
      expiresAtMs: T + 3_600_000,
    });
    const pool = { userWarmPoolMinSize: 1, prescaleWarmPoolMinSize: 3 };
    await stateStore.putGroupState(name, {
      planningQuantile: 0.6,
      updatedAtMs: T,
      prescaleMinSize: 9,
      ...pool,
    });
    const result = await removeLookAhead(deps, config, { nowMs: T });
    expect(result.notRestored).toEqual({
      [name]:
        "locked by exec-1 until 2026-11-29T15:00:00.000Z: its look-ahead's last action gives MinSize 2 back at 2026-11-30T14:00:00.000Z; its warm pool keeps Prescale's MinSize 3 (its own 1): set it back once that change is over, with the pool's other settings restated: aws autoscaling put-warm-pool --auto-scaling-group-name 'web'\\''s canary' --min-size 1 --max-group-prepared-capacity 8",
    });
    expect(scalingTarget.warmPoolUpdates).toEqual([]);
  });

  it("gives a paused group's warm pool its own MinSize back at deletion, leaving its bounds", async () => {
    const warmPool = { minSize: 5, maxGroupPreparedCapacity: 10, poolState: 'Stopped' };
    const tags = { 'prescale:deployment': 'Prescale', 'prescale:paused': 'true' };
    const deps = releaseGroupsDeps([groupSnapshot({ name: 'web', minSize: 9, tags, warmPool })]);
    const { scalingTarget } = deps;
    const pool = { userWarmPoolMinSize: 0, prescaleWarmPoolMinSize: 5 };
    await deps.stateStore.putGroupState('web', {
      planningQuantile: 0.6,
      updatedAtMs: T,
      userMinSize: 2,
      ...pool,
    });
    const result = await removeLookAhead(deps, config, { nowMs: T });
    expect(result).toMatchObject({ restored: { web: { warmPoolMinSize: 0 } }, notRestored: {} });
    expect(scalingTarget.warmPoolUpdates).toEqual([{ groupName: 'web', minSize: 0, current: warmPool }]);
    expect(scalingTarget.groups.get('web')).toMatchObject({
      minSize: 9,
      tags: { 'prescale:paused': 'true' },
    });
  });

  it('goes on with the other groups when one fails, and lists it', async () => {
    const deps = releaseGroupsDeps([groupSnapshot({ name: 'web' })], {
      web: [{ name: 'prescale-next', startMs: T, minSize: 3 }],
    });
    deps.scheduledCapacity.failWith = new Error('AccessDenied');
    const result = await removeLookAhead(deps, config, { nowMs: T });
    expect(result.failed).toEqual([{ groupName: 'web', error: 'Error: AccessDenied' }]);
  });
  it('counts a group deleted since it was listed as done: its actions went with it, and the stack deletion goes on', async () => {
    const deps = releaseGroupsDeps([groupSnapshot({ name: 'web' })], {
      web: [{ name: 'prescale-next', startMs: T, minSize: 3 }],
    });
    deps.scheduledCapacity.failWith = new ResourceNotFoundError('group', 'web');
    const result = await removeLookAhead(deps, config, { nowMs: T });
    expect(result.failed).toEqual([]);
  });

  it('starts no group once its time is up, and lists each left with the reason, its tag and actions kept for a retried deletion', async () => {
    const owned = { 'prescale:deployment': 'Prescale' };
    const lookAhead = (startMs: number) => [{ name: 'prescale-next', startMs, minSize: 2 }];
    const deps = releaseGroupsDeps(
      [
        groupSnapshot({ name: 'a-owned', minSize: 9, tags: owned }),
        groupSnapshot({ name: 'b-owned', minSize: 9, tags: owned }),
        groupSnapshot({ name: 'web' }),
      ],
      { 'a-owned': lookAhead(T), 'b-owned': lookAhead(T), web: lookAhead(T) },
    );
    const { scalingTarget, scheduledCapacity } = deps;
    // Time for the first group only.
    let asked = 0;
    const left = () => {
      asked += 1;
      return asked <= 1;
    };
    const hasTime = { left, reason: 'not started: out of time' };
    const result = await removeLookAhead(deps, config, { nowMs: T, hasTime });
    expect(result.released).toEqual(['a-owned']);
    expect(result.failed).toEqual([
      { groupName: 'b-owned', error: 'its own bounds not given back yet: not started: out of time' },
      { groupName: 'web', error: 'not started: out of time' },
    ]);
    expect(scheduledCapacity.of('a-owned')).toEqual([]);
    expect(scheduledCapacity.of('b-owned')).toHaveLength(1);
    expect(scheduledCapacity.of('web')).toHaveLength(1);
    expect(scalingTarget.groups.get('b-owned')).toMatchObject({ minSize: 9, tags: owned });

    // The deletion tried again, with time: it goes on where the first stopped.
    const again = await removeLookAhead(deps, config, {
      nowMs: T,
      hasTime: { ...hasTime, left: () => true },
    });
    expect(again.released).toEqual(['b-owned']);
    expect(again.failed).toEqual([]);
    expect([scheduledCapacity.of('b-owned'), scheduledCapacity.of('web')]).toEqual([[], []]);
  });
});

/** No run holds a group here: a wait would be a bug. */
const noSleep = async () => {
  throw new Error('no scaling run holds a group: nothing to wait for');
};

describe('removeLookAhead after a campaign pre-warm', () => {
  it("gives back an unreleased pre-warm's raise at stack deletion, but not one made on a group since replaced", async () => {
    const ctx = await campaignSetup();
    await ctx.deps.stateStore.putGroupState('api', {
      planningQuantile: 0.9,
      updatedAtMs: START - 600_000,
      userMinSize: 2,
      prescaleMinSize: 2,
    });
    await prewarmCampaign(ctx.deps, campaignConfig, { campaignId: 'bf', action: 'prewarm' });
    const { scalingTarget, scheduledCapacity, groupOwnership, stateStore } = ctx.deps;
    // `web` deleted and created again since (another ARN), taken by this deployment's loop at MinSize 8.
    const web = scalingTarget.groups.get('web') as GroupSnapshot;
    scalingTarget.groups.set('web', { ...web, arn: `${web.arn}-new` });
    const deps = {
      scalingTarget,
      scheduledCapacity,
      groupOwnership,
      stateStore,
      prewarms: ctx.campaigns,
      sleep: noSleep,
      clock: ctx.deps.clock,
    };
    const result = await removeLookAhead(deps, campaignConfig, { nowMs: START - 4 * 60_000 });
    expect(result.restored).toEqual({ api: { minSize: 2 } });
    expect([...result.released].sort()).toEqual(['api', 'web']);
    expect(scalingTarget.groups.get('api')?.minSize).toBe(2);
    expect(scalingTarget.groups.get('web')?.minSize).toBe(8);
    for (const group of ['api', 'web'])
      expect((await ctx.campaigns.getPrewarm('bf', group))?.releasedAtMs).toBe(START - 4 * 60_000);
  });

  it("names in its warning a locked group's pre-warm raise, which stays with its bounds", async () => {
    const ctx = await campaignSetup();
    await prewarmCampaign(ctx.deps, campaignConfig, { campaignId: 'bf', action: 'prewarm' });
    const { scalingTarget, scheduledCapacity, groupOwnership, stateStore } = ctx.deps;
    await stateStore.acquireLock({
      groupName: 'api',
      holder: 'exec-1',
      acquiredAtMs: START - 600_000,
      expiresAtMs: START + 3_600_000,
    });
    const deps = {
      scalingTarget,
      scheduledCapacity,
      groupOwnership,
      stateStore,
      prewarms: ctx.campaigns,
      sleep: noSleep,
      clock: ctx.deps.clock,
    };
    const result = await removeLookAhead(deps, campaignConfig, { nowMs: START - 4 * 60_000 });
    expect(result.notRestored).toEqual({
      api: "locked by exec-1 until 2024-01-15T11:00:00.000Z; MinSize 8 is campaign bf's pre-warm raise, which no campaign release lowers now: set its own MinSize 2 back by hand: aws autoscaling update-auto-scaling-group --auto-scaling-group-name api --min-size 2",
    });
    expect(scalingTarget.groups.get('api')).toMatchObject({ minSize: 8, tags: {} });
  });
});
