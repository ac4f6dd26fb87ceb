import type { CampaignWindow } from '../../../shared/core/forecast/types';
import type { GroupSnapshot } from '../../../shared/ports/scaling-target';
import type { ScheduledCapacityAction } from '../../../shared/ports/scheduled-capacity';
import type { ForecastFn } from '../../../shared/usecases/scale-groups';
import { scaleGroups } from '../../../shared/usecases/scale-groups';
import { FakeScalingTarget } from '../../fakes/fake-scaling-target';
import { FakeScheduledCapacity } from '../../fakes/fake-scheduled-capacity';
import { MemoryStateStore } from '../../fakes/memory-state-store';
import { RecordingGroupOwnership } from '../../fakes/recording-group-ownership';
import { constantForecast } from '../../helpers/demand-forecast';
import { type TestDefaults, trackedWebGroup, webGroupConfig } from '../../helpers/web-group-config';

const NOW = Date.UTC(2026, 2, 2, 12, 0);
const STEP_MS = 300_000;

const config = (defaults: TestDefaults = {}) =>
  webGroupConfig({ defaultLeadTimeSeconds: 600, burstFloorWindowMinutes: 0, ...defaults });

/** 600 load (10 instances at 60) from now on. */
const risingForecast: ForecastFn = constantForecast(600, NOW);

/** A one-hour sale starting `inMinutes` from now. */
const sale = (inMinutes: number): CampaignWindow => ({
  campaignId: 'friday-sale',
  startMs: NOW + inMinutes * 60_000,
  endMs: NOW + (inMinutes + 60) * 60_000,
  uplift: { kind: 'multiplier', factor: 2 },
  rampUpSeconds: 0,
});

/** Group `web` at 4 instances with its own target-tracking policy and a look-ahead from an earlier run. */
async function runOnce(options: {
  defaults?: TestDefaults;
  group?: Partial<GroupSnapshot>;
  campaigns?: readonly CampaignWindow[];
  actions?: readonly ScheduledCapacityAction[];
  stateStore?: MemoryStateStore;
}) {
  const scalingTarget = new FakeScalingTarget([trackedWebGroup(options.group)]);
  const scheduledCapacity = new FakeScheduledCapacity({
    web: options.actions ?? [{ name: 'prescale-20260302T1400Z', startMs: NOW + 2 * 3_600_000, minSize: 9 }],
  });
  const forecastCampaigns: (readonly CampaignWindow[] | undefined)[] = [];
  const [result] = await scaleGroups(
    {
      scalingTarget,
      scheduledCapacity,
      stateStore: options.stateStore ?? new MemoryStateStore(),
      metricHistory: {
        loadHistory: async (queries: readonly { groupName: string }[]) =>
          new Map(queries.map((q) => [q.groupName, [{ timestampMs: NOW - STEP_MS, value: 240 }]])),
      },
      clock: { nowMs: () => NOW },
      forecast: (input) => {
        forecastCampaigns.push(input.campaigns);
        return risingForecast(input);
      },
      campaignsFor: async () => [...(options.campaigns ?? [])],
      isGloballyPaused: async () => false,
      groupOwnership: new RecordingGroupOwnership(),
    },
    config(options.defaults),
    [{ groupName: 'web', tickMs: NOW }],
  );
  const outcome = result?.kind === 'ran' ? result.outcome : undefined;
  const lookAhead = result?.kind === 'ran' ? result.lookAhead : undefined;
  const ours = scheduledCapacity.of('web').filter((a) => a.name.startsWith('prescale-'));
  return { outcome, lookAhead, ours, forecastCampaigns };
}

