import { GROUP_TAGS } from '../../../shared/contracts/env';
import { type UserConfig, userConfigSchema } from '../../../shared/contracts/user-config';
import { unfinishedGroups } from '../../../shared/usecases/campaign-action-result';
import { campaignWindowsFor } from '../../../shared/usecases/campaign-windows-for';
import { prewarmCampaign } from '../../../shared/usecases/prewarm-campaign';
import { scaleGroups } from '../../../shared/usecases/scale-groups';
import { groupSnapshot } from '../../fakes/fake-scaling-target';
import { config, definition, END, HOUR, START, setup } from './prewarm-campaign-setup';

const RUN_MS = 300_000;
// A group whose runs never lower MinSize (no scaling policies, scaleInPerTick 0): only a release does.
const noScaleIn = userConfigSchema.parse({ ...config, defaults: { ...config.defaults, scaleInPerTick: 0 } });

/** The loop's runs of `groupName`, one every five minutes from `fromMs`, as the worker runs them. */
async function runLoop(
  ctx: Awaited<ReturnType<typeof setup>>,
  userConfig: UserConfig,
  groupName: string,
  fromMs: number,
  runs: number,
) {
  const loopDeps = { ...ctx.deps, campaignsFor: campaignWindowsFor(ctx.campaigns) };
  for (let i = 0; i < runs; i++) {
    const tickMs = fromMs + i * RUN_MS;
    ctx.setNow(tickMs);
    await scaleGroups(loopDeps, userConfig, [{ groupName, tickMs }]);
  }
}

