import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { STATE_KEYS } from '../contracts/state-keys';
import { UPDATE_PLAN_KEYS as K } from '../contracts/update-plan';
import type { PlanCancelRequest, PlanLock, UpdatePlanStore } from '../ports/update-plan-store';
import { translateAwsError } from './translate-aws-error';

const DEPENDENCY = 'DynamoDB';

function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string })?.name === 'ConditionalCheckFailedException';
}

/**
 * `UpdatePlanStore` on Prescale's state table: a member group's plan lock is `GROUP#<name>` /
 * `PLAN` (beside the group's `LOCK`), a plan's record is `PLAN#<name>` / `RECORD`, written by the
 * plan workflow, and carries the cancel request. Reads are strongly consistent: the lock protocol
 * (write own lock, then read the others) depends on it.
 */
export class DynamoDbUpdatePlanStore implements UpdatePlanStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async acquirePlanLock(lock: PlanLock): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: K.groupPk(lock.groupName),
            sk: K.planLockSk,
            holder: lock.holder,
            acquiredAtMs: lock.acquiredAtMs,
            expiresAtMs: lock.expiresAtMs,
            [STATE_KEYS.ttl]: Math.ceil(lock.expiresAtMs / 1000),
          },
          // Free, expired (TTL deletion lags by up to days), or already ours (a retried acquire).
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAtMs < :now OR holder = :holder',
          ExpressionAttributeValues: { ':now': lock.acquiredAtMs, ':holder': lock.holder },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw translateAwsError(error, DEPENDENCY, 'PutItem');
    }
  }

  async releasePlanLock(groupName: string, holder: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: K.groupPk(groupName), sk: K.planLockSk },
          ConditionExpression: 'holder = :holder',
          ExpressionAttributeValues: { ':holder': holder },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return;
      throw translateAwsError(error, DEPENDENCY, 'DeleteItem');
    }
  }

  async getPlanLock(groupName: string, nowMs: number): Promise<PlanLock | undefined> {
    const item = await this.get(K.groupPk(groupName), K.planLockSk);
    if (!item || typeof item.expiresAtMs !== 'number' || item.expiresAtMs <= nowMs) return undefined;
    return {
      groupName,
      holder: String(item.holder),
      acquiredAtMs: Number(item.acquiredAtMs),
      expiresAtMs: item.expiresAtMs,
    };
  }

  async requestCancel(planName: string, request: PlanCancelRequest): Promise<'requested' | 'not-found'> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: K.planPk(planName), sk: K.recordSk },
          UpdateExpression: 'SET cancelReason = :reason, cancelRequestedAtMs = :at',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':reason': request.reason, ':at': request.requestedAtMs },
        }),
      );
      return 'requested';
    } catch (error) {
      if (isConditionFailure(error)) return 'not-found';
      throw translateAwsError(error, DEPENDENCY, 'UpdateItem');
    }
  }

  async cancelRequest(planName: string): Promise<PlanCancelRequest | undefined> {
    const item = await this.get(K.planPk(planName), K.recordSk);
    if (!item || typeof item.cancelRequestedAtMs !== 'number') return undefined;
    return { reason: String(item.cancelReason), requestedAtMs: item.cancelRequestedAtMs };
  }

  private async get(pk: string, sk: string): Promise<Record<string, unknown> | undefined> {
    try {
      const out = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: { pk, sk }, ConsistentRead: true }),
      );
      return out.Item;
    } catch (error) {
      throw translateAwsError(error, DEPENDENCY, 'GetItem');
    }
  }
}
