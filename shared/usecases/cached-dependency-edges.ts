import type { UserConfig } from '../contracts/user-config';
import type { DependencyEdge } from '../core/dependencies/types';
import type { Clock } from '../ports/clock';
import type { DependencyDiscovery } from '../ports/dependency-discovery';
import { type ResolvedDependencyEdges, resolveDependencyEdges } from './resolve-dependency-edges';

/** The service graph changes slowly: one discovery per warm container per hour is plenty. */
export const DEPENDENCY_EDGES_TTL_MS = 3600_000;

/**
 * `resolveDependencyEdges`, remembered for `ttlMs` of `deps.clock` time (default
 * `DEPENDENCY_EDGES_TTL_MS`): the returned function resolves again only once the last result is
 * older than that. `onResolved` sees every fresh resolution (to log its notes).
 */
export function cachedDependencyEdges(
  deps: { readonly discovery?: DependencyDiscovery; readonly clock: Clock },
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
      const resolved = await resolveDependencyEdges(deps, config);
      options.onResolved?.(resolved);
      cache = { atMs: nowMs, edges: resolved.edges };
    }
    return cache.edges;
  };
}
