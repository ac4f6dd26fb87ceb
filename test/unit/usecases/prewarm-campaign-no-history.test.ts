import type { LoadObservation } from '../../../shared/core/forecast/types';
import type { HistoryQuery, MetricHistory } from '../../../shared/ports/metric-history';
import { unfinishedGroups } from '../../../shared/usecases/campaign-action-result';
import { prewarmCampaign } from '../../../shared/usecases/prewarm-campaign';
import { groupSnapshot } from '../../fakes/fake-scaling-target';
import { config, setup } from './prewarm-campaign-setup';

/** `history` with nothing for `groupName`: a group that never had load history. */
function withoutHistoryOf(history: MetricHistory, groupName: string): MetricHistory {
  return {
    loadHistory: async (queries: readonly HistoryQuery[]) => {
      const read = await history.loadHistory(queries);
      return new Map<string, LoadObservation[]>([...read].map(([g, s]) => [g, g === groupName ? [] : s]));
    },
  };
}

type Deps = Awaited<ReturnType<typeof setup>>['deps'];

/** Campaign `bf`'s pre-warm, reading load from `metricHistory`: it runs, or the test fails. */
async function prewarmReading(deps: Deps, metricHistory: MetricHistory = deps.metricHistory) {
  const result = await prewarmCampaign({ ...deps, metricHistory }, config, {
    campaignId: 'bf',
    action: 'prewarm',
  });
  if (result.kind !== 'done') throw new Error('expected the pre-warm to run');
  return result;
}

describe('prewarmCampaign on a group without load history', () => {
  it('raises nothing there and says why, naming the switch when group metrics collection is off', async () => {
    const { deps, scalingTarget } = await setup();
    // `api` publishes no GroupInServiceInstances (collection off), so its cpu load has no datapoint.
    scalingTarget.groups.set(
      'api',
      groupSnapshot({ name: 'api', minSize: 2, desiredCapacity: 2, maxSize: 20, collectedGroupMetrics: [] }),
    );
    const result = await prewarmReading(deps, withoutHistoryOf(deps.metricHistory, 'api'));
    expect(result.groups.map((g) => [g.groupName, g.kind])).toEqual([
      ['api', 'no-history'],
      ['web', 'raised'],
    ]);
    expect(result.groups[0]).toMatchObject({
      reason: expect.stringContaining(
        'aws autoscaling enable-metrics-collection --auto-scaling-group-name api',
      ),
    });
    expect(scalingTarget.groups.get('api')).toMatchObject({ minSize: 2, desiredCapacity: 2 });
  });

  it('leaves the group unfinished, so the invocation fails as for a failed group, naming the group and the fix', async () => {
    const { deps } = await setup();
    const result = await prewarmReading(deps, withoutHistoryOf(deps.metricHistory, 'api'));
    const unfinished = unfinishedGroups(result);
    expect(unfinished.map((g) => [g.groupName, g.error.name])).toEqual([['api', 'NoLoadHistoryError']]);
    expect(unfinished[0]?.error.message).toMatch(
      /^pre-warm of api has no load history to plan from: no datapoint of the load of api in the last \d+ days: .*aws autoscaling enable-metrics-collection --auto-scaling-group-name api/,
    );
  });
});

describe('prewarmCampaign on a group whose metric reports only negative values', () => {
  it('raises nothing there and says no datapoint is a load', async () => {
    const { deps, scalingTarget } = await setup();
    const negative: MetricHistory = {
      loadHistory: async (queries: readonly HistoryQuery[]) => {
        const read = await deps.metricHistory.loadHistory(queries);
        return new Map(
          [...read].map(([g, s]) => [g, g === 'api' ? s.map((o) => ({ ...o, value: -1 - o.value })) : s]),
        );
      },
    };
    const result = await prewarmReading(deps, negative);
    expect(result.groups.map((g) => [g.groupName, g.kind])).toEqual([
      ['api', 'no-history'],
      ['web', 'raised'],
    ]);
    expect(result.groups[0]).toMatchObject({
      reason: expect.stringMatching(
        /^none of the \d+ datapoints of the load of api in the last \d+ days is a load/,
      ),
    });
    expect(scalingTarget.groups.get('api')).toMatchObject({ minSize: 2, desiredCapacity: 2 });
  });
});

describe('prewarmCampaign on a group whose load history stopped', () => {
  it('plans from the level it has, and says that level is hours old', async () => {
    const { deps } = await setup();
    const history = deps.metricHistory;
    // The group's load stopped 6 hours before the pre-warm runs.
    const stopped = {
      loadHistory: async (queries: readonly HistoryQuery[]) =>
        history.loadHistory(queries.map((q) => ({ ...q, endMs: q.endMs - 6 * 3_600_000 }))),
    };
    const result = await prewarmReading(deps, stopped);
    const web = result.groups.find((g) => g.groupName === 'web');
    expect(web).toMatchObject({
      reason: expect.stringMatching(
        /^load history stale: its newest datapoint ended \d+ min before the newest step/,
      ),
    });
    expect(web && 'staleHistoryMinutes' in web ? web.staleHistoryMinutes : undefined).toBeGreaterThanOrEqual(
      360,
    );
  });

  it('says nothing of the kind on a live history', async () => {
    const { deps } = await setup();
    const result = await prewarmReading(deps);
    for (const g of result.groups) expect(g).not.toHaveProperty('staleHistoryMinutes');
  });
});
