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
});
