import { BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbCampaignCalendar } from '../../../shared/aws/dynamo-db-campaign-calendar';
import { DynamoDbCampaignStore } from '../../../shared/aws/dynamo-db-campaign-store';
import { type UserConfig, userConfigSchema } from '../../../shared/contracts/user-config';
import type { CampaignAction } from '../../../shared/ports/campaign-scheduler';
import type { CampaignStore } from '../../../shared/ports/campaign-store';
import { TransientDependencyError } from '../../../shared/ports/errors';
import { receiveCampaignEvent } from '../../../shared/usecases/receive-campaign-event';
import { FakeScalingTarget, groupSnapshot } from '../../fakes/fake-scaling-target';
import { RecordingCampaignDeadLetters, RecordingCampaignScheduler } from '../../fakes/memory-campaigns';
import { MemoryStateStore } from '../../fakes/memory-state-store';
import { campaignEvent } from '../../helpers/campaign-event-fixture';
import { campaignStoresOnDynalite } from '../../helpers/campaign-stores-on-dynalite';

/**
 * Retries of a campaign event after the groups changed: Lambda retries a failed invocation a
 * minute or more later, and a sender may send the same event again. What decides the outcome is
 * what is stored; the groups as they are now are read only for a write.
 */

const NOW = Date.parse('2026-11-20T10:00:00Z');
const TAG = { key: 'prescale:enabled', value: 'true' };

/** Throttled on the release's CreateSchedule while `throttleRelease` is set. */
class ThrottlingScheduler extends RecordingCampaignScheduler {
  throttleRelease = false;
  override async scheduleAction(campaignId: string, action: CampaignAction, atMs: number): Promise<void> {
    if (action === 'release' && this.throttleRelease) {
      throw new TransientDependencyError('EventBridge Scheduler', 'CreateSchedule', { refused: true });
    }
    return super.scheduleAction(campaignId, action, atMs);
  }
}

const enrolled: UserConfig = userConfigSchema.parse({
  groups: { names: ['web', 'api'], tag: TAG },
  mode: 'forecast-and-scale',
});

const { stores, dynamo } = campaignStoresOnDynalite('prescale-campaign-retry');

let n = 0;
describe.each(stores)('receiveCampaignEvent retried after the groups changed: %s', (_name, makeStore) => {
  let id: string;
  let store: CampaignStore;
  let scheduler: ThrottlingScheduler;
  let deadLetters: RecordingCampaignDeadLetters;
  let scalingTarget: FakeScalingTarget;
  let config: UserConfig;
  let nowMs: number;
  const receive = (detail: Record<string, unknown>, detailType: string, eventId: string) =>
    receiveCampaignEvent(
      {
        store,
        scheduler,
        scalingTarget,
        stateStore: new MemoryStateStore(),
        deadLetters,
        clock: { nowMs: () => nowMs },
      },
      config,
      { id: eventId, source: 'prescale', 'detail-type': detailType, detail },
    );
  beforeEach(() => {
    n += 1;
    id = `retry-${n}`;
    store = makeStore();
    scheduler = new ThrottlingScheduler();
    deadLetters = new RecordingCampaignDeadLetters();
    scalingTarget = new FakeScalingTarget([
      groupSnapshot({ name: 'web' }),
      groupSnapshot({ name: 'api' }),
      groupSnapshot({ name: 'cart', tags: { [TAG.key]: TAG.value } }),
    ]);
    config = enrolled;
    nowMs = NOW;
  });
  const campaign = (groups: Record<string, unknown>) => ({
    campaignId: id,
    kind: 'sale',
    groups,
    start: '2026-11-27T08:00:00Z',
    end: '2026-11-27T20:00:00Z',
    expectedLoad: { kind: 'multiplier', factor: 3 },
  });

  /** Delivery 1 stores the campaign and sets the pre-warm; the release's CreateSchedule is throttled. */
  async function firstDeliveryFailsHalfWay(detail: Record<string, unknown>): Promise<void> {
    scheduler.throttleRelease = true;
    await expect(receive(detail, 'Campaign Scheduled', 'e-1')).rejects.toThrow(TransientDependencyError);
    scheduler.throttleRelease = false;
    expect(scheduler.schedules.has(`${id}.prewarm`)).toBe(true);
    expect(scheduler.schedules.has(`${id}.release`)).toBe(false);
    nowMs += 120_000;
  }

  it.each([
    ['a named group is deleted', () => scalingTarget.groups.delete('api')],
    [
      'a config deploy un-enrols a named group',
      () => {
        config = userConfigSchema.parse({ groups: { names: ['web'], tag: TAG }, mode: 'forecast-and-scale' });
      },
    ],
  ])('sets the release on Lambda’s retry when %s before it', async (_change, change) => {
    await firstDeliveryFailsHalfWay(campaign({ names: ['api', 'web'] }));
    change();
    const retry = await receive(campaign({ names: ['api', 'web'] }), 'Campaign Scheduled', 'e-1');
    expect(retry).toEqual({ kind: 'duplicate', campaignId: id });
    expect(deadLetters.reasons).toEqual([]);
    expect(scheduler.schedules.get(`${id}.release`)).toBe(Date.parse('2026-11-27T20:00:00Z'));
    expect((await store.get(id))?.groupNames).toEqual(['api', 'web']);
  });

  it('sets the release on Lambda’s retry when more than 40 groups carry the tag by then', async () => {
    await firstDeliveryFailsHalfWay(campaign({ tag: TAG }));
    for (let i = 0; i < 40; i += 1) {
      scalingTarget.groups.set(
        `shop-${i}`,
        groupSnapshot({ name: `shop-${i}`, tags: { [TAG.key]: TAG.value } }),
      );
    }
    const retry = await receive(campaign({ tag: TAG }), 'Campaign Scheduled', 'e-1');
    expect(retry).toEqual({ kind: 'duplicate', campaignId: id });
    expect(deadLetters.reasons).toEqual([]);
    expect(scheduler.schedules.get(`${id}.release`)).toBe(Date.parse('2026-11-27T20:00:00Z'));
  });

  it('takes a sender’s retry by tag as stale when the tag matches other groups by then, and sets its schedules', async () => {
    await firstDeliveryFailsHalfWay(campaign({ tag: TAG }));
    scalingTarget.groups.set('search', groupSnapshot({ name: 'search', tags: { [TAG.key]: TAG.value } }));
    // The same PutEvents sent again: EventBridge gives it a new id.
    const retry = await receive(campaign({ tag: TAG }), 'Campaign Scheduled', 'e-2');
    expect(retry).toEqual(expect.objectContaining({ kind: 'stale', campaignId: id }));
    expect(deadLetters.reasons).toEqual([]);
    expect(scheduler.schedules.get(`${id}.release`)).toBe(Date.parse('2026-11-27T20:00:00Z'));
    expect((await store.get(id))?.groupNames).toEqual(['cart']);
  });

  it('still refuses a sender’s retry naming other groups under the same version', async () => {
    await receive(campaign({ names: ['web'] }), 'Campaign Scheduled', 'e-1');
    expect((await receive(campaign({ names: ['api', 'web'] }), 'Campaign Scheduled', 'e-2')).kind).toBe(
      'rejected',
    );
    expect(deadLetters.reasons).toEqual([expect.stringContaining('exists already')]);
  });

  it('ignores an older Updated arriving after a newer one although its group is gone by then', async () => {
    await receive({ ...campaign({ names: ['web'] }), version: 3 }, 'Campaign Updated', 'e-3');
    scalingTarget.groups.delete('api');
    const late = await receive(
      { ...campaign({ names: ['api', 'web'] }), version: 2 },
      'Campaign Updated',
      'e-2',
    );
    expect(late).toEqual(expect.objectContaining({ kind: 'stale', campaignId: id }));
    expect(deadLetters.reasons).toEqual([]);
  });
});

