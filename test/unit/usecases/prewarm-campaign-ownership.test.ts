import { userConfigSchema } from '../../../shared/contracts/user-config';
import type { GroupOwnership } from '../../../shared/ports/group-ownership';
import { prewarmCampaign } from '../../../shared/usecases/prewarm-campaign';
import { RecordingGroupOwnership } from '../../fakes/recording-group-ownership';
import { config, setup } from './prewarm-campaign-setup';

const PREWARM = { campaignId: 'bf', action: 'prewarm' } as const;

describe('prewarmCampaign and the group’s ownership tag', () => {
  it('takes an unowned group before raising it, so that another deployment’s loop then holds it', async () => {
    const { deps, scalingTarget } = await setup();
    const ownership = new RecordingGroupOwnership({ target: scalingTarget });
    const result = await prewarmCampaign({ ...deps, groupOwnership: ownership }, config, PREWARM);
    expect(result.kind === 'done' && result.groups.map((g) => g.kind)).toEqual(['raised', 'raised']);
    expect(ownership.taken).toEqual(['api', 'web']);
    expect(scalingTarget.groups.get('web')?.tags['prescale:deployment']).toBe('Prescale');
  });

  it('does not write the tag again on a group it already owns', async () => {
    const { deps, scalingTarget } = await setup({ 'prescale:deployment': 'Prescale' });
    const ownership = new RecordingGroupOwnership({ target: scalingTarget });
    const result = await prewarmCampaign({ ...deps, groupOwnership: ownership }, config, PREWARM);
    expect(result.kind === 'done' && result.groups.map((g) => g.kind)).toEqual(['raised', 'raised']);
    expect(ownership.taken).toEqual(['web']);
  });

  it('holds a group another deployment owns: neither takes nor raises it, and names the owner', async () => {
    const { deps, scalingTarget, campaigns } = await setup({ 'prescale:deployment': 'PrescaleStaging' });
    const ownership = new RecordingGroupOwnership({ target: scalingTarget });
    const result = await prewarmCampaign({ ...deps, groupOwnership: ownership }, config, PREWARM);
    if (result.kind !== 'done') throw new Error('expected the pre-warm to run');
    expect(result.groups[0]).toMatchObject({
      kind: 'held',
      groupName: 'api',
      reason: expect.stringContaining('managed by Prescale deployment "PrescaleStaging"'),
    });
    expect(ownership.taken).toEqual(['web']);
    expect(scalingTarget.groups.get('api')).toMatchObject({
      minSize: 2,
      desiredCapacity: 2,
      tags: { 'prescale:deployment': 'PrescaleStaging' },
    });
    expect(await campaigns.getPrewarm('bf', 'api')).toBeUndefined();
  });

  it('takes nothing in a dry run or in forecast-only mode', async () => {
    for (const userConfig of [
      { ...config, dryRun: true },
      userConfigSchema.parse({ ...config, mode: 'forecast-only' }),
    ]) {
      const { deps, scalingTarget } = await setup();
      const ownership = new RecordingGroupOwnership({ target: scalingTarget });
      const result = await prewarmCampaign({ ...deps, groupOwnership: ownership }, userConfig, PREWARM);
      expect(result.kind === 'done' && result.groups.map((g) => g.kind)).toEqual(
        userConfig.dryRun ? ['dry-run', 'dry-run'] : ['held', 'held'],
      );
      expect(ownership.taken).toEqual([]);
    }
  });

  it('neither records nor raises a group it cannot take, and raises the others', async () => {
    const { deps, scalingTarget, campaigns } = await setup();
    const refusing: GroupOwnership = {
      deployment: 'Prescale',
      take: async (groupName) => {
        if (groupName === 'api') throw new Error('LimitExceeded: the group has 50 tags');
      },
      release: async () => {},
    };
    const result = await prewarmCampaign({ ...deps, groupOwnership: refusing }, config, PREWARM);
    if (result.kind !== 'done') throw new Error('expected the pre-warm to run');
    expect(result.groups.map((g) => [g.groupName, g.kind])).toEqual([
      ['api', 'failed'],
      ['web', 'raised'],
    ]);
    expect(scalingTarget.groups.get('api')).toMatchObject({ minSize: 2, desiredCapacity: 2 });
    expect(await campaigns.getPrewarm('bf', 'api')).toBeUndefined();
  });
});
