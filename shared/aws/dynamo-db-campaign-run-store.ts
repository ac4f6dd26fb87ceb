import { type DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { CAMPAIGN_KEYS as C } from '../contracts/campaign-keys';
import { STATE_KEYS } from '../contracts/state-keys';
import {
  type CampaignKindHistory,
  type CampaignRunStore,
  type PrewarmRecord,
  recordedPrewarm,
  type StoredCampaign,
} from '../ports/campaign-store';
import { toAttributeMap } from './dynamo-db-attributes';
import { isConditionFailure, readCampaignItem } from './dynamo-db-campaign-item';
import { getItem, queryEveryPage } from './dynamo-db-item';
import { translateAwsError } from './translate-aws-error';

const DEPENDENCY = 'DynamoDB';

const ttlSeconds = (ms: number) => Math.ceil(ms / 1000);

/**
 * The condition that a pre-warm item is still as `existing` was read (absent, released or not) and
 * holds no raise of a campaign version later than `version` (`recordedByLaterVersion`).
 */
function prewarmUnchangedSince(
  existing: PrewarmRecord | undefined,
  version: number,
): {
  ConditionExpression: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: ReturnType<typeof toAttributeMap>;
} {
  if (!existing) return { ConditionExpression: 'attribute_not_exists(pk)' };
  const notLater = '(attribute_not_exists(#r.campaignVersion) OR #r.campaignVersion <= :v)';
  const released = existing.releasedAtMs !== undefined;
  return {
    ConditionExpression: released
      ? `releasedAtMs = :released AND ${notLater}`
      : `attribute_exists(pk) AND attribute_not_exists(releasedAtMs) AND ${notLater}`,
    ExpressionAttributeNames: { '#r': 'record' },
    ExpressionAttributeValues: toAttributeMap({
      ':v': version,
      ...(released ? { ':released': existing.releasedAtMs } : {}),
    }),
  };
}

/**
 * `CampaignRunStore` on the state table (keys in `CAMPAIGN_KEYS`): reads the campaign item and
 * keeps the pre-warm records and kind histories beside it. It carries none of the rules by which
 * events are applied (`DynamoDbCampaignStore` adds them), so the pre-warm Lambda, which only reads
 * campaigns, does not bundle them.
 */
export class DynamoDbCampaignRunStore implements CampaignRunStore {
  constructor(
    protected readonly client: DynamoDBClient,
    protected readonly tableName: string,
  ) {}

  async get(campaignId: string): Promise<StoredCampaign | undefined> {
    const read = await readCampaignItem(this.client, this.tableName, campaignId);
    return read.kind === 'campaign' ? read.campaign : undefined;
  }

  /**
   * One write, on condition that the item is as `read` was (absent, released then, or unreleased)
   * and holds no later campaign version's raise.
   */
  async recordPrewarm(
    record: PrewarmRecord,
    read: PrewarmRecord | undefined,
  ): Promise<PrewarmRecord | undefined> {
    const stored = recordedPrewarm(read, record);
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toAttributeMap({
            pk: C.campaignPk(record.campaignId),
            sk: C.prewarmSk(record.groupName),
            record: stored,
            [STATE_KEYS.ttl]: ttlSeconds(record.expiresAtMs),
          }),
          ...prewarmUnchangedSince(read, record.campaignVersion ?? 0),
        }),
      );
      return stored;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw translateAwsError(error, DEPENDENCY, 'PutItem');
    }
  }

  async getPrewarm(campaignId: string, groupName: string): Promise<PrewarmRecord | undefined> {
    const item = await getItem(this.client, this.tableName, {
      pk: C.campaignPk(campaignId),
      sk: C.prewarmSk(groupName),
    });
    if (!item) return undefined;
    const record = item.record as PrewarmRecord;
    const { releasedAtMs, releasedAtMinSize } = item;
    return {
      ...record,
      ...(typeof releasedAtMs === 'number' ? { releasedAtMs } : {}),
      ...(typeof releasedAtMinSize === 'number' ? { releasedAtMinSize } : {}),
    };
  }

  /**
   * One Query of the group's window pointers (every one, ended or not), then one GetItem per
   * campaign of its pre-warm record: the records sit under each campaign's key, and the pointers
   * are the only index of a group's campaigns.
   */
  async unreleasedPrewarms(groupName: string): Promise<PrewarmRecord[]> {
    const campaignIds = await queryEveryPage(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: toAttributeMap({
          ':pk': C.groupPk(groupName),
          ':from': C.windowSkFrom(-1),
          ':to': C.windowSkTo,
        }),
        ProjectionExpression: 'campaignId',
        ConsistentRead: true,
      },
      (item) => String(item.campaignId),
    );
    const ids = new Set(campaignIds);
    const records: PrewarmRecord[] = [];
    for (const id of [...ids].sort()) {
      const record = await this.getPrewarm(id, groupName);
      if (record && record.releasedAtMs === undefined) records.push(record);
    }
    return records;
  }

  async markReleased(
    campaignId: string,
    groupName: string,
    releasedAtMs: number,
    releasedAtMinSize?: number,
  ): Promise<boolean> {
    const seen = releasedAtMinSize !== undefined;
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: toAttributeMap({ pk: C.campaignPk(campaignId), sk: C.prewarmSk(groupName) }),
          UpdateExpression: seen ? 'SET releasedAtMs = :t, releasedAtMinSize = :m' : 'SET releasedAtMs = :t',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(releasedAtMs)',
          ExpressionAttributeValues: toAttributeMap({
            ':t': releasedAtMs,
            ...(seen ? { ':m': releasedAtMinSize } : {}),
          }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw translateAwsError(error, DEPENDENCY, 'UpdateItem');
    }
  }

  async markReleasedUnraised(mark: PrewarmRecord): Promise<boolean> {
    const { releasedAtMs, releasedAtMinSize: _seen, ...record } = mark;
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toAttributeMap({
            pk: C.campaignPk(mark.campaignId),
            sk: C.prewarmSk(mark.groupName),
            record,
            releasedAtMs,
            [STATE_KEYS.ttl]: ttlSeconds(mark.expiresAtMs),
          }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw translateAwsError(error, DEPENDENCY, 'PutItem');
    }
  }

  async getKindHistory(kind: string, groupName: string): Promise<CampaignKindHistory | undefined> {
    const item = await getItem(this.client, this.tableName, {
      pk: C.kindPk(kind),
      sk: C.historySk(groupName),
    });
    return item?.history as CampaignKindHistory | undefined;
  }

  async putKindHistory(
    history: CampaignKindHistory,
    read: CampaignKindHistory | undefined,
  ): Promise<boolean> {
    const condition =
      read === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : read.version === undefined
          ? { ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#h.version)' }
          : {
              ConditionExpression: '#h.version = :v',
              ExpressionAttributeValues: toAttributeMap({ ':v': read.version }),
            };
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toAttributeMap({
            pk: C.kindPk(history.kind),
            sk: C.historySk(history.groupName),
            history: { ...history, version: (read?.version ?? 0) + 1 },
          }),
          ...(read === undefined ? {} : { ExpressionAttributeNames: { '#h': 'history' } }),
          ...condition,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw translateAwsError(error, DEPENDENCY, 'PutItem');
    }
  }
}
