import type { UserConfig } from '../contracts/user-config';
import { strongestEdgesWithin } from '../core/dependencies/strongest-edges-within';
import type { DependencyEdge } from '../core/dependencies/types';
import type { Clock } from '../ports/clock';
import {
  type DependencyDiscovery,
  type DiscoveredDependencyStore,
  STORED_DISCOVERY_EDGES_MAX_BYTES,
  type StoredDependencyDiscovery,
} from '../ports/dependency-discovery';
import { DISCOVERED_EDGES_MAX_AGE_MS } from './dependency-edges-for-updates';
import { mergeDiscoveredEdges } from './merge-discovered-edges';
import { type ResolvedDependencyEdges, resolveDependencyEdges } from './resolve-dependency-edges';

/** The service graph changes slowly: one discovery per warm container per hour is plenty. */
export const DEPENDENCY_EDGES_TTL_MS = 3600_000;

/**
 * How soon a failed discovery is tried again (its fallback edges are kept that long): X-Ray
 * throttling and outages pass in minutes, and an hour without the new graph is an hour the loop
 * plans on an older one.
 */
export const FAILED_DISCOVERY_RETRY_MS = 300_000;

/**
 * The share of a run's remaining time discovery may take (its deadline): the rest stays for the
 * batch's own reads, forecasts and writes, which a timed-out worker would lose whole. A 720-hour
 * lookback is 120 GetServiceGraph windows read one after another.
 */
export const DISCOVERY_SHARE_OF_REMAINING_TIME = 1 / 3;

/** What {@link cachedDependencyEdges} needs. */
export interface CachedDependencyEdgesDeps {
  readonly discovery?: DependencyDiscovery;
  readonly clock: Clock;
  /**
   * Where each successful discovery is shared with the update paths, which never discover
   * themselves (`dependencyEdgesForUpdates`), and, with `getDiscovery`, where a container that has
   * not discovered yet finds the last discovery when its own fails. @default not shared
   */
  readonly discoveredDependencies?: Pick<DiscoveredDependencyStore, 'putDiscovery'> &
    Partial<Pick<DiscoveredDependencyStore, 'getDiscovery'>>;
}

/**
 * `resolveDependencyEdges`, remembered for `ttlMs` of `deps.clock` time (default
 * `DEPENDENCY_EDGES_TTL_MS`): the returned function resolves again only once the last result is
 * older than that. Each resolution where X-Ray answered is stored in `deps.discoveredDependencies`
 * (expiring after `DISCOVERED_EDGES_MAX_AGE_MS`), its most called edges within
 * `STORED_DISCOVERY_EDGES_MAX_BYTES` (a note says how many were left out); a failed write is a
 * note, never a failed run.
 * A failed discovery (an error, or `signal`, its deadline, aborting) keeps the last discovery
 * this container made, else the stored one, while at most `DISCOVERED_EDGES_MAX_AGE_MS` old (as
 * the update paths do), with a note, and is tried again after `FAILED_DISCOVERY_RETRY_MS`.
 * `onResolved` sees every fresh resolution (to log its notes).
 */
export function cachedDependencyEdges(
  deps: CachedDependencyEdgesDeps,
  config: UserConfig['dependencies'],
  options: {
    readonly ttlMs?: number;
    readonly onResolved?: (resolved: ResolvedDependencyEdges) => void;
  } = {},
): (call?: { readonly signal?: AbortSignal }) => Promise<readonly DependencyEdge[]> {
  const ttlMs = options.ttlMs ?? DEPENDENCY_EDGES_TTL_MS;
  let cache: { atMs: number; edges: readonly DependencyEdge[]; ttlMs: number } | undefined;
  let lastDiscovery: StoredDependencyDiscovery | undefined;
  return async (call = {}) => {
    const nowMs = deps.clock.nowMs();
    if (!cache || nowMs - cache.atMs > cache.ttlMs) {
      let resolved = await resolveDependencyEdges(deps, config, call);
      if (resolved.discoveryFailed) {
        resolved = await withEarlierDiscovery(deps, config, resolved, lastDiscovery, nowMs);
      } else if (resolved.discovered) {
        lastDiscovery = { discoveredAtMs: nowMs, edges: resolved.discovered };
        resolved = await storeDiscovery(deps, resolved, nowMs);
      }
      options.onResolved?.(resolved);
      const retryMs = resolved.discoveryFailed ? Math.min(ttlMs, FAILED_DISCOVERY_RETRY_MS) : ttlMs;
      cache = { atMs: nowMs, edges: resolved.edges, ttlMs: retryMs };
    }
    return cache.edges;
  };
}

