import type { DependencyEdge } from './types';

/** The outcome of {@link mergeDependencyEdges}. */
export interface MergedDependencyEdges {
  readonly edges: readonly DependencyEdge[];
  /** Discovered edges left out, and why. */
  readonly ignored: readonly { readonly edge: DependencyEdge; readonly reason: string }[];
}

/**
 * Combines the edges a user declared with those discovered from traces. Declared edges come first
 * and win: a discovered edge with the same ends only lends its `requestCount`; one that reverses a
 * declared edge, or that joins a group to itself, is ignored with the reason. Discovered edges with
 * fewer than `minRequestCount` requests are ignored too. Duplicates among discovered edges are summed.
 * The result has no duplicates, but may still hold a cycle among discovered edges: validate it.
 */
export function mergeDependencyEdges(
  declared: readonly DependencyEdge[],
  discovered: readonly DependencyEdge[],
  options: { readonly minRequestCount?: number } = {},
): MergedDependencyEdges {
  const key = (from: string, to: string) => `${from}\u0000${to}`;
  const minRequestCount = options.minRequestCount ?? 1;
  const merged = new Map<string, DependencyEdge>();
  for (const e of declared) if (!merged.has(key(e.from, e.to))) merged.set(key(e.from, e.to), { ...e });
  const declaredKeys = new Set(merged.keys());
  const summed = new Map<string, DependencyEdge>();
  for (const e of discovered) {
    const k = key(e.from, e.to);
    const previous = summed.get(k);
    summed.set(k, {
      from: e.from,
      to: e.to,
      requestCount: (previous?.requestCount ?? 0) + (e.requestCount ?? 0),
    });
  }
  const ignored: { edge: DependencyEdge; reason: string }[] = [];
  for (const [k, e] of summed) {
    const count = e.requestCount ?? 0;
    if (e.from === e.to) {
      ignored.push({ edge: e, reason: `both ends map to group ${e.from}` });
    } else if (declaredKeys.has(k)) {
      merged.set(k, { ...(merged.get(k) as DependencyEdge), requestCount: count });
    } else if (declaredKeys.has(key(e.to, e.from))) {
      ignored.push({ edge: e, reason: `reverses the declared dependency ${e.to} → ${e.from}` });
    } else if (count < minRequestCount) {
      ignored.push({ edge: e, reason: `${count} request(s), fewer than ${minRequestCount}` });
    } else {
      merged.set(k, e);
    }
  }
  return { edges: [...merged.values()], ignored };
}
