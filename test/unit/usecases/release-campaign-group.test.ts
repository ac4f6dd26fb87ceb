import { prewarmCampaign } from '../../../shared/usecases/prewarm-campaign';
import { config, definition, END, HOUR, setup } from './prewarm-campaign-setup';

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
});