/**
 * After a failed discovery: the declared edges merged with `earlier` (this container's last
 * discovery), else with the stored one, when at most `DISCOVERED_EDGES_MAX_AGE_MS` old at `nowMs`;
 * otherwise the declared edges alone. Either way with a note saying which, and when X-Ray is tried again.
 */
async function withEarlierDiscovery(
  deps: CachedDependencyEdgesDeps,
  config: UserConfig['dependencies'],
  failed: ResolvedDependencyEdges,
  earlier: StoredDependencyDiscovery | undefined,
  nowMs: number,
): Promise<ResolvedDependencyEdges> {
  const retry = `X-Ray is asked again in ${FAILED_DISCOVERY_RETRY_MS / 60_000} min`;
  const declaredOnly = (why: string): ResolvedDependencyEdges => ({
    ...failed,
    notes: [...failed.notes, `${why}: declared dependency edges only; ${retry}`],
  });
  let fallback = earlier;
  if (!fallback && deps.discoveredDependencies?.getDiscovery) {
    try {
      fallback = await deps.discoveredDependencies.getDiscovery();
    } catch (error) {
      return declaredOnly(`stored X-Ray discovery not read (${(error as Error).message})`);
    }
  }
  const maxAgeHours = DISCOVERED_EDGES_MAX_AGE_MS / 3_600_000;
  if (!fallback || nowMs - fallback.discoveredAtMs > DISCOVERED_EDGES_MAX_AGE_MS) {
    return declaredOnly(`no X-Ray discovery from the last ${maxAgeHours} h to keep`);
  }
  const merged = mergeDiscoveredEdges(config.edges, fallback.edges, config.xray?.minRequestCount ?? 1);
  const ageMinutes = Math.floor((nowMs - fallback.discoveredAtMs) / 60_000);
  return {
    edges: merged.edges,
    source: 'declared+discovered',
    discoveryFailed: true,
    notes: [
      ...failed.notes,
      `kept the X-Ray discovery of ${new Date(fallback.discoveredAtMs).toISOString()} (${ageMinutes} min old); ${retry}`,
      ...merged.notes,
    ],
  };
}

/** Stores what X-Ray answered, if it did; the resolution, with a note when that failed. */
async function storeDiscovery(
  deps: CachedDependencyEdgesDeps,
  resolved: ResolvedDependencyEdges,
  nowMs: number,
): Promise<ResolvedDependencyEdges> {
  if (!deps.discoveredDependencies || !resolved.discovered) return resolved;
  // A whole account's graph may outgrow the store's one item: the most called edges are kept.
  const { kept, omitted } = strongestEdgesWithin(resolved.discovered, STORED_DISCOVERY_EDGES_MAX_BYTES);
  const cut =
    omitted > 0
      ? [
          `X-Ray discovery stored for updates without its ${omitted} least called edge(s) of ${resolved.discovered.length}: the rest fill the ${STORED_DISCOVERY_EDGES_MAX_BYTES / 1024} KiB the store holds`,
        ]
      : [];
  try {
    await deps.discoveredDependencies.putDiscovery(
      { discoveredAtMs: nowMs, edges: kept },
      nowMs + DISCOVERED_EDGES_MAX_AGE_MS,
    );
    return cut.length > 0 ? { ...resolved, notes: [...resolved.notes, ...cut] } : resolved;
  } catch (error) {
    // Scaling goes on; the update paths use the last stored discovery while it is fresh enough.
    const note = `X-Ray discovery not stored for updates: ${(error as Error).message}`;
    return { ...resolved, notes: [...resolved.notes, note] };
  }
}
