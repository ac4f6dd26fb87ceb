import type { UserConfigInput } from '../../../shared/contracts/user-config';
import { TransientDependencyError } from '../../../shared/ports/errors';
import type { GroupSnapshot } from '../../../shared/ports/scaling-target';
import type { ForecastFn } from '../../../shared/usecases/scale-groups';
import { scaleGroups } from '../../../shared/usecases/scale-groups';
import { FakeScalingTarget, groupSnapshot } from '../../fakes/fake-scaling-target';
import { FakeScheduledCapacity } from '../../fakes/fake-scheduled-capacity';
import { MemoryStateStore } from '../../fakes/memory-state-store';
import { RecordingGroupOwnership } from '../../fakes/recording-group-ownership';
import { demandForecast } from '../../helpers/demand-forecast';
import { scaleGroupsConfig } from '../../helpers/scale-groups-setup';

const NOW = Date.UTC(2026, 2, 2, 12, 0);
const STEP_MS = 300_000;
const HOUR_MS = 3_600_000;
const USER_ACTION = { name: 'nightly', recurrence: '0 22 * * *', minSize: 1 };

/** `scaleGroupsConfig` with `web` alone enrolled. */
const config = (o: Partial<UserConfigInput> = {}) => scaleGroupsConfig({ groups: { names: ['web'] }, ...o });

/** 100 load (2 instances) except a peak of 600 (10 instances) from 6 h to 8 h after now. */
const peakForecast: ForecastFn = ({ horizonSteps, levels }) => {
  const mean = Array.from({ length: horizonSteps }, (_, h) => (h >= 72 && h < 96 ? 600 : 100));
  return demandForecast(
    mean,
    [...levels].sort((a, b) => a - b).map((levelPct) => ({ levelPct, lower: mean, upper: [...mean] })),
    { startMs: NOW },
  );
};

/** `historyEndMs`: where the group's one datapoint ends (a step before now: fresh). */
function setup(group: Partial<GroupSnapshot> = {}, historyEndMs = NOW) {
  const scalingTarget = new FakeScalingTarget([
    groupSnapshot({ name: 'web', minSize: 1, desiredCapacity: 2, ...group }),
  ]);
  const scheduledCapacity = new FakeScheduledCapacity({ web: [USER_ACTION] });
  const stateStore = new MemoryStateStore();
  let paused = false;
  const deps = {
    scalingTarget,
    scheduledCapacity,
    stateStore,
    metricHistory: {
      loadHistory: async (queries: readonly { groupName: string }[]) =>
        new Map(queries.map((q) => [q.groupName, [{ timestampMs: historyEndMs - STEP_MS, value: 100 }]])),
    },
    clock: { nowMs: () => NOW },
    forecast: peakForecast,
    isGloballyPaused: async () => paused,
    groupOwnership: new RecordingGroupOwnership(),
  };
  return { deps, scheduledCapacity, stateStore, pause: () => (paused = true) };
}

const ours = (fake: FakeScheduledCapacity) => fake.of('web').filter((a) => a.name.startsWith('prescale-'));
/** The look-ahead's last action: it gives the group back its own MinSize (1) 24 h out. */
const giveBackOf = (fake: FakeScheduledCapacity) =>
  ours(fake)
    .sort((a, b) => (a.startMs ?? 0) - (b.startMs ?? 0))
    .at(-1);

