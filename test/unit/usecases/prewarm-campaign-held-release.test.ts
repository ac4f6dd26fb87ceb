import { type UserConfig, userConfigSchema } from '../../../shared/contracts/user-config';
import type { GroupSnapshot } from '../../../shared/ports/scaling-target';
import { unfinishedGroups } from '../../../shared/usecases/campaign-action-result';
import { campaignWindowsFor } from '../../../shared/usecases/campaign-windows-for';
import { prewarmCampaign } from '../../../shared/usecases/prewarm-campaign';
import { type ForecastFn, scaleGroups } from '../../../shared/usecases/scale-groups';
import { config, END, flatForecast, HOUR, hourlyFlatHistory, setup } from './prewarm-campaign-setup';

const RUN_MS = 300_000;
const LOCK = 'rolling-update:api:7';
type Setup = Awaited<ReturnType<typeof setup>>;

/**
 * The load the loop's runs see, flat: observed every hour up to now and forecast at the same value
 * (mean and every interval bound), so each run needs ceil(LOOP_LOAD / targetLoadPerInstance)
 * instances: 2 at the default 60 a instance, 5 at 25, 12 at 10. The loop acts only after the sale,
 * whose window lies behind every step it plans, so its uplift is left out. No observation departs
 * from the forecast, so the level correction has no offset to carry, whatever its persistence (on
 * the setup's history the sale's steps left one, which the persistence decayed into the need after
 * the sale). The pre-warm and the releases read the setup's history and forecast.
 */
const LOOP_LOAD = 115;

const loopHistory = hourlyFlatHistory(LOOP_LOAD);

const loopForecast: ForecastFn = (input) => {
  const forecast = flatForecast({ ...input, campaigns: [] });
  const flat = forecast.mean.map(() => LOOP_LOAD);
  const intervals = forecast.intervals.map((i) => ({ ...i, lower: flat, upper: flat }));
  return { ...forecast, mean: flat, intervals };
};

/** The loop's runs of `api` on `LOOP_LOAD`, one every five minutes from `fromMs`, as the worker runs them. */
async function runLoop(ctx: Setup, userConfig: UserConfig, fromMs: number, runs: number) {
  const loopDeps = {
    ...ctx.deps,
    metricHistory: loopHistory,
    forecast: loopForecast,
    campaignsFor: campaignWindowsFor(ctx.campaigns),
  };
  for (let i = 0; i < runs; i++) {
    const tickMs = fromMs + i * RUN_MS;
    ctx.setNow(tickMs);
    await scaleGroups(loopDeps, userConfig, [{ groupName: 'api', tickMs }]);
  }
}

/** What a test stands on: the loop's run of `api` at `tickMs` planned for `need` instances. */
async function expectNeed(ctx: Setup, tickMs: number, need: number) {
  const runs = await ctx.deps.stateStore.recentRunRecords('api', tickMs);
  expect(runs.find((r) => r.tickMs === tickMs)?.outcome.reason).toContain(`need ${need} by`);
}

const setApi = (ctx: Setup, change: Partial<GroupSnapshot>) => {
  const api = ctx.scalingTarget.groups.get('api');
  if (!api) throw new Error('expected the api group');
  ctx.scalingTarget.groups.set('api', { ...api, ...change });
};

/** Pre-warms (api MinSize 2 → 8), holds api by `hold`, then runs the release at the end. */
async function heldRelease(hold: 'refresh' | 'lock' | 'deleting', userConfig: UserConfig = config) {
  const ctx = await setup();
  await prewarmCampaign(ctx.deps, userConfig, { campaignId: 'bf', action: 'prewarm' });
  if (hold === 'refresh') setApi(ctx, { instanceRefreshInProgress: true });
  else if (hold === 'deleting') setApi(ctx, { deleting: true });
  else
    await ctx.deps.stateStore.acquireLock({
      groupName: 'api',
      holder: LOCK,
      acquiredAtMs: END - HOUR,
      expiresAtMs: END + 2 * HOUR,
    });
  ctx.setNow(END);
  const result = await prewarmCampaign(ctx.deps, userConfig, { campaignId: 'bf', action: 'release' });
  if (result.kind !== 'done') throw new Error('expected the release to run');
  const lift = async () => {
    if (hold === 'refresh') setApi(ctx, { instanceRefreshInProgress: false });
    else await ctx.deps.stateStore.releaseLock('api', LOCK);
  };
  return { ctx, result, lift };
}