describe('scaleGroups with the floor from the forecast off', () => {
  it('raises the floor for the coming load by default', async () => {
    const { outcome, lookAhead } = await runOnce({});
    expect(outcome).toMatchObject({ kind: 'applied', after: { minSize: 10, desiredCapacity: 10 } });
    expect(lookAhead).toMatchObject({ kind: 'scheduled' });
  });

  it('leaves scale-out to the group’s policy and clears the look-ahead when the setting is off', async () => {
    const { outcome, lookAhead, ours } = await runOnce({ defaults: { forecastFloor: false } });
    expect(outcome).toMatchObject({ kind: 'unchanged' });
    expect(outcome?.reason).toContain('no floor from the forecast (forecastFloor off): the plan needs 10');
    // No pre-warm to keep while Prescale is down: the earlier run's actions are removed.
    expect(lookAhead).toMatchObject({ kind: 'off', removed: 1 });
    expect(ours).toEqual([]);
  });

  it('keeps the give-back while MinSize steps down from Prescale’s raise after the floor switched off', async () => {
    const stateStore = new MemoryStateStore();
    await stateStore.putGroupState('web', {
      planningQuantile: 0.9,
      userMinSize: 2,
      prescaleMinSize: 10,
      updatedAtMs: NOW - STEP_MS,
    });
    const giveBack = { name: 'prescale-20260303T1200Z', startMs: NOW + 24 * 3_600_000, minSize: 2 };
    const { outcome, lookAhead, ours } = await runOnce({
      defaults: { forecastFloor: false, maxChangePerTick: 2 },
      group: { minSize: 10, desiredCapacity: 10, inServiceCapacity: 10 },
      actions: [{ name: 'prescale-20260302T1400Z', startMs: NOW + 2 * 3_600_000, minSize: 10 }, giveBack],
      stateStore,
    });
    // Still above the group's own 2: if Prescale stopped now, an action must give 2 back.
    expect(outcome).toMatchObject({ kind: 'applied', after: { minSize: 8 } });
    expect(lookAhead?.kind).toBe('scheduled');
    const last = [...ours].sort((a, b) => (a.startMs ?? 0) - (b.startMs ?? 0)).at(-1);
    expect(last).toMatchObject({ minSize: 2 });
    // No pre-warm is kept: no action raises MinSize above the run's.
    expect(Math.max(...ours.map((a) => a.minSize ?? 0))).toBeLessThanOrEqual(8);
  });

  it('turns it off for one group by the prescale:forecast-floor tag, and reports a malformed one', async () => {
    const tagged = await runOnce({ group: { tags: { 'prescale:forecast-floor': 'false' } } });
    expect(tagged.outcome).toMatchObject({ kind: 'unchanged' });
    const malformed = await runOnce({ group: { tags: { 'prescale:forecast-floor': 'no' } } });
    expect(malformed.outcome).toMatchObject({ kind: 'applied', after: { minSize: 10 } });
    expect(malformed.outcome?.reason).toContain(
      'ignored tag prescale:forecast-floor=no (expected true or false)',
    );
    const back = await runOnce({
      defaults: { forecastFloor: false },
      group: { tags: { 'prescale:forecast-floor': 'true' } },
    });
    expect(back.outcome).toMatchObject({ kind: 'applied', after: { minSize: 10 } });
  });

  it('keeps the floor while a campaign the user asked to pre-warm is within the run’s reach', async () => {
    // Lead time 10 minutes and a 5-minute tick: the reach is 20 minutes (the next run's launches,
    // a tick late), so a sale 15 minutes out is within it.
    const near = await runOnce({ defaults: { forecastFloor: false }, campaigns: [sale(15)] });
    expect(near.outcome).toMatchObject({ kind: 'applied', after: { minSize: 10 } });
    expect(near.outcome?.reason).toContain('floor from the forecast kept for campaign friday-sale');
    expect(near.lookAhead).toMatchObject({ kind: 'scheduled' });
    const during = await runOnce({ defaults: { forecastFloor: false }, campaigns: [sale(-30)] });
    expect(during.outcome).toMatchObject({ kind: 'applied', after: { minSize: 10 } });
    // At the reach's edge, three hours out (its own pre-warm action comes a lead time before the
    // start) or over: no floor.
    for (const campaigns of [[sale(20)], [sale(180)], [sale(-90)]]) {
      const far = await runOnce({ defaults: { forecastFloor: false }, campaigns });
      expect(far.outcome).toMatchObject({ kind: 'unchanged' });
      expect(far.lookAhead).toMatchObject({ kind: 'off' });
    }
  });

  it('keeps the floor a campaign’s pre-warm raised before the run’s own reach, until the campaign ends', async () => {
    // A campaign over groups with longer lead times pre-warms this one earlier than its reach.
    const prewarmed = { ...sale(60), prewarmed: true };
    const before = await runOnce({ defaults: { forecastFloor: false }, campaigns: [prewarmed] });
    expect(before.outcome).toMatchObject({ kind: 'applied', after: { minSize: 10 } });
    expect(before.outcome?.reason).toContain('floor from the forecast kept for campaign friday-sale');
    // The forecast is asked the same question as before the pre-warm (its warm cache still answers).
    expect(before.forecastCampaigns).toEqual([[sale(60)]]);
    const ended = await runOnce({
      defaults: { forecastFloor: false },
      campaigns: [{ ...sale(-60), prewarmed: true }],
    });
    expect(ended.outcome).toMatchObject({ kind: 'unchanged' });
    // Postponed to three hours out since its pre-warm: no floor until its reach comes.
    const postponed = await runOnce({
      defaults: { forecastFloor: false },
      campaigns: [{ ...sale(180), prewarmed: true }],
    });
    expect(postponed.outcome).toMatchObject({ kind: 'unchanged' });
  });

  it('keeps the floor of a group without scaling policies, which nothing else would scale out', async () => {
    const { outcome } = await runOnce({
      defaults: { forecastFloor: false },
      group: { hasScalingPolicies: false },
    });
    expect(outcome).toMatchObject({ kind: 'applied', after: { minSize: 10, desiredCapacity: 10 } });
    expect(outcome?.reason).toContain("floor kept: forecastFloor off needs the group's own scaling policies");
  });
});
