import { type DynamoDBClient, PutItemCommand, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { CAMPAIGN_KEYS as C } from '../contracts/campaign-keys';
import { STATE_KEYS } from '../contracts/state-keys';
import {
  campaignOverTombstone,
  cancelledCampaign,
  refusedCancelledUpdate,
  tombstoneAfter,
} from '../ports/campaign-event-order';
import {
  type CampaignCancel,
  type CampaignDefinition,
  type CampaignStore,
  type CampaignWriteOutcome,
  calendarEndMs,
  formerGroupsAfter,
  KEPT_EVENT_IDS,
  refusedSchedule,
  refusedUpdate,
  type StoredCampaign,
} from '../ports/campaign-store';
import { TransientDependencyError } from '../ports/errors';
import { toAttributeMap } from './dynamo-db-attributes';
import {
  type CampaignItem,
  isConditionFailure,
  putIfUnchanged,
  readCampaignItem,
} from './dynamo-db-campaign-item';
import { DynamoDbCampaignRunStore } from './dynamo-db-campaign-run-store';
import { translateAwsError } from './translate-aws-error';
import { type ResendPolicy, writeBatchUntilProcessed } from './until-processed';

const DEPENDENCY = 'DynamoDB';
/** BatchWriteItem takes at most 25 requests. */
const BATCH = 25;
const MAX_ATTEMPTS = 3;

const ttlSeconds = (ms: number) => Math.ceil(ms / 1000);

type Key = { pk: string; sk: string };

/**
 * `CampaignStore` on the state table (keys in `CAMPAIGN_KEYS`): `DynamoDbCampaignRunStore` with the
 * events applied, which only the receiver of campaign events wires. Each event commits with one
 * conditional PutItem of the campaign item: `attribute_not_exists` for a new campaign or a cancel
 * arriving before it (a tombstone in the same item), `revision = :seen` over a tombstone, an
 * optimistic `version = :seen` for updates and cancels. The per-group window pointers are
 * derived afterwards with idempotent batch writes; the calendar only trusts the campaign item,
 * so a pointer left over from a failed sync never changes a forecast.
 */
export class DynamoDbCampaignStore extends DynamoDbCampaignRunStore implements CampaignStore {
  /**
   * @param resend how unprocessed batch items are resent (tests pass a sleep that does not wait).
   */
  constructor(
    client: DynamoDBClient,
    tableName: string,
    private readonly resend: ResendPolicy = {},
  ) {
    super(client, tableName);
  }

  async schedule(
    definition: CampaignDefinition,
    eventId: string,
    nowMs: number,
  ): Promise<CampaignWriteOutcome> {
    return this.create(definition, eventId, nowMs, { kind: 'absent' }, async (existing) => {
      if (existing.appliedEventIds.includes(eventId)) {
        await this.syncPointers(existing, existing);
        return { kind: 'duplicate', campaign: existing };
      }
      return refusedSchedule(existing, definition);
    });
  }

  async update(
    definition: CampaignDefinition,
    eventId: string,
    nowMs: number,
  ): Promise<CampaignWriteOutcome> {
    const replace = (first: StoredCampaign) =>
      this.rewrite(
        definition.campaignId,
        eventId,
        (existing) => {
          if (existing.status === 'cancelled')
            return { outcome: refusedCancelledUpdate(existing, definition) };
          const refused = refusedUpdate(existing, definition, nowMs);
          if (refused) return { outcome: refused };
          return {
            next: {
              ...definition,
              ...formerGroupsAfter(existing, definition),
              status: 'scheduled',
              appliedEventIds: [...existing.appliedEventIds, eventId].slice(-KEPT_EVENT_IDS),
              updatedAtMs: nowMs,
            },
          };
        },
        first,
      );
    const read = await readCampaignItem(this.client, this.tableName, definition.campaignId);
    if (read.kind === 'campaign') return replace(read.campaign);
    // Arrived before its Scheduled: it restates the whole campaign, so it is stored as one.
    return this.create(definition, eventId, nowMs, read, replace);
  }

  async cancel(cancel: CampaignCancel, eventId: string, nowMs: number): Promise<CampaignWriteOutcome> {
    const { campaignId } = cancel;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const read = await readCampaignItem(this.client, this.tableName, campaignId);
      if (read.kind === 'campaign') {
        return this.rewrite(
          campaignId,
          eventId,
          (existing) => cancelledCampaign(existing, cancel, eventId, nowMs),
          read.campaign,
        );
      }
      // Before its campaign: a tombstone under the campaign's key, which its Scheduled or Updated
      // finds when it comes.
      const earlier = read.kind === 'tombstone' ? read.tombstone : undefined;
      if (earlier?.eventIds.includes(eventId)) return { kind: 'tombstoned', tombstone: earlier };
      const tombstone = tombstoneAfter(earlier, cancel, eventId, nowMs);
      const revision = read.kind === 'tombstone' ? read.revision + 1 : 1;
      const item = {
        pk: C.campaignPk(campaignId),
        sk: C.campaignSk,
        tombstone,
        revision,
        [STATE_KEYS.ttl]: ttlSeconds(tombstone.expiresAtMs),
      };
      if (await putIfUnchanged(this.client, this.tableName, item, read))
        return { kind: 'tombstoned', tombstone };
    }
    throw new TransientDependencyError(DEPENDENCY, `PutItem (campaign ${campaignId} changed concurrently)`);
  }

  /** Puts the pointers `campaign` needs; deletes none (a newer version may need them). */
  async resyncCalendar(campaign: StoredCampaign): Promise<void> {
    await this.syncPointers(campaign, campaign);
  }

  /**
   * Stores a campaign not stored yet (`read`: absent or a tombstone), new or over the tombstone
   * (`campaignOverTombstone`), on condition that the item is still as read; when a campaign is (or
   * has meanwhile been) stored, `whenStored` decides (at most 3 attempts).
   */
  private async create(
    definition: CampaignDefinition,
    eventId: string,
    nowMs: number,
    first: CampaignItem,
    whenStored: (existing: StoredCampaign) => Promise<CampaignWriteOutcome>,
  ): Promise<CampaignWriteOutcome> {
    let read = first;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      if (read.kind === 'campaign') return whenStored(read.campaign);
      const outcome: Extract<CampaignWriteOutcome, { kind: 'written' | 'stale' | 'conflict' }> =
        read.kind === 'tombstone'
          ? campaignOverTombstone(read.tombstone, definition, eventId)
          : {
              kind: 'written',
              campaign: {
                ...definition,
                status: 'scheduled',
                appliedEventIds: [eventId],
                updatedAtMs: nowMs,
              },
            };
      if (outcome.kind === 'conflict') return outcome;
      if (await putIfUnchanged(this.client, this.tableName, this.campaignItem(outcome.campaign), read)) {
        await this.syncPointers(outcome.campaign, undefined);
        return outcome;
      }
      read = await readCampaignItem(this.client, this.tableName, definition.campaignId);
    }
    throw new TransientDependencyError(
      DEPENDENCY,
      `PutItem (campaign ${definition.campaignId} changed concurrently)`,
    );
  }

  /**
   * Read, decide, write with `version = :seen`; on a lost race, read again (at most 3 times).
   * `decide` returns the next campaign or the outcome that ends the attempt. `first` is the
   * campaign as the caller has just read it, for the first attempt.
   */
  private async rewrite(
    campaignId: string,
    eventId: string,
    decide: (
      existing: StoredCampaign,
    ) => { readonly next: StoredCampaign } | { readonly outcome: CampaignWriteOutcome },
    first?: StoredCampaign,
  ): Promise<CampaignWriteOutcome> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const existing = attempt === 0 && first ? first : await this.get(campaignId);
      if (!existing) {
        return {
          kind: 'conflict',
          reason: `campaign ${campaignId} is not known; send Campaign Scheduled first`,
        };
      }
      if (existing.appliedEventIds.includes(eventId)) {
        await this.syncPointers(existing, existing);
        return { kind: 'duplicate', campaign: existing };
      }
      const decision = decide(existing);
      if ('outcome' in decision) return decision.outcome;
      const { next } = decision;
      try {
        await this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: toAttributeMap(this.campaignItem(next)),
            ConditionExpression: 'version = :seen AND #status = :scheduled',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: toAttributeMap({
              ':seen': existing.version,
              ':scheduled': 'scheduled',
            }),
          }),
        );
      } catch (error) {
        if (isConditionFailure(error)) continue;
        throw translateAwsError(error, DEPENDENCY, 'PutItem');
      }
      await this.syncPointers(next, existing);
      return { kind: 'written', campaign: next, previous: existing };
    }
    throw new TransientDependencyError(DEPENDENCY, `PutItem (campaign ${campaignId} changed concurrently)`);
  }

  private campaignItem(campaign: StoredCampaign): Record<string, unknown> {
    return {
      pk: C.campaignPk(campaign.campaignId),
      sk: C.campaignSk,
      campaign,
      version: campaign.version,
      status: campaign.status,
      [STATE_KEYS.ttl]: ttlSeconds(campaign.expiresAtMs),
    };
  }

  private pointerKeys(campaign: StoredCampaign): Key[] {
    const endMs = calendarEndMs(campaign);
    if (endMs === undefined) return [];
    return campaign.groupNames.map((g) => ({ pk: C.groupPk(g), sk: C.windowSk(endMs, campaign.campaignId) }));
  }

  /** Puts the pointers `current` needs and deletes those only `previous` had. Idempotent. */
  private async syncPointers(current: StoredCampaign, previous: StoredCampaign | undefined): Promise<void> {
    const wanted = this.pointerKeys(current);
    const wantedIds = new Set(wanted.map((k) => `${k.pk}|${k.sk}`));
    const requests: WriteRequest[] = [
      ...wanted.map((key) => ({
        PutRequest: {
          Item: toAttributeMap({
            ...key,
            campaignId: current.campaignId,
            version: current.version,
            [STATE_KEYS.ttl]: ttlSeconds(current.expiresAtMs),
          }),
        },
      })),
      ...(previous?.campaignId === current.campaignId
        ? previous.groupNames.map((g) => ({
            pk: C.groupPk(g),
            sk: C.windowSk(previous.endMs, previous.campaignId),
          }))
        : []
      )
        .filter((k) => !wantedIds.has(`${k.pk}|${k.sk}`))
        .map((key) => ({ DeleteRequest: { Key: toAttributeMap(key) } })),
    ];
    for (let i = 0; i < requests.length; i += BATCH) {
      await writeBatchUntilProcessed(this.client, this.tableName, requests.slice(i, i + BATCH), this.resend);
    }
  }
}