describe('prewarmCampaign releasing a group a rolling update or an instance refresh holds', () => {
  it.each([
    ['an instance refresh', 'refresh', 'an instance refresh is in progress'],
    ['a rolling update', 'lock', `group is held by ${LOCK}`],
  ] as const)(
    'leaves the raise to the loop under %s, which lowers it once the hold ends',
    async (_n, hold, why) => {
      const { ctx, result, lift } = await heldRelease(hold);
      expect(unfinishedGroups(result)).toEqual([]);
      expect(result.groups[0]).toEqual({
        kind: 'held',
        groupName: 'api',
        reason: `${why}; the pre-warm (MinSize 2 → 8) is left to the loop, which lowers MinSize at its pace once the hold ends`,
      });
      expect((await ctx.campaigns.getPrewarm('bf', 'api'))?.releasedAtMs).toBe(END);
      // The hold outlasts Lambda's retries: the loop changes nothing while it lasts...
      await runLoop(ctx, config, END + RUN_MS, 3);
      expect(ctx.scalingTarget.groups.get('api')?.minSize).toBe(8);
      // ...and once it ends lowers MinSize, at most scaleInPerTick (1) a run, to its plan.
      await lift();
      await runLoop(ctx, config, END + HOUR, 3);
      expect(ctx.scalingTarget.groups.get('api')?.minSize).toBe(5);
      await runLoop(ctx, config, END + 2 * HOUR, 6);
      expect(ctx.scalingTarget.groups.get('api')?.minSize).toBeLessThanOrEqual(2);
    },
  );

  const noScaleIn = userConfigSchema.parse({
    ...config,
    defaults: { ...config.defaults, scaleInPerTick: 0 },
  });

  it.each([
    ['an instance refresh', 'refresh', 'an instance refresh is in progress'],
    ['a rolling update', 'lock', `group is held by ${LOCK}`],
  ] as const)(
    'leaves the release under %s to the loop where its runs never lower MinSize (scaleInPerTick 0, no policies), which performs it once the hold ends',
    async (_n, hold, why) => {
      const { ctx, result, lift } = await heldRelease(hold, noScaleIn);
      expect(unfinishedGroups(result)).toEqual([]);
      expect(result.groups[0]).toEqual({
        kind: 'held',
        groupName: 'api',
        reason: `${why}; the pre-warm (MinSize 2 → 8) is left to the loop, which performs this release once the hold ends`,
      });
      expect((await ctx.campaigns.getPrewarm('bf', 'api'))?.releasedAtMs).toBe(END);
      await runLoop(ctx, noScaleIn, END + RUN_MS, 3);
      expect(ctx.scalingTarget.groups.get('api')?.minSize).toBe(8);
      // The first run after the hold lowers what the pre-warm added, at once: no pace holds it.
      await lift();
      await runLoop(ctx, noScaleIn, END + HOUR, 1);
      expect(ctx.scalingTarget.groups.get('api')).toEqual(
        expect.objectContaining({ minSize: 2, desiredCapacity: 2 }),
      );
      expect(await ctx.deps.stateStore.leftReleases('api')).toEqual([]);
      const [run] = await ctx.deps.stateStore.recentRunRecords('api', END + HOUR);
      expect(run?.outcome.reason).toContain(
        'release campaign bf left to the loop: MinSize may come down 8 → 2, what its pre-warm added',
      );
      // Once: a MinSize raised since (by hand here) is not lowered again, by the loop or a retry.
      setApi(ctx, { minSize: 6, desiredCapacity: 6 });
      await runLoop(ctx, noScaleIn, END + 2 * HOUR, 3);
      const retried = await prewarmCampaign(ctx.deps, noScaleIn, { campaignId: 'bf', action: 'release' });
      expect(retried.kind === 'done' && unfinishedGroups(retried)).toEqual([]);
      expect(ctx.scalingTarget.groups.get('api')?.minSize).toBe(6);
    },
  );

  it('performs a release left to the loop only in a run that may act: no kill switch, pause, forecast-only or dry run', async () => {
    const { ctx, lift } = await heldRelease('lock', noScaleIn);
    await lift();
    await runLoop(
      { ...ctx, deps: { ...ctx.deps, isGloballyPaused: async () => true } },
      noScaleIn,
      END + HOUR / 2,
      2,
    );
    const forecastOnly = userConfigSchema.parse({ ...noScaleIn, mode: 'forecast-only' });
    const dryRun = userConfigSchema.parse({ ...noScaleIn, dryRun: true });
    await runLoop(ctx, forecastOnly, END + HOUR, 2);
    await runLoop(ctx, dryRun, END + 2 * HOUR, 2);
    setApi(ctx, { tags: { 'prescale:paused': 'true' } });
    await runLoop(ctx, noScaleIn, END + 3 * HOUR, 2);
    expect(ctx.scalingTarget.groups.get('api')?.minSize).toBe(8);
    expect((await ctx.deps.stateStore.leftReleases('api')).map((r) => r.campaignId)).toEqual(['bf']);
    setApi(ctx, { tags: {} });
    await runLoop(ctx, noScaleIn, END + 4 * HOUR, 1);
    expect(ctx.scalingTarget.groups.get('api')?.minSize).toBe(2);
  });

  it('leaves the release for the next run when the run performing it fails to change the group', async () => {
    const { ctx, lift } = await heldRelease('refresh', noScaleIn);
    await lift();
    const update = ctx.scalingTarget.updateCapacity.bind(ctx.scalingTarget);
    ctx.scalingTarget.updateCapacity = async () => {
      throw new Error('Throttling: Rate exceeded');
    };
    await runLoop(ctx, noScaleIn, END + HOUR, 1);
    expect(ctx.scalingTarget.groups.get('api')?.minSize).toBe(8);
    expect((await ctx.deps.stateStore.leftReleases('api')).map((r) => r.campaignId)).toEqual(['bf']);
    ctx.scalingTarget.updateCapacity = update;
    await runLoop(ctx, noScaleIn, END + HOUR + RUN_MS, 1);
    expect(ctx.scalingTarget.groups.get('api')?.minSize).toBe(2);
  });

  it.each([
    ['the floor', { floorCapacity: 4 }, 4, 2],
    // At 25 a instance the run plans 5 instances for the load after the sale (its reason: `need 5`),
    // more than the 2 from before it: the release stops there, as the run's plan would raise it back.
    ['what the run needs', { targetLoadPerInstance: 25 }, 5, 5],
  ])('lowers a left release no further than %s', async (_n, override, minSize, need) => {
    const userConfig = userConfigSchema.parse({ ...noScaleIn, groupOverrides: { api: override } });
    const { ctx, lift } = await heldRelease('refresh', userConfig);
    const raised = ctx.scalingTarget.groups.get('api')?.minSize ?? 0;
    expect(raised).toBeGreaterThan(minSize);
    await lift();
    await runLoop(ctx, userConfig, END + HOUR, 1);
    await expectNeed(ctx, END + HOUR, need);
    expect(ctx.scalingTarget.groups.get('api')?.minSize).toBe(minSize);
  });

  it('takes back only what the pre-warm added when the run that lowered MinSize lost its settle', async () => {
    const { ctx, lift } = await heldRelease('refresh', noScaleIn);
    await lift();
    // Load for 12 instances (10 a instance): the loop raises MinSize above the pre-warm's 8 to 12.
    const busy = userConfigSchema.parse({
      ...noScaleIn,
      groupOverrides: { api: { targetLoadPerInstance: 10 } },
    });
    await runLoop(ctx, busy, END + HOUR, 3);
    await expectNeed(ctx, END + HOUR, 12);
    expect(ctx.scalingTarget.groups.get('api')?.minSize).toBe(12);
    // The load falls (60 a instance: 2): the release takes back the 6 the pre-warm added (12 → 6),
    // and DynamoDB throttles the settle after the capacity change (the run fails; the record stays
    // as it was read).
    const store = ctx.deps.stateStore;
    const update = ctx.scalingTarget.updateCapacity.bind(ctx.scalingTarget);
    let changed = false;
    ctx.scalingTarget.updateCapacity = async (...args) => {
      await update(...args);
      changed = true;
    };
    const settle = store.settleLeftRelease.bind(store);
    store.settleLeftRelease = async (...args) => {
      if (!changed) return settle(...args);
      changed = false;
      throw new Error(
        'ProvisionedThroughputExceededException: Rate of requests exceeds the allowed throughput',
      );
    };
    await runLoop(ctx, noScaleIn, END + 2 * HOUR, 1);
    expect(ctx.scalingTarget.groups.get('api')?.minSize).toBe(6);
    // The run died before its settle: the release is still under way.
    expect(await store.leftReleases('api')).toEqual([
      expect.objectContaining({ underWay: expect.objectContaining({ fromMinSize: 12, toMinSize: 6 }) }),
    ]);
    // The next run does not take the 6 back a second time, out of the loop's own raise.
    await runLoop(ctx, noScaleIn, END + 2 * HOUR + RUN_MS, 3);
    await expectNeed(ctx, END + 2 * HOUR + RUN_MS, 2);
    expect(ctx.scalingTarget.groups.get('api')?.minSize).toBe(6);
    expect(await ctx.deps.stateStore.leftReleases('api')).toEqual([]);
  });

  /** Pre-warms api, then releases it under an instance refresh: left to the loop, its mark throttled. */
  async function leftWithoutMark(userConfig: UserConfig) {
    const ctx = await setup();
    await prewarmCampaign(ctx.deps, userConfig, { campaignId: 'bf', action: 'prewarm' });
    setApi(ctx, { instanceRefreshInProgress: true });
    ctx.setNow(END);
    const mark = ctx.campaigns.markReleased.bind(ctx.campaigns);
    ctx.campaigns.markReleased = async () => {
      ctx.campaigns.markReleased = mark;
      throw new Error(
        'ProvisionedThroughputExceededException: Rate of requests exceeds the allowed throughput',
      );
    };
    const first = await prewarmCampaign(ctx.deps, userConfig, { campaignId: 'bf', action: 'release' });
    expect(first.kind === 'done' && unfinishedGroups(first).map((g) => g.groupName)).toEqual(['api']);
    expect((await ctx.deps.stateStore.leftReleases('api')).map((r) => r.campaignId)).toEqual(['bf']);
    return ctx;
  }

  it('does not release again on a retry after the loop performed a release whose mark was throttled', async () => {
    const ctx = await leftWithoutMark(noScaleIn);
    setApi(ctx, { instanceRefreshInProgress: false });
    // Load for 12 instances (10 a instance): the loop raises MinSize to 12; then it falls (60 a
    // instance: 2), and the loop's run performs the left release (12 → 6, the 6 the pre-warm added).
    const busy = userConfigSchema.parse({
      ...noScaleIn,
      groupOverrides: { api: { targetLoadPerInstance: 10 } },
    });
    await runLoop(ctx, busy, END + HOUR, 3);
    await expectNeed(ctx, END + HOUR, 12);
    expect(ctx.scalingTarget.groups.get('api')?.minSize).toBe(12);
    await runLoop(ctx, noScaleIn, END + 2 * HOUR, 1);
    await expectNeed(ctx, END + 2 * HOUR, 2);
    expect(ctx.scalingTarget.groups.get('api')?.minSize).toBe(6);
    // Lambda's retry (or a redrive from the dead-letter queue) of the release, the hold gone.
    const retried = await prewarmCampaign(ctx.deps, noScaleIn, { campaignId: 'bf', action: 'release' });
    expect(retried.kind === 'done' && retried.groups[0]).toEqual({
      kind: 'unchanged',
      groupName: 'api',
      reason: 'left to the loop by an earlier attempt',
    });
    expect(ctx.scalingTarget.groups.get('api')).toEqual(
      expect.objectContaining({ minSize: 6, desiredCapacity: 6 }),
    );
    expect((await ctx.campaigns.getPrewarm('bf', 'api'))?.releasedAtMs).toBe(END + 2 * HOUR);
  });

  it('leaves what the loop made of a release as it is when a retry comes under a later hold', async () => {
    // At 25 a instance the run needs 5 after the sale: it performs the release part way, to 5.
    const needs5 = userConfigSchema.parse({
      ...noScaleIn,
      groupOverrides: { api: { targetLoadPerInstance: 25 } },
    });
    const ctx = await leftWithoutMark(needs5);
    setApi(ctx, { instanceRefreshInProgress: false });
    await runLoop(ctx, needs5, END + HOUR, 1);
    await expectNeed(ctx, END + HOUR, 5);
    expect(ctx.scalingTarget.groups.get('api')?.minSize).toBe(5);
    const [owing] = await ctx.deps.stateStore.leftReleases('api');
    expect(owing).toEqual(expect.objectContaining({ settledAtMinSize: 5 }));
    // Another refresh, and the release's retry: left again, it would owe the whole raise once more.
    setApi(ctx, { instanceRefreshInProgress: true });
    await prewarmCampaign(ctx.deps, needs5, { campaignId: 'bf', action: 'release' });
    expect(await ctx.deps.stateStore.leftReleases('api')).toEqual([owing]);
    expect((await ctx.campaigns.getPrewarm('bf', 'api'))?.releasedAtMs).toBe(END + HOUR);
  });

  it('lowers nothing for a release an overlapping run of the group claimed after this one read it', async () => {
    const { ctx, lift } = await heldRelease('refresh', noScaleIn);
    await lift();
    const store = ctx.deps.stateStore;
    const read = store.leftReleases.bind(store);
    store.leftReleases = async (groupName) => {
      const releases = await read(groupName);
      // The other run (a redelivered tick) marks the release under way before this one does.
      for (const r of releases) {
        const underWay = { fromMinSize: 8, toMinSize: 2, minSize: 2, startMinSize: 8 };
        await store.settleLeftRelease(groupName, r, { ...r, underWay, version: 1 });
      }
      store.leftReleases = read;
      return releases;
    };
    await runLoop(ctx, noScaleIn, END + HOUR, 1);
    expect(ctx.scalingTarget.groups.get('api')?.minSize).toBe(8);
    const [run] = await store.recentRunRecords('api', END + HOUR);
    expect(run?.outcome).toEqual(
      expect.objectContaining({
        kind: 'unchanged',
        reason: expect.stringContaining('a left release was taken by an overlapping run'),
      }),
    );
    // That run died before its change (the group is still at its step's start): the next performs it.
    await runLoop(ctx, noScaleIn, END + HOUR + RUN_MS, 1);
    expect(ctx.scalingTarget.groups.get('api')?.minSize).toBe(2);
    expect(await store.leftReleases('api')).toEqual([]);
  });

  /** A release left to the loop that its first run after the hold performs part way (8 → 5 of 8 → 2). */
  async function partWay() {
    // At 25 a instance the run needs 5 after the sale.
    const needs5 = userConfigSchema.parse({
      ...noScaleIn,
      groupOverrides: { api: { targetLoadPerInstance: 25 } },
    });
    const { ctx, lift } = await heldRelease('refresh', needs5);
    await lift();
    await runLoop(ctx, needs5, END + HOUR, 1);
    await expectNeed(ctx, END + HOUR, 5);
    expect(ctx.scalingTarget.groups.get('api')?.minSize).toBe(5);
    return ctx;
  }

  it('keeps what the run’s need held back owing, and lowers it once the need falls', async () => {
    // Only a release lowers MinSize here: taken whole at 5, the rest of the raise stayed for good.
    const ctx = await partWay();
    expect(await ctx.deps.stateStore.leftReleases('api')).toEqual([
      expect.objectContaining({ campaignId: 'bf', after: expect.objectContaining({ minSize: 5 }) }),
    ]);
    // The need falls (here: the group's target back to the default): the rest comes down.
    await runLoop(ctx, noScaleIn, END + 2 * HOUR, 1);
    expect(ctx.scalingTarget.groups.get('api')?.minSize).toBe(2);
    expect(await ctx.deps.stateStore.leftReleases('api')).toEqual([]);
  });

  it('lowers nothing of the rest on a MinSize someone moved since, and drops it', async () => {
    const ctx = await partWay();
    setApi(ctx, { minSize: 9, desiredCapacity: 9 });
    await runLoop(ctx, noScaleIn, END + 2 * HOUR, 3);
    expect(ctx.scalingTarget.groups.get('api')?.minSize).toBe(9);
    expect(await ctx.deps.stateStore.leftReleases('api')).toEqual([]);
  });

  it('marks the release done on a group Auto Scaling is deleting: the raise goes with the group', async () => {
    const { ctx, result } = await heldRelease('deleting');
    expect(unfinishedGroups(result)).toEqual([]);
    expect(result.groups[0]).toEqual(
      expect.objectContaining({
        kind: 'held',
        groupName: 'api',
        reason: expect.stringMatching(/goes with it$/),
      }),
    );
    expect((await ctx.campaigns.getPrewarm('bf', 'api'))?.releasedAtMs).toBe(END);
  });

  it('keeps the release pending under a rolling update on a group a persistent hold keeps after it', async () => {
    const forecastOnly = userConfigSchema.parse({
      ...config,
      groupOverrides: { api: { mode: 'forecast-only' } },
    });
    const ctx = await setup();
    await prewarmCampaign(ctx.deps, config, { campaignId: 'bf', action: 'prewarm' });
    await ctx.deps.stateStore.acquireLock({
      groupName: 'api',
      holder: LOCK,
      acquiredAtMs: END - HOUR,
      expiresAtMs: END + 2 * HOUR,
    });
    ctx.setNow(END);
    const result = await prewarmCampaign(ctx.deps, forecastOnly, { campaignId: 'bf', action: 'release' });
    expect(result.kind === 'done' && unfinishedGroups(result).map((g) => g.groupName)).toEqual(['api']);
    expect((await ctx.campaigns.getPrewarm('bf', 'api'))?.releasedAtMs).toBeUndefined();
  });
});
