import { addAcyclicEdges } from '../core/dependencies/add-acyclic-edges';
import { mergeDependencyEdges } from '../core/dependencies/merge-dependency-edges';
import type { DependencyEdge } from '../core/dependencies/types';

/** Declared and discovered edges as one graph, and what was left out of it. */
export interface MergedDiscoveredEdges {
  /** Declared edges, then the discovered ones kept: no reversed edge, no cycle. */
  readonly edges: readonly DependencyEdge[];
  /** The edges among `edges` that only X-Ray shows. */
  readonly discovered: readonly DependencyEdge[];
  /** Each discovered edge left out, with why. */
  readonly notes: readonly string[];
  /** The discovered edges left out because each would close a cycle (which one follows their order). */
  readonly closingCycles: readonly DependencyEdge[];
}

/**
 * The declared edges with the discovered ones, as the scaling loop and the update paths both read
 * them: declared edges win, a reversed or too rarely called edge is left out
 * (`mergeDependencyEdges`), and so is each discovered edge that would close a cycle, on its own
 * (`addAcyclicEdges`): the others still carry load and keep dependent groups apart.
 */
export function mergeDiscoveredEdges(
  declared: readonly DependencyEdge[],
  discovered: readonly (DependencyEdge & { readonly requestCount: number })[],
  minRequestCount: number,
): MergedDiscoveredEdges {
  const merged = mergeDependencyEdges(declared, discovered, { minRequestCount });
  const isDeclared = new Set(declared.map((e) => `${e.from}\u0000${e.to}`));
  const base = merged.edges.filter((e) => isDeclared.has(`${e.from}\u0000${e.to}`));
  const candidates = merged.edges.filter((e) => !isDeclared.has(`${e.from}\u0000${e.to}`));
  const acyclic = addAcyclicEdges(base, candidates);
  const kept = new Set(acyclic.edges);
  return {
    edges: acyclic.edges,
    discovered: candidates.filter((e) => kept.has(e)),
    notes: [...merged.ignored, ...acyclic.ignored].map(
      ({ edge, reason }) => `ignored discovered ${edge.from} → ${edge.to}: ${reason}`,
    ),
    closingCycles: acyclic.ignored.map(({ edge }) => edge),
  };
}
