import { randomUUID } from 'node:crypto';
import {
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { STATE_KEYS as K } from '../contracts/state-keys';
import type {
  GroupLock,
  GroupState,
  LeftRelease,
  RunClaim,
  RunLease,
  RunRecord,
  StateStore,
} from '../ports/state-store';
import { fromAttributeMap, toAttributeMap } from './dynamo-db-attributes';
import { DynamoDbGroupLock, isConditionFailure } from './dynamo-db-group-lock';
import { getItem, putItem, queryEveryPage } from './dynamo-db-item';
import { runRecordAttributes, runRecordFromItem } from './run-record-item';
import { translateAwsError } from './translate-aws-error';
import { type ResendPolicy, writeBatchUntilProcessed } from './until-processed';

const DEPENDENCY = 'DynamoDB';

const ttlSeconds = (ms: number) => Math.ceil(ms / 1000);

/** The item of a run record: its group's partition, sorted by tick, expiring at `expiresAtMs`. */
function runRecordItem(record: RunRecord, expiresAtMs: number): Record<string, unknown> {
  return {
    pk: K.groupPk(record.groupName),
    sk: K.runSk(record.tickMs),
    ...runRecordAttributes(record),
    [K.ttl]: ttlSeconds(expiresAtMs),
  };
}

/** `StateStore` on one DynamoDB table with generic `pk`/`sk` keys (see `STATE_KEYS`). */
export class DynamoDbStateStore implements StateStore {
  private readonly lock: DynamoDbGroupLock;

  /**
   * @param resend how unprocessed batch items are resent (tests pass a sleep that does not wait).
   */
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly resend: ResendPolicy = {},
  ) {
    this.lock = new DynamoDbGroupLock(client, tableName, K.lockSk);
  }

  async claimRun(groupName: string, tickMs: number, lease: RunLease): Promise<boolean> {
    // The SDK sends a PutItem again when its answer is lost (a timeout, a 5xx), though the first may
    // have been written: the claim names this call, so the resend finds its own claim, not a rival's.
    const claimant = randomUUID();
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toAttributeMap({
            pk: K.groupPk(groupName),
            sk: K.claimSk,
            tickMs,
            leaseUntilMs: lease.leaseUntilMs,
            done: false,
            claimant,
            [K.ttl]: ttlSeconds(lease.expiresAtMs),
          }),
          // Free, or no run holds it (finished, given back, or died: its lease ran out) and it was
          // an older tick's, or this tick's unfinished. A done or given-back claim has no lease left.
          // Standard queues deliver "more than one copy of a message" and "out of order"
          // (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/standard-queues.html):
          // one item per group keeps a late tick from running beside or after a newer one.
          ConditionExpression:
            'attribute_not_exists(pk) OR claimant = :claimant OR (leaseUntilMs < :now AND (tickMs < :tick OR (tickMs = :tick AND done = :false)))',
          ExpressionAttributeValues: toAttributeMap({
            ':claimant': claimant,
            ':false': false,
            ':now': lease.nowMs,
            ':tick': tickMs,
          }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw translateAwsError(error, DEPENDENCY, 'PutItem');
    }
  }

  async getRunClaim(groupName: string, nowMs: number): Promise<RunClaim | undefined> {
    const item = await this.get(K.groupPk(groupName), K.claimSk);
    const leaseUntilMs = item?.leaseUntilMs;
    // Live as `claimRun`'s condition judges it: a done or given-back claim's lease is 0.
    if (typeof leaseUntilMs !== 'number' || leaseUntilMs < nowMs) return undefined;
    return { tickMs: Number(item?.tickMs), leaseUntilMs };
  }

  async completeRun(groupName: string, tickMs: number): Promise<void> {
    await this.endClaim(groupName, tickMs, true);
  }

  async releaseRun(groupName: string, tickMs: number): Promise<void> {
    await this.endClaim(groupName, tickMs, false);
  }

  /** Ends this tick's lease on the claim, done or given back; a newer tick's claim is left alone. */
  private async endClaim(groupName: string, tickMs: number, done: boolean): Promise<void> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: toAttributeMap({ pk: K.groupPk(groupName), sk: K.claimSk }),
          UpdateExpression: 'SET done = :done, leaseUntilMs = :ended',
          ConditionExpression: 'tickMs = :tick',
          ExpressionAttributeValues: toAttributeMap({ ':done': done, ':ended': 0, ':tick': tickMs }),
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return;
      throw translateAwsError(error, DEPENDENCY, 'UpdateItem');
    }
  }

  async putRunRecord(record: RunRecord, expiresAtMs: number): Promise<void> {
    await this.put(runRecordItem(record, expiresAtMs));
  }

  /**
   * One `BatchWriteItem` with both puts (the run record and the state are separate items: the
   * state is read every run, the record is large and expires); items DynamoDB leaves unprocessed
   * are sent again after a jittered backoff, up to five requests in all (`untilProcessed`).
   * @throws TransientDependencyError when items stay unprocessed, and port errors.
   */
  async recordRun(
    groupName: string,
    state: GroupState,
    record: RunRecord,
    expiresAtMs: number,
  ): Promise<void> {
    const puts = [
      { PutRequest: { Item: toAttributeMap({ pk: K.groupPk(groupName), sk: K.stateSk, state }) } },
      { PutRequest: { Item: toAttributeMap(runRecordItem(record, expiresAtMs)) } },
    ];
    await writeBatchUntilProcessed(this.client, this.tableName, puts, this.resend);
  }

  async latestRunRecord(groupName: string, sinceMs: number): Promise<RunRecord | undefined> {
    // Newest first, one item: a day of records is up to 1,440 items of 5–45 KB (1 MB pages).
    try {
      const out = await this.client.send(
        new QueryCommand({
          ...this.runRecordsSince(groupName, sinceMs),
          ScanIndexForward: false,
          Limit: 1,
        }),
      );
      const item = out.Items?.[0];
      return item ? runRecordFromItem(fromAttributeMap(item)) : undefined;
    } catch (error) {
      throw translateAwsError(error, DEPENDENCY, 'Query');
    }
  }

  /** The Query of a group's run records since `sinceMs`, strongly consistent. */
  private runRecordsSince(groupName: string, sinceMs: number) {
    return {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: toAttributeMap({
        ':pk': K.groupPk(groupName),
        ':from': K.runSk(Math.max(0, sinceMs)),
        ':to': 'RUN#~',
      }),
      // As every read the state's users act on: a capacity restore plans from the loop's need
      // in the record written a moment before.
      ConsistentRead: true,
    };
  }

  async recentRunRecords(groupName: string, sinceMs: number): Promise<RunRecord[]> {
    return queryEveryPage(this.client, this.runRecordsSince(groupName, sinceMs), runRecordFromItem);
  }

  async getGroupState(groupName: string): Promise<GroupState | undefined> {
    const item = await this.get(K.groupPk(groupName), K.stateSk);
    return item?.state as GroupState | undefined;
  }

  async putGroupState(groupName: string, state: GroupState): Promise<void> {
    await this.put({ pk: K.groupPk(groupName), sk: K.stateSk, state });
  }

  async acquireLock(lock: GroupLock): Promise<boolean> {
    return this.lock.acquire(lock);
  }

  async releaseLock(groupName: string, holder: string): Promise<void> {
    await this.lock.release(groupName, holder);
  }

  async getLock(groupName: string, nowMs: number): Promise<GroupLock | undefined> {
    return this.lock.get(groupName, nowMs);
  }

  async leaveRelease(groupName: string, release: LeftRelease, raisedAtMs: number): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toAttributeMap({
            pk: K.groupPk(groupName),
            sk: K.leftReleaseSk(release.campaignId),
            release,
            [K.ttl]: ttlSeconds(release.expiresAtMs),
          }),
          // None, or one left before this raise (`releasesRaise`).
          ConditionExpression: 'attribute_not_exists(pk) OR #r.leftAtMs < :raised',
          ExpressionAttributeNames: { '#r': 'release' },
          ExpressionAttributeValues: toAttributeMap({ ':raised': raisedAtMs }),
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw translateAwsError(error, DEPENDENCY, 'PutItem');
    }
  }

  async leftRelease(groupName: string, campaignId: string): Promise<LeftRelease | undefined> {
    const item = await this.get(K.groupPk(groupName), K.leftReleaseSk(campaignId));
    return item?.release as LeftRelease | undefined;
  }

  async leftReleases(groupName: string): Promise<LeftRelease[]> {
    try {
      // A group has a release left for a campaign or two at most: one page.
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
          ExpressionAttributeValues: toAttributeMap({
            ':pk': K.groupPk(groupName),
            ':sk': K.leftReleaseSkPrefix,
          }),
          ConsistentRead: true,
        }),
      );
      return (out.Items ?? [])
        .map((item) => fromAttributeMap(item).release as LeftRelease)
        .filter((release) => !release.performed);
    } catch (error) {
      throw translateAwsError(error, DEPENDENCY, 'Query');
    }
  }

  /**
   * A PutItem conditional on the release's `version` as read (one without a version, as the
   * campaign left it, is taken as read) and on its not being performed; a release performed is
   * written back `performed`, not deleted (`LeftRelease.performed`).
   */
  async settleLeftRelease(
    groupName: string,
    read: LeftRelease,
    next: LeftRelease | undefined,
  ): Promise<boolean> {
    const key = { pk: K.groupPk(groupName), sk: K.leftReleaseSk(read.campaignId) };
    const condition = {
      TableName: this.tableName,
      ConditionExpression:
        'attribute_exists(pk) AND attribute_not_exists(#r.performed) AND (attribute_not_exists(#r.version) OR #r.version = :v)',
      ExpressionAttributeNames: { '#r': 'release' },
      ExpressionAttributeValues: toAttributeMap({ ':v': read.version ?? 0 }),
    };
    const release: LeftRelease = next ?? { ...read, performed: true };
    try {
      await this.client.send(
        new PutItemCommand({
          ...condition,
          Item: toAttributeMap({ ...key, release, [K.ttl]: ttlSeconds(release.expiresAtMs) }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw translateAwsError(error, DEPENDENCY, 'PutItem');
    }
  }

  private get(pk: string, sk: string): Promise<Record<string, unknown> | undefined> {
    return getItem(this.client, this.tableName, { pk, sk });
  }

  private put(item: Record<string, unknown>): Promise<void> {
    return putItem(this.client, this.tableName, item);
  }
}
