import { parseConfig } from '../../../shared/contracts/parse-config';
import { userConfigSchema } from '../../../shared/contracts/user-config';
import type { DependencyDiscovery } from '../../../shared/ports/dependency-discovery';
import { cachedDependencyEdges } from '../../../shared/usecases/cached-dependency-edges';
import type { ResolvedDependencyEdges } from '../../../shared/usecases/resolve-dependency-edges';
import { MemoryDiscoveredDependencyStore } from '../../fakes/memory-discovered-dependency-store';

const HOUR_MS = 3_600_000;

const config = parseConfig(
  userConfigSchema,
  {
    groups: { names: ['web', 'api'] },
    dependencies: {
      edges: [{ from: 'web', to: 'api' }],
      xray: { enabled: true, serviceToGroup: { 'web-frontend': 'web' } },
    },
  },
  'test',
);

describe('cachedDependencyEdges', () => {
  it('discovers again only once the last result is older than the TTL', async () => {
    let nowMs = 0;
    let discoveries = 0;
    const discovery: DependencyDiscovery = {
      discoverDependencies: async () => {
        discoveries += 1;
        return { edges: [], unmappedServices: [] };
      },
    };
    const resolved: unknown[] = [];
    const edges = cachedDependencyEdges({ discovery, clock: { nowMs: () => nowMs } }, config.dependencies, {
      onResolved: (r) => resolved.push(r),
    });
    await edges();
    nowMs = HOUR_MS;
    await edges();
    expect(discoveries).toBe(1);
    nowMs = HOUR_MS + 1;
    expect(await edges()).toEqual([{ from: 'web', to: 'api' }]);
    expect(discoveries).toBe(2);
    expect(resolved).toHaveLength(2);
  });
});

describe('cachedDependencyEdges, sharing what X-Ray answered', () => {
  const T0 = Date.parse('2026-03-02T01:00:00Z');
  const clock = { nowMs: () => T0 };
  // X-Ray shows api calling web: the reverse of the declared edge, so the loop cannot use it.
  const reversed = { from: 'api', to: 'web', requestCount: 12 };
  const answering: DependencyDiscovery = {
    discoverDependencies: async () => ({ edges: [reversed], unmappedServices: [] }),
  };

  it('stores each discovery, as X-Ray answered it, for the update paths, expiring after a day', async () => {
    const store = new MemoryDiscoveredDependencyStore();
    const edges = cachedDependencyEdges(
      { discovery: answering, clock, discoveredDependencies: store },
      config.dependencies,
    );
    expect(await edges()).toEqual([{ from: 'web', to: 'api' }]);
    expect(store.stored).toEqual({ discoveredAtMs: T0, edges: [reversed] });
    expect(store.expiresAtMs).toBe(T0 + 24 * HOUR_MS);
  });

  it('stores nothing when discovery failed, and goes on scaling when the store fails, with a note', async () => {
    const store = new MemoryDiscoveredDependencyStore();
    const failing: DependencyDiscovery = {
      discoverDependencies: async () => Promise.reject(new Error('throttled')),
    };
    await cachedDependencyEdges(
      { discovery: failing, clock, discoveredDependencies: store },
      config.dependencies,
    )();
    expect(store.stored).toBeUndefined();

    const resolved: ResolvedDependencyEdges[] = [];
    const broken = { putDiscovery: async () => Promise.reject(new Error('Rate exceeded')) };
    const edges = cachedDependencyEdges(
      { discovery: answering, clock, discoveredDependencies: broken },
      config.dependencies,
      { onResolved: (r) => resolved.push(r) },
    );
    expect(await edges()).toEqual([{ from: 'web', to: 'api' }]);
    expect(resolved[0]?.notes).toContain('X-Ray discovery not stored for updates: Rate exceeded');
  });
});
