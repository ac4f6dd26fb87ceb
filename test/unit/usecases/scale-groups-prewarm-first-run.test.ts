import { campaignWindowsFor } from '../../../shared/usecases/campaign-windows-for';
import type { ForecastFn } from '../../../shared/usecases/scale-groups';
import { scaleGroups } from '../../../shared/usecases/scale-groups';
import { FakeScalingTarget } from '../../fakes/fake-scaling-target';
import { MemoryCampaigns } from '../../fakes/memory-campaigns';
import { MemoryStateStore } from '../../fakes/memory-state-store';
import { RecordingGroupOwnership } from '../../fakes/recording-group-ownership';
import { constantForecast } from '../../helpers/demand-forecast';
import { trackedWebGroup, webGroupConfig } from '../../helpers/web-group-config';

/**
 * A group enrolled minutes before a late campaign: its pre-warm raises MinSize 2 → 12 before the
 * scaling loop's first run on it. The loop must take 2, not the raised 12, as the group's own
 * MinSize, the one every hand-back (a pause, forecast-only, taken out, the look-ahead's end) sets.
 */

const NOW = Date.UTC(2026, 2, 2, 12, 0);
const HOUR = 3_600_000;

/** 300 load (5 instances at 60): the sale's uplift comes later than the run's reach. */
const forecast: ForecastFn = constantForecast(300, NOW);

async function firstRunUnderPrewarm(options: { released?: boolean } = {}) {
  const campaigns = new MemoryCampaigns();
  await campaigns.schedule(
    {
      campaignId: 'late-sale',
      version: 1,
      kind: 'sale',
      groupNames: ['web'],
      startMs: NOW + 10 * 60_000,
      endMs: NOW + 2 * HOUR,
      rampUpSeconds: 0,
      expectedLoad: { kind: 'multiplier', factor: 3 },
      extraInstances: 0,
      expiresAtMs: NOW + 40 * 24 * HOUR,
    },
    'e-1',
    NOW - 5 * 60_000,
  );
  await campaigns.recordPrewarm(
    {
      campaignId: 'late-sale',
      groupName: 'web',
      before: { minSize: 2, desiredCapacity: 4 },
      after: { minSize: 12, desiredCapacity: 12 },
      windowStartMs: NOW + 10 * 60_000,
      raisedAtMs: NOW - 60_000,
      campaignVersion: 1,
      expiresAtMs: NOW + 40 * 24 * HOUR,
    },
    undefined,
  );
  if (options.released) await campaigns.markReleased('late-sale', 'web', NOW - 30_000);
  const stateStore = new MemoryStateStore();
  await scaleGroups(
    {
      scalingTarget: new FakeScalingTarget([
        trackedWebGroup({ minSize: 12, desiredCapacity: 12, inServiceCapacity: 12 }),
      ]),
      stateStore,
      metricHistory: {
        loadHistory: async (queries: readonly { groupName: string }[]) =>
          new Map(queries.map((q) => [q.groupName, [{ timestampMs: NOW - 300_000, value: 240 }]])),
      },
      clock: { nowMs: () => NOW },
      forecast,
      campaignsFor: campaignWindowsFor(campaigns),
      isGloballyPaused: async () => false,
      groupOwnership: new RecordingGroupOwnership(),
    },
    webGroupConfig({ defaultLeadTimeSeconds: 600, burstFloorWindowMinutes: 0 }),
    [{ groupName: 'web', tickMs: NOW }],
  );
  return stateStore.getGroupState('web');
}

describe('scaleGroups’ first run on a group a campaign has pre-warmed', () => {
  it('records the MinSize the pre-warm raised from as the group’s own', async () => {
    expect((await firstRunUnderPrewarm())?.userMinSize).toBe(2);
  });

  it('records the MinSize it reads once the pre-warm is released', async () => {
    // The release lowered nothing here (left to the loop, or a MinSize set by hand since): what the
    // group has now is its own.
    expect((await firstRunUnderPrewarm({ released: true }))?.userMinSize).toBe(12);
  });
});
