import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { STATE_KEYS as K } from '../contracts/state-keys';
import { RejectedRequestError } from '../ports/errors';
import type { RolloutRecords, StartedRollout } from '../ports/rollout-records';
import { getItem, putItem } from './dynamo-db-item';

/**
 * `RolloutRecords` on the state table: one item per group (`pk` = `GROUP#<name>`, `sk` =
 * `INSTANCE-TYPE-ROLLOUT`) with the execution's ARN, the run that started it and its expiry (also the table's TTL,
 * which deletes only within days: an expired item is read as none).
 */
export class DynamoDbRolloutRecords implements RolloutRecords {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async recordRollout(groupName: string, rollout: StartedRollout, expiresAtMs: number): Promise<void> {
    await putItem(this.client, this.tableName, {
      pk: K.groupPk(groupName),
      sk: K.instanceTypeRolloutSk,
      executionArn: rollout.executionArn,
      runTimeMs: rollout.runTimeMs,
      ...(rollout.instanceType !== undefined ? { instanceType: rollout.instanceType } : {}),
      expiresAtMs,
      [K.ttl]: Math.ceil(expiresAtMs / 1000),
    });
  }

  /** @throws RejectedRequestError when the item is not a rollout this adapter wrote. */
  async lastRollout(groupName: string, nowMs: number): Promise<StartedRollout | undefined> {
    const item = await getItem(this.client, this.tableName, {
      pk: K.groupPk(groupName),
      sk: K.instanceTypeRolloutSk,
    });
    if (!item) return undefined;
    const { executionArn, runTimeMs, expiresAtMs, instanceType } = item;
    if (typeof executionArn !== 'string' || typeof runTimeMs !== 'number' || typeof expiresAtMs !== 'number')
      // Unreadable: a second rollout must not start on the guess that none is waiting.
      throw new RejectedRequestError(
        'DynamoDB',
        'GetItem',
        `the rollout record of ${groupName} is malformed`,
      );
    if (expiresAtMs <= nowMs) return undefined;
    return { executionArn, runTimeMs, ...(typeof instanceType === 'string' ? { instanceType } : {}) };
  }
}
