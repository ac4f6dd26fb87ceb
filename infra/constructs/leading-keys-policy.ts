import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';

/** What a statement of `leadingKeysStatement` grants: its id, its actions, and the items it reaches. */
export interface LeadingKeysGrant {
  readonly sid: string;
  /** DynamoDB item actions whose requests carry `dynamodb:LeadingKeys` (GetItem, PutItem, UpdateItem, …). */
  readonly actions: readonly string[];
  /** The start every partition key the actions may name has (`PLAN#`, `CAMPAIGN#`), without a wildcard. */
  readonly partitionKeyPrefix: string;
}

/**
 * `actions` on `table`'s items whose partition key starts with `partitionKeyPrefix`, and on no
 * other item: `ForAllValues:StringLike` on `dynamodb:LeadingKeys`, the partition key values a
 * request names (a GetItem or UpdateItem names one).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
 * @throws Error when the prefix is empty or holds a wildcard (it would widen the grant).
 */
export function leadingKeysStatement(table: dynamodb.ITableV2, grant: LeadingKeysGrant): iam.PolicyStatement {
  const { sid, actions, partitionKeyPrefix } = grant;
  if (partitionKeyPrefix === '' || /[*?]/.test(partitionKeyPrefix))
    throw new Error(
      `${sid}: partitionKeyPrefix must be a non-empty literal start of a partition key, got ${JSON.stringify(partitionKeyPrefix)}`,
    );
  const nonItem = actions.filter((a) => !a.startsWith('dynamodb:'));
  if (actions.length === 0 || nonItem.length > 0)
    throw new Error(`${sid}: actions must be DynamoDB actions, got ${JSON.stringify(actions)}`);
  return new iam.PolicyStatement({
    sid,
    actions: [...actions],
    resources: [table.tableArn],
    conditions: {
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${partitionKeyPrefix}*`] },
    },
  });
}
