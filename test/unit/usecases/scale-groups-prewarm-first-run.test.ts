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

async function firstRunUnderPrewarm(options: { released?: boolean; startInMinutes?: number } = {}) {
  const startMs = NOW + (options.startInMinutes ?? 10) * 60_000;
  const campaigns = new MemoryCampaigns();
  await campaigns.schedule(
    {
      campaignId: 'late-sale',
      version: 1,
      kind: 'sale',
      groupNames: ['web'],
      startMs,
      endMs: startMs + 2 * HOUR,
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
      windowStartMs: startMs,
      raisedAtMs: NOW - 60_000,
      campaignVersion: 1,
      expiresAtMs: NOW + 40 * 24 * HOUR,
    },
    undefined,
  );
  if (options.released) await campaigns.markReleased('late-sale', 'web', NOW - 30_000);
  const stateStore = new MemoryStateStore();
  const [result] = await scaleGroups(
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
  return {
    state: await stateStore.getGroupState('web'),
    outcome: result?.kind === 'ran' ? result.outcome : undefined,
  };
}

describe('scaleGroups’ first run on a group a campaign has pre-warmed', () => {
  it('records the MinSize the pre-warm raised from as the group’s own', async () => {
    expect((await firstRunUnderPrewarm()).state?.userMinSize).toBe(2);
  });

  it('records the MinSize it reads once the pre-warm is released', async () => {
    // The release lowered nothing here (left to the loop, or a MinSize set by hand since): what the
    // group has now is its own.
    expect((await firstRunUnderPrewarm({ released: true })).state?.userMinSize).toBe(12);
  });
});

describe('scaleGroups on a group a campaign has pre-warmed ahead of its own reach', () => {
  it('keeps the MinSize the pre-warm raised to while its plan does not reach the start yet', async () => {
    // A campaign over a group with a longer lead time pre-warms this one 40 minutes ahead; its own
    // reach (lead time 10 minutes, two 5-minute ticks) is 20 minutes.
    const { outcome } = await firstRunUnderPrewarm({ startInMinutes: 40 });
    // Its plan needs 5 now: it would scale in ahead of the group's policy from 12 to 5.
    expect(outcome?.kind).toBe('unchanged');
    expect(outcome?.reason).toContain(
      'kept MinSize 12 (planned 5) that the pre-warm of campaign late-sale raised it to, until the plan reaches its start',
    );
  });

  it("keeps it when the other group leads by more than an hour beyond this one's reach", async () => {
    // The pre-warm fired 110 minutes ahead, for a group whose lead time is 100 minutes.
    const { outcome } = await firstRunUnderPrewarm({ startInMinutes: 110 });
    expect(outcome?.reason).toContain(
      'kept MinSize 12 (planned 5) that the pre-warm of campaign late-sale raised it to, until the plan reaches its start',
    );
  });

  it('leaves the group to its own plan once that reaches the start', async () => {
    // 12 minutes out: within the plan's 15 minutes (lead time 10, a tick 5).
    const { outcome } = await firstRunUnderPrewarm({ startInMinutes: 12 });
    expect(outcome?.reason).not.toContain('pre-warm of campaign');
  });

  it('lowers it at its pace once the pre-warm is released', async () => {
    const { outcome } = await firstRunUnderPrewarm({ startInMinutes: 40, released: true });
    expect(outcome).toMatchObject({ kind: 'applied' });
    expect(outcome?.kind === 'applied' ? outcome.after.minSize : undefined).toBeLessThan(12);
  });
});
