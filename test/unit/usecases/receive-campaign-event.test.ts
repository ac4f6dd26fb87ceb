import { type UserConfig, userConfigSchema } from '../../../shared/contracts/user-config';
import { fitWindowReachMs, forecastFitWindow } from '../../../shared/core/planning/forecast-fit-window';
import { receiveCampaignEvent } from '../../../shared/usecases/receive-campaign-event';
import { resolveGroupSettings } from '../../../shared/usecases/resolve-group-settings';
import { FakeScalingTarget, groupSnapshot } from '../../fakes/fake-scaling-target';
import {
  MemoryCampaigns,
  RecordingCampaignDeadLetters,
  RecordingCampaignScheduler,
} from '../../fakes/memory-campaigns';
import { MemoryStateStore } from '../../fakes/memory-state-store';

const NOW = Date.parse('2026-11-20T10:00:00Z');
const START = '2026-11-27T08:00:00+01:00';
const START_MS = Date.parse(START);

const config: UserConfig = userConfigSchema.parse({
  groups: { names: ['web'], tag: { key: 'prescale:enabled', value: 'true' } },
  mode: 'forecast-and-scale',
});

function setup() {
  const campaigns = new MemoryCampaigns();
  const scheduler = new RecordingCampaignScheduler();
  const deadLetters = new RecordingCampaignDeadLetters();
  const stateStore = new MemoryStateStore();
  const scalingTarget = new FakeScalingTarget([
    groupSnapshot({ name: 'web' }),
    groupSnapshot({ name: 'api', tags: { 'prescale:enabled': 'true', team: 'shop' } }),
    groupSnapshot({ name: 'batch', tags: { team: 'shop' } }),
    groupSnapshot({ name: 'admin', tags: { team: 'ops', 'prescale:enabled': 'true' } }),
  ]);
  let nowMs = NOW;
  const deps = {
    store: campaigns,
    scheduler,
    scalingTarget,
    stateStore,
    deadLetters,
    clock: { nowMs: () => nowMs },
  };
  return { deps, campaigns, scheduler, deadLetters, stateStore, setNow: (ms: number) => (nowMs = ms) };
}

const event = (detail: Record<string, unknown>, detailType = 'Campaign Scheduled', id = 'e-1') => ({
  id,
  source: 'prescale',
  'detail-type': detailType,
  detail,
});
const detail = {
  campaignId: 'bf-2026',
  kind: 'sale',
  groups: { names: ['web'] },
  start: START,
  end: '2026-11-27T20:00:00+01:00',
  expectedLoad: { kind: 'multiplier', factor: 3 },
};

