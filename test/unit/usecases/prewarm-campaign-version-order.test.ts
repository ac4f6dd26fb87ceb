import { GROUP_TAGS } from '../../../shared/contracts/env';
import { userConfigSchema } from '../../../shared/contracts/user-config';
import { prewarmCampaign } from '../../../shared/usecases/prewarm-campaign';
import { aroundFirstChange, config, definition, HOUR, START, setup } from './prewarm-campaign-setup';

type Setup = Awaited<ReturnType<typeof setup>>;

/** An Updated to version 2, as the receiver applies it: a larger sale (×3 → ×4) or a smaller one (×2). */
const updateToV2 = (ctx: Setup, factor: number) =>
  ctx.campaigns.update(
    { ...definition, version: 2, expectedLoad: { kind: 'multiplier', factor } },
    'e-2',
    START - HOUR,
  );

/** What version 2's pre-warm sets on api when it runs alone after the update. */
async function v2Alone(factor: number) {
  const alone = await setup();
  await updateToV2(alone, factor);
  await prewarmCampaign(alone.deps, config, { campaignId: 'bf', action: 'prewarm' });
  return (await alone.campaigns.getPrewarm('bf', 'api'))?.after;
}

/**
 * Runs `fn` once around version 1's pre-warm's change of api (its record is written): `before`
 * it lands, or `after` it has landed and before the pre-warm reads its record again.
 */
function aroundApiRaise(ctx: Setup, when: 'before' | 'after', fn: () => Promise<unknown>) {
  aroundFirstChange(ctx, 'api', async (land) => {
    if (when === 'before') await fn();
    await land();
    if (when === 'after') await fn();
  });
}

const apiBounds = (ctx: Setup) => {
  const g = ctx.scalingTarget.groups.get('api');
  return { minSize: g?.minSize, desiredCapacity: g?.desiredCapacity };
};

const apiResult = (result: Awaited<ReturnType<typeof prewarmCampaign>> | undefined) =>
  result?.kind === 'done' ? result.groups.find((g) => g.groupName === 'api') : undefined;

const V1_RAISE = { minSize: 8, desiredCapacity: 8 };
const LATER = 'the pre-warm of version 2 recorded its raise meanwhile';

