import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { DynamoDbCampaignStore } from '../../../shared/aws/dynamo-db-campaign-store';
import { CAMPAIGN_KEYS } from '../../../shared/contracts/campaign-keys';
import { type UserConfig, userConfigSchema } from '../../../shared/contracts/user-config';
import type { CampaignStore } from '../../../shared/ports/campaign-store';
import { receiveCampaignEvent } from '../../../shared/usecases/receive-campaign-event';
import { FakeScalingTarget, groupSnapshot } from '../../fakes/fake-scaling-target';
import { RecordingCampaignDeadLetters, RecordingCampaignScheduler } from '../../fakes/memory-campaigns';
import { MemoryStateStore } from '../../fakes/memory-state-store';
import { campaignStoresOnDynalite } from '../../helpers/campaign-stores-on-dynalite';

/**
 * Campaign events delivered out of order, as EventBridge may deliver them (no ordering guarantee,
 * a sender's PutEvents retry arriving after a later event): the outcome is the one of the sending
 * order, on the in-memory store and on the DynamoDB adapter.
 */

const NOW = Date.parse('2026-11-20T10:00:00Z');
const DAY = 86_400_000;

const config: UserConfig = userConfigSchema.parse({ groups: { names: ['web'] }, mode: 'forecast-and-scale' });

const { stores, dynamo } = campaignStoresOnDynalite('prescale-campaign-order');

let n = 0;
describe.each(stores)('receiveCampaignEvent with events out of order: %s', (_name, makeStore) => {
  let id: string;
  let store: CampaignStore;
  let scheduler: RecordingCampaignScheduler;
  let deadLetters: RecordingCampaignDeadLetters;
  let receive: (
    detail: Record<string, unknown>,
    detailType: string,
    eventId: string,
  ) => ReturnType<typeof receiveCampaignEvent>;
  beforeEach(() => {
    n += 1;
    id = `order-${n}`;
    store = makeStore();
    scheduler = new RecordingCampaignScheduler();
    deadLetters = new RecordingCampaignDeadLetters();
    const deps = {
      store,
      scheduler,
      scalingTarget: new FakeScalingTarget([groupSnapshot({ name: 'web' })]),
      stateStore: new MemoryStateStore(),
      deadLetters,
      clock: { nowMs: () => NOW },
    };
    receive = (detail, detailType, eventId) =>
      receiveCampaignEvent(deps, config, {
        id: eventId,
        source: 'prescale',
        'detail-type': detailType,
        detail,
      });
  });
  const scheduled = () => ({
    campaignId: id,
    kind: 'sale',
    groups: { names: ['web'] },
    start: '2026-11-27T08:00:00Z',
    end: '2026-11-27T20:00:00Z',
    expectedLoad: { kind: 'multiplier', factor: 3 },
  });
  /** Version 2: a day later and bigger. */
  const updated = () => ({
    ...scheduled(),
    version: 2,
    start: '2026-11-28T08:00:00Z',
    end: '2026-11-28T20:00:00Z',
    expectedLoad: { kind: 'multiplier', factor: 5 },
  });

  it('takes a Scheduled arriving after its Cancelled as cancelled: not run, not dead-lettered', async () => {
    const cancel = await receive({ campaignId: id, reason: 'called off' }, 'Campaign Cancelled', 'e-cancel');
    expect(cancel.kind).not.toBe('rejected');
    const late = await receive(scheduled(), 'Campaign Scheduled', 'e-schedule');
    expect(late).toEqual(expect.objectContaining({ kind: 'stale', campaignId: id }));
    expect(deadLetters.reasons).toEqual([]);
    expect(scheduler.schedules.has(`${id}.prewarm`)).toBe(false);
    expect(await store.get(id)).toEqual(
      expect.objectContaining({
        status: 'cancelled',
        cancelReason: 'called off',
        startMs: Date.parse('2026-11-27T08:00:00Z'),
      }),
    );
    // Redeliveries of either change nothing and dead-letter nothing.
    expect(
      (await receive({ campaignId: id, reason: 'called off' }, 'Campaign Cancelled', 'e-cancel')).kind,
    ).toBe('duplicate');
    expect((await receive(scheduled(), 'Campaign Scheduled', 'e-schedule')).kind).toBe('duplicate');
    expect(deadLetters.reasons).toEqual([]);
    expect(scheduler.schedules.has(`${id}.prewarm`)).toBe(false);
  });

  it('keeps an Updated arriving before its Scheduled: the Scheduled does not overwrite the newer content', async () => {
    const update = await receive(updated(), 'Campaign Updated', 'e-update');
    expect(update).toEqual(expect.objectContaining({ kind: 'applied', type: 'updated' }));
    const late = await receive(scheduled(), 'Campaign Scheduled', 'e-schedule');
    expect(late).toEqual(expect.objectContaining({ kind: 'stale', campaignId: id }));
    expect(deadLetters.reasons).toEqual([]);
    expect(await store.get(id)).toEqual(
      expect.objectContaining({
        status: 'scheduled',
        version: 2,
        startMs: Date.parse('2026-11-28T08:00:00Z'),
        expectedLoad: { kind: 'multiplier', factor: 5 },
      }),
    );
    expect(scheduler.schedules.get(`${id}.release`)).toBe(Date.parse('2026-11-28T20:00:00Z'));
    expect(scheduler.schedules.get(`${id}.prewarm`)).toBeLessThan(Date.parse('2026-11-28T08:00:00Z'));
    expect(scheduler.schedules.get(`${id}.prewarm`)).toBeGreaterThan(Date.parse('2026-11-28T07:00:00Z'));
  });

  it('cancels whatever arrives after a Cancelled without a version: Updated, then Scheduled', async () => {
    await receive({ campaignId: id }, 'Campaign Cancelled', 'e-cancel');
    expect((await receive(updated(), 'Campaign Updated', 'e-update')).kind).toBe('stale');
    expect((await receive(scheduled(), 'Campaign Scheduled', 'e-schedule')).kind).toBe('stale');
    expect(deadLetters.reasons).toEqual([]);
    expect(scheduler.schedules.has(`${id}.prewarm`)).toBe(false);
    expect(await store.get(id)).toEqual(expect.objectContaining({ status: 'cancelled', version: 2 }));
  });

  it('refuses a newer version than an early Cancelled names, as it would arriving after the cancel', async () => {
    // Sent: Scheduled v1, Cancelled v1, Updated v2. In that order the Updated is refused (a
    // cancelled id never runs again); delivered cancel first, then Updated, then Scheduled, too.
    await receive({ campaignId: id, version: 1 }, 'Campaign Cancelled', 'e-cancel');
    expect((await receive(updated(), 'Campaign Updated', 'e-update')).kind).toBe('rejected');
    expect((await receive(scheduled(), 'Campaign Scheduled', 'e-schedule')).kind).toBe('stale');
    expect(deadLetters.reasons).toEqual([
      `campaign ${id} was cancelled up to version 1 by an event that arrived first; version 2 is not run under a cancelled id: schedule it again under a new id`,
    ]);
    expect(await store.get(id)).toEqual(expect.objectContaining({ status: 'cancelled', version: 1 }));
    expect(scheduler.schedules.has(`${id}.prewarm`)).toBe(false);
  });

  it('cancels a campaign whose Updated came first, then its Cancelled, then its Scheduled', async () => {
    await receive(updated(), 'Campaign Updated', 'e-update');
    expect((await receive({ campaignId: id }, 'Campaign Cancelled', 'e-cancel')).kind).toBe('applied');
    expect((await receive(scheduled(), 'Campaign Scheduled', 'e-schedule')).kind).toBe('stale');
    expect(deadLetters.reasons).toEqual([]);
    expect(scheduler.schedules.has(`${id}.prewarm`)).toBe(false);
    expect(await store.get(id)).toEqual(expect.objectContaining({ status: 'cancelled', version: 2 }));
  });

  it('ignores an Updated that arrives after the cancel of its own version, and refuses one above it', async () => {
    await receive(scheduled(), 'Campaign Scheduled', 'e-schedule');
    // Sent: Updated v2, Cancelled v2; delivered the other way round.
    expect((await receive({ campaignId: id, version: 2 }, 'Campaign Cancelled', 'e-cancel')).kind).toBe(
      'applied',
    );
    expect((await receive(updated(), 'Campaign Updated', 'e-update')).kind).toBe('stale');
    expect(deadLetters.reasons).toEqual([]);
    expect(scheduler.schedules.has(`${id}.prewarm`)).toBe(false);
    // A version above the cancel's was sent after it: a cancelled id never runs again.
    expect((await receive({ ...updated(), version: 3 }, 'Campaign Updated', 'e-update-3')).kind).toBe(
      'rejected',
    );
    expect(await store.get(id)).toEqual(expect.objectContaining({ status: 'cancelled', version: 1 }));
  });

  it('still dead-letters a second, different Scheduled for an id taken by a Scheduled', async () => {
    await receive(scheduled(), 'Campaign Scheduled', 'e-1');
    await receive({ ...scheduled(), kind: 'other' }, 'Campaign Scheduled', 'e-2');
    expect(deadLetters.reasons).toEqual([
      `campaign ${id} exists already (version 1, scheduled); send Campaign Updated with a higher version, or use a new id`,
    ]);
  });
});

