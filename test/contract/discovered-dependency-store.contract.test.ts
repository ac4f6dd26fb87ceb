import { DynamoDbDiscoveredDependencyStore } from '../../shared/aws/dynamo-db-discovered-dependency-store';
import type { DiscoveredDependencyStore } from '../../shared/ports/dependency-discovery';
import { MemoryDiscoveredDependencyStore } from '../fakes/memory-discovered-dependency-store';
import { createStateTable, type LocalDynamoDb, startDynalite } from '../helpers/start-dynalite';

const T0 = Date.UTC(2026, 5, 1);
const DAY_MS = 86_400_000;

let dynamo: LocalDynamoDb;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.stop();
});

// Each case gets a table of its own: the store is one item per table.
let tables = 0;
describe.each([
  [
    'MemoryDiscoveredDependencyStore',
    async () => new MemoryDiscoveredDependencyStore() as DiscoveredDependencyStore,
  ],
  [
    'DynamoDbDiscoveredDependencyStore on dynalite',
    async () => {
      const table = `discovered-${tables++}`;
      await createStateTable(dynamo.client, table);
      return new DynamoDbDiscoveredDependencyStore(dynamo.client, table) as DiscoveredDependencyStore;
    },
  ],
])('DiscoveredDependencyStore contract: %s', (_name, make) => {
  it('has no discovery until one is put', async () => {
    expect(await (await make()).getDiscovery()).toBeUndefined();
  });

  it('returns the last discovery put, edges in order with their request counts', async () => {
    const store = await make();
    await store.putDiscovery(
      { discoveredAtMs: T0, edges: [{ from: 'web', to: 'api', requestCount: 1200 }] },
      T0 + DAY_MS,
    );
    const newer = {
      discoveredAtMs: T0 + 3_600_000,
      edges: [
        { from: 'web', to: 'api', requestCount: 1250 },
        { from: 'api', to: 'db', requestCount: 0.5 },
      ],
    };
    await store.putDiscovery(newer, T0 + 3_600_000 + DAY_MS);
    expect(await store.getDiscovery()).toEqual(newer);
  });

  it('keeps the newer discovery when an older one is put after it, and takes that as done', async () => {
    const store = await make();
    const newer = { discoveredAtMs: T0 + 3_600_000, edges: [{ from: 'web', to: 'api', requestCount: 9 }] };
    await store.putDiscovery(newer, T0 + 3_600_000 + DAY_MS);
    await expect(
      store.putDiscovery(
        { discoveredAtMs: T0, edges: [{ from: 'api', to: 'db', requestCount: 4 }] },
        T0 + DAY_MS,
      ),
    ).resolves.toBeUndefined();
    await store.putDiscovery({ discoveredAtMs: newer.discoveredAtMs, edges: [] }, T0 + DAY_MS);
    expect(await store.getDiscovery()).toEqual(newer);
  });

  it('keeps an empty discovery: X-Ray answered and showed no dependency', async () => {
    const store = await make();
    await store.putDiscovery({ discoveredAtMs: T0, edges: [] }, T0 + DAY_MS);
    expect(await store.getDiscovery()).toEqual({ discoveredAtMs: T0, edges: [] });
  });

  it('stores the edges only, not a load ratio an edge may carry', async () => {
    const store = await make();
    const edges = [{ from: 'web', to: 'api', requestCount: 3, loadRatio: 0.4 }];
    await store.putDiscovery({ discoveredAtMs: T0, edges }, T0 + DAY_MS);
    expect((await store.getDiscovery())?.edges).toEqual([{ from: 'web', to: 'api', requestCount: 3 }]);
  });
});