describe('prewarmCampaign: pre-warms of two versions of the campaign', () => {
  it.each([
    ['a larger', 4, 'raised'],
    ['a smaller', 2, 'lowered'],
  ])(
    'sets api to %s newer version’s raise when the older one’s lands after it',
    async (_size, factor, kind) => {
      const planned = await v2Alone(factor);
      expect(planned).not.toEqual(V1_RAISE);
      const ctx = await setup();
      let newer: Awaited<ReturnType<typeof prewarmCampaign>> | undefined;
      // Version 1's pre-warm has recorded its raise; the update and version 2's whole pre-warm come
      // before that raise lands.
      aroundApiRaise(ctx, 'before', async () => {
        await updateToV2(ctx, factor);
        newer = await prewarmCampaign(ctx.deps, config, { campaignId: 'bf', action: 'prewarm' });
      });
      const older = await prewarmCampaign(ctx.deps, config, { campaignId: 'bf', action: 'prewarm' });
      expect(apiBounds(ctx)).toEqual(planned);
      expect(apiResult(newer)).toEqual(expect.objectContaining({ kind: 'raised', after: planned }));
      expect(apiResult(older)).toEqual(
        expect.objectContaining({
          kind,
          before: V1_RAISE,
          after: planned,
          reason: expect.stringContaining(LATER),
        }),
      );
      expect(await ctx.campaigns.getPrewarm('bf', 'api')).toEqual(
        expect.objectContaining({
          campaignVersion: 2,
          before: { minSize: 2, desiredCapacity: 2 },
          after: planned,
        }),
      );
    },
  );

  it('leaves api at the newer version’s raise when that one lands last', async () => {
    const planned = await v2Alone(4);
    const ctx = await setup();
    aroundApiRaise(ctx, 'after', async () => {
      await updateToV2(ctx, 4);
      await prewarmCampaign(ctx.deps, config, { campaignId: 'bf', action: 'prewarm' });
    });
    const older = await prewarmCampaign(ctx.deps, config, { campaignId: 'bf', action: 'prewarm' });
    expect(apiResult(older)).toEqual(
      expect.objectContaining({
        kind: 'raised',
        after: planned,
        reason: expect.stringContaining(`${LATER}, which the group holds`),
      }),
    );
    expect(apiBounds(ctx)).toEqual(planned);
  });

  it('keeps what another actor set since its raise landed, and only gives back its own MinSize', async () => {
    const planned = await v2Alone(2);
    const ctx = await setup();
    aroundApiRaise(ctx, 'before', async () => {
      await updateToV2(ctx, 2);
      await prewarmCampaign(ctx.deps, config, { campaignId: 'bf', action: 'prewarm' });
    });
    // A scaling policy scales api out to 9 as soon as the older raise has landed.
    const update = ctx.scalingTarget.updateCapacity.bind(ctx.scalingTarget);
    let scaledOut = false;
    ctx.scalingTarget.updateCapacity = async (name, change) => {
      await update(name, change);
      if (!scaledOut && name === 'api' && change.minSize === V1_RAISE.minSize) {
        scaledOut = true;
        await update(name, { desiredCapacity: 9 });
      }
    };
    await prewarmCampaign(ctx.deps, config, { campaignId: 'bf', action: 'prewarm' });
    expect(apiBounds(ctx)).toEqual({ minSize: planned?.minSize, desiredCapacity: 9 });
  });

  it('gives back only MinSize on a group whose scaling policies own DesiredCapacity', async () => {
    const planned = await v2Alone(2);
    const ctx = await setup();
    const api = ctx.scalingTarget.groups.get('api');
    if (api) ctx.scalingTarget.groups.set('api', { ...api, hasScalingPolicies: true });
    aroundApiRaise(ctx, 'before', async () => {
      await updateToV2(ctx, 2);
      await prewarmCampaign(ctx.deps, config, { campaignId: 'bf', action: 'prewarm' });
    });
    const older = await prewarmCampaign(ctx.deps, config, { campaignId: 'bf', action: 'prewarm' });
    // Its raise took desired to 8 by MinSize alone; giving MinSize back leaves desired to the policies.
    expect(apiBounds(ctx)).toEqual({ minSize: planned?.minSize, desiredCapacity: V1_RAISE.desiredCapacity });
    expect(ctx.scalingTarget.updates.at(-1)?.change).toEqual({ minSize: planned?.minSize });
    expect(apiResult(older)).toEqual(
      expect.objectContaining({
        kind: 'lowered',
        after: { minSize: planned?.minSize, desiredCapacity: V1_RAISE.desiredCapacity },
      }),
    );
  });

  it('gives back its raise within the group’s MaxSize and floor as they stand', async () => {
    const ctx = await setup();
    aroundApiRaise(ctx, 'before', async () => {
      await updateToV2(ctx, 4);
      await prewarmCampaign(ctx.deps, config, { campaignId: 'bf', action: 'prewarm' });
      // The owner lowers MaxSize to 9, under version 2's raise of 10.
      const api = ctx.scalingTarget.groups.get('api');
      if (api) ctx.scalingTarget.groups.set('api', { ...api, maxSize: 9, minSize: 9, desiredCapacity: 9 });
    });
    await prewarmCampaign(ctx.deps, config, { campaignId: 'bf', action: 'prewarm' });
    expect(apiBounds(ctx)).toEqual({ minSize: 9, desiredCapacity: 9 });

    const floored = await setup();
    aroundApiRaise(floored, 'before', async () => {
      await updateToV2(floored, 2);
      await prewarmCampaign(floored.deps, config, { campaignId: 'bf', action: 'prewarm' });
    });
    // Version 1's pre-warm runs with api's floor at 7 (a `prescale:floor` tag set since version 2's).
    const floor7 = userConfigSchema.parse({ ...config, defaults: { ...config.defaults, floorCapacity: 7 } });
    await prewarmCampaign(floored.deps, floor7, { campaignId: 'bf', action: 'prewarm' });
    expect(apiBounds(floored)).toEqual({ minSize: 7, desiredCapacity: 7 });
  });

  it.each<[string, (ctx: Setup) => Promise<unknown>, RegExp]>([
    [
      'a rolling update’s lock',
      (ctx) => {
        const nowMs = ctx.deps.clock.nowMs();
        return ctx.deps.stateStore.acquireLock({
          groupName: 'api',
          holder: 'exec',
          acquiredAtMs: nowMs,
          expiresAtMs: nowMs + HOUR,
        });
      },
      /held by exec/,
    ],
    [
      'the kill switch',
      async (ctx) => {
        ctx.deps.isGloballyPaused = async () => true;
      },
      /kill switch/,
    ],
    [
      'forecast-only mode',
      async (ctx) => {
        const api = ctx.scalingTarget.groups.get('api');
        if (api)
          ctx.scalingTarget.groups.set('api', {
            ...api,
            tags: { ...api.tags, [GROUP_TAGS.mode]: 'forecast-only' },
          });
      },
      /forecast-only mode/,
    ],
  ])(
    'writes nothing over the newer version’s raise where api is held by %s since its own raise landed',
    async (_hold, take, why) => {
      const planned = await v2Alone(2);
      expect(planned).not.toEqual(V1_RAISE);
      const ctx = await setup();
      let updates = Number.NaN;
      aroundFirstChange(ctx, 'api', async (land) => {
        await updateToV2(ctx, 2);
        await prewarmCampaign(ctx.deps, config, { campaignId: 'bf', action: 'prewarm' });
        await land();
        await take(ctx);
        updates = ctx.scalingTarget.updates.length;
      });
      const older = await prewarmCampaign(ctx.deps, config, { campaignId: 'bf', action: 'prewarm' });
      expect(apiBounds(ctx)).toEqual(V1_RAISE);
      expect(ctx.scalingTarget.updates.slice(updates).filter((u) => u.groupName === 'api')).toEqual([]);
      expect(apiResult(older)).toEqual(
        expect.objectContaining({
          kind: 'held',
          reason: expect.stringMatching(new RegExp(`${LATER}; .*${why.source}.*so this one's stands`)),
        }),
      );
      // The newer version's record stands: the loop plans from it once the hold ends.
      expect(await ctx.campaigns.getPrewarm('bf', 'api')).toEqual(
        expect.objectContaining({ campaignVersion: 2, after: planned }),
      );
    },
  );

  it('records nothing over a newer version’s raise recorded between its read and its record', async () => {
    const ctx = await setup();
    // A raise version 1's pre-warm recorded and applied before (a run whose forecast was lower);
    // this is that version's next run, which raises api further.
    const earlier = { minSize: 3, desiredCapacity: 3 };
    await ctx.campaigns.recordPrewarm(
      {
        campaignId: 'bf',
        groupName: 'api',
        before: { minSize: 2, desiredCapacity: 2 },
        after: earlier,
        windowStartMs: START,
        raisedAtMs: START - 7 * 60_000,
        expiresAtMs: definition.expiresAtMs,
        campaignVersion: 1,
      },
      undefined,
    );
    await ctx.scalingTarget.updateCapacity('api', earlier);
    const planned = await v2Alone(4);
    const take = ctx.deps.groupOwnership.take.bind(ctx.deps.groupOwnership);
    let raced = false;
    ctx.deps.groupOwnership.take = async (name) => {
      // Taken after its checks, just before its record: the update and version 2's pre-warm run.
      if (!raced && name === 'api') {
        raced = true;
        await updateToV2(ctx, 4);
        await prewarmCampaign(ctx.deps, config, { campaignId: 'bf', action: 'prewarm' });
      }
      return take(name);
    };
    const retry = await prewarmCampaign(ctx.deps, config, { campaignId: 'bf', action: 'prewarm' });
    expect(apiResult(retry)).toEqual({ kind: 'unchanged', groupName: 'api', reason: LATER });
    expect(await ctx.campaigns.getPrewarm('bf', 'api')).toEqual(
      expect.objectContaining({ campaignVersion: 2, after: planned }),
    );
    expect(apiBounds(ctx)).toEqual(planned);
  });
});
