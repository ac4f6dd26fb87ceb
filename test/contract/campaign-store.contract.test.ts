import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { DynamoDbCampaignCalendar } from '../../shared/aws/dynamo-db-campaign-calendar';
import { DynamoDbCampaignStore } from '../../shared/aws/dynamo-db-campaign-store';
import type { CampaignCalendar } from '../../shared/ports/campaign-calendar';
import type { CampaignDefinition, CampaignStore, PrewarmRecord } from '../../shared/ports/campaign-store';
import { MemoryCampaigns } from '../fakes/memory-campaigns';
import { type LocalDynamoDb, startDynalite } from '../helpers/start-dynalite';

const T0 = Date.UTC(2026, 10, 27, 8);
const HOUR = 3_600_000;

let dynamo: LocalDynamoDb;
beforeAll(async () => {
  dynamo = await startDynalite('prescale-campaigns');
});
afterAll(async () => {
  await dynamo.stop();
});

describe.each([
  [
    'MemoryCampaigns',
    () => {
      const m = new MemoryCampaigns();
      return { store: m as CampaignStore, calendar: m as CampaignCalendar };
    },
  ],
  [
    'DynamoDbCampaignStore + DynamoDbCampaignCalendar on dynalite',
    () => ({
      store: new DynamoDbCampaignStore(dynamo.client, dynamo.tableName) as CampaignStore,
      calendar: new DynamoDbCampaignCalendar(dynamo.client, dynamo.tableName) as CampaignCalendar,
    }),
  ],
])('CampaignStore and CampaignCalendar contract: %s', (_name, make) => {
  let store: CampaignStore;
  let calendar: CampaignCalendar;
  let id: string;
  let web: string;
  let api: string;
  let n = 0;
  const definition = (overrides: Partial<CampaignDefinition> = {}): CampaignDefinition => ({
    campaignId: id,
    version: 1,
    kind: `sale-${id}`,
    groupNames: [api, web],
    startMs: T0,
    endMs: T0 + 6 * HOUR,
    rampUpSeconds: 600,
    expectedLoad: { kind: 'multiplier', factor: 2 },
    extraInstances: 0,
    expiresAtMs: T0 + 40 * 24 * HOUR,
    ...overrides,
  });
  /** The pre-warm's raise of `web`, an hour before the campaign starts. */
  const webPrewarm = (): PrewarmRecord => ({
    campaignId: id,
    groupName: web,
    before: { minSize: 2, desiredCapacity: 3 },
    after: { minSize: 6, desiredCapacity: 6 },
    windowStartMs: T0,
    raisedAtMs: T0 - HOUR,
    expiresAtMs: T0 + 40 * 24 * HOUR,
  });
  beforeEach(() => {
    ({ store, calendar } = make());
    n += 1;
    id = `c${n}-${Math.round(Math.random() * 1e6)}`;
    web = `web-${id}`;
    api = `api-${id}`;
  });

  it('stores a campaign once: the same event again is a duplicate, another event for the id a conflict', async () => {
    const first = await store.schedule(definition(), 'event-1', T0 - HOUR);
    expect(first).toEqual({
      kind: 'written',
      campaign: {
        ...definition(),
        status: 'scheduled',
        appliedEventIds: ['event-1'],
        updatedAtMs: T0 - HOUR,
      },
    });
    const again = await store.schedule(definition(), 'event-1', T0 - HOUR + 5);
    expect(again.kind).toBe('duplicate');
    // The same campaign again under another event id (PutEvents resent): stale, expiry aside.
    const resent = await store.schedule(
      definition({ expiresAtMs: definition().expiresAtMs + 1 }),
      'event-3',
      T0 - HOUR + 5,
    );
    expect(resent).toEqual(expect.objectContaining({ kind: 'stale' }));
    const other = await store.schedule(definition({ version: 3 }), 'event-2', T0 - HOUR + 5);
    expect(other).toEqual({
      kind: 'conflict',
      reason: `campaign ${id} exists already (version 1, scheduled); send Campaign Updated with a higher version, or use a new id`,
    });
    expect((await store.get(id))?.appliedEventIds).toEqual(['event-1']);
  });

  it('applies an update with a higher version once and ignores older ones', async () => {
    await store.schedule(definition(), 'event-1', T0 - HOUR);
    const moved = definition({ version: 2, endMs: T0 + 8 * HOUR, groupNames: [web] });
    expect((await store.update(moved, 'event-2', T0 - HOUR + 1)).kind).toBe('written');
    expect((await store.update(moved, 'event-2', T0 - HOUR + 2)).kind).toBe('duplicate');
    // The redelivered Scheduled event after the update is still a duplicate, not a rollback.
    expect((await store.schedule(definition(), 'event-1', T0 - HOUR + 3)).kind).toBe('duplicate');
    const older = await store.update(definition({ version: 1 }), 'event-3', T0 - HOUR + 4);
    expect(older).toEqual(
      expect.objectContaining({ kind: 'stale', reason: 'version 1 is not newer than the stored version 2' }),
    );
    // The same version again: stale when it says the same (expiry aside), a conflict when it does not.
    const again = await store.update(
      { ...moved, expiresAtMs: moved.expiresAtMs + 1 },
      'event-5',
      T0 - HOUR + 5,
    );
    expect(again.kind).toBe('stale');
    expect(await store.update(definition({ version: 2 }), 'event-6', T0 - HOUR + 6)).toEqual({
      kind: 'conflict',
      reason: `version 2 of campaign ${id} was applied already with other content; send the change as version 3`,
    });
    // The group the update dropped is kept as former, for the release to lower what it raised.
    expect(await store.get(id)).toEqual(
      expect.objectContaining({ version: 2, endMs: T0 + 8 * HOUR, formerGroupNames: [api] }),
    );
    // An update of an id not stored yet (it arrived before its Scheduled) restates the whole
    // campaign, so it is stored as one; the Scheduled arriving after it is older: stale.
    const early = definition({ campaignId: `${id}-x`, version: 2 });
    expect(await store.update(early, 'event-4', T0 - HOUR)).toEqual(
      expect.objectContaining({ kind: 'written', campaign: expect.objectContaining({ version: 2 }) }),
    );
    expect(await store.schedule(definition({ campaignId: `${id}-x` }), 'event-7', T0 - HOUR)).toEqual(
      expect.objectContaining({ kind: 'stale', reason: 'version 1 is older than the stored version 2' }),
    );
  });

  it('shows a campaign on each of its groups inside its window only, with its uplift', async () => {
    await store.schedule(definition({ extraInstances: 2 }), 'event-1', T0 - HOUR);
    const onWeb = await calendar.campaignsFor(web, T0 - 2 * HOUR, T0 + HOUR);
    expect(onWeb).toEqual([
      {
        campaignId: id,
        kind: `sale-${id}`,
        version: 1,
        startMs: T0,
        endMs: T0 + 6 * HOUR,
        rampUpSeconds: 600,
        extraInstances: 2,
        uplift: { kind: 'multiplier', factor: 2 },
        upliftSource: 'explicit',
      },
    ]);
    expect(await calendar.campaignsFor(api, T0 + 5 * HOUR, T0 + 7 * HOUR)).toHaveLength(1);
    expect(await calendar.campaignsFor(web, T0 - 3 * HOUR, T0)).toEqual([]);
    expect(await calendar.campaignsFor(web, T0 + 6 * HOUR, T0 + 9 * HOUR)).toEqual([]);
    expect(await calendar.campaignsFor(`other-${id}`, T0, T0 + HOUR)).toEqual([]);
  });

  it('marks a campaign pre-warmed on the group its pre-warm raised, until released', async () => {
    await store.schedule(definition(), 'event-1', T0 - 2 * HOUR);
    const prewarmed = async (group: string) =>
      (await calendar.campaignsFor(group, T0 - HOUR, T0 + HOUR)).map((c) => c.prewarmed ?? false);
    expect(await prewarmed(web)).toEqual([false]);
    await store.recordPrewarm(webPrewarm(), undefined);
    expect(await prewarmed(web)).toEqual([true]);
    expect(await prewarmed(api)).toEqual([false]);
    // With the MinSize it raised from and to: a loop first run under it takes `before` as the group's own.
    const [onWeb] = await calendar.campaignsFor(web, T0 - HOUR, T0 + HOUR);
    expect(onWeb?.prewarmMinSize).toEqual({ before: 2, after: 6 });
    await store.markReleased(id, web, T0 + 6 * HOUR);
    expect(await prewarmed(web)).toEqual([false]);
    const [released] = await calendar.campaignsFor(web, T0 - HOUR, T0 + HOUR);
    expect(released).not.toHaveProperty('prewarmMinSize');
  });

  it('marks a raise made for an earlier start than the campaign’s without the MinSize it raised to', async () => {
    await store.schedule(definition(), 'event-1', T0 - 2 * HOUR);
    await store.recordPrewarm({ ...webPrewarm(), windowStartMs: T0 - HOUR }, undefined);
    const [postponed] = await calendar.campaignsFor(web, T0 - HOUR, T0 + HOUR);
    expect(postponed?.prewarmMinSize).toEqual({ before: 2 });
  });

  it('follows updates and cancels: moved windows, removed groups, cancelled campaigns', async () => {
    await store.schedule(definition(), 'event-1', T0 - HOUR);
    await store.update(definition({ version: 2, groupNames: [web], endMs: T0 + 2 * HOUR }), 'e2', T0 - HOUR);
    expect(await calendar.campaignsFor(api, T0, T0 + HOUR)).toEqual([]);
    expect((await calendar.campaignsFor(web, T0, T0 + HOUR)).map((c) => c.endMs)).toEqual([T0 + 2 * HOUR]);
    expect(await calendar.campaignsFor(web, T0 + 3 * HOUR, T0 + 4 * HOUR)).toEqual([]);
    const cancelled = await store.cancel(
      { campaignId: id, reason: 'sale moved', tombstoneExpiresAtMs: T0 + 40 * 24 * HOUR },
      'e3',
      T0 - HOUR,
    );
    expect(cancelled).toEqual(
      expect.objectContaining({
        kind: 'written',
        campaign: expect.objectContaining({ status: 'cancelled' }),
      }),
    );
    expect(await calendar.campaignsFor(web, T0, T0 + HOUR)).toEqual([]);
    expect(
      (await store.cancel({ campaignId: id, tombstoneExpiresAtMs: T0 + 40 * 24 * HOUR }, 'e3', T0)).kind,
    ).toBe('duplicate');
    expect(
      (await store.cancel({ campaignId: id, tombstoneExpiresAtMs: T0 + 40 * 24 * HOUR }, 'e4', T0)).kind,
    ).toBe('stale');
    expect((await store.update(definition({ version: 5 }), 'e5', T0)).kind).toBe('conflict');
  });

  it('keeps the part of a campaign cancelled during its window, to the cancel: its load is in the history', async () => {
    await store.schedule(definition(), 'e1', T0 - HOUR);
    await store.recordPrewarm(webPrewarm(), undefined);
    await store.cancel(
      { campaignId: id, reason: 'stopped early', tombstoneExpiresAtMs: T0 + 40 * 24 * HOUR },
      'e2',
      T0 + 2 * HOUR,
    );
    const onWeb = await calendar.campaignsFor(web, T0 - 24 * HOUR, T0 + 24 * HOUR);
    expect(onWeb).toEqual([
      expect.objectContaining({
        campaignId: id,
        startMs: T0,
        endMs: T0 + 2 * HOUR,
        uplift: { kind: 'multiplier', factor: 2 },
      }),
    ]);
    // It holds no floor: its pre-warm is released at once.
    expect(onWeb[0]).not.toHaveProperty('prewarmed');
    expect(await calendar.campaignsFor(api, T0 + HOUR, T0 + 2 * HOUR)).toHaveLength(1);
    // Nothing of it from the cancel on.
    expect(await calendar.campaignsFor(web, T0 + 2 * HOUR, T0 + 24 * HOUR)).toEqual([]);
    // Cancelled before its start: nothing of it ran.
    id = `${id}-early`;
    await store.schedule(definition(), 'e3', T0 - HOUR);
    await store.cancel({ campaignId: id, tombstoneExpiresAtMs: T0 + 40 * 24 * HOUR }, 'e4', T0);
    expect(
      (await calendar.campaignsFor(web, T0 - 24 * HOUR, T0 + 24 * HOUR)).map((c) => c.campaignId),
    ).toEqual([id.replace(/-early$/, '')]);
  });

  it('refuses a newer version of a campaign that has ended: its id stays taken', async () => {
    await store.schedule(definition(), 'e1', T0 - HOUR);
    const rerun = definition({ version: 2, startMs: T0 + 72 * HOUR, endMs: T0 + 74 * HOUR });
    expect(await store.update(rerun, 'e2', T0 + 6 * HOUR)).toEqual({
      kind: 'conflict',
      reason: `campaign ${id} ended at 2026-11-27T14:00:00.000Z; its id stays taken until its record expires: schedule the new run under a new id`,
    });
    expect((await store.get(id))?.version).toBe(1);
    // Until its end, the same update applies.
    expect((await store.update(rerun, 'e3', T0 + 6 * HOUR - 1)).kind).toBe('written');
  });

  it('ignores a cancel arriving once the campaign has ended: it ran, and its calendar window stays whole', async () => {
    await store.schedule(definition(), 'e1', T0 - HOUR);
    const cancel = { campaignId: id, tombstoneExpiresAtMs: T0 + 40 * 24 * HOUR };
    expect(await store.cancel(cancel, 'e2', T0 + 6 * HOUR)).toEqual({
      kind: 'stale',
      campaign: expect.objectContaining({ status: 'scheduled' }),
      reason: `campaign ${id} ended at 2026-11-27T14:00:00.000Z; nothing to cancel`,
    });
    expect((await store.get(id))?.status).toBe('scheduled');
    expect((await calendar.campaignsFor(web, T0, T0 + 6 * HOUR)).map((c) => c.endMs)).toEqual([
      T0 + 6 * HOUR,
    ]);
  });

  it('keeps a cancel that arrives before its campaign, which then never runs', async () => {
    const tombstoneExpiresAtMs = T0 + 30 * 24 * HOUR;
    const early = await store.cancel(
      { campaignId: id, reason: 'called off', tombstoneExpiresAtMs },
      'e1',
      T0 - 2 * HOUR,
    );
    expect(early).toEqual({
      kind: 'tombstoned',
      tombstone: {
        campaignId: id,
        cancelReason: 'called off',
        eventIds: ['e1'],
        cancelledAtMs: T0 - 2 * HOUR,
        expiresAtMs: tombstoneExpiresAtMs,
      },
    });
    expect(await store.get(id)).toBeUndefined();
    // Its redelivery, and another cancel naming a version: one tombstone, cancelling every version.
    expect((await store.cancel({ campaignId: id, tombstoneExpiresAtMs }, 'e1', T0 - HOUR)).kind).toBe(
      'tombstoned',
    );
    expect(await store.cancel({ campaignId: id, version: 1, tombstoneExpiresAtMs }, 'e2', T0 - HOUR)).toEqual(
      expect.objectContaining({
        tombstone: expect.objectContaining({ eventIds: ['e1', 'e2'], cancelledAtMs: T0 - 2 * HOUR }),
      }),
    );
    const late = await store.schedule(definition(), 'e3', T0 - HOUR);
    expect(late).toEqual(
      expect.objectContaining({
        kind: 'stale',
        campaign: expect.objectContaining({
          status: 'cancelled',
          cancelReason: 'called off',
          cancelledVersion: 'every',
          appliedEventIds: ['e1', 'e2', 'e3'],
          updatedAtMs: T0 - 2 * HOUR,
        }),
      }),
    );
    expect((await store.get(id))?.status).toBe('cancelled');
    expect(await calendar.campaignsFor(web, T0 - 24 * HOUR, T0 + 24 * HOUR)).toEqual([]);
    expect((await store.cancel({ campaignId: id, tombstoneExpiresAtMs }, 'e2', T0)).kind).toBe('duplicate');
    expect((await store.schedule(definition(), 'e3', T0)).kind).toBe('duplicate');
    // Later versions sent before the cancel are stale, not conflicts.
    expect((await store.update(definition({ version: 4 }), 'e4', T0 - HOUR)).kind).toBe('stale');
  });

  it('refuses a version above what an early cancel named, and keeps the cancel for the ones below it', async () => {
    const tombstoneExpiresAtMs = T0 + 30 * 24 * HOUR;
    await store.cancel({ campaignId: id, version: 1, tombstoneExpiresAtMs }, 'e1', T0 - 2 * HOUR);
    expect((await store.update(definition({ version: 2 }), 'e2', T0 - HOUR)).kind).toBe('conflict');
    expect(await calendar.campaignsFor(web, T0, T0 + HOUR)).toEqual([]);
    expect(await store.schedule(definition(), 'e3', T0 - HOUR)).toEqual(
      expect.objectContaining({
        kind: 'stale',
        campaign: expect.objectContaining({ status: 'cancelled', version: 1, appliedEventIds: ['e1', 'e3'] }),
      }),
    );
    expect((await store.cancel({ campaignId: id, version: 1, tombstoneExpiresAtMs }, 'e1', T0)).kind).toBe(
      'duplicate',
    );
  });

  it('puts a campaign cancelled before it arrived on the calendar as the same events in order would', async () => {
    // The cancel came an hour into the sale: it ran until then, and its load is in the history.
    const tombstoneExpiresAtMs = T0 + 30 * 24 * HOUR;
    await store.cancel({ campaignId: id, tombstoneExpiresAtMs }, 'e1', T0 + HOUR);
    expect((await store.schedule(definition(), 'e2', T0 + HOUR + 5 * 60_000)).kind).toBe('stale');
    expect(await store.get(id)).toEqual(expect.objectContaining({ status: 'cancelled' }));
    expect(await calendar.campaignsFor(web, T0 - HOUR, T0 + 6 * HOUR)).toEqual([
      expect.objectContaining({ campaignId: id, startMs: T0, endMs: T0 + HOUR }),
    ]);
    // Cancelled before its start, it never ran: off the calendar.
    await store.cancel({ campaignId: `${id}-early`, tombstoneExpiresAtMs }, 'e3', T0 - HOUR);
    await store.schedule(definition({ campaignId: `${id}-early` }), 'e4', T0 + HOUR);
    expect((await calendar.campaignsFor(web, T0 - HOUR, T0 + 6 * HOUR)).map((c) => c.campaignId)).toEqual([
      id,
    ]);
  });

  it('ignores a cancel older than the stored version', async () => {
    await store.schedule(definition(), 'e1', T0 - HOUR);
    await store.update(definition({ version: 3 }), 'e2', T0 - HOUR);
    expect(
      await store.cancel({ campaignId: id, version: 2, tombstoneExpiresAtMs: T0 + 40 * 24 * HOUR }, 'e3', T0),
    ).toEqual(
      expect.objectContaining({
        kind: 'stale',
        reason: 'the cancel of version 2 is older than the stored version 3',
      }),
    );
    expect((await store.get(id))?.status).toBe('scheduled');
  });

  it("plans a campaign without a size with its kind's learned uplift at the upper end, own group first", async () => {
    await store.schedule(definition({ expectedLoad: undefined }), 'e1', T0 - HOUR);
    expect((await calendar.campaignsFor(web, T0, T0 + HOUR))[0]).toEqual(
      expect.objectContaining({ upliftSource: 'none' }),
    );
    const learned = { medianFactor: 1.5, minFactor: 1.3, maxFactor: 1.8, windowCount: 2 };
    await store.putKindHistory(
      {
        kind: `sale-${id}`,
        groupName: api,
        windows: [{ startMs: T0 - 7 * 24 * HOUR, endMs: T0 - 7 * 24 * HOUR + HOUR }],
        learned,
        updatedAtMs: T0,
      },
      undefined,
    );
    expect((await calendar.campaignsFor(web, T0, T0 + HOUR))[0]).toEqual(
      expect.objectContaining({
        upliftSource: 'learned',
        uplift: { kind: 'multiplier', factor: 1.8 },
        learned,
      }),
    );
    const own = { medianFactor: 2.5, minFactor: 2.5, maxFactor: 2.5, windowCount: 1 };
    await store.putKindHistory(
      {
        kind: `sale-${id}`,
        groupName: web,
        windows: [],
        learned: own,
        updatedAtMs: T0,
      },
      undefined,
    );
    expect((await calendar.campaignsFor(web, T0, T0 + HOUR))[0]?.uplift).toEqual({
      kind: 'multiplier',
      factor: 2.5,
    });
    expect(await store.getKindHistory(`sale-${id}`, web)).toEqual({
      kind: `sale-${id}`,
      groupName: web,
      windows: [],
      learned: own,
      updatedAtMs: T0,
      version: 1,
    });
  });

  it('writes a kind history only as it was read: a write since makes the next one read it again', async () => {
    const kind = `sale-${id}`;
    const first = { kind, groupName: web, windows: [{ startMs: T0, endMs: T0 + HOUR }], updatedAtMs: T0 };
    expect(await store.putKindHistory(first, undefined)).toBe(true);
    // A second release that read nothing before the first wrote: refused, not written over it.
    expect(await store.putKindHistory({ ...first, windows: [] }, undefined)).toBe(false);
    const read = await store.getKindHistory(kind, web);
    expect(read).toEqual({ ...first, version: 1 });
    const next = { ...first, windows: [...first.windows, { startMs: T0 + 2 * HOUR, endMs: T0 + 3 * HOUR }] };
    expect(await store.putKindHistory(next, read)).toBe(true);
    // The same read again (a release that read it beside that one): its version is gone.
    expect(await store.putKindHistory({ ...first, windows: [] }, read)).toBe(false);
    expect(await store.getKindHistory(kind, web)).toEqual({ ...next, version: 2 });
  });

  it('keeps the first pre-warm baseline and releases a raise once', async () => {
    const record = webPrewarm();
    expect(await store.recordPrewarm(record, undefined)).toEqual(record);
    // A second raise that read nothing (a duplicate pre-warm beside the first): not recorded over it.
    expect(await store.recordPrewarm({ ...record, raisedAtMs: T0 }, undefined)).toBeUndefined();
    const second = await store.recordPrewarm(
      {
        ...record,
        before: { minSize: 6, desiredCapacity: 6 },
        after: { minSize: 9, desiredCapacity: 9 },
        raisedAtMs: T0,
      },
      record,
    );
    expect(second).toEqual({ ...record, after: { minSize: 9, desiredCapacity: 9 } });
    expect(await store.markReleased(id, web, T0 + 6 * HOUR)).toBe(true);
    expect(await store.markReleased(id, web, T0 + 6 * HOUR)).toBe(false);
    expect(await store.getPrewarm(id, web)).toEqual({ ...second, releasedAtMs: T0 + 6 * HOUR });
    expect(await store.getPrewarm(id, api)).toBeUndefined();
    expect(await store.markReleased(id, api, T0)).toBe(false);
  });

  it("lists a group's unreleased pre-warm records through its window pointers, ended campaigns too", async () => {
    await store.schedule(definition(), 'event-1', T0 - 2 * HOUR);
    const record = {
      ...webPrewarm(),
      groupArn: `arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:1:autoScalingGroupName/${web}`,
    };
    await store.recordPrewarm(record, undefined);
    expect(await store.unreleasedPrewarms(web)).toEqual([record]);
    expect(await store.unreleasedPrewarms(api)).toEqual([]);
    // Past its end, the pointer stands until it expires: a release held then is still found.
    const other = `${id}-later`;
    await store.schedule(
      { ...definition(), campaignId: other, startMs: T0 + 24 * HOUR, endMs: T0 + 30 * HOUR },
      'event-2',
      T0,
    );
    await store.recordPrewarm({ ...webPrewarm(), campaignId: other }, undefined);
    expect((await store.unreleasedPrewarms(web)).map((r) => r.campaignId)).toEqual([id, other].sort());
    await store.markReleased(id, web, T0 + 6 * HOUR);
    expect((await store.unreleasedPrewarms(web)).map((r) => r.campaignId)).toEqual([other]);
  });

  it('marks a release that found nothing raised, over which a pre-warm still running records nothing', async () => {
    const mark = { ...webPrewarm(), after: webPrewarm().before, releasedAtMs: T0 - 30 * 60_000 };
    expect(await store.markReleasedUnraised(mark)).toBe(true);
    expect(await store.getPrewarm(id, web)).toEqual(mark);
    expect(await store.recordPrewarm(webPrewarm(), undefined)).toBeUndefined();
    expect(await store.markReleasedUnraised(mark)).toBe(false);
    // Where the pre-warm recorded first, the release finds its raise instead, and keeps what it read.
    expect(await store.recordPrewarm({ ...webPrewarm(), groupName: api }, undefined)).toBeDefined();
    expect(await store.markReleasedUnraised({ ...mark, groupName: api })).toBe(false);
    expect(await store.markReleased(id, api, T0, 2)).toBe(true);
    expect(await store.getPrewarm(id, api)).toEqual(
      expect.objectContaining({ groupName: api, releasedAtMs: T0, releasedAtMinSize: 2 }),
    );
  });

  it('never records a raise of a campaign version over one of a later version', async () => {
    const v1 = { ...webPrewarm(), campaignVersion: 1 };
    const v2 = { ...v1, after: { minSize: 8, desiredCapacity: 8 }, campaignVersion: 2 };
    expect(await store.recordPrewarm(v1, undefined)).toEqual(v1);
    // A newer version's raise over an older one's, keeping the first baseline.
    expect(await store.recordPrewarm({ ...v2, before: { minSize: 6, desiredCapacity: 6 } }, v1)).toEqual(v2);
    // Version 1's pre-warm still running, having read its own record before version 2 wrote.
    expect(await store.recordPrewarm({ ...v1, raisedAtMs: T0 - 20 * 60_000 }, v1)).toBeUndefined();
    expect(await store.recordPrewarm({ ...v1, raisedAtMs: T0 - 20 * 60_000 }, v2)).toBeUndefined();
    expect(await store.getPrewarm(id, web)).toEqual(v2);
    // The same version again (a retry) records over it.
    const retry = { ...v2, after: { minSize: 9, desiredCapacity: 9 } };
    expect(await store.recordPrewarm(retry, v2)).toEqual(retry);
    // Released, it stays closed to an older version, and open to a newer or the same one.
    await store.markReleased(id, web, T0 + 6 * HOUR);
    const released = await store.getPrewarm(id, web);
    expect(await store.recordPrewarm(v1, released)).toBeUndefined();
    expect(await store.recordPrewarm(v2, released)).toEqual(v2);
    // Any version records over a record written before versions were recorded.
    const unversioned = { ...webPrewarm(), groupName: api };
    expect(await store.recordPrewarm(unversioned, undefined)).toEqual(unversioned);
    expect(await store.recordPrewarm({ ...v1, groupName: api }, unversioned)).toEqual({
      ...v1,
      groupName: api,
    });
  });

  it('records the new baseline of a raise after the release', async () => {
    await store.recordPrewarm(webPrewarm(), undefined);
    await store.markReleased(id, web, T0 + 6 * HOUR);
    // The same campaign's group raised again from where the release and the loop left it.
    const again = {
      ...webPrewarm(),
      before: { minSize: 4, desiredCapacity: 4 },
      after: { minSize: 7, desiredCapacity: 7 },
      raisedAtMs: T0 + 7 * HOUR,
    };
    expect(await store.recordPrewarm(again, await store.getPrewarm(id, web))).toEqual(again);
    expect(await store.getPrewarm(id, web)).toEqual(again);
    // One that read the record before the release marked it raises nothing after the release.
    await store.markReleased(id, web, T0 + 8 * HOUR);
    expect(await store.recordPrewarm({ ...again, raisedAtMs: T0 + 9 * HOUR }, again)).toBeUndefined();
    expect(await store.getPrewarm(id, web)).toEqual({ ...again, releasedAtMs: T0 + 8 * HOUR });
  });

  it('records the new baseline of a raise for a later start, and keeps the first for an earlier one', async () => {
    await store.recordPrewarm(webPrewarm(), undefined);
    const postponed = {
      ...webPrewarm(),
      before: { minSize: 4, desiredCapacity: 4 },
      windowStartMs: T0 + 72 * HOUR,
      raisedAtMs: T0 + 71 * HOUR,
    };
    expect(await store.recordPrewarm(postponed, webPrewarm())).toEqual(postponed);
    const brought = {
      ...postponed,
      before: { minSize: 6, desiredCapacity: 6 },
      windowStartMs: T0 + 48 * HOUR,
    };
    expect(await store.recordPrewarm(brought, postponed)).toEqual({
      ...brought,
      before: postponed.before,
      raisedAtMs: postponed.raisedAtMs,
    });
  });
});

