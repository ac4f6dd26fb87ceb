import { userConfigSchema } from '../../../shared/contracts/user-config';
import type { StoredCampaign } from '../../../shared/ports/campaign-store';
import { historyQuery } from '../../../shared/usecases/history-query';
import { learnCampaignGroup } from '../../../shared/usecases/learn-campaign-group';
import { resolveGroupSettings } from '../../../shared/usecases/resolve-group-settings';
import { config, END, HOUR, START, setup } from './prewarm-campaign-setup';

const settings = resolveGroupSettings(userConfigSchema.parse(config), 'api', {}).settings;

/** Two campaigns of one kind on `api`, ending together: their releases learn side by side. */
async function twoSales() {
  const ctx = await setup();
  const bf = (await ctx.campaigns.get('bf')) as StoredCampaign;
  const early = { ...bf, campaignId: 'early', startMs: START - 2 * HOUR };
  const history = (await ctx.deps.metricHistory.loadHistory([historyQuery('api', settings, END)])).get('api');
  return { ctx, bf, early, history: history ?? [] };
}

describe('learnCampaignGroup', () => {
  it('keeps both windows when two releases of one kind on a group read the history before either wrote it', async () => {
    const { ctx, bf, early, history } = await twoSales();
    const deps = { store: ctx.campaigns, calendar: ctx.campaigns };
    const read = ctx.campaigns.getKindHistory.bind(ctx.campaigns);
    ctx.campaigns.getKindHistory = async (kind, groupName) => {
      const before = await read(kind, groupName);
      ctx.campaigns.getKindHistory = read;
      // The other release reads and writes between this one's read and its write.
      await learnCampaignGroup(deps, early, 'api', settings, history, END);
      return before;
    };
    await learnCampaignGroup(deps, bf, 'api', settings, history, END);
    expect((await read('sale', 'api'))?.windows).toEqual([
      { startMs: early.startMs, endMs: early.endMs },
      { startMs: bf.startMs, endMs: bf.endMs },
    ]);
  });

  it('fails after a bounded number of writes when the history changes under every one', async () => {
    const { ctx, bf, history } = await twoSales();
    let writes = 0;
    const store = {
      getKindHistory: ctx.campaigns.getKindHistory.bind(ctx.campaigns),
      putKindHistory: async () => {
        writes += 1;
        return false;
      },
    };
    await expect(
      learnCampaignGroup({ store, calendar: ctx.campaigns }, bf, 'api', settings, history, END),
    ).rejects.toMatchObject({ name: 'TransientDependencyError' });
    expect(writes).toBe(3);
  });
});
