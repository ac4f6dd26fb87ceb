import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { fromAttributeMap, toAttributeMap } from './dynamo-db-attributes';
import { translateAwsError } from './translate-aws-error';

const DEPENDENCY = 'DynamoDB';

/**
 * The item at `key` in `tableName` as plain values, or undefined when there is none. Strongly
 * consistent unless asked otherwise: the state a run acts on must include the write just before it.
 */
export async function getItem(
  client: DynamoDBClient,
  tableName: string,
  key: Record<string, unknown>,
  { consistentRead = true }: { readonly consistentRead?: boolean } = {},
): Promise<Record<string, unknown> | undefined> {
  try {
    const out = await client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: toAttributeMap(key),
        ...(consistentRead ? { ConsistentRead: true } : {}),
      }),
    );
    return out.Item && fromAttributeMap(out.Item);
  } catch (error) {
    throw translateAwsError(error, DEPENDENCY, 'GetItem');
  }
}

/** Writes `item` whole to `tableName`, replacing any item with its key. */
export async function putItem(
  client: DynamoDBClient,
  tableName: string,
  item: Record<string, unknown>,
): Promise<void> {
  try {
    await client.send(new PutItemCommand({ TableName: tableName, Item: toAttributeMap(item) }));
  } catch (error) {
    throw translateAwsError(error, DEPENDENCY, 'PutItem');
  }
}
