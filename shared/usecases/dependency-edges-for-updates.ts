import type { UserConfig } from '../contracts/user-config';
import type { DependencyEdge } from '../core/dependencies/types';
import type { DiscoveredDependencyStore } from '../ports/dependency-discovery';
import { mergeDiscoveredEdges } from './merge-discovered-edges';

/**
 * The oldest stored discovery the update paths still use. The scaling loop stores one every hour
 * while it runs, so an older one means discovery has been failing (or the loop stopped) for a day.
 * Generous on purpose: a stale edge only keeps two groups apart, while a dropped one lets two
 * dependent tiers update together. Also the stored item's TTL.
 */
export const DISCOVERED_EDGES_MAX_AGE_MS = 24 * 3_600_000;

/** The dependency graph an update is checked against, and what to tell about it. */
export interface UpdateDependencyEdges {
  /** Declared edges, then the discovered ones kept: no reversed edge, no cycle. */
  readonly edges: readonly DependencyEdge[];
  /** The edges among `edges` that only X-Ray shows (no declared edge has their ends). */
  readonly discovered: readonly DependencyEdge[];
  readonly source: 'declared' | 'declared+discovered';
  /** Why discovered edges were not used, or which were left out, for the result's notes. */
  readonly notes: readonly string[];
}

/**
 * The edges update plans and conflict checks use: the declared edges, plus, with
 * `dependencies.xray.enabled`, the edges of the discovery the scaling loop stored when it is at
 * most `DISCOVERED_EDGES_MAX_AGE_MS` old at `nowMs`. Merged as the loop merges them
 * (`mergeDependencyEdges`: declared edges win, a reversed or too rarely called edge is left out);
 * then a discovered edge that closes a cycle is left out on its own (`addAcyclicEdges`), since the
 * rest still keep groups apart. Every edge left out, and a missing or stale discovery, is a note.
 * With X-Ray off it reads nothing.
 * @throws TransientDependencyError when the store may answer later.
 */
export async function dependencyEdgesForUpdates(
  deps: { readonly discoveredDependencies: Pick<DiscoveredDependencyStore, 'getDiscovery'> },
  dependencies: UserConfig['dependencies'],
  nowMs: number,
): Promise<UpdateDependencyEdges> {
  const declared = dependencies.edges;
  const declaredOnly = (notes: string[] = []): UpdateDependencyEdges => ({
    edges: declared,
    discovered: [],
    source: 'declared',
    notes,
  });
  if (!dependencies.xray?.enabled) return declaredOnly();
  const stored = await deps.discoveredDependencies.getDiscovery();
  if (!stored) {
    return declaredOnly([
      'no X-Ray discovery stored yet (the scaling loop stores one hourly): declared dependency edges only',
    ]);
  }
  const ageMs = nowMs - stored.discoveredAtMs;
  if (ageMs > DISCOVERED_EDGES_MAX_AGE_MS) {
    return declaredOnly([
      `the X-Ray discovery stored at ${new Date(stored.discoveredAtMs).toISOString()} is ${Math.floor(ageMs / 3_600_000)} h old, older than ${DISCOVERED_EDGES_MAX_AGE_MS / 3_600_000} h: declared dependency edges only`,
    ]);
  }
  const merged = mergeDiscoveredEdges(declared, stored.edges, dependencies.xray.minRequestCount);
  const { edges, discovered, notes } = merged;
  return { edges, discovered, notes, source: 'declared+discovered' };
}
