import {
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { type AttributeMap, fromAttributeMap, toAttributeMap } from './dynamo-db-attributes';
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

/**
 * Every item `input` selects, page after page until DynamoDB returns no `LastEvaluatedKey` (a
 * Query page stops at 1 MB or `Limit`), each as `toValue` makes it of the plain item, in the
 * order of the pages.
 * @throws the port error of `translateAwsError` for a failed Query, and for whatever `toValue`
 * throws (as a failure of the Query).
 */
export async function queryEveryPage<T>(
  client: DynamoDBClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
  toValue: (item: Record<string, unknown>) => T,
): Promise<T[]> {
  const values: T[] = [];
  let ExclusiveStartKey: AttributeMap | undefined;
  try {
    do {
      const out = await client.send(
        new QueryCommand({ ...input, ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}) }),
      );
      for (const item of out.Items ?? []) values.push(toValue(fromAttributeMap(item)));
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  } catch (error) {
    throw translateAwsError(error, DEPENDENCY, 'Query');
  }
  return values;
}
