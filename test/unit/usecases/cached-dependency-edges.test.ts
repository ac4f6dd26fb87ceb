import { parseConfig } from '../../../shared/contracts/parse-config';
import { userConfigSchema } from '../../../shared/contracts/user-config';
import { jsonBytes } from '../../../shared/core/update-plan/within-bytes';
import {
  type DependencyDiscovery,
  DiscoveryDeadlineError,
  STORED_DISCOVERY_EDGES_MAX_BYTES,
} from '../../../shared/ports/dependency-discovery';
import {
  cachedDependencyEdges,
  FAILED_DISCOVERY_RETRY_MS,
} from '../../../shared/usecases/cached-dependency-edges';
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

  it('stores the most called edges within what the store holds, in their order, and says how many it left out', async () => {
    // 1,500 edges between 255-character names: ~830 KB as JSON, past DynamoDB's 400 KB item.
    const name = (i: number) => `${'s'.repeat(251)}${String(i).padStart(4, '0')}`;
    const all = Array.from({ length: 1_500 }, (_, i) => ({
      from: name(i),
      to: name(i + 1),
      requestCount: i,
    }));
    expect(jsonBytes(all)).toBeGreaterThan(400 * 1024);
    const store = new MemoryDiscoveredDependencyStore();
    const resolved: ResolvedDependencyEdges[] = [];
    const edges = cachedDependencyEdges(
      {
        discovery: { discoverDependencies: async () => ({ edges: all, unmappedServices: [] }) },
        clock,
        discoveredDependencies: store,
      },
      config.dependencies,
      { onResolved: (r) => resolved.push(r) },
    );
    await edges();
    const stored = store.stored?.edges ?? [];
    expect(jsonBytes(stored)).toBeLessThanOrEqual(STORED_DISCOVERY_EDGES_MAX_BYTES);
    expect(stored.length).toBeGreaterThan(500);
    // The least called are the ones left out; the rest keep X-Ray's order.
    expect(stored).toEqual(all.slice(all.length - stored.length));
    expect(resolved[0]?.notes).toContain(
      `X-Ray discovery stored for updates without its ${1_500 - stored.length} least called edge(s) of 1500: the rest fill the 300 KiB the store holds`,
    );
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

describe('cachedDependencyEdges, when discovery fails', () => {
  const T0 = Date.parse('2026-03-02T01:00:00Z');
  const seen = { from: 'api', to: 'db', requestCount: 500 };

  /** A discovery that answers `seen` until `failing` is set, then throws as X-Ray's throttling does. */
  function flaky() {
    const state = { failing: false, calls: 0 };
    const discovery: DependencyDiscovery = {
      discoverDependencies: async () => {
        state.calls += 1;
        if (state.failing) throw new Error('X-Ray GetServiceGraph failed transiently; retry later');
        return { edges: [seen], unmappedServices: [] };
      },
    };
    return { state, discovery };
  }

  it('keeps its last discovered edges, says so, and asks X-Ray again after five minutes', async () => {
    let nowMs = T0;
    const { state, discovery } = flaky();
    const resolved: ResolvedDependencyEdges[] = [];
    const edges = cachedDependencyEdges({ discovery, clock: { nowMs: () => nowMs } }, config.dependencies, {
      onResolved: (r) => resolved.push(r),
    });
    const withDiscovered = [{ from: 'web', to: 'api' }, expect.objectContaining({ from: 'api', to: 'db' })];
    expect(await edges()).toEqual(withDiscovered);
    nowMs = T0 + HOUR_MS + 1;
    state.failing = true;
    expect(await edges()).toEqual(withDiscovered);
    expect(resolved[1]?.notes).toEqual([
      'X-Ray discovery failed: X-Ray GetServiceGraph failed transiently; retry later',
      'kept the X-Ray discovery of 2026-03-02T01:00:00.000Z (60 min old); X-Ray is asked again in 5 min',
    ]);
    state.failing = false;
    nowMs += FAILED_DISCOVERY_RETRY_MS + 1;
    await edges();
    expect(state.calls).toBe(3);
    expect(FAILED_DISCOVERY_RETRY_MS).toBe(5 * 60_000);
  });

  it('keeps the stored discovery in a container that has not discovered, while it is at most a day old', async () => {
    const { state, discovery } = flaky();
    state.failing = true;
    const stored = new MemoryDiscoveredDependencyStore({ discoveredAtMs: T0 - 23 * HOUR_MS, edges: [seen] });
    const fresh = cachedDependencyEdges(
      { discovery, clock: { nowMs: () => T0 }, discoveredDependencies: stored },
      config.dependencies,
    );
    expect(await fresh()).toEqual([
      { from: 'web', to: 'api' },
      expect.objectContaining({ from: 'api', to: 'db' }),
    ]);
    expect(stored.stored?.discoveredAtMs).toBe(T0 - 23 * HOUR_MS);

    const resolved: ResolvedDependencyEdges[] = [];
    const old = new MemoryDiscoveredDependencyStore({ discoveredAtMs: T0 - 25 * HOUR_MS, edges: [seen] });
    const stale = cachedDependencyEdges(
      { discovery, clock: { nowMs: () => T0 }, discoveredDependencies: old },
      config.dependencies,
      { onResolved: (r) => resolved.push(r) },
    );
    expect(await stale()).toEqual([{ from: 'web', to: 'api' }]);
    expect(resolved[0]?.notes).toContain(
      'no X-Ray discovery from the last 24 h to keep: declared dependency edges only; X-Ray is asked again in 5 min',
    );
  });

  it('gives discovery the deadline it is called with, and falls back when it passes', async () => {
    const signals: (AbortSignal | undefined)[] = [];
    const slow: DependencyDiscovery = {
      discoverDependencies: async (_window, options) => {
        signals.push(options?.signal);
        if (options?.signal?.aborted) throw new DiscoveryDeadlineError(0, 4);
        return { edges: [seen], unmappedServices: [] };
      },
    };
    const edges = cachedDependencyEdges({ discovery: slow, clock: { nowMs: () => T0 } }, config.dependencies);
    const aborted = AbortSignal.abort();
    expect(await edges({ signal: aborted })).toEqual([{ from: 'web', to: 'api' }]);
    expect(signals).toEqual([aborted]);
  });
});
