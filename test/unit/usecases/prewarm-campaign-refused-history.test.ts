import { RejectedRequestError, TransientDependencyError } from '../../../shared/ports/errors';
import type { HistoryQuery, MetricHistory } from '../../../shared/ports/metric-history';
import { unfinishedGroups } from '../../../shared/usecases/campaign-action-result';
import { prewarmCampaign } from '../../../shared/usecases/prewarm-campaign';
import { config, definition, END, HOUR, START, setup } from './prewarm-campaign-setup';

/**
 * `history` as CloudWatch answers a GetMetricData call holding `groupName`'s query when that query
 * is bad (an override expression's typo, a quote in an expression group's name, Forbidden): the
 * whole call is refused, every group in it.
 */
function refusingReadOf(history: MetricHistory, groupName: string): MetricHistory {
  return {
    loadHistory: async (queries: readonly HistoryQuery[]) => {
      if (queries.some((q) => q.groupName === groupName))
        throw new RejectedRequestError(
          'CloudWatch',
          'GetMetricData',
          `the load expression of ${groupName} is invalid`,
        );
      return history.loadHistory(queries);
    },
  };
}

/** `history` whose reads fail transiently `times` times, then answer. */
function failingTransiently(history: MetricHistory, times: number): MetricHistory {
  let failures = 0;
  return {
    loadHistory: async (queries: readonly HistoryQuery[]) => {
      if (failures < times) {
        failures += 1;
        throw new TransientDependencyError('CloudWatch', 'GetMetricData');
      }
      return history.loadHistory(queries);
    },
  };
}

describe('prewarmCampaign when CloudWatch refuses one group’s history read', () => {
  it('pre-warms the other groups and fails only that one, with the refusal', async () => {
    const { deps, scalingTarget } = await setup();
    const result = await prewarmCampaign(
      { ...deps, metricHistory: refusingReadOf(deps.metricHistory, 'api') },
      config,
      { campaignId: 'bf', action: 'prewarm' },
    );
    if (result.kind !== 'done') throw new Error(`expected the pre-warm to run, got ${result.kind}`);
    expect(result.groups.map((g) => [g.groupName, g.kind])).toEqual([
      ['api', 'failed'],
      ['web', 'raised'],
    ]);
    expect(unfinishedGroups(result).map((g) => [g.groupName, g.error.message])).toEqual([
      ['api', 'CloudWatch GetMetricData was rejected: the load expression of api is invalid'],
    ]);
    expect(scalingTarget.groups.get('web')?.minSize).toBeGreaterThan(1);
    expect(scalingTarget.groups.get('api')).toMatchObject({ minSize: 2, desiredCapacity: 2 });
  });

  it('releases every group at the end and learns on the others, saying why it did not learn on that one', async () => {
    const { deps, scalingTarget, campaigns, setNow } = await setup();
    await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'prewarm' });
    expect(scalingTarget.groups.get('api')?.minSize).toBeGreaterThan(2);
    setNow(END);
    const result = await prewarmCampaign(
      { ...deps, metricHistory: refusingReadOf(deps.metricHistory, 'api') },
      config,
      { campaignId: 'bf', action: 'release' },
    );
    if (result.kind !== 'done') throw new Error(`expected the release to run, got ${result.kind}`);
    expect(result.groups.map((g) => [g.groupName, g.kind])).toEqual([
      ['api', 'lowered'],
      ['web', 'lowered'],
    ]);
    expect(unfinishedGroups(result)).toEqual([]);
    expect(scalingTarget.groups.get('api')).toMatchObject({ minSize: 2, desiredCapacity: 2 });
    expect(scalingTarget.groups.get('web')).toMatchObject({ minSize: 1, desiredCapacity: 1 });
    expect(result.learning).toEqual([
      {
        kind: 'not-learned',
        groupName: 'api',
        reason:
          'its load history could not be read: CloudWatch GetMetricData was rejected: the load expression of api is invalid',
      },
      expect.objectContaining({ kind: 'learned', groupName: 'web' }),
    ]);
    expect(await campaigns.getKindHistory('sale', 'api')).toBeUndefined();
  });

  it('releases every group before failing on a read that fails transiently, and its retry learns', async () => {
    const { deps, scalingTarget, campaigns, setNow } = await setup();
    await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'prewarm' });
    setNow(END);
    const flaky = { ...deps, metricHistory: failingTransiently(deps.metricHistory, 1) };
    await expect(prewarmCampaign(flaky, config, { campaignId: 'bf', action: 'release' })).rejects.toThrow(
      TransientDependencyError,
    );
    expect(scalingTarget.groups.get('api')).toMatchObject({ minSize: 2, desiredCapacity: 2 });
    expect(scalingTarget.groups.get('web')).toMatchObject({ minSize: 1, desiredCapacity: 1 });
    const retry = await prewarmCampaign(flaky, config, { campaignId: 'bf', action: 'release' });
    expect(retry.kind === 'done' && retry.learning.map((l) => [l.groupName, l.kind])).toEqual([
      ['api', 'learned'],
      ['web', 'learned'],
    ]);
    expect((await campaigns.getKindHistory('sale', 'web'))?.learned?.windowCount).toBe(1);
  });
});

