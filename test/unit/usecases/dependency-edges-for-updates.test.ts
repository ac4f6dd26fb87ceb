import { dependencyConfigSchema } from '../../../shared/contracts/dependency-config';
import type { StoredDependencyDiscovery } from '../../../shared/ports/dependency-discovery';
import {
  DISCOVERED_EDGES_MAX_AGE_MS,
  dependencyEdgesForUpdates,
} from '../../../shared/usecases/dependency-edges-for-updates';
import { MemoryDiscoveredDependencyStore } from '../../fakes/memory-discovered-dependency-store';

const NOW = Date.parse('2026-03-02T01:00:00Z');
const HOUR_MS = 3_600_000;
const dependencies = (xray: boolean, minRequestCount = 1) =>
  dependencyConfigSchema.parse({
    edges: [{ from: 'api', to: 'db' }],
    ...(xray
      ? { xray: { enabled: true, serviceToGroup: { web: 'web', api: 'api', db: 'db' }, minRequestCount } }
      : {}),
  });
const discovered = (
  edges: StoredDependencyDiscovery['edges'],
  ageMs = HOUR_MS,
): MemoryDiscoveredDependencyStore =>
  new MemoryDiscoveredDependencyStore({ discoveredAtMs: NOW - ageMs, edges });
const resolve = (store: MemoryDiscoveredDependencyStore, xray = true) =>
  dependencyEdgesForUpdates({ discoveredDependencies: store }, dependencies(xray), NOW);

describe('dependencyEdgesForUpdates', () => {
  it('adds the stored discovered edges to the declared ones, telling which only X-Ray shows', async () => {
    const result = await resolve(
      discovered([
        { from: 'web', to: 'api', requestCount: 900 },
        { from: 'api', to: 'db', requestCount: 40 },
      ]),
    );
    expect(result).toEqual({
      edges: [
        { from: 'api', to: 'db', requestCount: 40 },
        { from: 'web', to: 'api', requestCount: 900 },
      ],
      discovered: [{ from: 'web', to: 'api', requestCount: 900 }],
      source: 'declared+discovered',
      notes: [],
    });
  });

  it('uses a discovery up to its maximum age, and only the declared edges past it, saying why', async () => {
    const web = [{ from: 'web', to: 'api', requestCount: 9 }];
    expect((await resolve(discovered(web, DISCOVERED_EDGES_MAX_AGE_MS))).source).toBe('declared+discovered');
    expect((await resolve(discovered(web, DISCOVERED_EDGES_MAX_AGE_MS + 1))).source).toBe('declared');
    const stale = await resolve(discovered(web, 30 * HOUR_MS));
    expect(stale).toEqual({
      edges: [{ from: 'api', to: 'db' }],
      discovered: [],
      source: 'declared',
      notes: [
        'the X-Ray discovery stored at 2026-02-28T19:00:00.000Z is 30 h old, older than 24 h: declared dependency edges only',
      ],
    });
  });

  it('uses the declared edges when no discovery is stored yet, saying so', async () => {
    const result = await resolve(new MemoryDiscoveredDependencyStore());
    expect(result).toMatchObject({ edges: [{ from: 'api', to: 'db' }], discovered: [], source: 'declared' });
    expect(result.notes).toEqual([
      'no X-Ray discovery stored yet (the scaling loop stores one hourly): declared dependency edges only',
    ]);
  });

  it('reads nothing with X-Ray off', async () => {
    const store = discovered([{ from: 'web', to: 'api', requestCount: 9 }]);
    const result = await resolve(store, false);
    expect(result).toEqual({
      edges: [{ from: 'api', to: 'db' }],
      discovered: [],
      source: 'declared',
      notes: [],
    });
    expect(store.reads).toBe(0);
  });

  it('leaves out a discovered edge that reverses a declared one, is too rarely called, or closes a cycle, with a note each', async () => {
    const store = discovered([
      { from: 'db', to: 'api', requestCount: 5 },
      { from: 'db', to: 'web', requestCount: 1 },
      { from: 'web', to: 'api', requestCount: 7 },
    ]);
    const result = await dependencyEdgesForUpdates(
      { discoveredDependencies: store },
      dependencies(true, 2),
      NOW,
    );
    expect(result.edges).toEqual([
      { from: 'api', to: 'db' },
      { from: 'web', to: 'api', requestCount: 7 },
    ]);
    expect(result.notes).toEqual([
      'ignored discovered db → api: reverses the declared dependency api → db',
      'ignored discovered db → web: 1 request(s), fewer than 2',
    ]);
    const cyclic = await resolve(
      discovered([
        { from: 'db', to: 'web', requestCount: 3 },
        { from: 'web', to: 'api', requestCount: 7 },
      ]),
    );
    expect(cyclic.edges).toEqual([
      { from: 'api', to: 'db' },
      { from: 'db', to: 'web', requestCount: 3 },
    ]);
    expect(cyclic.notes).toEqual(['ignored discovered web → api: closes the cycle web → api → db → web']);
  });
});
