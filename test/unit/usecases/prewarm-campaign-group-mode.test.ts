import { userConfigSchema } from '../../../shared/contracts/user-config';
import { prewarmCampaign } from '../../../shared/usecases/prewarm-campaign';
import { config, setup } from './prewarm-campaign-setup';

const PREWARM = { campaignId: 'bf', action: 'prewarm' } as const;

/** The pre-warm's outcome per group, with `api` tagged `apiTags`, under `userConfig`. */
async function prewarmWith(apiTags: Record<string, string>, userConfig = config) {
  const { deps, scalingTarget } = await setup(apiTags);
  const result = await prewarmCampaign(deps, userConfig, PREWARM);
  if (result.kind !== 'done') throw new Error('expected the pre-warm to run');
  return {
    kinds: Object.fromEntries(result.groups.map((g) => [g.groupName, g.kind])),
    reasons: Object.fromEntries(result.groups.map((g) => [g.groupName, 'reason' in g ? g.reason : ''])),
    api: scalingTarget.groups.get('api'),
  };
}

describe('prewarmCampaign and each group’s own mode and tags', () => {
  it('raises nothing on a group its prescale:mode tag or its override keeps forecast-only, and raises the others', async () => {
    const overridden = userConfigSchema.parse({
      ...config,
      groupOverrides: { api: { mode: 'forecast-only' } },
    });
    for (const run of [
      await prewarmWith({ 'prescale:mode': 'forecast-only' }),
      await prewarmWith({ 'prescale:mode': ' Forecast-Only ' }),
      await prewarmWith({}, overridden),
    ]) {
      expect(run.kinds).toEqual({ api: 'held', web: 'raised' });
      expect(run.reasons.api).toContain('forecast-only');
      expect(run.api).toMatchObject({ minSize: 2, desiredCapacity: 2 });
    }
  });

  it('holds a group whose prescale:mode it cannot read, and names the tag', async () => {
    const run = await prewarmWith({ 'prescale:mode': 'forecast_and_scale' });
    expect(run.kinds).toEqual({ api: 'held', web: 'raised' });
    expect(run.reasons.api).toContain('ignored tag prescale:mode=forecast_and_scale');
    expect(run.api).toMatchObject({ minSize: 2, desiredCapacity: 2 });
  });

  it('names a numeric tag it cannot read beside the raise, which keeps the configured setting', async () => {
    const run = await prewarmWith({ 'prescale:floor': 'ten' });
    expect(run.kinds).toEqual({ api: 'raised', web: 'raised' });
    expect(run.reasons.api).toContain('ignored tag prescale:floor=ten (expected a whole number ≥ 0)');
  });

  it('raises a group its prescale:mode tag sets forecast-and-scale under a forecast-only configuration', async () => {
    const forecastOnly = userConfigSchema.parse({ ...config, mode: 'forecast-only' });
    const run = await prewarmWith({ 'prescale:mode': 'forecast-and-scale' }, forecastOnly);
    expect(run.kinds).toEqual({ api: 'raised', web: 'held' });
    expect(run.api?.minSize).toBeGreaterThan(2);
  });
});
