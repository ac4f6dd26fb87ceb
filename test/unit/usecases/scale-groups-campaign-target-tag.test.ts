import { applyCampaigns } from '../../../shared/core/forecast/apply-campaigns';
import { campaignWindowsFor } from '../../../shared/usecases/campaign-windows-for';
import type { ForecastFn } from '../../../shared/usecases/scale-groups';
import { scaleGroups } from '../../../shared/usecases/scale-groups';
import { FakeScalingTarget } from '../../fakes/fake-scaling-target';
import { MemoryCampaigns } from '../../fakes/memory-campaigns';
import { MemoryStateStore } from '../../fakes/memory-state-store';
import { RecordingGroupOwnership } from '../../fakes/recording-group-ownership';
import { constantForecast } from '../../helpers/demand-forecast';
import { trackedWebGroup, webGroupConfig } from '../../helpers/web-group-config';

const NOW = Date.UTC(2026, 2, 2, 12, 0);
const STEP_MS = 300_000;
const HOUR_MS = 3_600_000;

/** A flat forecast of 120 with the campaign windows it is given applied, as `forecastDemand` does. */
const withCampaigns: ForecastFn = (input) => {
  const flat = constantForecast(120, NOW)(input);
  const adjusted = applyCampaigns(NOW, input.stepSeconds, flat.mean, flat.intervals, input.campaigns ?? []);
  return { ...flat, mean: adjusted.mean, intervals: adjusted.intervals };
};

/**
 * One run of `web` (tagged as given) with the scaling loop's own campaign wiring
 * (`campaignWindowsFor`) over a calendar holding a sale that started an hour ago with 5 extra
 * instances and no uplift of its own.
 */
async function runDuringSale(tags: Record<string, string>) {
  const calendar = new MemoryCampaigns();
  await calendar.schedule(
    {
      campaignId: 'sale',
      version: 1,
      kind: 'sale',
      groupNames: ['web'],
      startMs: NOW - HOUR_MS,
      endMs: NOW + 3 * HOUR_MS,
      rampUpSeconds: 0,
      expectedLoad: { kind: 'multiplier', factor: 1 },
      extraInstances: 5,
      expiresAtMs: NOW + 48 * HOUR_MS,
    },
    'event-1',
    NOW - 2 * HOUR_MS,
  );
  const config = webGroupConfig({ defaultLeadTimeSeconds: 600, burstFloorWindowMinutes: 0 });
  const scalingTarget = new FakeScalingTarget([trackedWebGroup({ maxSize: 40, tags })]);
  const [result] = await scaleGroups(
    {
      scalingTarget,
      stateStore: new MemoryStateStore(),
      metricHistory: {
        loadHistory: async (queries: readonly { groupName: string }[]) =>
          new Map(queries.map((q) => [q.groupName, [{ timestampMs: NOW - STEP_MS, value: 120 }]])),
      },
      clock: { nowMs: () => NOW },
      forecast: withCampaigns,
      campaignsFor: campaignWindowsFor(calendar),
      isGloballyPaused: async () => false,
      groupOwnership: new RecordingGroupOwnership(),
    },
    config,
    [{ groupName: 'web', tickMs: NOW }],
  );
  return result?.kind === 'ran' ? result.outcome : undefined;
}

describe('scaleGroups during a campaign with extra instances', () => {
  it('holds exactly the extra instances on top of the plan at the configured target', async () => {
    // 120 at 60 is 2 instances, and the sale's 5 more: 7.
    expect(await runDuringSale({})).toMatchObject({ kind: 'applied', after: { minSize: 7 } });
  });

  it('holds exactly the extra instances at the target the group’s prescale:target-load-per-instance tag sets', async () => {
    // 120 at 30 is 4 instances, and the sale's 5 more: 9 (not 120 + 5 × 60 at 30: 14).
    const lower = await runDuringSale({ 'prescale:target-load-per-instance': '30' });
    expect(lower).toMatchObject({ kind: 'applied', after: { minSize: 9 } });
    // 120 at 90 is 2 instances, and 5 more: 7 (not 120 + 5 × 60 at 90: 5, fewer than the
    // campaign's pre-warm raised, so the loop would take extra instances back during the sale).
    const higher = await runDuringSale({ 'prescale:target-load-per-instance': '90' });
    expect(higher).toMatchObject({ kind: 'applied', after: { minSize: 7 } });
  });
});
