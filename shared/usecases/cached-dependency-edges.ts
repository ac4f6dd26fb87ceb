import type { UserConfig } from '../contracts/user-config';
import type { DependencyEdge } from '../core/dependencies/types';
import type { Clock } from '../ports/clock';
import type { DependencyDiscovery, DiscoveredDependencyStore } from '../ports/dependency-discovery';
import { DISCOVERED_EDGES_MAX_AGE_MS } from './dependency-edges-for-updates';
import { type ResolvedDependencyEdges, resolveDependencyEdges } from './resolve-dependency-edges';

/** The service graph changes slowly: one discovery per warm container per hour is plenty. */
export const DEPENDENCY_EDGES_TTL_MS = 3600_000;

/** What {@link cachedDependencyEdges} needs. */
export interface CachedDependencyEdgesDeps {
  readonly discovery?: DependencyDiscovery;
  readonly clock: Clock;
  /**
   * Where each successful discovery is shared with the update paths, which never discover
   * themselves (`dependencyEdgesForUpdates`). @default not shared
   */
  readonly discoveredDependencies?: Pick<DiscoveredDependencyStore, 'putDiscovery'>;
}

/**
 * `resolveDependencyEdges`, remembered for `ttlMs` of `deps.clock` time (default
 * `DEPENDENCY_EDGES_TTL_MS`): the returned function resolves again only once the last result is
 * older than that. Each resolution where X-Ray answered is stored in `deps.discoveredDependencies`
 * (expiring after `DISCOVERED_EDGES_MAX_AGE_MS`); a failed write is a note, never a failed run.
 * `onResolved` sees every fresh resolution (to log its notes).
 */
export function cachedDependencyEdges(
  deps: CachedDependencyEdgesDeps,
  config: UserConfig['dependencies'],
  options: {
    readonly ttlMs?: number;
    readonly onResolved?: (resolved: ResolvedDependencyEdges) => void;
  } = {},
): () => Promise<readonly DependencyEdge[]> {
  const ttlMs = options.ttlMs ?? DEPENDENCY_EDGES_TTL_MS;
  let cache: { atMs: number; edges: readonly DependencyEdge[] } | undefined;
  return async () => {
    const nowMs = deps.clock.nowMs();
    if (!cache || nowMs - cache.atMs > ttlMs) {
      const resolved = await storeDiscovery(deps, await resolveDependencyEdges(deps, config), nowMs);
      options.onResolved?.(resolved);
      cache = { atMs: nowMs, edges: resolved.edges };
    }
    return cache.edges;
  };
}

/** Stores what X-Ray answered, if it did; the resolution, with a note when that failed. */
async function storeDiscovery(
  deps: CachedDependencyEdgesDeps,
  resolved: ResolvedDependencyEdges,
  nowMs: number,
): Promise<ResolvedDependencyEdges> {
  if (!deps.discoveredDependencies || !resolved.discovered) return resolved;
  try {
    await deps.discoveredDependencies.putDiscovery(
      { discoveredAtMs: nowMs, edges: resolved.discovered },
      nowMs + DISCOVERED_EDGES_MAX_AGE_MS,
    );
    return resolved;
  } catch (error) {
    // Scaling goes on; the update paths use the last stored discovery while it is fresh enough.
    const note = `X-Ray discovery not stored for updates: ${(error as Error).message}`;
    return { ...resolved, notes: [...resolved.notes, note] };
  }
}
