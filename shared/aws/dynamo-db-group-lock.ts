import { DeleteItemCommand, type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { LEASE_FREE_CONDITION, STATE_KEYS } from '../contracts/state-keys';
import { toAttributeMap } from './dynamo-db-attributes';
import { getItem } from './dynamo-db-item';
import { translateAwsError } from './translate-aws-error';

const DEPENDENCY = 'DynamoDB';

/** A lease on one group, held until `expiresAtMs` (epoch ms) or released by its holder. */
export interface GroupLease {
  readonly groupName: string;
  readonly holder: string;
  readonly acquiredAtMs: number;
  readonly expiresAtMs: number;
}

/** Whether `error` is DynamoDB's answer to a failed `ConditionExpression`. */
export function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';
}

/**
 * One kind of lease item on a group's partition (`GROUP#<name>`, sort key `sk`), taken with a
 * single conditional write: free, expired (TTL deletion lags by up to days) or already ours (a
 * retried acquire). The group's rolling-update lock and its update-plan lock are two of these.
 * Reads are strongly consistent, so a holder that just wrote sees its own lease.
 */
export class DynamoDbGroupLock {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly sk: string,
  ) {}

  /** Takes the lease; false when another holder has it. @throws TransientDependencyError and port errors. */
  async acquire(lease: GroupLease): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toAttributeMap({
            pk: STATE_KEYS.groupPk(lease.groupName),
            sk: this.sk,
            holder: lease.holder,
            acquiredAtMs: lease.acquiredAtMs,
            expiresAtMs: lease.expiresAtMs,
            [STATE_KEYS.ttl]: Math.ceil(lease.expiresAtMs / 1000),
          }),
          ConditionExpression: LEASE_FREE_CONDITION,
          ExpressionAttributeValues: toAttributeMap({ ':now': lease.acquiredAtMs, ':holder': lease.holder }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw translateAwsError(error, DEPENDENCY, 'PutItem');
    }
  }

  /** Releases the lease if `holder` has it; another holder's lease is left alone. */
  async release(groupName: string, holder: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: toAttributeMap({ pk: STATE_KEYS.groupPk(groupName), sk: this.sk }),
          ConditionExpression: 'holder = :holder',
          ExpressionAttributeValues: toAttributeMap({ ':holder': holder }),
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return;
      throw translateAwsError(error, DEPENDENCY, 'DeleteItem');
    }
  }

  /** The lease in force at `nowMs`, if any. */
  async get(groupName: string, nowMs: number): Promise<GroupLease | undefined> {
    const item = await getItem(this.client, this.tableName, {
      pk: STATE_KEYS.groupPk(groupName),
      sk: this.sk,
    });
    if (!item || typeof item.expiresAtMs !== 'number' || item.expiresAtMs <= nowMs) return undefined;
    return {
      groupName,
      holder: String(item.holder),
      acquiredAtMs: Number(item.acquiredAtMs),
      expiresAtMs: item.expiresAtMs,
    };
  }
}