/**
 * `client`, with its next BatchWriteItem throttled: on a first delivery, the write of the groups'
 * calendar pointers after the campaign item's PutItem has landed.
 */
function throttlingNextBatchWrite(client: DynamoDBClient): DynamoDBClient {
  let throttle = true;
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver);
      return async (command: Parameters<DynamoDBClient['send']>[0]) => {
        if (throttle && command instanceof BatchWriteItemCommand) {
          throttle = false;
          throw Object.assign(new Error('Rate exceeded'), {
            name: 'ThrottlingException',
            $metadata: { httpStatusCode: 400 },
          });
        }
        return target.send(command);
      };
    },
  });
}

describe('receiveCampaignEvent retried after the calendar pointers failed: DynamoDbCampaignStore on dynalite', () => {
  const scheduled = (campaignId: string, eventId: string) => ({
    ...campaignEvent({
      campaignId,
      kind: 'sale',
      groups: { names: ['web'] },
      start: '2026-11-27T08:00:00Z',
      end: '2026-11-27T20:00:00Z',
      expectedLoad: { kind: 'multiplier', factor: 3 },
    }),
    id: eventId,
  });

  it.each([
    ['Lambda’s retry (the same event id) as a duplicate', 'e-1', 'duplicate'],
    ['a sender’s retry (a new event id) as stale', 'e-2', 'stale'],
  ])('puts the campaign back on its groups’ calendar on %s', async (_retry, retryId, kind) => {
    n += 1;
    const campaignId = `pointers-${n}`;
    const deps = {
      store: new DynamoDbCampaignStore(throttlingNextBatchWrite(dynamo().client), dynamo().tableName),
      scheduler: new RecordingCampaignScheduler(),
      scalingTarget: new FakeScalingTarget([groupSnapshot({ name: 'web' })]),
      stateStore: new MemoryStateStore(),
      deadLetters: new RecordingCampaignDeadLetters(),
      clock: { nowMs: () => NOW },
    };
    const calendar = new DynamoDbCampaignCalendar(dynamo().client, dynamo().tableName);
    const onCalendar = async () =>
      (await calendar.campaignsFor('web', NOW, Date.parse('2026-11-28T00:00:00Z'))).map((c) => c.campaignId);

    await expect(receiveCampaignEvent(deps, enrolled, scheduled(campaignId, 'e-1'))).rejects.toThrow(
      TransientDependencyError,
    );
    expect((await deps.store.get(campaignId))?.status).toBe('scheduled');
    expect(await onCalendar()).not.toContain(campaignId);

    const retry = await receiveCampaignEvent(deps, enrolled, scheduled(campaignId, retryId));
    expect(retry).toEqual(expect.objectContaining({ kind, campaignId }));
    expect(await onCalendar()).toContain(campaignId);
    expect(deps.scheduler.schedules.get(`${campaignId}.release`)).toBe(Date.parse('2026-11-27T20:00:00Z'));
  });
});
