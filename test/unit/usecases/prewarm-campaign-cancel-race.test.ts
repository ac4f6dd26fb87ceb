import { userConfigSchema } from '../../../shared/contracts/user-config';
import { campaignWindowsFor } from '../../../shared/usecases/campaign-windows-for';
import { prewarmCampaign } from '../../../shared/usecases/prewarm-campaign';
import { scaleGroups } from '../../../shared/usecases/scale-groups';
import { aroundFirstChange, config, HOUR, START, setup } from './prewarm-campaign-setup';

// A group whose runs never lower MinSize (no scaling policies, scaleInPerTick 0): only a release does.
const noScaleIn = userConfigSchema.parse({ ...config, defaults: { ...config.defaults, scaleInPerTick: 0 } });
type Setup = Awaited<ReturnType<typeof setup>>;

/** The campaign is cancelled and its release runs to the end, as the receiver's schedule runs it. */
async function cancelAndRelease(ctx: Setup) {
  await ctx.campaigns.cancel(
    { campaignId: 'bf', reason: 'called off', tombstoneExpiresAtMs: START + 30 * 24 * HOUR },
    'e-cancel',
    START - 5 * 60_000,
  );
  return prewarmCampaign(ctx.deps, noScaleIn, { campaignId: 'bf', action: 'release' });
}

const bounds = (ctx: Setup, name: string) => {
  const g = ctx.scalingTarget.groups.get(name);
  return { minSize: g?.minSize, desiredCapacity: g?.desiredCapacity };
};