describe('receiveCampaignEvent', () => {
  it('stores a valid campaign and schedules the pre-warm one lead time and a minute before the start', async () => {
    const { deps, campaigns, scheduler, stateStore } = setup();
    await stateStore.putGroupState('web', {
      planningQuantile: 0.9,
      learnedLeadTimeSeconds: 420,
      updatedAtMs: 0,
    });
    const result = await receiveCampaignEvent(deps, config, event(detail));
    expect(result).toEqual({
      kind: 'applied',
      type: 'scheduled',
      campaignId: 'bf-2026',
      groupNames: ['web'],
      prewarmAtMs: START_MS - 480_000,
      releaseAtMs: Date.parse('2026-11-27T19:00:00Z'),
    });
    expect(scheduler.calls).toEqual([
      'schedule bf-2026.prewarm 2026-11-27T06:52:00.000Z',
      'schedule bf-2026.release 2026-11-27T19:00:00.000Z',
    ]);
    expect(await campaigns.get('bf-2026')).toEqual(
      expect.objectContaining({
        version: 1,
        expectedLoad: { kind: 'multiplier', factor: 3 },
        extraInstances: 0,
      }),
    );
  });

  it("adds the group's warm-up to the default lead time when none is learned, as the loop does", async () => {
    const { deps, scheduler } = setup();
    // No DefaultInstanceWarmup: Auto Scaling's policies take the DefaultCooldown (300 s) as warm-up.
    deps.scalingTarget.groups.set('web', groupSnapshot({ name: 'web', defaultCooldownSeconds: 300 }));
    const result = await receiveCampaignEvent(deps, config, event(detail));
    // start − (defaultLeadTimeSeconds 300 + warm-up 300) − the minute for the schedule to fire.
    expect(result).toEqual(expect.objectContaining({ prewarmAtMs: START_MS - (300 + 300 + 60) * 1000 }));
    // A redelivery reads the group again for its warm-up, and sets the same time.
    await receiveCampaignEvent(deps, config, event(detail));
    expect(scheduler.schedules.get('bf-2026.prewarm')).toBe(START_MS - 660_000);
    expect(scheduler.calls.filter((c) => c.includes('prewarm'))).toEqual([
      'schedule bf-2026.prewarm 2026-11-27T06:49:00.000Z',
      'schedule bf-2026.prewarm 2026-11-27T06:49:00.000Z',
    ]);
  });

  it('keeps the campaign recordRetentionDays past its end', async () => {
    const END_MS = Date.parse(detail.end);
    const stored = setup();
    await receiveCampaignEvent(stored.deps, config, event(detail));
    expect((await stored.campaigns.get('bf-2026'))?.expiresAtMs).toBe(END_MS + 30 * 86_400_000);
    const shorter = setup();
    const days20 = userConfigSchema.parse({ ...config, recordRetentionDays: 20 });
    await receiveCampaignEvent(shorter.deps, days20, event(detail));
    expect((await shorter.campaigns.get('bf-2026'))?.expiresAtMs).toBe(END_MS + 20 * 86_400_000);
  });

  it('keeps the campaign while its groups’ forecasts read its window back, past a shorter recordRetentionDays', async () => {
    // 14 days of history (the default), refitted hourly: a run 10 days after the end still reads
    // the window, and must find the campaign to take its uplift out of the load it learns from.
    const END_MS = Date.parse(detail.end);
    const { deps, campaigns } = setup();
    const week = userConfigSchema.parse({ ...config, recordRetentionDays: 7 });
    await receiveCampaignEvent(deps, week, event(detail));
    const { settings } = resolveGroupSettings(week, 'web', {});
    const reachMs = fitWindowReachMs(settings);
    expect(reachMs).toBeGreaterThan(14 * 86_400_000);
    expect((await campaigns.get('bf-2026'))?.expiresAtMs).toBe(END_MS + reachMs);
    const tenDaysOn = END_MS + 10 * 86_400_000;
    expect(forecastFitWindow(settings, tenDaysOn).historyStartMs).toBeLessThan(END_MS);
  });

  it('sends an invalid event to the dead-letter queue with its reason and stores nothing', async () => {
    const { deps, campaigns, scheduler, deadLetters } = setup();
    const bad = event({ ...detail, start: '2026-11-27T08:00:00' });
    const result = await receiveCampaignEvent(deps, config, bad);
    expect(result.kind).toBe('rejected');
    expect(deadLetters.messages).toEqual([
      {
        event: bad,
        reason: expect.stringMatching(
          /^detail\.start: expected an ISO 8601 date-time of a real day, with seconds and an offset/,
        ),
      },
    ]);
    expect(campaigns.campaigns.size).toBe(0);
    expect(scheduler.calls).toEqual([]);
  });

  it.each([
    [{ groups: { names: ['web', 'ghost'] } }, 'detail.groups.names: no Auto Scaling group named ghost'],
    [
      { groups: { tag: { key: 'team', value: 'none' } } },
      'detail.groups.tag: no Auto Scaling group has the tag team=none',
    ],
    [{ groups: { tag: { key: 'team', value: 'shop' } } }, 'detail.groups: batch is not enrolled in Prescale'],
    [
      { start: '2026-11-01T08:00:00Z', end: '2026-11-01T09:00:00Z' },
      'detail.end: the campaign ended at 2026-11-01T09:00:00.000Z, before it arrived at 2026-11-20T10:00:00.000Z',
    ],
  ])('rejects groups or times that cannot be used: %j', async (overrides, reason) => {
    const { deps, deadLetters, campaigns } = setup();
    expect(await receiveCampaignEvent(deps, config, event({ ...detail, ...overrides }))).toEqual({
      kind: 'rejected',
      reason,
    });
    expect(deadLetters.messages.map((m) => m.reason)).toEqual([reason]);
    expect(campaigns.campaigns.size).toBe(0);
  });

  it('refuses a tag matching more than 40 groups by their names, before describing any', async () => {
    const { deps, deadLetters } = setup();
    for (let i = 0; i < 300; i += 1) {
      const name = `prod-${String(i).padStart(3, '0')}`;
      deps.scalingTarget.groups.set(name, groupSnapshot({ name, tags: { env: 'prod' } }));
    }
    const reason = 'detail.groups: 300 groups match; a campaign may cover at most 40';
    const broad = event({ ...detail, groups: { tag: { key: 'env', value: 'prod' } } });
    expect(await receiveCampaignEvent(deps, config, broad)).toEqual({ kind: 'rejected', reason });
    expect(deadLetters.messages.map((m) => m.reason)).toEqual([reason]);
    expect(deps.scalingTarget.described).toEqual([]);
  });

  it('describes only the groups it listed, by name', async () => {
    const { deps } = setup();
    const byTag = event({ ...detail, groups: { names: ['web'], tag: { key: 'team', value: 'ops' } } });
    expect(await receiveCampaignEvent(deps, config, byTag)).toEqual(
      expect.objectContaining({ kind: 'applied', groupNames: ['admin', 'web'] }),
    );
    expect(deps.scalingTarget.described).toEqual([['web', 'admin']]);
  });

  it('rejects a group deleted between listing and describing it, naming it', async () => {
    const { deps, campaigns } = setup();
    const target = deps.scalingTarget;
    const list = target.findGroupNames.bind(target);
    target.findGroupNames = async (selector) => {
      const names = await list(selector);
      target.groups.delete('web');
      return names;
    };
    expect(await receiveCampaignEvent(deps, config, event(detail))).toEqual({
      kind: 'rejected',
      reason: 'detail.groups: web was deleted while the event was read',
    });
    expect(campaigns.campaigns.size).toBe(0);
  });

  it('resolves a tag to the enrolled groups carrying it when the event arrives', async () => {
    const { deps, campaigns } = setup();
    const result = await receiveCampaignEvent(
      deps,
      config,
      event({ ...detail, groups: { names: ['web'], tag: { key: 'prescale:enabled', value: 'true' } } }),
    );
    expect(result).toEqual(expect.objectContaining({ kind: 'applied', groupNames: ['admin', 'api', 'web'] }));
    expect((await campaigns.get('bf-2026'))?.groupNames).toEqual(['admin', 'api', 'web']);
  });

  it('applies the same event delivered twice once, re-syncing schedules idempotently', async () => {
    const { deps, campaigns, scheduler } = setup();
    await receiveCampaignEvent(deps, config, event(detail));
    expect(await receiveCampaignEvent(deps, config, event(detail))).toEqual({
      kind: 'duplicate',
      campaignId: 'bf-2026',
    });
    expect((await campaigns.get('bf-2026'))?.appliedEventIds).toEqual(['e-1']);
    expect([...scheduler.schedules.keys()]).toEqual(['bf-2026.prewarm', 'bf-2026.release']);
  });

  it('does not set again a pre-warm whose moment has passed when the event is delivered again', async () => {
    const { deps, scheduler, setNow } = setup();
    await receiveCampaignEvent(deps, config, event(detail));
    // The pre-warm fired (and its one-time schedule deleted itself); 20 minutes into the campaign
    // the same event arrives again.
    scheduler.schedules.delete('bf-2026.prewarm');
    const calls = scheduler.calls.length;
    setNow(START_MS + 20 * 60_000);
    expect(await receiveCampaignEvent(deps, config, event(detail))).toEqual({
      kind: 'duplicate',
      campaignId: 'bf-2026',
    });
    expect(scheduler.calls.slice(calls)).toEqual(['schedule bf-2026.release 2026-11-27T19:00:00.000Z']);
    expect(scheduler.schedules.has('bf-2026.prewarm')).toBe(false);
  });

  it('moves the schedules on an update and ignores an older revision', async () => {
    const { deps, scheduler, deadLetters } = setup();
    await receiveCampaignEvent(deps, config, event(detail));
    const later = {
      ...detail,
      version: 2,
      start: '2026-11-28T08:00:00+01:00',
      end: '2026-11-28T20:00:00+01:00',
    };
    expect((await receiveCampaignEvent(deps, config, event(later, 'Campaign Updated', 'e-2'))).kind).toBe(
      'applied',
    );
    expect(scheduler.schedules.get('bf-2026.prewarm')).toBe(Date.parse('2026-11-28T06:54:00Z'));
    expect(scheduler.schedules.get('bf-2026.release')).toBe(Date.parse('2026-11-28T19:00:00Z'));
    expect(
      await receiveCampaignEvent(deps, config, event({ ...later, version: 2 }, 'Campaign Updated', 'e-3')),
    ).toEqual({
      kind: 'stale',
      campaignId: 'bf-2026',
      reason: 'version 2 is not newer than the stored version 2',
    });
    expect(deadLetters.messages).toEqual([]);
    // The same version again with another start: the sender's mistake, not a late delivery.
    const moved = { ...later, start: '2026-11-28T09:00:00+01:00' };
    expect((await receiveCampaignEvent(deps, config, event(moved, 'Campaign Updated', 'e-4'))).kind).toBe(
      'rejected',
    );
    expect(deadLetters.messages.map((m) => m.reason)).toEqual([
      'version 2 of campaign bf-2026 was applied already with other content; send the change as version 3',
    ]);
    expect(scheduler.schedules.get('bf-2026.prewarm')).toBe(Date.parse('2026-11-28T06:54:00Z'));
  });

  it('sets the schedules of the stored version when a newer one is written while an older delivery is under way', async () => {
    const { deps, scheduler, stateStore } = setup();
    await receiveCampaignEvent(deps, config, event(detail));
    const update = (version: number, day: number, id: string) =>
      event(
        {
          ...detail,
          version,
          start: `2026-11-${day}T08:00:00+01:00`,
          end: `2026-11-${day}T20:00:00+01:00`,
        },
        'Campaign Updated',
        id,
      );
    // Version 3 arrives, is written and sets its schedules while version 2 reads its lead time.
    const read = stateStore.getGroupState.bind(stateStore);
    let overtaken = false;
    stateStore.getGroupState = async (name: string) => {
      if (!overtaken) {
        overtaken = true;
        await receiveCampaignEvent(deps, config, update(3, 29, 'e-3'));
      }
      return read(name);
    };
    await receiveCampaignEvent(deps, config, update(2, 28, 'e-2'));
    expect((await deps.store.get('bf-2026'))?.version).toBe(3);
    expect(scheduler.schedules.get('bf-2026.release')).toBe(Date.parse('2026-11-29T19:00:00Z'));
    expect(scheduler.schedules.get('bf-2026.prewarm')).toBe(Date.parse('2026-11-29T06:54:00Z'));
  });

  it('ignores the same Scheduled sent again under a new event id, a sender’s retry, without a dead letter', async () => {
    // PutEvents resent after a lost response (the SDK's and the CLI's retries) is a new event.
    const { deps, deadLetters, campaigns } = setup();
    await receiveCampaignEvent(deps, config, event(detail));
    expect(await receiveCampaignEvent(deps, config, event(detail, 'Campaign Scheduled', 'e-2'))).toEqual({
      kind: 'stale',
      campaignId: 'bf-2026',
      reason: 'campaign bf-2026 is scheduled already with the same content (sent again)',
    });
    expect(deadLetters.messages).toEqual([]);
    expect((await campaigns.get('bf-2026'))?.appliedEventIds).toEqual(['e-1']);
  });

  it('sets the schedules a first delivery failed to set when the same Scheduled is sent again', async () => {
    const { deps, scheduler } = setup();
    // The campaign was written, then the Scheduler call failed: the first delivery left no schedule.
    const scheduleAction = scheduler.scheduleAction.bind(scheduler);
    scheduler.scheduleAction = async () => {
      throw new Error('Scheduler unavailable');
    };
    await expect(receiveCampaignEvent(deps, config, event(detail))).rejects.toThrow('Scheduler unavailable');
    scheduler.scheduleAction = scheduleAction;
    expect(scheduler.schedules.size).toBe(0);
    const resent = await receiveCampaignEvent(deps, config, event(detail, 'Campaign Scheduled', 'e-2'));
    expect(resent.kind).toBe('stale');
    expect(scheduler.schedules.get('bf-2026.prewarm')).toBe(Date.parse('2026-11-27T06:54:00Z'));
    expect(scheduler.schedules.get('bf-2026.release')).toBe(Date.parse('2026-11-27T19:00:00Z'));
  });

  it('rejects a second Scheduled for a taken id, and an update of a cancelled one sent after the cancel', async () => {
    const { deps, deadLetters } = setup();
    await receiveCampaignEvent(deps, config, event(detail));
    await receiveCampaignEvent(
      deps,
      config,
      event({ ...detail, extraInstances: 2 }, 'Campaign Scheduled', 'e-2'),
    );
    await receiveCampaignEvent(deps, config, event({ campaignId: 'bf-2026' }, 'Campaign Cancelled', 'e-3'));
    await receiveCampaignEvent(deps, config, event({ ...detail, version: 2 }, 'Campaign Updated', 'e-4'));
    expect(deadLetters.messages.map((m) => m.reason)).toEqual([
      'campaign bf-2026 exists already (version 1, scheduled); send Campaign Updated with a higher version, or use a new id',
      'campaign bf-2026 was cancelled; schedule it again under a new id',
    ]);
  });

  it('rejects an update of a campaign that has ended, which would re-run it under its id', async () => {
    const { deps, deadLetters, campaigns, scheduler, setNow } = setup();
    await receiveCampaignEvent(deps, config, event(detail));
    setNow(Date.parse(detail.end) + 60_000);
    const calls = scheduler.calls.length;
    const rerun = {
      ...detail,
      version: 2,
      start: '2026-11-30T08:00:00+01:00',
      end: '2026-11-30T20:00:00+01:00',
    };
    const reason =
      'campaign bf-2026 ended at 2026-11-27T19:00:00.000Z; its id stays taken until its record expires: schedule the new run under a new id';
    expect(await receiveCampaignEvent(deps, config, event(rerun, 'Campaign Updated', 'e-2'))).toEqual({
      kind: 'rejected',
      reason,
    });
    expect(deadLetters.messages.map((m) => m.reason)).toEqual([reason]);
    expect((await campaigns.get('bf-2026'))?.version).toBe(1);
    expect(scheduler.calls.slice(calls)).toEqual([]);
  });

  it('on cancel deletes the pre-warm and releases at once', async () => {
    const { deps, scheduler, campaigns } = setup();
    await receiveCampaignEvent(deps, config, event(detail));
    const result = await receiveCampaignEvent(
      deps,
      config,
      event({ campaignId: 'bf-2026', reason: 'postponed' }, 'Campaign Cancelled', 'e-9'),
    );
    expect(result).toEqual(
      expect.objectContaining({ kind: 'applied', type: 'cancelled', releaseAtMs: NOW + 60_000 }),
    );
    expect(scheduler.calls.slice(2)).toEqual([
      'cancel bf-2026.prewarm',
      'schedule bf-2026.release 2026-11-20T10:01:00.000Z',
    ]);
    expect(await campaigns.campaignsFor('web', NOW, START_MS + 3_600_000)).toEqual([]);
  });

  it('on cancel late in a minute releases at a whole minute, so Scheduler cannot fire it within seconds', async () => {
    const { deps, scheduler, setNow } = setup();
    await receiveCampaignEvent(deps, config, event(detail));
    const nowMs = NOW + 58_500;
    setNow(nowMs);
    const result = await receiveCampaignEvent(
      deps,
      config,
      event({ campaignId: 'bf-2026', reason: 'postponed' }, 'Campaign Cancelled', 'e-9'),
    );
    // Scheduler fires anywhere in the at() time's minute, so from the minute's start.
    const releaseAtMs = (result as { releaseAtMs: number }).releaseAtMs;
    expect(Math.floor(releaseAtMs / 60_000) * 60_000 - nowMs).toBeGreaterThanOrEqual(60_000);
    expect(scheduler.calls.slice(2)).toEqual([
      'cancel bf-2026.prewarm',
      'schedule bf-2026.release 2026-11-20T10:02:00.000Z',
    ]);
  });

  it('ignores a cancel of a campaign that has ended, so its release still learns, without a dead letter', async () => {
    const { deps, scheduler, campaigns, deadLetters, setNow } = setup();
    await receiveCampaignEvent(deps, config, event(detail));
    setNow(Date.parse(detail.end) + 60_000);
    const calls = scheduler.calls.length;
    const result = await receiveCampaignEvent(
      deps,
      config,
      event({ campaignId: 'bf-2026', reason: 'too late' }, 'Campaign Cancelled', 'e-9'),
    );
    expect(result).toEqual({
      kind: 'stale',
      campaignId: 'bf-2026',
      reason: 'campaign bf-2026 ended at 2026-11-27T19:00:00.000Z; nothing to cancel',
    });
    expect(deadLetters.messages).toEqual([]);
    expect((await campaigns.get('bf-2026'))?.status).toBe('scheduled');
    // No release moved a minute out: the one at the end stands (it has fired, or fires now).
    expect(scheduler.calls.slice(calls)).toEqual([]);
  });

  it('pre-warms at once when the campaign starts within the lead time', async () => {
    const { deps, scheduler, setNow } = setup();
    setNow(START_MS - 120_000);
    await receiveCampaignEvent(deps, config, event(detail));
    expect(scheduler.schedules.get('bf-2026.prewarm')).toBe(START_MS - 60_000);
  });
});
