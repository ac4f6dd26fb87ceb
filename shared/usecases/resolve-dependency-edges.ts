import type { UserConfig } from '../contracts/user-config';
import type { DependencyEdge } from '../core/dependencies/types';
import type { Clock } from '../ports/clock';
import type { DependencyDiscovery, DiscoveredDependency } from '../ports/dependency-discovery';
import { mergeDiscoveredEdges } from './merge-discovered-edges';

/** The edges the loop uses, and what discovery added or had to drop. */
export interface ResolvedDependencyEdges {
  readonly edges: readonly DependencyEdge[];
  readonly source: 'declared' | 'declared+discovered';
  readonly notes: readonly string[];
  /**
   * What X-Ray answered, before any merge: present whenever discovery ran and succeeded, even when
   * the loop could not use it (the update paths apply their own rules to it).
   */
  readonly discovered?: readonly DiscoveredDependency[];
  /** True when discovery ran and failed (an error, its deadline): the edges are not X-Ray's answer. */
  readonly discoveryFailed?: boolean;
}

/**
 * Declared edges, plus edges discovered from the X-Ray service graph when enabled, merged as the
 * update paths merge them (`mergeDiscoveredEdges`: declared edges win; a reversed, rarely called
 * or cycle-closing discovered edge is left out on its own, with a note); a discovery failure never
 * stops scaling (`discoveryFailed`, declared edges). `options.signal` is discovery's deadline.
 */
export async function resolveDependencyEdges(
  deps: { readonly discovery?: DependencyDiscovery; readonly clock: Clock },
  config: UserConfig['dependencies'],
  options: { readonly signal?: AbortSignal } = {},
): Promise<ResolvedDependencyEdges> {
  const declared = config.edges;
  if (!config.xray?.enabled || !deps.discovery) return { edges: declared, source: 'declared', notes: [] };
  const endMs = deps.clock.nowMs();
  let discovered: readonly DiscoveredDependency[];
  const notes: string[] = [];
  try {
    const result = await deps.discovery.discoverDependencies(
      { startMs: endMs - config.xray.lookbackHours * 3600_000, endMs },
      options.signal ? { signal: options.signal } : {},
    );
    discovered = result.edges;
    if (result.unmappedServices.length > 0)
      notes.push(`${result.unmappedServices.length} X-Ray services map to no group`);
    if (result.windowsWithOldGroupVersions) {
      notes.push(
        `${result.windowsWithOldGroupVersions} service graph window(s) may show traces from an older filter of X-Ray group ${config.xray.xrayGroupName ?? '(default)'}: discovered edges may include calls its current filter leaves out`,
      );
    }
  } catch (error) {
    return {
      edges: declared,
      source: 'declared',
      notes: [`X-Ray discovery failed: ${(error as Error).message}`],
      discoveryFailed: true,
    };
  }
  const merged = mergeDiscoveredEdges(declared, discovered, config.xray.minRequestCount);
  return {
    edges: merged.edges,
    source: 'declared+discovered',
    notes: [...notes, ...merged.notes],
    discovered,
  };
}
