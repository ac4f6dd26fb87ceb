import type { DependencyEdge } from './types';

/** One thing wrong with a dependency graph, with a message that names what was received. */
export type DependencyGraphProblem =
  | {
      readonly kind: 'unknown-group';
      readonly edgeIndex: number;
      readonly groupName: string;
      readonly message: string;
    }
  | {
      readonly kind: 'self-edge';
      readonly edgeIndex: number;
      readonly groupName: string;
      readonly message: string;
    }
  | {
      readonly kind: 'duplicate-edge';
      readonly edgeIndex: number;
      readonly firstEdgeIndex: number;
      readonly message: string;
    }
  /** `cycle` lists the groups in order and repeats the first at the end: `[a, b, c, a]`. */
  | { readonly kind: 'cycle'; readonly cycle: readonly string[]; readonly message: string };

/** The outcome of {@link validateDependencyGraph}. */
export type DependencyGraphValidation =
  /** `order` lists every group, each upstream group before all of its downstream groups. */
  | { readonly kind: 'valid'; readonly order: readonly string[] }
  | { readonly kind: 'invalid'; readonly problems: readonly DependencyGraphProblem[] };

const MAX_LISTED_GROUPS = 10;

/**
 * Checks a dependency graph over the enrolled `groups` and returns a topological order (upstream
 * first) or every problem found: edges naming a group that is not enrolled, self-edges, duplicate
 * edges (same `from` and `to`), and cycles (one per strongly connected component, written
 * `a → b → c → a`). Deterministic: ties in the order and the first group of a reported cycle
 * follow the order of `groups`. Groups without edges appear in the order too.
 */
export function validateDependencyGraph(
  groups: readonly string[],
  edges: readonly DependencyEdge[],
): DependencyGraphValidation {
  const rank = new Map<string, number>();
  for (const g of groups) if (!rank.has(g)) rank.set(g, rank.size);
  const nodes = [...rank.keys()];
  const { next, problems } = checkedEdges(rank, edges);
  const order = topologicalOrder(nodes, next);
  if (order.length < nodes.length) problems.push(...cycleProblems(nodes, order, next));
  return problems.length > 0 ? { kind: 'invalid', problems } : { kind: 'valid', order };
}

/**
 * The edges' problems (unknown groups, self-edges, duplicates) and the adjacency of the valid
 * ones, each group's downstream groups in enrolment order.
 */
function checkedEdges(
  rank: ReadonlyMap<string, number>,
  edges: readonly DependencyEdge[],
): { next: Map<string, string[]>; problems: DependencyGraphProblem[] } {
  const problems: DependencyGraphProblem[] = [];
  const seen = new Map<string, number>();
  const nodes = [...rank.keys()];
  const next = new Map<string, string[]>(nodes.map((g) => [g, []]));

  edges.forEach((edge, edgeIndex) => {
    const label = `edge ${edgeIndex} (${edge.from} → ${edge.to})`;
    let known = true;
    for (const groupName of edge.from === edge.to ? [edge.from] : [edge.from, edge.to]) {
      if (!rank.has(groupName)) {
        known = false;
        problems.push({
          kind: 'unknown-group',
          edgeIndex,
          groupName,
          message: `${label}: unknown group "${groupName}"; expected one of the enrolled groups (${listGroups(nodes)})`,
        });
      }
    }
    if (edge.from === edge.to) {
      problems.push({
        kind: 'self-edge',
        edgeIndex,
        groupName: edge.from,
        message: `${label}: a group cannot depend on itself; expected two different groups`,
      });
      return;
    }
    const key = `${edge.from}\u0000${edge.to}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({
        kind: 'duplicate-edge',
        edgeIndex,
        firstEdgeIndex: first,
        message: `${label}: duplicates edge ${first}; expected each dependency once`,
      });
      return;
    }
    seen.set(key, edgeIndex);
    if (known) next.get(edge.from)?.push(edge.to);
  });
  for (const list of next.values()) list.sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0));

  return { next, problems };
}

/** One cycle per strongly connected component among the groups the order could not place. */
function cycleProblems(
  nodes: readonly string[],
  order: readonly string[],
  next: ReadonlyMap<string, readonly string[]>,
): DependencyGraphProblem[] {
  const placed = new Set(order);
  return findCycles(
    nodes.filter((g) => !placed.has(g)),
    next,
  ).map((cycle) => ({
    kind: 'cycle',
    cycle,
    message: `cycle ${cycle.join(' → ')}: dependencies must not loop back; expected an upstream group never to depend on its own downstream groups`,
  }));
}

/** Kahn's algorithm, always taking the ready group that comes first in `nodes`. */
function topologicalOrder(nodes: readonly string[], next: ReadonlyMap<string, readonly string[]>): string[] {
  const indegree = new Map<string, number>(nodes.map((g) => [g, 0]));
  for (const targets of next.values()) for (const t of targets) indegree.set(t, (indegree.get(t) ?? 0) + 1);
  const order: string[] = [];
  const done = new Set<string>();
  for (;;) {
    const ready = nodes.find((g) => !done.has(g) && indegree.get(g) === 0);
    if (ready === undefined) return order;
    done.add(ready);
    order.push(ready);
    for (const t of next.get(ready) ?? []) indegree.set(t, (indegree.get(t) ?? 0) - 1);
  }
}

/**
 * One cycle per strongly connected component among `remaining` (the groups Kahn could not place):
 * the shortest cycle through the component's first group, found by breadth-first search.
 */
function findCycles(remaining: readonly string[], next: ReadonlyMap<string, readonly string[]>): string[][] {
  const within = new Set(remaining);
  const reaches = (from: string): Set<string> => {
    const found = new Set<string>([from]);
    const stack = [from];
    for (let g = stack.pop(); g !== undefined; g = stack.pop()) {
      for (const t of next.get(g) ?? [])
        if (within.has(t) && !found.has(t)) {
          found.add(t);
          stack.push(t);
        }
    }
    return found;
  };
  const cycles: string[][] = [];
  const covered = new Set<string>();
  for (const start of remaining) {
    if (covered.has(start)) continue;
    const forward = reaches(start);
    const component = [...forward].filter((g) => reaches(g).has(start));
    for (const g of component) covered.add(g);
    if (component.length < 2) continue;
    const inComponent = new Set(component);
    const parent = new Map<string, string>();
    const queue = [start];
    let closing: string | undefined;
    while (queue.length > 0 && closing === undefined) {
      const g = queue.shift() as string;
      for (const t of next.get(g) ?? []) {
        if (!inComponent.has(t)) continue;
        if (t === start) {
          closing = g;
          break;
        }
        if (!parent.has(t)) {
          parent.set(t, g);
          queue.push(t);
        }
      }
    }
    const path: string[] = [];
    for (let g = closing; g !== undefined && g !== start; g = parent.get(g)) path.unshift(g);
    cycles.push([start, ...path, start]);
  }
  return cycles;
}

function listGroups(nodes: readonly string[]): string {
  if (nodes.length === 0) return 'none enrolled';
  const shown = nodes.slice(0, MAX_LISTED_GROUPS).join(', ');
  return nodes.length > MAX_LISTED_GROUPS ? `${shown}, … ${nodes.length - MAX_LISTED_GROUPS} more` : shown;
}
