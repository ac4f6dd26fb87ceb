import type { DependencyEdge } from './types';

/**
 * Upstream groups a scaling batch describes, reads and forecasts beside its own groups, at most.
 * Each costs a describe, a whole history read in a cold container (a `cpu` group at 1-minute steps
 * is three queries of ~20,160 datapoints, a GetMetricData call of its own) and a forecast; with
 * the batch's 10 groups that is 40 groups per worker run and about 32 MB of history held at
 * 1-minute steps, well inside the worker's 1024 MB and its timeout. A service's upstream closure in
 * an ordinary microservice graph (a few front ends and gateways, two or three levels deep) fits
 * many times over; what passes it is a shared back end's fan-in (auth, a database proxy called by
 * most of the fleet), whose whole closure read every tick outlasted the worker and dead-lettered
 * the hub's batch. Its farthest callers add least: their load reaches it through nearer ones.
 */
export const MAX_UPSTREAM_GROUPS_PER_BATCH = 30;

/** The outcome of {@link nearestUpstreams}. */
export interface NearestUpstreams {
  /** The batch's groups, then the upstream groups kept, nearest first. */
  readonly groupNames: readonly string[];
  /**
   * Per batch group whose upstream closure was cut, its upstream groups left out (nearest first,
   * then by name); empty when every upstream fits.
   */
  readonly leftOut: ReadonlyMap<string, readonly string[]>;
}

/**
 * The batch's groups and at most `maxUpstreams` groups upstream of them (transitively), nearest
 * first: breadth-first from the batch, each level ranked by the heaviest `requestCount` of its
 * edges into the groups already kept (edges without one after those with one, then by name).
 * Only a kept group's callers are candidates: a group left out is not forecast, so its own
 * upstreams could not reach the batch through it. Under the cap the result is the whole closure.
 */
export function nearestUpstreams(
  batch: readonly string[],
  edges: readonly DependencyEdge[],
  maxUpstreams: number = MAX_UPSTREAM_GROUPS_PER_BATCH,
): NearestUpstreams {
  const incoming = incomingEdges(edges);
  const kept = new Set(batch);
  let level = [...kept];
  let budget = Math.max(0, maxUpstreams);
  while (level.length > 0 && budget > 0) {
    const next = rankedCallers(level, kept, incoming).slice(0, budget);
    for (const name of next) kept.add(name);
    budget -= next.length;
    level = next;
  }
  const leftOut = new Map<string, string[]>();
  for (const name of new Set(batch)) {
    const cut = upstreamClosure(name, incoming).filter((g) => !kept.has(g));
    if (cut.length > 0) leftOut.set(name, cut);
  }
  return { groupNames: [...kept], leftOut };
}

function incomingEdges(edges: readonly DependencyEdge[]): Map<string, DependencyEdge[]> {
  const incoming = new Map<string, DependencyEdge[]>();
  for (const edge of edges) {
    const list = incoming.get(edge.to);
    if (list) list.push(edge);
    else incoming.set(edge.to, [edge]);
  }
  return incoming;
}

/** The callers of `level` not yet kept, heaviest edge first (no count last), then by name. */
function rankedCallers(
  level: readonly string[],
  kept: ReadonlySet<string>,
  incoming: ReadonlyMap<string, readonly DependencyEdge[]>,
): string[] {
  const weight = new Map<string, number>();
  for (const name of level) {
    for (const edge of incoming.get(name) ?? []) {
      if (kept.has(edge.from)) continue;
      const count = edge.requestCount ?? -1;
      weight.set(edge.from, Math.max(weight.get(edge.from) ?? -1, count));
    }
  }
  return [...weight]
    .sort(([a, wa], [b, wb]) => wb - wa || (a < b ? -1 : a > b ? 1 : 0))
    .map(([name]) => name);
}

/** Every group upstream of `name`, nearest first, then by name within a level. */
function upstreamClosure(name: string, incoming: ReadonlyMap<string, readonly DependencyEdge[]>): string[] {
  const seen = new Set([name]);
  const found: string[] = [];
  let level = [name];
  while (level.length > 0) {
    const next = new Set<string>();
    for (const g of level) {
      for (const edge of incoming.get(g) ?? []) if (!seen.has(edge.from)) next.add(edge.from);
    }
    level = [...next].sort();
    for (const g of level) seen.add(g);
    found.push(...level);
  }
  return found;
}