describe('scaleGroups look-ahead', () => {
  it('schedules the next 24 h of the plan, peak included, and restores the user MinSize after it', async () => {
    const { deps, scheduledCapacity, stateStore } = setup();
    const [result] = await scaleGroups(deps, config(), [{ groupName: 'web', tickMs: NOW }]);
    expect(result).toMatchObject({ kind: 'ran', lookAhead: { kind: 'scheduled', short: false } });
    const actions = ours(scheduledCapacity).sort((a, b) => (a.startMs ?? 0) - (b.startMs ?? 0));
    // A bridge two loop intervals out, then whole hours.
    expect(actions[0]).toMatchObject({ name: 'prescale-next', startMs: NOW + 600_000 });
    expect(actions[1]).toMatchObject({ name: 'prescale-20260302T1300Z', startMs: NOW + HOUR_MS });
    expect(Math.max(...actions.map((a) => a.minSize ?? 0))).toBe(10);
    const peakAction = actions.find((a) => a.minSize === 10);
    // Needed from 18:00; the 17:00 action covers 17:00 to 18:10 (one step and the lead time).
    expect(peakAction?.startMs).toBe(NOW + 5 * HOUR_MS);
    // The forecast ends 24 h from now: the last planned hour starts 23 h out, the restore at 24 h.
    expect(actions.at(-1)).toMatchObject({ minSize: 1, startMs: NOW + 24 * HOUR_MS });
    // Without reactive policies the loop sets DesiredCapacity, so the look-ahead does too.
    expect(peakAction?.desiredCapacity).toBe(10);
    expect(scheduledCapacity.of('web')).toContainEqual(USER_ACTION);
    expect((await stateStore.getGroupState('web'))?.userMinSize).toBe(1);
  });

  it('keeps lookAhead.hours of the plan at lookAhead.stepHours between actions, each holding its steps’ peak', async () => {
    const { deps, scheduledCapacity } = setup();
    const [result] = await scaleGroups(deps, config({ lookAhead: { hours: 24, stepHours: 5 } }), [
      { groupName: 'web', tickMs: NOW },
    ]);
    expect(result).toMatchObject({ kind: 'ran', lookAhead: { kind: 'scheduled', short: false } });
    const actions = ours(scheduledCapacity).sort((a, b) => (a.startMs ?? 0) - (b.startMs ?? 0));
    // The bridge, then 5-hour steps from 13:00: 13:00–18:00 (and its lead time) holds the peak,
    // and so does 18:00–23:00 (no action of its own: the same MinSize); each later step needs 2.
    expect(actions.map((a) => [(a.startMs ?? 0) - NOW, a.minSize])).toEqual([
      [600_000, 2],
      [HOUR_MS, 10],
      [11 * HOUR_MS, 2],
      // The last whole step reaching 24 h from now ends 26 h out: the group's own MinSize back.
      [26 * HOUR_MS, 1],
    ]);
  });

  it('writes nothing new when the plan has not changed', async () => {
    const { deps, scheduledCapacity } = setup({ hasScalingPolicies: true });
    await scaleGroups(deps, config(), [{ groupName: 'web', tickMs: NOW }]);
    expect(ours(scheduledCapacity).every((a) => a.desiredCapacity === undefined)).toBe(true);
    const [again] = await scaleGroups(deps, config(), [{ groupName: 'web', tickMs: NOW + STEP_MS }]);
    expect(again).toMatchObject({ lookAhead: { kind: 'scheduled', written: 0, removed: 0 } });
  });

  it.each([
    ['the pause tag', { tags: { 'prescale:paused': 'true' } }, {}],
    ['forecast-only mode', {}, { mode: 'forecast-only' as const }],
  ])(
    'deletes its own actions, and only those, under %s, but the one giving MinSize back',
    async (_name, group, cfg) => {
      const { deps, scheduledCapacity } = setup();
      await scaleGroups(deps, config(), [{ groupName: 'web', tickMs: NOW }]);
      expect(ours(scheduledCapacity).length).toBeGreaterThan(1);
      const giveBack = giveBackOf(scheduledCapacity);
      expect(giveBack).toMatchObject({ minSize: 1, startMs: NOW + 24 * HOUR_MS });
      deps.scalingTarget.groups.set('web', {
        ...(deps.scalingTarget.groups.get('web') as GroupSnapshot),
        ...group,
      });
      const [held] = await scaleGroups(deps, config(cfg), [{ groupName: 'web', tickMs: NOW + STEP_MS }]);
      expect(held).toMatchObject({
        lookAhead: { kind: 'cleared', givesBack: { name: giveBack?.name, minSize: 1 } },
      });
      expect(scheduledCapacity.of('web')).toEqual([USER_ACTION, giveBack]);
    },
  );

  it('deletes every action of its own under a hold when MinSize is the group’s own already', async () => {
    const { deps, scheduledCapacity } = setup();
    await scaleGroups(deps, config(), [{ groupName: 'web', tickMs: NOW }]);
    deps.scalingTarget.groups.set('web', {
      ...(deps.scalingTarget.groups.get('web') as GroupSnapshot),
      minSize: 1,
      tags: { 'prescale:paused': 'true' },
    });
    const [held] = await scaleGroups(deps, config(), [{ groupName: 'web', tickMs: NOW + STEP_MS }]);
    expect(held).toMatchObject({ lookAhead: { kind: 'cleared' } });
    expect(held).not.toHaveProperty('lookAhead.givesBack');
    expect(scheduledCapacity.of('web')).toEqual([USER_ACTION]);
  });

  it('deletes its own actions under the kill switch, but the one giving MinSize back', async () => {
    const { deps, scheduledCapacity, pause } = setup();
    await scaleGroups(deps, config(), [{ groupName: 'web', tickMs: NOW }]);
    const giveBack = giveBackOf(scheduledCapacity);
    pause();
    await scaleGroups(deps, config(), [{ groupName: 'web', tickMs: NOW + STEP_MS }]);
    expect(scheduledCapacity.of('web')).toEqual([USER_ACTION, giveBack]);
  });

  it('leaves another deployment’s look-ahead alone under its own kill switch: that one is not paused', async () => {
    const { deps, scheduledCapacity, pause } = setup({
      tags: { 'prescale:deployment': 'PrescaleProduction' },
    });
    const theirs = { name: 'prescale-20260302T1400Z', startMs: NOW + 2 * HOUR_MS, minSize: 8 };
    scheduledCapacity.actions.get('web')?.set(theirs.name, theirs);
    pause();
    const [held] = await scaleGroups(deps, config(), [{ groupName: 'web', tickMs: NOW }]);
    expect(scheduledCapacity.of('web')).toEqual([USER_ACTION, theirs]);
    expect(held).toMatchObject({
      outcome: { reason: expect.stringContaining('managed by Prescale deployment "PrescaleProduction"') },
    });
  });

  it("fits the look-ahead into the slots the user's own actions leave of the quota", async () => {
    const { deps, scheduledCapacity } = setup();
    const many = Array.from({ length: 121 }, (_, i) => ({
      name: `user-${i}`,
      recurrence: '0 1 * * *',
      minSize: 1,
    }));
    await scheduledCapacity.putScheduledActions('web', []);
    for (const a of many) scheduledCapacity.actions.get('web')?.set(a.name, a);
    const [result] = await scaleGroups(deps, config(), [{ groupName: 'web', tickMs: NOW }]);
    expect(scheduledCapacity.of('web').length).toBeLessThanOrEqual(125);
    expect(ours(scheduledCapacity).length).toBeLessThanOrEqual(3);
    expect(scheduledCapacity.of('web').filter((a) => a.name.startsWith('user-'))).toHaveLength(121);
    expect(result).toMatchObject({ lookAhead: { kind: 'scheduled' } });
  });

  it('keeps the run applied when Auto Scaling refuses the look-ahead', async () => {
    const { deps, scheduledCapacity } = setup();
    scheduledCapacity.failWith = new TransientDependencyError(
      'Auto Scaling',
      'BatchPutScheduledUpdateGroupAction',
    );
    const [result] = await scaleGroups(deps, config(), [{ groupName: 'web', tickMs: NOW }]);
    expect(result).toMatchObject({
      kind: 'ran',
      outcome: { kind: 'applied' },
      lookAhead: { kind: 'failed' },
    });
  });

  it('writes nothing when the look-ahead is off, and removes what an earlier run left', async () => {
    const { deps, scheduledCapacity } = setup();
    await scaleGroups(deps, config(), [{ groupName: 'web', tickMs: NOW }]);
    const [off] = await scaleGroups(deps, config({ lookAhead: { hours: 0 } }), [
      { groupName: 'web', tickMs: NOW + STEP_MS },
    ]);
    expect(off).toMatchObject({ lookAhead: { kind: 'off' } });
    expect(scheduledCapacity.of('web')).toEqual([USER_ACTION]);
  });

  it('holds on a stale history every MinSize the run leaves, until it gives the group its own back', async () => {
    const atTen = { minSize: 10, desiredCapacity: 10 };
    // Fresh, the look-ahead steps MinSize down to the forecast's 2 between peaks: the release to hold.
    const fresh = setup(atTen);
    await scaleGroups(fresh.deps, config(), [{ groupName: 'web', tickMs: NOW }]);
    expect(Math.min(...ours(fresh.scheduledCapacity).map((a) => a.minSize ?? 0))).toBe(1);
    expect(ours(fresh.scheduledCapacity).filter((a) => (a.minSize ?? 0) < 10).length).toBeGreaterThan(1);
    const stale = setup(atTen, NOW - 6 * HOUR_MS);
    const [result] = await scaleGroups(stale.deps, config(), [{ groupName: 'web', tickMs: NOW }]);
    expect(result).toMatchObject({ kind: 'ran', staleHistory: { ageMinutes: 360 } });
    const actions = ours(stale.scheduledCapacity).sort((a, b) => (a.startMs ?? 0) - (b.startMs ?? 0));
    expect(actions.slice(0, -1).map((a) => a.minSize)).toEqual(actions.slice(0, -1).map(() => 10));
    expect(actions.at(-1)).toMatchObject({ minSize: 1, startMs: NOW + 24 * HOUR_MS });
  });
});

