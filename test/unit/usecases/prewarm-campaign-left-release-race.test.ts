import { userConfigSchema } from '../../../shared/contracts/user-config';
import { campaignWindowsFor } from '../../../shared/usecases/campaign-windows-for';
import { prewarmCampaign } from '../../../shared/usecases/prewarm-campaign';
import { scaleGroups } from '../../../shared/usecases/scale-groups';
import { aroundFirstChange, config, definition, END, HOUR, START, setup } from './prewarm-campaign-setup';

// A group whose runs never lower MinSize (no scaling policies, scaleInPerTick 0): only a release,
// or the loop performing a release left to it, does.
const noScaleIn = userConfigSchema.parse({ ...config, defaults: { ...config.defaults, scaleInPerTick: 0 } });
type Setup = Awaited<ReturnType<typeof setup>>;
const RUN_MS = 300_000;

async function runLoop(ctx: Setup, groupName: string, fromMs: number, runs: number): Promise<void> {
  const loopDeps = { ...ctx.deps, campaignsFor: campaignWindowsFor(ctx.campaigns) };
  for (let i = 0; i < runs; i++) {
    const tickMs = fromMs + i * RUN_MS;
    ctx.setNow(tickMs);
    await scaleGroups(loopDeps, noScaleIn, [{ groupName, tickMs }]);
  }
}

const minSizeOf = (ctx: Setup, name: string) => ctx.scalingTarget.groups.get(name)?.minSize;

/** bf is cancelled and its release runs to the end, as the receiver's schedule runs it. */
async function cancelAndRelease(ctx: Setup): Promise<void> {
  const tombstoneExpiresAtMs = START + 30 * 24 * HOUR;
  await ctx.campaigns.cancel(
    { campaignId: 'bf', reason: 'called off', tombstoneExpiresAtMs },
    'e-cancel',
    START - 5 * 60_000,
  );
  await prewarmCampaign(ctx.deps, noScaleIn, { campaignId: 'bf', action: 'release' });
}

/** The reason `prewarmCampaign` gave for one group. */
const reasonFor = (out: Awaited<ReturnType<typeof prewarmCampaign>>, name: string) => {
  const group = out.kind === 'done' ? out.groups.find((g) => g.groupName === name) : undefined;
  return group && 'reason' in group ? group.reason : undefined;
};

describe('releases left to the loop where it never lowers MinSize', () => {
  it('brings a campaign nested in another back down when the inner one ended first', async () => {
    const ctx = await setup();
    await prewarmCampaign(ctx.deps, noScaleIn, { campaignId: 'bf', action: 'prewarm' });
    const outer = minSizeOf(ctx, 'web') as number;
    const flash = {
      ...definition,
      campaignId: 'flash',
      groupNames: ['web'],
      startMs: START + 2 * HOUR,
      endMs: START + 3 * HOUR,
      expectedLoad: { kind: 'multiplier', factor: 6 } as const,
      extraInstances: 4,
    };
    await ctx.campaigns.schedule(flash, 'e-9', START);
    ctx.setNow(flash.startMs - 6 * 60_000);
    await prewarmCampaign(ctx.deps, noScaleIn, { campaignId: 'flash', action: 'prewarm' });
    expect(minSizeOf(ctx, 'web')).toBeGreaterThan(outer);
    // The inner campaign ends while the outer is on the group: its release is left to the loop.
    ctx.setNow(flash.endMs);
    await prewarmCampaign(ctx.deps, noScaleIn, { campaignId: 'flash', action: 'release' });
    await runLoop(ctx, 'web', flash.endMs + RUN_MS, 2);
    ctx.setNow(END);
    const out = await prewarmCampaign(ctx.deps, noScaleIn, { campaignId: 'bf', action: 'release' });
    expect(reasonFor(out, 'web')).toMatch(
      /left to the loop: the release of campaign flash left to it before comes down first/,
    );
    await runLoop(ctx, 'web', END + RUN_MS, 3);
    // Both raises come down as far as the loop's need (3 here: the model's 100 after bf, planned
    // from the falling edge of bf's last hour), not to the outer's top (8), where lowering the
    // outer by what it added first stopped the inner's release at its `before`. (2 before
    // 2026-12-07, when bf's shortfall under its ×3 pulled the forecast after it to 0.)
    expect(minSizeOf(ctx, 'web')).toBe(3);
    const owed = await ctx.deps.stateStore.leftReleases('web');
    expect(owed.map((r) => [r.campaignId, r.settledAtMinSize])).toEqual([['bf', 3]]);
  });

  it('takes nothing back that the loop lowered before a pre-warm stalled after its raise', async () => {
    const ctx = await setup();
    const raced = aroundFirstChange(ctx, 'api', async (land, change) => {
      // The release reads api before the raise lands, and leaves the release to the loop too.
      await cancelAndRelease(ctx);
      await land();
      // A loop run performs it while the pre-warm stalls; then MinSize is raised by hand.
      await runLoop(ctx, 'api', START - 4 * 60_000, 1);
      expect(minSizeOf(ctx, 'api')).toBeLessThan(change.minSize as number);
      await ctx.scalingTarget.updateCapacity('api', { minSize: 7, desiredCapacity: 7 });
      ctx.setNow(START - 6 * 60_000);
    });
    const out = await prewarmCampaign(ctx.deps, noScaleIn, { campaignId: 'bf', action: 'prewarm' });
    expect(raced()).toBe(true);
    expect(reasonFor(out, 'api')).toMatch(/the campaign's release ran meanwhile, and the loop lowers it/);
    expect(minSizeOf(ctx, 'api')).toBe(7);
  });

  it('leaves the loop to lower a raise whose take-back the pre-warm began and was cut off in', async () => {
    const ctx = await setup();
    const update = ctx.scalingTarget.updateCapacity.bind(ctx.scalingTarget);
    let raisedTo = 0;
    ctx.scalingTarget.updateCapacity = async (name, change) => {
      if (name !== 'api') return update(name, change);
      if (raisedTo > 0) throw new Error('Task timed out'); // the take-back's change
      await cancelAndRelease(ctx);
      await update(name, change);
      raisedTo = change.minSize as number;
    };
    const out = await prewarmCampaign(ctx.deps, noScaleIn, { campaignId: 'bf', action: 'prewarm' });
    expect(out.kind === 'done' && out.groups.find((g) => g.groupName === 'api')?.kind).toBe('failed');
    expect(minSizeOf(ctx, 'api')).toBe(raisedTo);
    ctx.scalingTarget.updateCapacity = update;
    await runLoop(ctx, 'api', START - 4 * 60_000, 2);
    expect(minSizeOf(ctx, 'api')).toBeLessThan(raisedTo);
    // Down to the loop's need, the rest owed from there: the release is the loop's now.
    const owed = await ctx.deps.stateStore.leftReleases('api');
    expect(owed.map((r) => r.settledAtMinSize)).toEqual([minSizeOf(ctx, 'api')]);
  });
});
