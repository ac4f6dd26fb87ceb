import { prewarmCampaign } from '../../../shared/usecases/prewarm-campaign';
import { config, definition, HOUR, START, setup } from './prewarm-campaign-setup';

type Setup = Awaited<ReturnType<typeof setup>>;

/** An Updated to version 2, a larger sale (×4 instead of ×3), as the receiver applies it. */
const updateToV2 = (ctx: Setup) =>
  ctx.campaigns.update(
    { ...definition, version: 2, expectedLoad: { kind: 'multiplier', factor: 4 } },
    'e-2',
    START - HOUR,
  );

/** The raise another pre-warm of the campaign records and applies on api (MinSize 2 → 4). */
async function otherPrewarmRaises(ctx: Setup) {
  const raise = { minSize: 4, desiredCapacity: 4 };
  await ctx.campaigns.recordPrewarm(
    {
      campaignId: 'bf',
      groupName: 'api',
      before: { minSize: 2, desiredCapacity: 2 },
      after: raise,
      windowStartMs: START,
      raisedAtMs: START - 7 * 60_000,
      expiresAtMs: definition.expiresAtMs,
    },
    undefined,
  );
  await ctx.scalingTarget.updateCapacity('api', raise);
}

/** Runs `fn` once, just before the pre-warm records its raise of api (it takes the group first). */
function beforeApiRecord(ctx: Setup, fn: () => Promise<unknown>) {
  const take = ctx.deps.groupOwnership.take.bind(ctx.deps.groupOwnership);
  let done = false;
  ctx.deps.groupOwnership.take = async (name) => {
    if (!done && name === 'api') {
      done = true;
      await fn();
    }
    return take(name);
  };
}

describe('prewarmCampaign racing another pre-warm of the campaign', () => {
  it('records and applies the newer version’s raise over the record an older pre-warm wrote meanwhile', async () => {
    const alone = await setup();
    await updateToV2(alone);
    await prewarmCampaign(alone.deps, config, { campaignId: 'bf', action: 'prewarm' });
    const planned = await alone.campaigns.getPrewarm('bf', 'api');

    const ctx = await setup();
    await updateToV2(ctx);
    beforeApiRecord(ctx, () => otherPrewarmRaises(ctx));
    const result = await prewarmCampaign(ctx.deps, config, { campaignId: 'bf', action: 'prewarm' });
    expect(result.kind === 'done' && result.groups.find((g) => g.groupName === 'api')).toEqual(
      expect.objectContaining({ kind: 'raised', after: planned?.after }),
    );
    // The bounds from before the campaign stay the release's target.
    expect(await ctx.campaigns.getPrewarm('bf', 'api')).toEqual(
      expect.objectContaining({ before: { minSize: 2, desiredCapacity: 2 }, after: planned?.after }),
    );
    expect(ctx.scalingTarget.groups.get('api')).toEqual(expect.objectContaining(planned?.after));
  });

  it('gives way to the pre-warm of a newer version that recorded first', async () => {
    const ctx = await setup();
    beforeApiRecord(ctx, async () => {
      await updateToV2(ctx);
      await otherPrewarmRaises(ctx);
    });
    const result = await prewarmCampaign(ctx.deps, config, { campaignId: 'bf', action: 'prewarm' });
    expect(result.kind === 'done' && result.groups.find((g) => g.groupName === 'api')).toEqual({
      kind: 'unchanged',
      groupName: 'api',
      reason: 'the campaign was updated to version 2 meanwhile, whose pre-warm raises the group',
    });
    expect(ctx.scalingTarget.groups.get('api')).toEqual(expect.objectContaining({ minSize: 4 }));
  });

  it('records nothing over the raise of a newer version recorded before it read the record', async () => {
    const ctx = await setup();
    const getPrewarm = ctx.campaigns.getPrewarm.bind(ctx.campaigns);
    let raced = false;
    ctx.campaigns.getPrewarm = async (campaignId, groupName) => {
      if (!raced && groupName === 'api') {
        // The Updated lands and its pre-warm records and raises api while this one forecast.
        raced = true;
        await updateToV2(ctx);
        await otherPrewarmRaises(ctx);
      }
      return getPrewarm(campaignId, groupName);
    };
    const result = await prewarmCampaign(ctx.deps, config, { campaignId: 'bf', action: 'prewarm' });
    expect(result.kind === 'done' && result.groups.find((g) => g.groupName === 'api')).toEqual({
      kind: 'unchanged',
      groupName: 'api',
      reason: 'the campaign was updated to version 2 meanwhile, whose pre-warm raises the group',
    });
    expect((await ctx.campaigns.getPrewarm('bf', 'api'))?.after).toEqual({ minSize: 4, desiredCapacity: 4 });
    expect(ctx.scalingTarget.groups.get('api')).toEqual(expect.objectContaining({ minSize: 4 }));
  });
  it('gives up after a bounded number of records lost to other pre-warms', async () => {
    const ctx = await setup();
    await otherPrewarmRaises(ctx);
    let attempts = 0;
    ctx.campaigns.recordPrewarm = async (raise) => {
      // Another pre-warm records before each attempt: the record is never as read.
      if (raise.groupName === 'api') attempts += 1;
      return undefined;
    };
    const result = await prewarmCampaign(ctx.deps, config, { campaignId: 'bf', action: 'prewarm' });
    expect(result.kind === 'done' && result.groups.find((g) => g.groupName === 'api')).toEqual({
      kind: 'unchanged',
      groupName: 'api',
      reason: 'other pre-warms changed its record 3 times meanwhile',
    });
    expect(attempts).toBe(3);
  });
});
