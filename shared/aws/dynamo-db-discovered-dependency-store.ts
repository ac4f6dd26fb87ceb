import { type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { STATE_KEYS as K } from '../contracts/state-keys';
import type {
  DiscoveredDependency,
  DiscoveredDependencyStore,
  StoredDependencyDiscovery,
} from '../ports/dependency-discovery';
import { toAttributeMap } from './dynamo-db-attributes';
import { getItem } from './dynamo-db-item';
import { translateAwsError } from './translate-aws-error';

/** The key of the one item that holds the discovery. */
export const DISCOVERED_DEPENDENCIES_KEY = {
  [K.partitionKey]: K.discoveredDependenciesPk,
  [K.sortKey]: K.discoveredDependenciesSk,
} as const;

/**
 * `DiscoveredDependencyStore` on the state table: one item (`pk` = `DEPENDENCIES`, `sk` =
 * `DISCOVERED`) holding `discoveredAtMs`, `edges` (a list of `{ from, to, requestCount }`) and
 * `expiresAt` (epoch seconds, the table's TTL). Its writers keep the edges within
 * `STORED_DISCOVERY_EDGES_MAX_BYTES` of JSON, under DynamoDB's 400 KB item limit.
 */
export class DynamoDbDiscoveredDependencyStore implements DiscoveredDependencyStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /**
   * Replaces the stored discovery only with a newer one (`discoveredAtMs`), in one conditional
   * write: workers discover concurrently, and one that read X-Ray earlier but writes later must not
   * put its older graph back. A discovery no newer than the stored one is left out, which is a success.
   */
  async putDiscovery(discovery: StoredDependencyDiscovery, expiresAtMs: number): Promise<void> {
    const item = {
      ...DISCOVERED_DEPENDENCIES_KEY,
      discoveredAtMs: discovery.discoveredAtMs,
      edges: discovery.edges.map(({ from, to, requestCount }) => ({ from, to, requestCount })),
      [K.ttl]: Math.ceil(expiresAtMs / 1000),
    };
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toAttributeMap(item),
          ConditionExpression: 'attribute_not_exists(discoveredAtMs) OR discoveredAtMs < :discoveredAtMs',
          ExpressionAttributeValues: toAttributeMap({ ':discoveredAtMs': discovery.discoveredAtMs }),
        }),
      );
    } catch (error) {
      if ((error as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException') return;
      throw translateAwsError(error, 'DynamoDB', 'PutItem');
    }
  }

  async getDiscovery(): Promise<StoredDependencyDiscovery | undefined> {
    // Written hourly and used for hours: an eventually consistent read costs half.
    const item = await getItem(this.client, this.tableName, DISCOVERED_DEPENDENCIES_KEY, {
      consistentRead: false,
    });
    return discoveryFromItem(item);
  }
}

/** The discovery an item holds, or undefined when there is none or it is not one (its bad edges dropped). */
function discoveryFromItem(item: Record<string, unknown> | undefined): StoredDependencyDiscovery | undefined {
  if (!item || typeof item.discoveredAtMs !== 'number' || !Array.isArray(item.edges)) return undefined;
  return { discoveredAtMs: item.discoveredAtMs, edges: item.edges.filter(isDiscoveredDependency) };
}

function isDiscoveredDependency(value: unknown): value is DiscoveredDependency {
  const edge = value as Partial<Record<keyof DiscoveredDependency, unknown>> | null;
  return (
    typeof edge?.from === 'string' &&
    typeof edge.to === 'string' &&
    typeof edge.requestCount === 'number' &&
    Number.isFinite(edge.requestCount)
  );
}