describe('prewarmCampaign when CloudWatch refuses the history read of a campaign’s only group', () => {
  /** `setup`, with a campaign `solo` on `api` alone. */
  async function soloSetup() {
    const ctx = await setup();
    await ctx.campaigns.schedule(
      { ...definition, campaignId: 'solo', groupNames: ['api'] },
      'e-2',
      START - 24 * HOUR,
    );
    return ctx;
  }

  it('fails that group’s pre-warm with the refusal, as when it is one of several', async () => {
    const { deps, scalingTarget } = await soloSetup();
    const result = await prewarmCampaign(
      { ...deps, metricHistory: refusingReadOf(deps.metricHistory, 'api') },
      config,
      { campaignId: 'solo', action: 'prewarm' },
    );
    if (result.kind !== 'done') throw new Error(`expected the pre-warm to run, got ${result.kind}`);
    expect(unfinishedGroups(result).map((g) => [g.groupName, g.error.message])).toEqual([
      ['api', 'CloudWatch GetMetricData was rejected: the load expression of api is invalid'],
    ]);
    expect(scalingTarget.groups.get('api')).toMatchObject({ minSize: 2, desiredCapacity: 2 });
  });

  it('releases it and reports it not learned with the refusal, rather than failing every retry', async () => {
    const { deps, scalingTarget, campaigns, setNow } = await soloSetup();
    await prewarmCampaign(deps, config, { campaignId: 'solo', action: 'prewarm' });
    expect(scalingTarget.groups.get('api')?.minSize).toBeGreaterThan(2);
    setNow(END);
    const result = await prewarmCampaign(
      { ...deps, metricHistory: refusingReadOf(deps.metricHistory, 'api') },
      config,
      { campaignId: 'solo', action: 'release' },
    );
    if (result.kind !== 'done') throw new Error(`expected the release to run, got ${result.kind}`);
    expect(result.groups.map((g) => [g.groupName, g.kind])).toEqual([['api', 'lowered']]);
    expect(unfinishedGroups(result)).toEqual([]);
    expect(scalingTarget.groups.get('api')).toMatchObject({ minSize: 2, desiredCapacity: 2 });
    expect(result.learning).toEqual([
      {
        kind: 'not-learned',
        groupName: 'api',
        reason:
          'its load history could not be read: CloudWatch GetMetricData was rejected: the load expression of api is invalid',
      },
    ]);
    expect(await campaigns.getKindHistory('sale', 'api')).toBeUndefined();
  });

  it('still fails a release whose read of it fails transiently, after lowering it, and its retry learns', async () => {
    const { deps, scalingTarget, setNow } = await soloSetup();
    await prewarmCampaign(deps, config, { campaignId: 'solo', action: 'prewarm' });
    setNow(END);
    const flaky = { ...deps, metricHistory: failingTransiently(deps.metricHistory, 1) };
    await expect(prewarmCampaign(flaky, config, { campaignId: 'solo', action: 'release' })).rejects.toThrow(
      TransientDependencyError,
    );
    expect(scalingTarget.groups.get('api')).toMatchObject({ minSize: 2, desiredCapacity: 2 });
    const retry = await prewarmCampaign(flaky, config, { campaignId: 'solo', action: 'release' });
    expect(retry.kind === 'done' && retry.learning.map((l) => [l.groupName, l.kind])).toEqual([
      ['api', 'learned'],
    ]);
  });
});
