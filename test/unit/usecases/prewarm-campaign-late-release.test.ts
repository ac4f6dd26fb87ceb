import { type UserConfig, userConfigSchema } from '../../../shared/contracts/user-config';
import type { HistoryQuery } from '../../../shared/ports/metric-history';
import { prewarmCampaign } from '../../../shared/usecases/prewarm-campaign';
import { END, HOUR, setup } from './prewarm-campaign-setup';

const DAY = 24 * HOUR;

/** One-minute steps and a week of history: CloudWatch keeps what it reads for 15 days. */
const minuteSettings = {
  groups: { names: ['web', 'api'] },
  mode: 'forecast-and-scale',
  defaults: { stepSeconds: 60, historyDays: 7, targetLoadPerInstance: 60, floorCapacity: 1 },
};
const minuteConfig: UserConfig = userConfigSchema.parse(minuteSettings);

/** The release of `bf` at `nowMs`, its history reads recorded. */
async function releaseAt(nowMs: number, config: UserConfig = minuteConfig) {
  const { deps, scalingTarget, setNow } = await setup();
  const reads: HistoryQuery[] = [];
  const metricHistory = {
    loadHistory: (queries: readonly HistoryQuery[]) => {
      reads.push(...queries);
      return deps.metricHistory.loadHistory(queries);
    },
  };
  setNow(nowMs);
  const result = await prewarmCampaign({ ...deps, metricHistory }, config, {
    campaignId: 'bf',
    action: 'release',
  });
  if (result.kind !== 'done') throw new Error(`expected the release to run, got ${result.kind}`);
  return { result, reads, scalingTarget };
}

describe('prewarmCampaign releasing late, once CloudWatch no longer keeps the history at the group’s step', () => {
  it('releases, and learns nothing, saying the history at that step is no longer kept, without reading it', async () => {
    // The learning reads from a week before the end; nine days after it, that start is 16 days ago.
    const { result, reads } = await releaseAt(END + 9 * DAY);
    expect(result.learning).toEqual(
      ['api', 'web'].map((groupName) => ({
        kind: 'not-learned',
        groupName,
        reason: expect.stringMatching(
          /^history at this step no longer kept: CloudWatch returns nothing at a 60 s period for a start more than 15 days ago, and the history to learn from starts 2024-01-08T16:00:00.000Z, 16.0 days ago$/,
        ),
      })),
    );
    expect(reads).toEqual([]);
  });

  it('learns from it while it is kept', async () => {
    const { result, reads } = await releaseAt(END + 7 * DAY);
    expect(reads.map((q) => q.groupName).sort()).toEqual(['api', 'web']);
    for (const l of result.learning)
      expect(l.kind === 'not-learned' ? l.reason : '').not.toMatch(/no longer kept/);
  });

  it('learns from a Timestream history however late: its table keeps every step', async () => {
    const timestream = userConfigSchema.parse({
      ...minuteSettings,
      historySource: 'timestream',
      timestream: { database: 'load', table: 'groups', measureName: 'requests' },
    });
    const { reads } = await releaseAt(END + 9 * DAY, timestream);
    expect(reads.map((q) => q.groupName).sort()).toEqual(['api', 'web']);
  });
});
