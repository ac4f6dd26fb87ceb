import { userConfigSchema } from '../../../shared/contracts/user-config';
import { ResourceNotFoundError } from '../../../shared/ports/errors';
import type { GroupSnapshot } from '../../../shared/ports/scaling-target';
import type { GroupState } from '../../../shared/ports/state-store';
import { prewarmCampaign } from '../../../shared/usecases/prewarm-campaign';
import {
  RELEASES_PER_DISPATCH,
  releaseGroupsTakenOut,
} from '../../../shared/usecases/release-groups-taken-out';
import { groupSnapshot } from '../../fakes/fake-scaling-target';
import { releaseGroupsDeps } from '../../helpers/release-groups-deps';
import { scaleGroupsConfig } from '../../helpers/scale-groups-setup';
import { config as campaignConfig, setup as campaignSetup, END, HOUR, START } from './prewarm-campaign-setup';

const NOW = Date.UTC(2026, 2, 2, 12);
const config = scaleGroupsConfig({ groups: { names: ['web'] } });
const HOUR_MS = 3_600_000;
const OURS = { 'prescale:deployment': 'Prescale' };
const LOOK_AHEAD = { name: 'prescale-20260302T1300Z', startMs: NOW + HOUR_MS, minSize: 8 };
/** The owner's own action, setting no MinSize (the test that needs one adds it). */
const USERS = { name: 'nightly', recurrence: '0 22 * * *', maxSize: 20 };
/** The look-ahead's last action: the group's own MinSize back 24 h out. */
const GIVE_BACK = { name: 'prescale-20260303T1200Z', startMs: NOW + 24 * HOUR_MS, minSize: 2 };
const STATE: GroupState = { planningQuantile: 0.9, updatedAtMs: NOW - 300_000, userMinSize: 2 };

/** `web` still enrolled, `old` taken out with Prescale's MinSize 8 on it, `theirs` another deployment's. */
async function setup(old: Partial<Parameters<typeof groupSnapshot>[0]> = {}, state: GroupState = STATE) {
  const deps = releaseGroupsDeps(
    [
      groupSnapshot({ name: 'web', minSize: 8, desiredCapacity: 8, maxSize: 20, tags: OURS }),
      groupSnapshot({ name: 'old', minSize: 8, desiredCapacity: 8, maxSize: 20, tags: OURS, ...old }),
      groupSnapshot({
        name: 'theirs',
        minSize: 8,
        desiredCapacity: 8,
        tags: { 'prescale:deployment': 'Staging' },
      }),
    ],
    { web: [LOOK_AHEAD], old: [LOOK_AHEAD, USERS], theirs: [LOOK_AHEAD] },
  );
  const { scalingTarget, scheduledCapacity, groupOwnership, stateStore } = deps;
  await stateStore.putGroupState('old', state);
  const release = () => releaseGroupsTakenOut(deps, config, new Set(['web']), { nowMs: NOW });
  return { deps, scalingTarget, scheduledCapacity, groupOwnership, stateStore, release };
}

