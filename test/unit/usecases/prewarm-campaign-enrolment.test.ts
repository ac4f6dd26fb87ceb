import { userConfigSchema } from '../../../shared/contracts/user-config';
import { prewarmCampaign } from '../../../shared/usecases/prewarm-campaign';
import { RecordingGroupOwnership } from '../../fakes/recording-group-ownership';
import { config, END, setup } from './prewarm-campaign-setup';

/** `api` was enrolled when the campaign arrived; the configuration has dropped it since. */
const webOnly = userConfigSchema.parse({ ...config, groups: { names: ['web'] } });

describe('prewarmCampaign on a group no longer enrolled', () => {
  it('neither takes, records nor raises it, and raises the enrolled ones', async () => {
    const { deps, scalingTarget, campaigns } = await setup();
    const ownership = new RecordingGroupOwnership({ target: scalingTarget });
    const result = await prewarmCampaign({ ...deps, groupOwnership: ownership }, webOnly, {
      campaignId: 'bf',
      action: 'prewarm',
    });
    if (result.kind !== 'done') throw new Error('expected the pre-warm to run');
    expect(result.groups.map((g) => [g.groupName, g.kind])).toEqual([
      ['api', 'held'],
      ['web', 'raised'],
    ]);
    expect(result.groups[0]).toMatchObject({
      reason: expect.stringContaining('no longer enrolled in Prescale'),
    });
    expect(ownership.taken).toEqual(['web']);
    expect(scalingTarget.groups.get('api')).toMatchObject({ minSize: 2, desiredCapacity: 2 });
    expect(await campaigns.getPrewarm('bf', 'api')).toBeUndefined();
  });

  it('leaves its pre-warm to the loop’s give-back at the release instead of failing on it', async () => {
    const { deps, scalingTarget, setNow } = await setup();
    await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'prewarm' });
    setNow(END + 60_000);
    const result = await prewarmCampaign(deps, webOnly, { campaignId: 'bf', action: 'release' });
    if (result.kind !== 'done') throw new Error('expected the release to run');
    expect(result.groups.map((g) => [g.groupName, g.kind])).toEqual([
      ['api', 'held'],
      ['web', 'lowered'],
    ]);
    expect(result.groups[0]).not.toHaveProperty('releasePending');
    expect(scalingTarget.groups.get('api')).toMatchObject({ minSize: 8, desiredCapacity: 8 });
  });
});
