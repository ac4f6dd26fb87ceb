import { type DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { UPDATE_PLAN_KEYS as K } from '../contracts/update-plan';
import type { PlanCancelRequest, PlanLock, UpdatePlanStore } from '../ports/update-plan-store';
import { toAttributeMap } from './dynamo-db-attributes';
import { DynamoDbGroupLock, isConditionFailure } from './dynamo-db-group-lock';
import { getItem } from './dynamo-db-item';
import { translateAwsError } from './translate-aws-error';

const DEPENDENCY = 'DynamoDB';

/**
 * `UpdatePlanStore` on Prescale's state table: a member group's plan lock is `GROUP#<name>` /
 * `PLAN` (beside the group's `LOCK`), a plan's record is `PLAN#<name>` / `RECORD`, written by the
 * plan workflow, and carries the cancel request. Reads are strongly consistent: the lock protocol
 * (write own lock, then read the others) depends on it.
 */
export class DynamoDbUpdatePlanStore implements UpdatePlanStore {
  private readonly lock: DynamoDbGroupLock;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.lock = new DynamoDbGroupLock(client, tableName, K.planLockSk);
  }

  async acquirePlanLock(lock: PlanLock): Promise<boolean> {
    return this.lock.acquire(lock);
  }

  async releasePlanLock(groupName: string, holder: string): Promise<void> {
    await this.lock.release(groupName, holder);
  }

  async getPlanLock(groupName: string, nowMs: number): Promise<PlanLock | undefined> {
    return this.lock.get(groupName, nowMs);
  }

  async requestCancel(planName: string, request: PlanCancelRequest): Promise<'requested' | 'not-found'> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: toAttributeMap({ pk: K.planPk(planName), sk: K.recordSk }),
          UpdateExpression: 'SET cancelReason = :reason, cancelRequestedAtMs = :at',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: toAttributeMap({
            ':reason': request.reason,
            ':at': request.requestedAtMs,
          }),
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

  private get(pk: string, sk: string): Promise<Record<string, unknown> | undefined> {
    return getItem(this.client, this.tableName, { pk, sk });
  }
}