describe('DynamoDbCampaignStore items', () => {
  it('keeps one pointer per group under GROUP#<name> sorted by end time, and moves them on update', async () => {
    const store = new DynamoDbCampaignStore(dynamo.client, dynamo.tableName);
    const base: CampaignDefinition = {
      campaignId: 'pointer-check',
      version: 1,
      kind: 'launch',
      groupNames: ['pointer-web'],
      startMs: T0,
      endMs: T0 + HOUR,
      rampUpSeconds: 0,
      extraInstances: 1,
      expiresAtMs: T0 + 30 * 24 * HOUR,
    };
    await store.schedule(base, 'p1', T0 - HOUR);
    await store.update({ ...base, version: 2, endMs: T0 + 2 * HOUR }, 'p2', T0 - HOUR);
    const out = await dynamo.client.send(
      new QueryCommand({
        TableName: dynamo.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'GROUP#pointer-web' } },
      }),
    );
    const items = (out.Items ?? []).map((i) => unmarshall(i));
    expect(items.map((i) => i.sk)).toEqual([
      `CAMPAIGNWIN#${String(T0 + 2 * HOUR).padStart(15, '0')}#pointer-check`,
    ]);
    expect(items[0]).toEqual(
      expect.objectContaining({
        campaignId: 'pointer-check',
        version: 2,
        expiresAt: (T0 + 30 * 24 * HOUR) / 1000,
      }),
    );
  });
});
