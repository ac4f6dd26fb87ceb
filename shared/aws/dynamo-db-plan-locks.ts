import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { STATE_KEYS } from '../contracts/state-keys';
import type { PlanLock, UpdatePlanStore } from '../ports/update-plan-store';
import { DynamoDbGroupLock } from './dynamo-db-group-lock';

/**
 * Update plans' holds on their groups (`GROUP#<name>` / `PLAN`), read as `DynamoDbUpdatePlanStore`
 * reads them, for a reader that needs nothing else of the plans: it bundles no plan contracts.
 */
export class DynamoDbPlanLocks implements Pick<UpdatePlanStore, 'getPlanLock'> {
  private readonly lock: DynamoDbGroupLock;

  constructor(client: DynamoDBClient, tableName: string) {
    this.lock = new DynamoDbGroupLock(client, tableName, STATE_KEYS.planLockSk);
  }

  /** The group's unexpired plan lock, read strongly consistent, if any. */
  getPlanLock(groupName: string, nowMs: number): Promise<PlanLock | undefined> {
    return this.lock.get(groupName, nowMs);
  }
}
