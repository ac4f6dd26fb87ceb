import { applyCampaigns } from '../../../shared/core/forecast/apply-campaigns';
import { campaignWindowsFor } from '../../../shared/usecases/campaign-windows-for';
import { prewarmCampaign } from '../../../shared/usecases/prewarm-campaign';
import { type ForecastFn, scaleGroups } from '../../../shared/usecases/scale-groups';
import { config, flatForecast, HOUR, hourlyFlatHistory, START, setup } from './prewarm-campaign-setup';

/**
 * A pre-warm held by a rolling update's lock is not retried (`held` is a result, not a failure):
 * the scaling loop raises the group for the campaign by itself once the lock is gone, from its
 * forecast of the group's campaigns (`campaignsFor`), in its first run whose reach touches the start.
 */

const RUN_MS = 300_000;
const LOCK = 'rolling-update:api:7';

/**
 * 115 load, observed every hour up to now and forecast flat at that (every bound too), so nothing
 * departs from the forecast for the level correction to carry. The setup's sale (× 3, 2 extra
 * instances at 60 a instance) raises it in its window: ceil(345 / 60) + 2 = 8 instances, 2 without.
 */
const LOAD = 115;

const flatHistory = hourlyFlatHistory(LOAD);

/** A flat `LOAD` with the campaigns applied, as `forecastDemand` applies them. */
const flatLoadForecast: ForecastFn = (input) => {
  const plain = flatForecast({ ...input, campaigns: [] });
  const flat = plain.mean.map(() => LOAD);
  const adjusted = applyCampaigns(
    plain.startMs,
    plain.stepSeconds,
    flat,
    plain.intervals.map((i) => ({ ...i, lower: flat, upper: flat })),
    input.campaigns ?? [],
  );
  return { ...plain, ...adjusted };
};

describe('prewarmCampaign held by a rolling update, then the scaling loop', () => {
  it("raises the group for the campaign in the loop's first run after the lock is released, before the start", async () => {
    const ctx = await setup();
    // The pre-warm fires 20 minutes before the sale, while a rolling update holds api's lock.
    ctx.setNow(START - 20 * 60_000);
    await ctx.deps.stateStore.acquireLock({
      groupName: 'api',
      holder: LOCK,
      acquiredAtMs: START - HOUR,
      expiresAtMs: START + HOUR,
    });
    const prewarm = await prewarmCampaign(ctx.deps, config, { campaignId: 'bf', action: 'prewarm' });
    expect(prewarm.kind === 'done' && prewarm.groups.find((g) => g.groupName === 'api')).toEqual({
      kind: 'held',
      groupName: 'api',
      reason: `group is held by ${LOCK}`,
    });
    expect(await ctx.campaigns.getPrewarm('bf', 'api')).toBeUndefined();
    expect(ctx.scalingTarget.groups.get('api')).toEqual(expect.objectContaining({ minSize: 2 }));

    const loopDeps = {
      ...ctx.deps,
      metricHistory: flatHistory,
      forecast: flatLoadForecast,
      campaignsFor: campaignWindowsFor(ctx.campaigns),
    };
    const runLoop = async (tickMs: number) => {
      ctx.setNow(tickMs);
      await scaleGroups(loopDeps, config, [{ groupName: 'api', tickMs }]);
    };
    // The loop's run under the lock is held too.
    await runLoop(START - 15 * 60_000);
    expect(ctx.scalingTarget.groups.get('api')).toEqual(expect.objectContaining({ minSize: 2 }));

    // The update ends 10 minutes before the start: the loop's next run raises api for the sale, its
    // reach (the lead time of 300 s and the next run's 5 minutes) touching the start.
    await ctx.deps.stateStore.releaseLock('api', LOCK);
    await runLoop(START - 10 * 60_000);
    expect(ctx.scalingTarget.groups.get('api')).toEqual(
      expect.objectContaining({ minSize: 8, desiredCapacity: 8 }),
    );
    const [run] = await ctx.deps.stateStore.recentRunRecords('api', START - 10 * 60_000);
    expect(run?.outcome).toEqual(
      expect.objectContaining({
        kind: 'applied',
        after: expect.objectContaining({ minSize: 8, desiredCapacity: 8 }),
        reason: expect.stringContaining(`need 8 by ${new Date(START).toISOString()}`),
      }),
    );
    // And kept to the start.
    await runLoop(START - RUN_MS);
    expect(ctx.scalingTarget.groups.get('api')).toEqual(
      expect.objectContaining({ minSize: 8, desiredCapacity: 8 }),
    );
  });
});
