import { type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { STATE_KEYS } from '../contracts/state-keys';
import type { Clock } from '../ports/clock';
import type { DatedPriceList, PriceCache, PricedOperatingSystem } from '../ports/price-catalog';
import { toAttributeMap } from './dynamo-db-attributes';
import { getItem } from './dynamo-db-item';
import { translateAwsError } from './translate-aws-error';

const DEPENDENCY = 'DynamoDB';
const SORT_KEY = 'CATALOG';

/** Partition key of a region's cached price list: `PRICES#<region>#<os>`. */
export function priceCachePartitionKey(region: string, operatingSystem: string): string {
  return `PRICES#${region}#${operatingSystem}`;
}

/**
 * `PriceCache` on the state table: one item per region and OS (`pk` = `PRICES#<region>#<os>`,
 * `sk` = `CATALOG`) holding the prices as a map, `fetchedAtMs`, and `expiresAt` (epoch seconds, the
 * table's TTL). A list of ~900 types is ~25 KB, well under DynamoDB's 400 KB item limit. TTL
 * deletes an expired item only within days and reads return it until then, so an item whose
 * `expiresAt` has passed on `clock` is read as none.
 */
export class DynamoDbPriceCache implements PriceCache {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {}

  async get(region: string, operatingSystem: PricedOperatingSystem): Promise<DatedPriceList | undefined> {
    // A cached price list a second stale is as good: the eventually consistent read costs half.
    const item = await getItem(
      this.client,
      this.tableName,
      {
        [STATE_KEYS.partitionKey]: priceCachePartitionKey(region, operatingSystem),
        [STATE_KEYS.sortKey]: SORT_KEY,
      },
      { consistentRead: false },
    );
    if (!item) return undefined;
    const expiresAt = item[STATE_KEYS.ttl];
    if (typeof expiresAt === 'number' && expiresAt * 1000 <= this.clock.nowMs()) return undefined;
    const prices = item.hourlyPriceUsdByType;
    const fetchedAtMs = item.fetchedAtMs;
    if (typeof fetchedAtMs !== 'number' || typeof prices !== 'object' || prices === null) return undefined;
    const hourlyPriceUsdByType: Record<string, number> = {};
    for (const [type, price] of Object.entries(prices as Record<string, unknown>)) {
      if (typeof price === 'number' && Number.isFinite(price) && price > 0)
        hourlyPriceUsdByType[type] = price;
    }
    if (Object.keys(hourlyPriceUsdByType).length === 0) return undefined;
    return {
      region,
      operatingSystem,
      hourlyPriceUsdByType,
      skippedEntries: typeof item.skippedEntries === 'number' ? item.skippedEntries : 0,
      fetchedAtMs,
    };
  }

  async put(list: DatedPriceList, expiresAtMs: number): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toAttributeMap({
            [STATE_KEYS.partitionKey]: priceCachePartitionKey(list.region, list.operatingSystem),
            [STATE_KEYS.sortKey]: SORT_KEY,
            region: list.region,
            operatingSystem: list.operatingSystem,
            hourlyPriceUsdByType: list.hourlyPriceUsdByType,
            skippedEntries: list.skippedEntries,
            fetchedAtMs: list.fetchedAtMs,
            [STATE_KEYS.ttl]: Math.ceil(expiresAtMs / 1000),
          }),
        }),
      );
    } catch (error) {
      throw translateAwsError(error, DEPENDENCY, 'PutItem');
    }
  }
}
