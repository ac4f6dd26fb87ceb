import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { DynamoDbPriceCache } from '../../shared/aws/dynamo-db-price-cache';
import type { DatedPriceList, PriceCache } from '../../shared/ports/price-catalog';
import { InMemoryPriceCache } from '../fakes/pricing/in-memory-price-cache';
import { type LocalDynamoDb, startDynalite } from '../helpers/start-dynalite';

const T0 = Date.UTC(2026, 10, 22);

const list = (region: string, fetchedAtMs: number, price = 0.0816): DatedPriceList => ({
  region,
  operatingSystem: 'Linux',
  hourlyPriceUsdByType: { 'm7g.large': price, 'c7g.xlarge': 0.145 },
  skippedEntries: 2,
  fetchedAtMs,
});

let dynamo: LocalDynamoDb;
/** The clock every cache of the suite reads; a test moves it. */
let nowMs = T0;
const clock = { nowMs: () => nowMs };
beforeEach(() => {
  nowMs = T0;
});
beforeAll(async () => {
  dynamo = await startDynalite('prescale-price-cache');
});
afterAll(async () => {
  await dynamo.stop();
});

describe.each([
  ['InMemoryPriceCache', () => new InMemoryPriceCache(clock) as PriceCache],
  [
    'DynamoDbPriceCache on dynalite',
    () => new DynamoDbPriceCache(dynamo.client, dynamo.tableName, clock) as PriceCache,
  ],
])('PriceCache contract: %s', (_name, make) => {
  let cache: PriceCache;
  let region: string;
  let n = 0;
  beforeEach(() => {
    cache = make();
    region = `xx-test-${n++}`;
  });

  it('returns nothing before anything was cached', async () => {
    expect(await cache.get(region, 'Linux')).toBeUndefined();
  });

  it('returns the list as it was put, with its fetch time', async () => {
    await cache.put(list(region, T0), T0 + 30 * 86_400_000);
    expect(await cache.get(region, 'Linux')).toEqual(list(region, T0));
  });

  it('keeps one list per region and operating system, the latest put winning', async () => {
    await cache.put(list(region, T0), T0 + 1e9);
    await cache.put(list(region, T0 + 3_600_000, 0.09), T0 + 1e9);
    expect(await cache.get(region, 'Linux')).toEqual(list(region, T0 + 3_600_000, 0.09));
    expect(await cache.get(region, 'Windows')).toBeUndefined();
  });

  it('returns nothing from the expiry on, though TTL deletion may not have removed the item yet', async () => {
    const expiresAtMs = T0 + 30 * 86_400_000;
    await cache.put(list(region, T0), expiresAtMs);
    nowMs = expiresAtMs - 1000;
    expect(await cache.get(region, 'Linux')).toEqual(list(region, T0));
    nowMs = expiresAtMs;
    expect(await cache.get(region, 'Linux')).toBeUndefined();
    nowMs = expiresAtMs + 3 * 86_400_000;
    expect(await cache.get(region, 'Linux')).toBeUndefined();
  });
});

describe('DynamoDbPriceCache', () => {
  it('writes pk PRICES#<region>#<os>, sk CATALOG and expiresAt in epoch seconds', async () => {
    const cache = new DynamoDbPriceCache(dynamo.client, dynamo.tableName, clock);
    await cache.put(list('eu-west-1', T0), T0 + 1500);
    const out = await dynamo.client.send(
      new GetItemCommand({
        TableName: dynamo.tableName,
        Key: { pk: { S: 'PRICES#eu-west-1#Linux' }, sk: { S: 'CATALOG' } },
      }),
    );
    expect(unmarshall(out.Item ?? {})).toMatchObject({
      fetchedAtMs: T0,
      expiresAt: Math.ceil((T0 + 1500) / 1000),
    });
  });

  it('ignores a corrupt item instead of failing', async () => {
    const cache = new DynamoDbPriceCache(dynamo.client, dynamo.tableName, clock);
    await cache.put({ ...list('eu-south-9', T0), hourlyPriceUsdByType: { 'm7g.large': -1 } }, T0 + 1e9);
    expect(await cache.get('eu-south-9', 'Linux')).toBeUndefined();
  });

  it('translates a missing table into a port error', async () => {
    const cache = new DynamoDbPriceCache(dynamo.client, 'no-such-table', clock);
    await expect(cache.get('eu-west-1', 'Linux')).rejects.toThrow(/DynamoDB GetItem|was not found|rejected/);
  });
});