describe('releaseGroupsTakenOut', () => {
  it('deletes the look-ahead of a group it owns but no longer enrolls, gives back its MinSize, then its tag', async () => {
    const { release, scalingTarget, scheduledCapacity, groupOwnership } = await setup();
    expect(await release()).toEqual([
      { kind: 'released', groupName: 'old', removedActions: 1, restored: { minSize: 2 } },
    ]);
    expect(scheduledCapacity.of('old')).toEqual([USERS]);
    expect(scalingTarget.groups.get('old')).toMatchObject({ minSize: 2, desiredCapacity: 8, tags: {} });
    expect(groupOwnership.released).toEqual(['old']);
  });

  it('gives back the warm pool’s own MinSize where Prescale sized the pool, restating the rest', async () => {
    const warmPool = { minSize: 0, maxGroupPreparedCapacity: 10, poolState: 'Stopped' };
    const { release, scalingTarget } = await setup({ warmPool }, { ...STATE, userWarmPoolMinSize: 5 });
    expect(await release()).toMatchObject([{ groupName: 'old', restoredWarmPoolMinSize: 5 }]);
    expect(scalingTarget.warmPoolUpdates).toEqual([{ groupName: 'old', minSize: 5, current: warmPool }]);
  });

  it('leaves a warm pool alone whose MinSize its owner set since Prescale last sized it', async () => {
    // Prescale put 3 on the pool (its own 1); the owner has set 6 since.
    const warmPool = { minSize: 6, maxGroupPreparedCapacity: 10 };
    const state = { ...STATE, userWarmPoolMinSize: 1, prescaleWarmPoolMinSize: 3 };
    const owners = await setup({ warmPool }, state);
    expect(await owners.release()).toEqual([expect.not.objectContaining({ restoredWarmPoolMinSize: 1 })]);
    expect(owners.scalingTarget.warmPoolUpdates).toEqual([]);
    // Still at Prescale's 3: its own 1 back.
    const prescales = await setup({ warmPool: { ...warmPool, minSize: 3 } }, state);
    expect(await prescales.release()).toMatchObject([{ restoredWarmPoolMinSize: 1 }]);
  });

  it('leaves a warm pool alone where nothing of it was recorded, or on a paused group Prescale never sized it on', async () => {
    const warmPool = { minSize: 0, maxGroupPreparedCapacity: 10 };
    const unrecorded = await setup({ warmPool });
    await unrecorded.release();
    expect(unrecorded.scalingTarget.warmPoolUpdates).toEqual([]);
    const paused = await setup(
      { warmPool, tags: { ...OURS, 'prescale:paused': 'true' } },
      { ...STATE, userWarmPoolMinSize: 5 },
    );
    await paused.release();
    expect(paused.scalingTarget.warmPoolUpdates).toEqual([]);
  });

  it('gives a paused group’s warm pool its own MinSize back, its bounds left to its owner', async () => {
    // Prescale put 4 on the pool (its own 1) before the pause; no scheduled action can undo it.
    const warmPool = { minSize: 4, maxGroupPreparedCapacity: 10, poolState: 'Stopped' };
    const state = { ...STATE, userWarmPoolMinSize: 1, prescaleWarmPoolMinSize: 4 };
    const paused = { warmPool, tags: { ...OURS, 'prescale:paused': 'true' } };
    const { release, scalingTarget } = await setup(paused, state);
    expect(await release()).toMatchObject([
      { kind: 'released', groupName: 'old', restored: {}, restoredWarmPoolMinSize: 1 },
    ]);
    expect(scalingTarget.warmPoolUpdates).toEqual([{ groupName: 'old', minSize: 1, current: warmPool }]);
    expect([scalingTarget.updates, scalingTarget.groups.get('old')?.minSize]).toEqual([[], 8]);
  });

  it('gives a forecast-only group’s warm pool its own MinSize back, its bounds left as they are', async () => {
    const warmPool = { minSize: 4, maxGroupPreparedCapacity: 10, poolState: 'Hibernated' };
    const state = { ...STATE, userWarmPoolMinSize: 1, prescaleWarmPoolMinSize: 4 };
    const { deps, scalingTarget } = await setup({ warmPool }, state);
    const forecastOnly = scaleGroupsConfig({ groups: { names: ['web'] }, mode: 'forecast-only' });
    expect(await releaseGroupsTakenOut(deps, forecastOnly, new Set(['web']), { nowMs: NOW })).toMatchObject([
      { kind: 'released', restored: {}, restoredWarmPoolMinSize: 1 },
    ]);
    expect(scalingTarget.warmPoolUpdates).toEqual([{ groupName: 'old', minSize: 1, current: warmPool }]);
    expect(scalingTarget.updates).toEqual([]);
  });

  it('gives a paused group’s pool back only while it is at the MinSize Prescale recorded putting on it', async () => {
    const paused = { tags: { ...OURS, 'prescale:paused': 'true' } };
    const pool = (minSize: number) => ({ warmPool: { minSize, maxGroupPreparedCapacity: 10 }, ...paused });
    // Its owner set 6 since Prescale's 4.
    const ownersSince = await setup(pool(6), {
      ...STATE,
      userWarmPoolMinSize: 1,
      prescaleWarmPoolMinSize: 4,
    });
    await ownersSince.release();
    // Paused (or forecast-only) from its first run: Prescale never sized the pool, 6 is its owner's.
    const neverSized = await setup(pool(6), { ...STATE, userWarmPoolMinSize: 1 });
    await neverSized.release();
    expect([ownersSince, neverSized].map((s) => s.scalingTarget.warmPoolUpdates)).toEqual([[], []]);
    const prescales = await setup(pool(4), { ...STATE, userWarmPoolMinSize: 1, prescaleWarmPoolMinSize: 4 });
    expect(await prescales.release()).toMatchObject([{ restoredWarmPoolMinSize: 1 }]);
  });

  it('gives back a pool at the MinSize a run was writing when the write’s outcome went unknown, paused or not', async () => {
    // Prescale's 3 recorded (its own 0); a run's PutWarmPool of 5 landed, then failed it before its record.
    const state = { ...STATE, userWarmPoolMinSize: 0, prescaleWarmPoolMinSize: 3, pendingWarmPoolMinSize: 5 };
    const pool = (minSize: number) => ({ minSize, maxGroupPreparedCapacity: 10, poolState: 'Stopped' });
    const paused = { tags: { ...OURS, 'prescale:paused': 'true' } };
    for (const old of [{ warmPool: pool(5) }, { warmPool: pool(5), ...paused }]) {
      const landed = await setup(old, state);
      expect(await landed.release()).toMatchObject([{ groupName: 'old', restoredWarmPoolMinSize: 0 }]);
      expect(landed.scalingTarget.warmPoolUpdates.map((u) => u.minSize)).toEqual([0]);
    }
    // A pool at neither is its owner's.
    const owners = await setup({ warmPool: pool(6), ...paused }, state);
    await owners.release();
    expect(owners.scalingTarget.warmPoolUpdates).toEqual([]);
  });

  it('leaves at stack deletion a pool Prescale never sized, forecast-only or in a dry run, at its owner’s MinSize', async () => {
    // Held runs recorded the pool's own MinSize, first seen (1), and never sized it; its owner set 6 since.
    const neverSized = { ...STATE, userWarmPoolMinSize: 1 };
    const warmPool = { minSize: 6, maxGroupPreparedCapacity: 10, poolState: 'Stopped' };
    const forecastOnly = scaleGroupsConfig({ groups: { names: ['web'] }, mode: 'forecast-only' });
    const dryRun = scaleGroupsConfig({ groups: { names: ['web'] }, dryRun: true });
    for (const deployed of [forecastOnly, dryRun]) {
      const { deps, scalingTarget } = await setup({ warmPool }, neverSized);
      const [released] = await releaseGroupsTakenOut(deps, deployed, new Set(), {
        nowMs: NOW,
        final: true,
        maxGroups: Number.POSITIVE_INFINITY,
      });
      expect(released).toMatchObject({ kind: 'released', groupName: 'old' });
      expect(released).not.toHaveProperty('restoredWarmPoolMinSize');
      expect(scalingTarget.warmPoolUpdates).toEqual([]);
      // One Prescale sized before the mode changed, still at the MinSize it recorded, gets its own back.
      const sized = await setup(
        { warmPool: { ...warmPool, minSize: 4 } },
        { ...neverSized, prescaleWarmPoolMinSize: 4 },
      );
      await releaseGroupsTakenOut(sized.deps, deployed, new Set(), {
        nowMs: NOW,
        final: true,
        maxGroups: Number.POSITIVE_INFINITY,
      });
      expect(sized.scalingTarget.warmPoolUpdates.map((u) => u.minSize)).toEqual([1]);
    }
  });

  it('leaves enrolled groups and groups another deployment owns alone', async () => {
    const { release, scalingTarget, scheduledCapacity } = await setup();
    await release();
    for (const name of ['web', 'theirs']) {
      expect(scheduledCapacity.of(name)).toEqual([LOOK_AHEAD]);
      expect(scalingTarget.groups.get(name)?.minSize).toBe(8);
    }
    expect(scalingTarget.groups.get('web')?.tags).toEqual(OURS);
  });

  it("gives back a MaxSize Prescale's raise left on it, and keeps MinSize within it", async () => {
    const raised = { ...STATE, userMinSize: 4, originalMaxSize: 3, raisedMaxSize: 20 };
    const { release, scalingTarget } = await setup({}, raised);
    expect(await release()).toMatchObject([{ restored: { maxSize: 3, minSize: 3 } }]);
    expect(scalingTarget.groups.get('old')).toMatchObject({ minSize: 3, maxSize: 3 });
  });

  it('leaves the bounds of a MaxSize someone else set since, and never raises MinSize', async () => {
    const since = { ...STATE, userMinSize: 12, originalMaxSize: 10, raisedMaxSize: 30 };
    const { release, scalingTarget } = await setup({}, since);
    expect(await release()).toMatchObject([{ kind: 'released', restored: {} }]);
    expect(scalingTarget.groups.get('old')).toMatchObject({ minSize: 8, maxSize: 20 });
  });

  it('leaves a MinSize its owner set by hand since Prescale’s last run, and names it; gives back one still Prescale’s', async () => {
    // Prescale's last run left MinSize 6 (its own 2); the owner has set 10 since.
    const state = { ...STATE, userMinSize: 2, prescaleMinSize: 6 };
    const owners = await setup({ minSize: 10, desiredCapacity: 10 }, state);
    expect(await owners.release()).toEqual([
      {
        kind: 'released',
        groupName: 'old',
        removedActions: 1,
        restored: {},
        notRestored:
          'MinSize 10 is not the one Prescale left (6): left as its owner set it since, not lowered to its own 2',
      },
    ]);
    expect(owners.scalingTarget.updates).toEqual([]);
    expect(owners.scalingTarget.groups.get('old')).toMatchObject({ minSize: 10, tags: {} });
    expect(owners.groupOwnership.released).toEqual(['old']);
    // Still at Prescale's 6: its own 2 back.
    const prescales = await setup({ minSize: 6, desiredCapacity: 6 }, state);
    expect(await prescales.release()).toEqual([
      { kind: 'released', groupName: 'old', removedActions: 1, restored: { minSize: 2 } },
    ]);
    expect(prescales.scalingTarget.groups.get('old')).toMatchObject({ minSize: 2 });
    // Prescale down, its look-ahead's action an hour ago raised 6 to 8 (the group's now): Prescale's too.
    const lookAhead = { ...state, lookAheadMinSizes: [[NOW - HOUR_MS, 8]] as const };
    const ran = await setup({}, lookAhead);
    expect(await ran.release()).toMatchObject([{ restored: { minSize: 2 } }]);
  });

  it('gives back a MinSize a campaign pre-warm raised whose release was left to the loop, not performed', async () => {
    // Prescale's last run left 6; a pre-warm raised it to 12, its release left to the loop (a lock held it).
    const state = { ...STATE, userMinSize: 2, prescaleMinSize: 6 };
    const { release, stateStore, scalingTarget } = await setup({ minSize: 12, desiredCapacity: 12 }, state);
    const change = {
      before: { minSize: 6, desiredCapacity: 6 },
      after: { minSize: 12, desiredCapacity: 12 },
    };
    const left = { ...change, campaignId: 'sale', leftAtMs: NOW - HOUR_MS, expiresAtMs: NOW + 24 * HOUR_MS };
    await stateStore.leaveRelease('old', left, NOW - 2 * HOUR_MS);
    expect(await release()).toEqual([
      { kind: 'released', groupName: 'old', removedActions: 1, restored: { minSize: 2 } },
    ]);
    expect(scalingTarget.groups.get('old')).toMatchObject({ minSize: 2 });
  });

  it('deletes the look-ahead and the tag of a paused group, but leaves its bounds to its owner', async () => {
    const { release, scalingTarget, scheduledCapacity } = await setup({
      tags: { ...OURS, 'prescale:paused': 'true' },
    });
    expect(await release()).toMatchObject([{ kind: 'released', removedActions: 1, restored: {} }]);
    expect(scheduledCapacity.of('old')).toEqual([USERS]);
    expect(scalingTarget.groups.get('old')).toMatchObject({
      minSize: 8,
      tags: { 'prescale:paused': 'true' },
    });
  });

  it('leaves the bounds alone in forecast-only mode, deployment-wide or by the group’s tag', async () => {
    for (const [old, mode] of [
      [{}, 'forecast-only'],
      [{ tags: { ...OURS, 'prescale:mode': 'forecast-only' } }, 'forecast-and-scale'],
    ] as const) {
      const { deps, scalingTarget } = await setup(old);
      const forecastOnly = scaleGroupsConfig({ groups: { names: ['web'] }, mode });
      expect(await releaseGroupsTakenOut(deps, forecastOnly, new Set(['web']), { nowMs: NOW })).toMatchObject(
        [{ kind: 'released', removedActions: 1, restored: {} }],
      );
      expect(scalingTarget.groups.get('old')?.minSize).toBe(8);
    }
  });

  it('keeps the look-ahead’s give-back of MinSize on a paused group, whose bounds it leaves', async () => {
    const { release, scalingTarget, scheduledCapacity } = await setup({
      tags: { ...OURS, 'prescale:paused': 'true' },
    });
    scheduledCapacity.actions.get('old')?.set(GIVE_BACK.name, GIVE_BACK);
    expect(await release()).toMatchObject([
      { kind: 'released', removedActions: 1, restored: {}, givesBack: GIVE_BACK },
    ]);
    expect(scheduledCapacity.of('old')).toEqual([USERS, GIVE_BACK]);
    expect(scalingTarget.groups.get('old')).toMatchObject({
      minSize: 8,
      tags: { 'prescale:paused': 'true' },
    });
  });

  it('deletes the give-back too where it gives the bounds back itself', async () => {
    const { release, scalingTarget, scheduledCapacity } = await setup();
    scheduledCapacity.actions.get('old')?.set(GIVE_BACK.name, GIVE_BACK);
    expect(await release()).toEqual([
      { kind: 'released', groupName: 'old', removedActions: 2, restored: { minSize: 2 } },
    ]);
    expect(scheduledCapacity.of('old')).toEqual([USERS]);
    expect(scalingTarget.groups.get('old')?.minSize).toBe(2);
  });

  it('only deletes the look-ahead when held (kill switch, dry run), but its give-back: bounds, pool and tag stay', async () => {
    const { deps, scalingTarget, scheduledCapacity, groupOwnership } = await setup();
    scheduledCapacity.actions.get('old')?.set(GIVE_BACK.name, GIVE_BACK);
    const held = await releaseGroupsTakenOut(deps, config, new Set(['web']), {
      nowMs: NOW,
      held: 'the kill switch is set',
    });
    expect(held).toEqual([
      {
        kind: 'held',
        groupName: 'old',
        reason: 'the kill switch is set',
        removedActions: 1,
        givesBack: GIVE_BACK,
      },
    ]);
    expect(scheduledCapacity.of('old')).toEqual([USERS, GIVE_BACK]);
    expect(scalingTarget.groups.get('old')).toMatchObject({ minSize: 8, maxSize: 20, tags: OURS });
    expect([scalingTarget.updates, groupOwnership.released]).toEqual([[], []]);
  });

  it("gives back the MinSize the owner's own recurring actions set last, rather than the one first seen", async () => {
    const { release, scalingTarget, scheduledCapacity } = await setup();
    // Run at 08:00 today (the clock is noon): MinSize 5 is the owner's now.
    scheduledCapacity.actions.get('old')?.set('open', { name: 'open', recurrence: '0 8 * * *', minSize: 5 });
    expect(await release()).toMatchObject([{ kind: 'released', restored: { minSize: 5 } }]);
    expect(scalingTarget.groups.get('old')?.minSize).toBe(5);
  });

  it('leaves a group Auto Scaling is deleting alone: it refuses every change', async () => {
    const { release, scalingTarget, scheduledCapacity, groupOwnership } = await setup({ deleting: true });
    expect(await release()).toEqual([
      { kind: 'gone', groupName: 'old', reason: 'the group is being deleted' },
    ]);
    expect(scheduledCapacity.of('old')).toHaveLength(2);
    expect([scalingTarget.updates, groupOwnership.released]).toEqual([[], []]);
  });

  it('waits while a rolling update holds the group, changing nothing', async () => {
    const { release, stateStore, scalingTarget, scheduledCapacity } = await setup();
    await stateStore.acquireLock({
      groupName: 'old',
      holder: 'exec-1',
      acquiredAtMs: NOW,
      expiresAtMs: NOW + HOUR_MS,
    });
    expect(await release()).toEqual([
      { kind: 'waiting', groupName: 'old', reason: 'locked by exec-1 until 2026-03-02T13:00:00.000Z' },
    ]);
    expect(scheduledCapacity.of('old')).toHaveLength(2);
    expect(scalingTarget.groups.get('old')?.tags).toEqual(OURS);
  });

  it('gives back at most its share per dispatch; the rest wait, changing nothing, for the next', async () => {
    const { deps, scalingTarget } = await setup();
    const names = Array.from(
      { length: RELEASES_PER_DISPATCH + 2 },
      (_, i) => `out-${String(i).padStart(2, '0')}`,
    );
    for (const name of names) scalingTarget.groups.set(name, groupSnapshot({ name, minSize: 8, tags: OURS }));
    // `old` enrolled again here: only the out- groups are taken out.
    const enrolled = new Set(['web', 'old']);
    const first = await releaseGroupsTakenOut(deps, config, enrolled, { nowMs: NOW });
    expect(first.filter((r) => r.kind === 'released')).toHaveLength(RELEASES_PER_DISPATCH);
    expect(first.filter((r) => r.kind === 'waiting').map((r) => r.groupName)).toEqual(['out-20', 'out-21']);
    expect(scalingTarget.groups.get('out-21')?.tags).toEqual(OURS);
    const next = await releaseGroupsTakenOut(deps, config, enrolled, { nowMs: NOW });
    expect(next.map((r) => [r.groupName, r.kind])).toEqual([
      ['out-20', 'released'],
      ['out-21', 'released'],
    ]);
  });

  it('keeps the tag of a group whose release failed, so the next dispatch tries again', async () => {
    const { release, scalingTarget, scheduledCapacity } = await setup();
    scheduledCapacity.failWith = new Error('Throttling: Rate exceeded');
    expect(await release()).toEqual([
      { kind: 'failed', groupName: 'old', error: 'Error: Throttling: Rate exceeded' },
    ]);
    expect(scalingTarget.groups.get('old')?.tags).toEqual(OURS);
    scheduledCapacity.failWith = undefined;
    expect(await release()).toMatchObject([{ kind: 'released', groupName: 'old' }]);
  });
  it('reports a group deleted since it was listed as gone, rather than failing: nothing is left to give back', async () => {
    const { release, scheduledCapacity } = await setup();
    scheduledCapacity.failWith = new ResourceNotFoundError('group', 'old');
    expect(await release()).toEqual([
      {
        kind: 'gone',
        groupName: 'old',
        reason: 'the group was deleted since it was read: nothing left to give back',
      },
    ]);
  });
});

