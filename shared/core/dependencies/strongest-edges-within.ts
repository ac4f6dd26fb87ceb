import { jsonBytes } from '../update-plan/within-bytes';

/**
 * The edges whose JSON list fits in `maxBytes` (UTF-8), taking the most called first (highest
 * `requestCount`; ties by position), kept in their given order, and how many were left out. All of
 * them when they fit. The edges kept carry the most load; their order is kept because the merge's
 * cycle breaking follows it. Never splits an edge. @throws RangeError when `maxBytes` is not positive.
 */
export function strongestEdgesWithin<T extends { readonly requestCount: number }>(
  edges: readonly T[],
  maxBytes: number,
): { readonly kept: T[]; readonly omitted: number } {
  if (!(maxBytes > 0)) throw new RangeError(`maxBytes must be positive; got ${maxBytes}`);
  if (jsonBytes(edges) <= maxBytes) return { kept: [...edges], omitted: 0 };
  const byCount = edges
    .map((_, i) => i)
    .sort((a, b) => (edges[b] as T).requestCount - (edges[a] as T).requestCount || a - b);
  const chosen = new Set<number>();
  let bytes = 2; // the brackets
  for (const i of byCount) {
    const next = bytes + jsonBytes(edges[i]) + (chosen.size > 0 ? 1 : 0);
    if (next > maxBytes) continue;
    chosen.add(i);
    bytes = next;
  }
  const kept = edges.filter((_, i) => chosen.has(i));
  return { kept, omitted: edges.length - kept.length };
}
