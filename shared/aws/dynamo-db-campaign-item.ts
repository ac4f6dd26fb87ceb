import { type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CAMPAIGN_KEYS as C } from '../contracts/campaign-keys';
import type { CampaignTombstone, StoredCampaign } from '../ports/campaign-store';
import { toAttributeMap } from './dynamo-db-attributes';
import { getItem } from './dynamo-db-item';
import { translateAwsError } from './translate-aws-error';

const DEPENDENCY = 'DynamoDB';

export function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string })?.name === 'ConditionalCheckFailedException';
}

/**
 * The campaign item (`CAMPAIGN#<id>` / `CAMPAIGN`) as read: the campaign, the tombstone a cancel
 * arriving before it left (with its revision, the count of writes to it, for the conditional write
 * that replaces it), or nothing.
 */
export type CampaignItem =
  | { readonly kind: 'campaign'; readonly campaign: StoredCampaign }
  | { readonly kind: 'tombstone'; readonly tombstone: CampaignTombstone; readonly revision: number }
  | { readonly kind: 'absent' };

export async function readCampaignItem(
  client: DynamoDBClient,
  tableName: string,
  campaignId: string,
): Promise<CampaignItem> {
  const item = await getItem(client, tableName, { pk: C.campaignPk(campaignId), sk: C.campaignSk });
  if (item?.campaign) return { kind: 'campaign', campaign: item.campaign as StoredCampaign };
  if (item?.tombstone) {
    return {
      kind: 'tombstone',
      tombstone: item.tombstone as CampaignTombstone,
      revision: item.revision as number,
    };
  }
  return { kind: 'absent' };
}

/**
 * Puts `item` (the campaign item, a campaign or a tombstone) on condition that the item is still
 * as `read`: absent, or the same tombstone revision (a campaign item has none). False when it is not.
 */
export async function putIfUnchanged(
  client: DynamoDBClient,
  tableName: string,
  item: Record<string, unknown>,
  read: Exclude<CampaignItem, { kind: 'campaign' }>,
): Promise<boolean> {
  const condition =
    read.kind === 'absent'
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : {
          ConditionExpression: 'revision = :revision',
          ExpressionAttributeValues: toAttributeMap({ ':revision': read.revision }),
        };
  try {
    await client.send(new PutItemCommand({ TableName: tableName, Item: toAttributeMap(item), ...condition }));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw translateAwsError(error, DEPENDENCY, 'PutItem');
  }
}
