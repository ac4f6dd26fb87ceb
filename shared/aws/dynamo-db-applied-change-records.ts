import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { STATE_KEYS as K } from '../contracts/state-keys';
import type { AppliedInstanceTypeChange, AppliedTypes } from '../core/pricing/reverted-change';
import type { AppliedChangeRecords } from '../ports/applied-change-records';
import { RejectedRequestError } from '../ports/errors';
import { getItem, putItem } from './dynamo-db-item';

/** The side of a change as stored, or undefined when the attribute is not one. */
function typesOf(value: unknown): AppliedTypes | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const { instanceTypes, launchTemplateVersion } = value as Record<string, unknown>;
  if (!Array.isArray(instanceTypes) || !instanceTypes.every((t) => typeof t === 'string')) return undefined;
  if (launchTemplateVersion !== undefined && typeof launchTemplateVersion !== 'number') return undefined;
  return { instanceTypes, ...(launchTemplateVersion !== undefined ? { launchTemplateVersion } : {}) };
}

/**
 * `AppliedChangeRecords` on the state table: one item per group (`pk` = `GROUP#<name>`, `sk` =
 * `APPLIED-INSTANCE-TYPES`) with the change's kind, run time, `from` and `to` (each its types and,
 * for a single-type group, its launch template version), the template and the rollout's execution
 * ARN. It has no TTL: the owner's revert may come with a deploy months after the change.
 */
export class DynamoDbAppliedChangeRecords implements AppliedChangeRecords {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async recordApplied(groupName: string, change: AppliedInstanceTypeChange): Promise<void> {
    await putItem(this.client, this.tableName, {
      pk: K.groupPk(groupName),
      sk: K.appliedInstanceTypesSk,
      ...change,
    });
  }

  /** @throws RejectedRequestError when the item is not a change this adapter wrote. */
  async lastApplied(groupName: string): Promise<AppliedInstanceTypeChange | undefined> {
    const item = await getItem(this.client, this.tableName, {
      pk: K.groupPk(groupName),
      sk: K.appliedInstanceTypesSk,
    });
    if (!item) return undefined;
    const { kind, appliedAtMs, launchTemplateId, executionArn } = item;
    const from = typesOf(item.from);
    const to = typesOf(item.to);
    if (
      (kind !== 'overrides' && kind !== 'launch-template-version') ||
      typeof appliedAtMs !== 'number' ||
      !from ||
      !to ||
      (launchTemplateId !== undefined && typeof launchTemplateId !== 'string') ||
      (executionArn !== undefined && typeof executionArn !== 'string')
    )
      // Unreadable: read as none, a change the owner reverted would be applied again.
      throw new RejectedRequestError(
        'DynamoDB',
        'GetItem',
        `the applied-change record of ${groupName} is malformed: expected kind 'overrides' or 'launch-template-version', a numeric appliedAtMs and from/to with instanceTypes (strings)`,
      );
    return {
      kind,
      appliedAtMs,
      from,
      to,
      ...(launchTemplateId !== undefined ? { launchTemplateId } : {}),
      ...(executionArn !== undefined ? { executionArn } : {}),
    };
  }
}
