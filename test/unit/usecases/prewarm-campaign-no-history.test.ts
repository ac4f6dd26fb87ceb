import type { LoadObservation } from '../../../shared/core/forecast/types';
import type { HistoryQuery } from '../../../shared/ports/metric-history';
import { prewarmCampaign } from '../../../shared/usecases/prewarm-campaign';
import { groupSnapshot } from '../../fakes/fake-scaling-target';
import { config, setup } from './prewarm-campaign-setup';

describe('prewarmCampaign on a group without load history', () => {
  it('raises nothing there and says why, naming the switch when group metrics collection is off', async () => {
    const { deps, scalingTarget } = await setup();
    // `api` publishes no GroupInServiceInstances (collection off), so its cpu load has no datapoint.
    scalingTarget.groups.set(
      'api',
      groupSnapshot({ name: 'api', minSize: 2, desiredCapacity: 2, maxSize: 20, collectedGroupMetrics: [] }),
    );
    const history = deps.metricHistory;
    const withoutApi = {
      loadHistory: async (queries: readonly HistoryQuery[]) => {
        const read = await history.loadHistory(queries);
        return new Map<string, LoadObservation[]>([...read].map(([g, s]) => [g, g === 'api' ? [] : s]));
      },
    };
    const result = await prewarmCampaign({ ...deps, metricHistory: withoutApi }, config, {
      campaignId: 'bf',
      action: 'prewarm',
    });
    if (result.kind !== 'done') throw new Error('expected the pre-warm to run');
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
});