describe('prewarmCampaign racing the release of a cancel', () => {
  it('raises nothing when the cancel and its release came while the pre-warm was forecasting', async () => {
    const ctx = await setup();
    const calendar = ctx.campaigns.campaignsFor.bind(ctx.campaigns);
    let release: Awaited<ReturnType<typeof cancelAndRelease>> | undefined;
    ctx.campaigns.campaignsFor = async (...args) => {
      // A long pre-warm (it reads the calendar to forecast): the cancel arrives, and its release
      // finds nothing raised on either group.
      ctx.campaigns.campaignsFor = calendar;
      release = await cancelAndRelease(ctx);
      return calendar(...args);
    };
    const prewarm = await prewarmCampaign(ctx.deps, noScaleIn, { campaignId: 'bf', action: 'prewarm' });
    expect(release?.kind === 'done' && release.groups.map((g) => g.kind)).toEqual(['unchanged', 'unchanged']);
    expect(prewarm.kind === 'done' && prewarm.groups.map((g) => [g.groupName, g.kind])).toEqual([
      ['api', 'unchanged'],
      ['web', 'unchanged'],
    ]);
    expect(bounds(ctx, 'api')).toEqual({ minSize: 2, desiredCapacity: 2 });
    expect(bounds(ctx, 'web')).toEqual({ minSize: 1, desiredCapacity: 1 });
  });

  it('records and raises nothing when the release marked the group between the pre-warm’s read and its record', async () => {
    const ctx = await setup();
    const take = ctx.deps.groupOwnership.take.bind(ctx.deps.groupOwnership);
    let release: Awaited<ReturnType<typeof cancelAndRelease>> | undefined;
    ctx.deps.groupOwnership.take = async (name) => {
      // Taken just before the record: the cancel and its release come in between.
      release ??= await cancelAndRelease(ctx);
      return take(name);
    };
    const prewarm = await prewarmCampaign(ctx.deps, noScaleIn, { campaignId: 'bf', action: 'prewarm' });
    expect(
      release?.kind === 'done' && release.groups.map((g) => ('reason' in g ? g.reason : g.kind)),
    ).toEqual(['the pre-warm raised nothing', 'the pre-warm raised nothing']);
    expect(prewarm.kind === 'done' && prewarm.groups).toEqual([
      {
        kind: 'unchanged',
        groupName: 'api',
        reason: "the campaign's release marked its record meanwhile",
      },
      { kind: 'unchanged', groupName: 'web', reason: 'the campaign was cancelled meanwhile' },
    ]);
    expect(bounds(ctx, 'api')).toEqual({ minSize: 2, desiredCapacity: 2 });
    expect(bounds(ctx, 'web')).toEqual({ minSize: 1, desiredCapacity: 1 });
  });

  it('raises nothing after a release that an instance refresh held on a group with nothing raised yet', async () => {
    const ctx = await setup();
    const take = ctx.deps.groupOwnership.take.bind(ctx.deps.groupOwnership);
    let release: Awaited<ReturnType<typeof cancelAndRelease>> | undefined;
    ctx.deps.groupOwnership.take = async (name) => {
      if (!release) {
        // A refresh starts on api after the pre-warm's hold check; the cancel's release is held there.
        const api = ctx.scalingTarget.groups.get('api');
        if (api) ctx.scalingTarget.groups.set('api', { ...api, instanceRefreshInProgress: true });
        release = await cancelAndRelease(ctx);
      }
      return take(name);
    };
    await prewarmCampaign(ctx.deps, noScaleIn, { campaignId: 'bf', action: 'prewarm' });
    expect(release?.kind === 'done' && release.groups[0]).toEqual({
      kind: 'held',
      groupName: 'api',
      reason: 'an instance refresh is in progress',
    });
    expect(bounds(ctx, 'api')).toEqual({ minSize: 2, desiredCapacity: 2 });
  });

  it('takes its raise back when the release read the group before the raise landed', async () => {
    const ctx = await setup();
    const raced = aroundFirstChange(ctx, 'api', async (land) => {
      // The raise is recorded; the release runs before Auto Scaling applies it.
      await cancelAndRelease(ctx);
      await land();
    });
    await prewarmCampaign(ctx.deps, noScaleIn, { campaignId: 'bf', action: 'prewarm' });
    expect(raced()).toBe(true);
    expect(bounds(ctx, 'api')).toEqual({ minSize: 2, desiredCapacity: 2 });
    // What the release left to the loop in case the pre-warm was cut off is performed: the loop
    // takes nothing more back (a MinSize raised by hand later, say).
    expect(await ctx.deps.stateStore.leftReleases('api')).toEqual([]);
    // The cancel's release is marked: a redelivery changes nothing.
    const again = await prewarmCampaign(ctx.deps, noScaleIn, { campaignId: 'bf', action: 'release' });
    expect(again.kind === 'done' && again.groups.map((g) => g.kind)).toEqual(['unchanged', 'unchanged']);
    expect(bounds(ctx, 'api')).toEqual({ minSize: 2, desiredCapacity: 2 });
  });

  it('never takes back twice what a release that saw the raise lowered already', async () => {
    const ctx = await setup();
    const raced = aroundFirstChange(ctx, 'api', async (land) => {
      await land();
      // The release after the raise landed lowers it (8 → 2); then the loop raises for load.
      await cancelAndRelease(ctx);
      await ctx.scalingTarget.updateCapacity('api', { minSize: 5, desiredCapacity: 5 });
    });
    await prewarmCampaign(ctx.deps, noScaleIn, { campaignId: 'bf', action: 'prewarm' });
    expect(raced()).toBe(true);
    expect(bounds(ctx, 'api')).toEqual({ minSize: 5, desiredCapacity: 5 });
  });

  it('lowers a raise the pre-warm made and kept after the release read the group, before it read the record', async () => {
    const ctx = await setup();
    const describe = ctx.scalingTarget.describeGroups.bind(ctx.scalingTarget);
    const take = ctx.deps.groupOwnership.take.bind(ctx.deps.groupOwnership);
    let openGate = () => {};
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    let release: ReturnType<typeof cancelAndRelease> | undefined;
    ctx.deps.groupOwnership.take = async (name) => {
      if (release === undefined && name === 'api') {
        // The cancel's release reads every group before the pre-warm raises api, and reads api's
        // record only once the pre-warm has recorded, raised and re-read its record unreleased.
        let snapshotTaken = () => {};
        const taken = new Promise<void>((resolve) => {
          snapshotTaken = resolve;
        });
        ctx.scalingTarget.describeGroups = async (query) => {
          const snapshot = await describe(query);
          ctx.scalingTarget.describeGroups = describe;
          snapshotTaken();
          await gate;
          return snapshot;
        };
        release = cancelAndRelease(ctx);
        await taken;
      }
      return take(name);
    };
    await prewarmCampaign(ctx.deps, noScaleIn, { campaignId: 'bf', action: 'prewarm' });
    expect(bounds(ctx, 'api').minSize).toBeGreaterThan(2);
    openGate();
    await release;
    expect(bounds(ctx, 'api')).toEqual({ minSize: 2, desiredCapacity: 2 });
  });
  it('leaves the raise to the loop when the pre-warm is cut off after its change, before it read its record again', async () => {
    const ctx = await setup();
    aroundFirstChange(ctx, 'api', async (land) => {
      // The release reads api before the raise lands; the pre-warm then times out after it.
      await cancelAndRelease(ctx);
      await land();
      throw new Error('Task timed out after 300.00 seconds');
    });
    await prewarmCampaign(ctx.deps, noScaleIn, { campaignId: 'bf', action: 'prewarm' });
    expect(bounds(ctx, 'api').minSize).toBeGreaterThan(2);
    const tickMs = START + 5 * 60_000;
    ctx.setNow(tickMs);
    const loopDeps = { ...ctx.deps, campaignsFor: campaignWindowsFor(ctx.campaigns) };
    await scaleGroups(loopDeps, noScaleIn, [{ groupName: 'api', tickMs }]);
    // The loop's next run lowers what the pre-warm added (8 → 2), as far as its own need (3) allows.
    const [run] = await ctx.deps.stateStore.recentRunRecords('api', tickMs - 1);
    expect(run?.outcome.reason).toContain(
      'release campaign bf left to the loop: MinSize may come down 8 → 2',
    );
    expect(bounds(ctx, 'api')).toEqual({ minSize: 3, desiredCapacity: 3 });
  });
});