describe('an early Cancelled on DynamoDB', () => {
  it('is kept recordRetentionDays from its arrival, and then as long as the campaign it cancelled', async () => {
    const store = new DynamoDbCampaignStore(dynamo().client, dynamo().tableName);
    const deps = {
      store,
      scheduler: new RecordingCampaignScheduler(),
      scalingTarget: new FakeScalingTarget([groupSnapshot({ name: 'web' })]),
      stateStore: new MemoryStateStore(),
      deadLetters: new RecordingCampaignDeadLetters(),
      clock: { nowMs: () => NOW },
    };
    const ttlSeconds = async () => {
      const { Item } = await dynamo().client.send(
        new GetItemCommand({
          TableName: dynamo().tableName,
          Key: { pk: { S: CAMPAIGN_KEYS.campaignPk('ttl-1') }, sk: { S: CAMPAIGN_KEYS.campaignSk } },
        }),
      );
      return Item ? unmarshall(Item).expiresAt : undefined;
    };
    const envelope = (detailType: string, id: string, detail: Record<string, unknown>) => ({
      id,
      source: 'prescale',
      'detail-type': detailType,
      detail,
    });
    await receiveCampaignEvent(deps, config, envelope('Campaign Cancelled', 'e-1', { campaignId: 'ttl-1' }));
    expect(await ttlSeconds()).toBe((NOW + config.recordRetentionDays * DAY) / 1000);
    await receiveCampaignEvent(
      deps,
      config,
      envelope('Campaign Scheduled', 'e-2', {
        campaignId: 'ttl-1',
        kind: 'sale',
        groups: { names: ['web'] },
        start: '2026-11-27T08:00:00Z',
        end: '2026-11-27T20:00:00Z',
      }),
    );
    expect(await ttlSeconds()).toBeGreaterThanOrEqual(
      (Date.parse('2026-11-27T20:00:00Z') + config.recordRetentionDays * DAY) / 1000,
    );
  });
});