describe('scaleGroups look-ahead when Prescale keeps its hands off', () => {
  const later = { groupName: 'web', tickMs: NOW + STEP_MS };
  /** A live run writes the look-ahead; then the group is changed by `group`. */
  async function afterLiveRun(group: Partial<GroupSnapshot> = {}) {
    const ctx = setup();
    await scaleGroups(ctx.deps, config(), [{ groupName: 'web', tickMs: NOW }]);
    expect(ours(ctx.scheduledCapacity).length).toBeGreaterThan(1);
    ctx.deps.scalingTarget.groups.set('web', {
      ...(ctx.deps.scalingTarget.groups.get('web') as GroupSnapshot),
      ...group,
    });
    return ctx;
  }
  const failingForecast: ForecastFn = () => {
    throw new Error('forecast failed');
  };

  it('deletes the look-ahead earlier live runs left when switched to dry run, but its give-back, and records it', async () => {
    const { deps, scheduledCapacity, stateStore } = await afterLiveRun();
    const left = ours(scheduledCapacity).length - 1;
    const giveBack = giveBackOf(scheduledCapacity);
    const capacityBefore = { ...(deps.scalingTarget.groups.get('web') as GroupSnapshot) };
    const [dry] = await scaleGroups(deps, config({ dryRun: true }), [later]);
    expect(dry).toMatchObject({ kind: 'ran', lookAhead: { kind: 'dry-run', removed: left } });
    expect(
      dry?.kind === 'ran' && dry.lookAhead?.kind === 'dry-run' && dry.lookAhead.wouldWrite,
    ).toBeGreaterThan(1);
    expect(scheduledCapacity.of('web')).toEqual([USER_ACTION, giveBack]);
    expect(deps.scalingTarget.groups.get('web')).toMatchObject({
      minSize: capacityBefore.minSize,
      desiredCapacity: capacityBefore.desiredCapacity,
    });
    const [record] = await stateStore.recentRunRecords('web', NOW + STEP_MS);
    expect(record?.outcome.reason).toContain(`deleted ${left} look-ahead actions of earlier runs`);
  });

  it('writes no look-ahead in dry run', async () => {
    const { deps, scheduledCapacity } = setup();
    const [dry] = await scaleGroups(deps, config({ dryRun: true }), [{ groupName: 'web', tickMs: NOW }]);
    expect(dry).toMatchObject({ lookAhead: { kind: 'dry-run', removed: 0 } });
    expect(scheduledCapacity.of('web')).toEqual([USER_ACTION]);
  });

  it.each([
    ['paused by tag', { tags: { 'prescale:paused': 'true' } }, {}],
    ['in dry run', {}, { dryRun: true }],
  ])('deletes the look-ahead of a group %s even when its run fails', async (_name, group, cfg) => {
    const { deps, scheduledCapacity } = await afterLiveRun(group);
    const left = ours(scheduledCapacity).length - 1;
    const giveBack = giveBackOf(scheduledCapacity);
    const [failed] = await scaleGroups({ ...deps, forecast: failingForecast }, config(cfg), [later]);
    expect(failed).toMatchObject({ kind: 'failed', lookAhead: { kind: 'cleared', removed: left } });
    expect(scheduledCapacity.of('web')).toEqual([USER_ACTION, giveBack]);
  });

  it('deletes the whole look-ahead of a group a rolling update holds, its give-back too, even when its run fails', async () => {
    const { deps, scheduledCapacity, stateStore } = await afterLiveRun();
    await stateStore.acquireLock({
      groupName: 'web',
      holder: 'rolling-update/exec-1',
      acquiredAtMs: NOW,
      expiresAtMs: NOW + HOUR_MS,
    });
    const [failed] = await scaleGroups({ ...deps, forecast: failingForecast }, config(), [later]);
    expect(failed).toMatchObject({
      kind: 'failed',
      lookAhead: { kind: 'cleared', reason: 'group is held by rolling-update/exec-1' },
    });
    expect(scheduledCapacity.of('web')).toEqual([USER_ACTION]);
  });

  it('deletes the look-ahead of a paused group that has no load history to plan from', async () => {
    const { deps, scheduledCapacity } = await afterLiveRun({ tags: { 'prescale:paused': 'true' } });
    const giveBack = giveBackOf(scheduledCapacity);
    const noHistory = { ...deps, metricHistory: { loadHistory: async () => new Map() } };
    const [result] = await scaleGroups(noHistory, config(), [later]);
    expect(result).toMatchObject({ kind: 'no-history', lookAhead: { kind: 'cleared' } });
    expect(scheduledCapacity.of('web')).toEqual([USER_ACTION, giveBack]);
  });

  it('deletes a paused group’s look-ahead when the batch’s history read fails, and still fails the batch', async () => {
    const { deps, scheduledCapacity } = await afterLiveRun({ tags: { 'prescale:paused': 'true' } });
    const giveBack = giveBackOf(scheduledCapacity);
    const historyDown = {
      ...deps,
      metricHistory: {
        loadHistory: async () => {
          throw new TransientDependencyError('CloudWatch', 'GetMetricData');
        },
      },
    };
    await expect(scaleGroups(historyDown, config(), [later])).rejects.toThrow(TransientDependencyError);
    expect(scheduledCapacity.of('web')).toEqual([USER_ACTION, giveBack]);
  });

  it('deletes a paused group’s look-ahead when the kill switch cannot be read', async () => {
    const { deps, scheduledCapacity } = await afterLiveRun({ tags: { 'prescale:paused': 'true' } });
    const giveBack = giveBackOf(scheduledCapacity);
    const switchDown = {
      ...deps,
      isGloballyPaused: async () => {
        throw new TransientDependencyError('SSM', 'GetParameter');
      },
    };
    await expect(scaleGroups(switchDown, config(), [later])).rejects.toThrow(TransientDependencyError);
    expect(scheduledCapacity.of('web')).toEqual([USER_ACTION, giveBack]);
  });

  it('keeps the look-ahead of a group it may change when the batch’s history read fails (fail-static)', async () => {
    const { deps, scheduledCapacity } = await afterLiveRun();
    const written = ours(scheduledCapacity);
    const historyDown = {
      ...deps,
      metricHistory: {
        loadHistory: async () => {
          throw new TransientDependencyError('CloudWatch', 'GetMetricData');
        },
      },
    };
    await expect(scaleGroups(historyDown, config(), [later])).rejects.toThrow(TransientDependencyError);
    expect(ours(scheduledCapacity)).toEqual(written);
  });

  it('counts the actions deleted before planning in the held run it records', async () => {
    const { deps, scheduledCapacity, stateStore } = await afterLiveRun({
      tags: { 'prescale:paused': 'true' },
    });
    const left = ours(scheduledCapacity).length - 1;
    const [held] = await scaleGroups(deps, config(), [later]);
    expect(held).toMatchObject({ outcome: { kind: 'held' }, lookAhead: { kind: 'cleared', removed: left } });
    const [record] = await stateStore.recentRunRecords('web', NOW + STEP_MS);
    expect(record?.outcome.reason).toContain(`deleted ${left} look-ahead actions of earlier runs`);
  });

  it('reads a held group’s actions once per run, though it deletes them before planning', async () => {
    const { deps, scheduledCapacity } = await afterLiveRun({ tags: { 'prescale:paused': 'true' } });
    scheduledCapacity.calls.length = 0;
    await scaleGroups(deps, config(), [later]);
    expect(scheduledCapacity.calls).toEqual(['describe web', expect.stringMatching(/^delete web \d+$/)]);
  });

  it('leaves the look-ahead to fire when the run of a group it may change fails (fail-static)', async () => {
    const { deps, scheduledCapacity } = await afterLiveRun();
    const written = ours(scheduledCapacity);
    const [failed] = await scaleGroups({ ...deps, forecast: failingForecast }, config(), [later]);
    expect(failed).toMatchObject({ kind: 'failed' });
    expect(failed).not.toHaveProperty('lookAhead');
    expect(ours(scheduledCapacity)).toEqual(written);
  });
});

describe('userConfigSchema lookAhead', () => {
  it('rejects a look-ahead longer than the forecast horizon, naming the field', () => {
    expect(() => config({ lookAhead: { hours: 30 } })).toThrow(/lookAhead\.hours/);
  });
});