describe('releaseGroup', () => {
  it("leaves the pre-warm to the loop for a campaign starting within the default lead time plus the group's warm-up", async () => {
    const { deps, scalingTarget, campaigns, setNow } = await setup();
    const web = scalingTarget.groups.get('web');
    // No DefaultInstanceWarmup: the warm-up is the DefaultCooldown, so the lead time is 300 + 300 s.
    if (web) scalingTarget.groups.set('web', { ...web, defaultCooldownSeconds: 300 });
    await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'prewarm' });
    const raised = scalingTarget.groups.get('web')?.minSize;
    const soon = { startMs: END + 500_000, endMs: END + 3 * HOUR };
    await campaigns.schedule({ ...definition, campaignId: 'soon', groupNames: ['web'], ...soon }, 'e-9', END);
    setNow(END);
    const result = await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'release' });
    expect(result.kind === 'done' && result.groups.find((g) => g.groupName === 'web')).toEqual(
      expect.objectContaining({
        kind: 'unchanged',
        reason: expect.stringMatching(/^left to the loop: campaign soon/),
      }),
    );
    expect(scalingTarget.groups.get('web')?.minSize).toBe(raised);
  });

  it("releases no lower than the owner's one-time MinSize that Auto Scaling has run, as the loop keeps it", async () => {
    const { deps, scalingTarget, setNow } = await setup();
    await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'prewarm' });
    const raised = scalingTarget.groups.get('api')?.minSize as number;
    // The owner's launch-day action ran during the campaign (Auto Scaling deleted it) and the loop
    // saw its MinSize in effect: only the loop's state still knows it.
    const ownerMin = raised - 1;
    await deps.stateStore.putGroupState('api', {
      planningQuantile: 0.6,
      updatedAtMs: END - HOUR,
      ownerOneTimeMinSizes: [{ name: 'launch-day', atMs: END - HOUR, minSize: ownerMin, inEffect: true }],
    });
    setNow(END);
    await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'release' });
    expect(scalingTarget.groups.get('api')?.minSize).toBe(ownerMin);
  });

  it('performs through the loop, once no campaign is left on the group, a release left to it for another campaign where its runs never lower MinSize', async () => {
    const ctx = await setup();
    const { deps, scalingTarget, campaigns, setNow } = ctx;
    await prewarmCampaign(deps, noScaleIn, { campaignId: 'bf', action: 'prewarm' });
    const raised = scalingTarget.groups.get('web')?.minSize as number;
    expect(raised).toBeGreaterThan(1);
    const lateNight = {
      campaignId: 'late-night',
      groupNames: ['web'],
      startMs: END - HOUR,
      endMs: END + 3 * HOUR,
    };
    await campaigns.schedule({ ...definition, ...lateNight }, 'e-9', START);
    setNow(END);
    const released = await prewarmCampaign(deps, noScaleIn, { campaignId: 'bf', action: 'release' });
    expect(released.kind === 'done' && released.groups.find((g) => g.groupName === 'web')).toEqual(
      expect.objectContaining({
        kind: 'unchanged',
        reason: expect.stringMatching(/^left to the loop: campaign late-night/),
      }),
    );
    // While late-night is on the group, its floor holds what bf raised...
    await runLoop(ctx, noScaleIn, 'web', END + RUN_MS, 2);
    expect(scalingTarget.groups.get('web')?.minSize).toBeGreaterThanOrEqual(raised);
    // ...and once it has ended, the loop's first run brings the group down to its need: 2 for the
    // model's 100 at 60 per instance (before 2026-12-07 the level correction carried late-night's
    // shortfall under its ×3 past its end, a forecast of 0 and the floor, 1).
    setNow(END + 3 * HOUR);
    await prewarmCampaign(deps, noScaleIn, { campaignId: 'late-night', action: 'release' });
    await runLoop(ctx, noScaleIn, 'web', END + 3 * HOUR + RUN_MS, 1);
    expect(scalingTarget.groups.get('web')).toEqual(expect.objectContaining({ minSize: 2 }));
  });

  // docs/campaigns.md, "Release and temporary capacity": a release held (here by forecast-only) on a
  // group still carrying its pre-warm changes nothing and fails the invocation (`release held: …`),
  // so Lambda's retries, then the campaign dead-letter queue and its `Rejected campaign events`
  // alarm keep it until an operator lifts the hold and invokes the release again.
  it.each([
    ['its prescale:mode tag', 'tag'],
    ['its override in a redeployed configuration', 'override'],
  ] as const)(
    'keeps pending a release on a group switched to forecast-only by %s after its pre-warm',
    async (_n, by) => {
      const ctx = await setup();
      const { deps, scalingTarget, campaigns, setNow } = ctx;
      await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'prewarm' });
      const api = scalingTarget.groups.get('api');
      if (!api) throw new Error('expected the api group');
      expect(api.minSize).toBe(8);
      if (by === 'tag')
        scalingTarget.groups.set('api', {
          ...api,
          tags: { ...api.tags, [GROUP_TAGS.mode]: 'forecast-only' },
        });
      const switched =
        by === 'tag'
          ? config
          : userConfigSchema.parse({ ...config, groupOverrides: { api: { mode: 'forecast-only' } } });
      setNow(END);
      const held = await prewarmCampaign(deps, switched, { campaignId: 'bf', action: 'release' });
      if (held.kind !== 'done') throw new Error('expected the release to run');
      const why = 'forecast-only mode; the pre-warm (MinSize 2 → 8) is not released';
      expect(held.groups.find((g) => g.groupName === 'api')).toEqual({
        kind: 'held',
        groupName: 'api',
        reason: why,
        releasePending: true,
      });
      // What the handler fails the invocation with, and Lambda's on-failure record carries.
      expect(unfinishedGroups(held)).toEqual([
        { groupName: 'api', error: new Error(`release held: ${why}`) },
      ]);
      expect(scalingTarget.groups.get('api')).toEqual(expect.objectContaining({ minSize: 8 }));
      expect((await campaigns.getPrewarm('bf', 'api'))?.releasedAtMs).toBeUndefined();
      // The other group, still managed, is released.
      expect(held.groups.find((g) => g.groupName === 'web')).toEqual(
        expect.objectContaining({ kind: 'lowered' }),
      );
      // The loop is held by the same and gives nothing back; a retry while it lasts fails again.
      await runLoop(ctx, switched, 'api', END + RUN_MS, 2);
      expect(scalingTarget.groups.get('api')?.minSize).toBe(8);
      const retried = await prewarmCampaign(deps, switched, { campaignId: 'bf', action: 'release' });
      expect(retried.kind === 'done' && unfinishedGroups(retried).map((g) => g.groupName)).toEqual(['api']);
      // Once the group acts again, the operator's invocation of the release gives the raise back.
      const acting = scalingTarget.groups.get('api');
      if (acting) scalingTarget.groups.set('api', { ...acting, tags: api.tags });
      const released = await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'release' });
      expect(released.kind === 'done' && unfinishedGroups(released)).toEqual([]);
      expect(scalingTarget.groups.get('api')?.minSize).toBe(2);
      expect((await campaigns.getPrewarm('bf', 'api'))?.releasedAtMs).toBeDefined();
    },
  );

  it('leaves alone a group deleted and created again under the same name since the pre-warm, marking its raise released', async () => {
    const { deps, scalingTarget, campaigns, setNow } = await setup();
    await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'prewarm' });
    expect(scalingTarget.groups.get('api')?.minSize).toBe(8);
    // Terraform's destroy-then-create: a new `api` (another ARN), its own MinSize 10, no Prescale tag.
    const arn = 'arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:new-id:autoScalingGroupName/api';
    scalingTarget.groups.set('api', groupSnapshot({ name: 'api', arn, minSize: 10, desiredCapacity: 10 }));
    setNow(END + 60_000);
    const result = await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'release' });
    expect(result.kind === 'done' && result.groups.find((g) => g.groupName === 'api')).toEqual({
      kind: 'unchanged',
      groupName: 'api',
      reason: 'the group was replaced',
    });
    expect(scalingTarget.groups.get('api')).toMatchObject({ minSize: 10, desiredCapacity: 10 });
    expect((await campaigns.getPrewarm('bf', 'api'))?.releasedAtMs).toBe(END + 60_000);
    // The group the pre-warm raised, as it was: lowered as before.
    expect(scalingTarget.groups.get('web')?.minSize).toBe(1);
  });

  it("takes a group without this deployment's tag for a replaced one where the record, written before ARNs were kept, names none", async () => {
    const { deps, scalingTarget, campaigns, setNow } = await setup();
    await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'prewarm' });
    const { groupArn: _arn, ...legacy } = (await campaigns.getPrewarm('bf', 'api')) as NonNullable<
      Awaited<ReturnType<typeof campaigns.getPrewarm>>
    >;
    campaigns.prewarms.set('bf#api', legacy);
    scalingTarget.groups.set('api', groupSnapshot({ name: 'api', minSize: 10, desiredCapacity: 10 }));
    setNow(END + 60_000);
    await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'release' });
    expect(scalingTarget.groups.get('api')?.minSize).toBe(10);
    expect((await campaigns.getPrewarm('bf', 'api'))?.releasedAtMs).toBe(END + 60_000);
  });
});
