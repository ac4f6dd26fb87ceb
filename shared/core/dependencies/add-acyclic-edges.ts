import type { DependencyEdge } from './types';

/** The outcome of {@link addAcyclicEdges}. */
export interface AcyclicEdges {
  /** `base`, then every candidate that closes no cycle, in their order. */
  readonly edges: readonly DependencyEdge[];
  /** Candidates left out, each with the cycle it would have closed. */
  readonly ignored: readonly { readonly edge: DependencyEdge; readonly reason: string }[];
}

/**
 * Adds `candidates` to the `base` graph one at a time, in their order, leaving out each one that
 * would close a cycle with `base` and the candidates kept before it (`closes the cycle api → web →
 * api`). `base` is kept whole, so the result is acyclic when `base` is; which edge of a loop is left
 * out follows the order of `candidates`, so the same input always leaves out the same edges.
 */
export function addAcyclicEdges(
  base: readonly DependencyEdge[],
  candidates: readonly DependencyEdge[],
): AcyclicEdges {
  const next = new Map<string, string[]>();
  const link = (edge: DependencyEdge) => next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
  for (const edge of base) link(edge);
  const edges = [...base];
  const ignored: { edge: DependencyEdge; reason: string }[] = [];
  for (const edge of candidates) {
    const back = shortestPath(next, edge.to, edge.from);
    if (back) {
      ignored.push({ edge, reason: `closes the cycle ${[edge.from, ...back].join(' → ')}` });
      continue;
    }
    link(edge);
    edges.push(edge);
  }
  return { edges, ignored };
}

/** The groups on a shortest path from `from` to `to` along `next`, both ends included, if there is one. */
function shortestPath(
  next: ReadonlyMap<string, readonly string[]>,
  from: string,
  to: string,
): string[] | undefined {
  const parent = new Map<string, string | undefined>([[from, undefined]]);
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const group = queue[i] as string;
    if (group === to) {
      const path: string[] = [];
      for (let at: string | undefined = group; at !== undefined; at = parent.get(at)) path.unshift(at);
      return path;
    }
    for (const target of next.get(group) ?? []) {
      if (parent.has(target)) continue;
      parent.set(target, group);
      queue.push(target);
    }
  }
  return undefined;
}
