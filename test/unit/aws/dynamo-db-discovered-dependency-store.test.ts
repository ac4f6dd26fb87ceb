import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import {
  DISCOVERED_DEPENDENCIES_KEY,
  DynamoDbDiscoveredDependencyStore,
} from '../../../shared/aws/dynamo-db-discovered-dependency-store';
import { type LocalDynamoDb, startDynalite } from '../../helpers/start-dynalite';

const T0 = Date.UTC(2026, 5, 1, 10, 0, 0, 250);
const DAY_MS = 86_400_000;
const discovery = {
  discoveredAtMs: T0,
  edges: [
    { from: 'web', to: 'api', requestCount: 1200 },
    { from: 'api', to: 'db', requestCount: 40 },
  ],
};

let dynamo: LocalDynamoDb;
let store: DynamoDbDiscoveredDependencyStore;
beforeAll(async () => {
  dynamo = await startDynalite();
  store = new DynamoDbDiscoveredDependencyStore(dynamo.client, dynamo.tableName);
});
afterAll(async () => {
  await dynamo.stop();
});
/** The item as DynamoDB holds it (GetItem's whole answer). */
const rawItem = () =>
  dynamo.client.send(
    new GetItemCommand({ TableName: dynamo.tableName, Key: marshall(DISCOVERED_DEPENDENCIES_KEY) }),
  );

describe('DynamoDbDiscoveredDependencyStore on dynalite', () => {
  it('keeps the discovery in one item, DEPENDENCIES / DISCOVERED, expiring (TTL, epoch seconds) when asked', async () => {
    await store.putDiscovery(discovery, T0 + DAY_MS);
    const { Item } = await rawItem();
    expect(unmarshall(Item ?? {})).toEqual({
      pk: 'DEPENDENCIES',
      sk: 'DISCOVERED',
      discoveredAtMs: T0,
      edges: discovery.edges,
      expiresAt: Math.ceil((T0 + DAY_MS) / 1000),
    });
  });

  it('reads an item that is not a discovery as none, and drops edges that are not edges', async () => {
    const put = (item: Record<string, unknown>) =>
      dynamo.client.send(
        new PutItemCommand({
          TableName: dynamo.tableName,
          Item: marshall({ ...DISCOVERED_DEPENDENCIES_KEY, ...item }),
        }),
      );
    await put({ discoveredAtMs: String(T0), edges: discovery.edges });
    expect(await store.getDiscovery()).toBeUndefined();
    await put({ discoveredAtMs: T0, edges: [{ from: 'web' }, 'web → api', ...discovery.edges] });
    expect(await store.getDiscovery()).toEqual(discovery);
  });
});