describe('releaseGroupsTakenOut after a campaign pre-warm', () => {
  const webOnly = userConfigSchema.parse({ ...campaignConfig, groups: { names: ['web'] } });
  /** `api` pre-warmed from its own MinSize 2 to 8 (the loop's last run left 2), then un-enrolled. */
  async function prewarmedThenTakenOut(state: GroupState | undefined) {
    const ctx = await campaignSetup();
    if (state) await ctx.deps.stateStore.putGroupState('api', state);
    await prewarmCampaign(ctx.deps, campaignConfig, { campaignId: 'bf', action: 'prewarm' });
    expect(ctx.scalingTarget.groups.get('api')).toMatchObject({ minSize: 8, tags: OURS });
    const { scalingTarget, scheduledCapacity, groupOwnership, stateStore } = ctx.deps;
    const deps = { scalingTarget, scheduledCapacity, groupOwnership, stateStore, prewarms: ctx.campaigns };
    const nowMs = START - 4 * 60_000;
    return {
      ...ctx,
      takeOut: () => releaseGroupsTakenOut(deps, webOnly, new Set(['web']), { nowMs }),
      remove: () => releaseGroupsTakenOut(deps, webOnly, new Set(['web']), { nowMs, final: true }),
    };
  }

  const LOOP_LEFT = {
    planningQuantile: 0.9,
    updatedAtMs: START - 600_000,
    userMinSize: 2,
    prescaleMinSize: 2,
  };
  const BY_HAND =
    "MinSize 8 is campaign bf's pre-warm raise, which no campaign release lowers now: set its own MinSize 2 back by hand: aws autoscaling update-auto-scaling-group --auto-scaling-group-name api --min-size 2";

  it('names a locked group’s pre-warm raise, which stays, when the stack is deleted', async () => {
    const { remove, scalingTarget, campaigns, deps } = await prewarmedThenTakenOut(LOOP_LEFT);
    await deps.stateStore.acquireLock({
      groupName: 'api',
      holder: 'exec-1',
      acquiredAtMs: START - 600_000,
      expiresAtMs: START + HOUR,
    });
    expect(await remove()).toEqual([
      expect.objectContaining({ kind: 'held', groupName: 'api', tagReleased: true, notRestored: BY_HAND }),
    ]);
    expect(scalingTarget.groups.get('api')).toMatchObject({ minSize: 8, tags: {} });
    // Left unreleased: a campaign release lowers it still, should the group be enrolled again.
    expect((await campaigns.getPrewarm('bf', 'api'))?.releasedAtMs).toBeUndefined();
  });

  it.each([
    ['paused', { 'prescale:paused': 'true' }, 'takeOut'],
    ['paused, at stack deletion', { 'prescale:paused': 'true' }, 'remove'],
    ['forecast-only', { 'prescale:mode': 'forecast-only' }, 'takeOut'],
  ] as const)('names the pre-warm raise a %s group keeps with its bounds', async (_, tags, run) => {
    const ctx = await prewarmedThenTakenOut(LOOP_LEFT);
    const api = ctx.scalingTarget.groups.get('api') as GroupSnapshot;
    ctx.scalingTarget.groups.set('api', { ...api, tags: { ...api.tags, ...tags } });
    expect(await ctx[run]()).toEqual([
      expect.objectContaining({ kind: 'released', groupName: 'api', restored: {}, notRestored: BY_HAND }),
    ]);
    expect(ctx.scalingTarget.groups.get('api')?.minSize).toBe(8);
  });

  it("gives back an unreleased pre-warm's raise, which no loop run recorded, and marks it released", async () => {
    const { takeOut, scalingTarget, campaigns, deps, setNow } = await prewarmedThenTakenOut(LOOP_LEFT);
    expect(await takeOut()).toEqual([
      expect.objectContaining({ kind: 'released', groupName: 'api', restored: { minSize: 2 } }),
    ]);
    expect(scalingTarget.groups.get('api')).toMatchObject({ minSize: 2, tags: {} });
    expect((await campaigns.getPrewarm('bf', 'api'))?.releasedAtMs).toBe(START - 4 * 60_000);
    // The campaign's release, the group enrolled again meanwhile: nothing lowered twice.
    scalingTarget.groups.set('api', {
      ...(scalingTarget.groups.get('api') as GroupSnapshot),
      minSize: 5,
      desiredCapacity: 5,
    });
    setNow(END + 60_000);
    const release = await prewarmCampaign(deps, campaignConfig, { campaignId: 'bf', action: 'release' });
    expect(release.kind === 'done' && release.groups.find((g) => g.groupName === 'api')).toMatchObject({
      kind: 'unchanged',
      reason: 'released already',
    });
    expect(scalingTarget.groups.get('api')?.minSize).toBe(5);
  });

  it('gives back the MinSize the pre-warm raised from where no loop run ever recorded the group', async () => {
    const { takeOut, scalingTarget } = await prewarmedThenTakenOut(undefined);
    await takeOut();
    expect(scalingTarget.groups.get('api')?.minSize).toBe(2);
  });

  it('leaves a MinSize its owner set since the pre-warm, and marks the raise released', async () => {
    const { takeOut, scalingTarget, campaigns } = await prewarmedThenTakenOut(LOOP_LEFT);
    scalingTarget.groups.set('api', {
      ...(scalingTarget.groups.get('api') as GroupSnapshot),
      minSize: 9,
      desiredCapacity: 9,
    });
    expect(await takeOut()).toEqual([
      expect.objectContaining({
        kind: 'released',
        restored: {},
        notRestored: expect.stringMatching(/^MinSize 9 is not the one Prescale left \(2 or 8\)/),
      }),
    ]);
    expect(scalingTarget.groups.get('api')?.minSize).toBe(9);
    expect((await campaigns.getPrewarm('bf', 'api'))?.releasedAtMs).toBeDefined();
  });
});
