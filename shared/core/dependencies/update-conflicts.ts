import type { DependencyEdge } from './types';

/**
 * Which dependencies keep two groups from updating at once: `direct` (an edge between them, either
 * way) or `transitive` (one reaches the other along edges, possibly through groups that are not
 * updating: web → cache → db keeps web and db apart).
 */
export type UpdateSeparation = 'direct' | 'transitive';

/** Two updating groups that must not update in the same slot, and the dependency path that links them. */
export interface UpdateConflict {
  /** The upstream end of `path`. */
  readonly upstream: string;
  /** The downstream end of `path`. */
  readonly downstream: string;
  /** Groups from `upstream` to `downstream` along edges, both ends included. */
  readonly path: readonly string[];
}

/**
 * The pairs of `groups` that must update in different slots, each once, in the order of `groups`
 * (the earlier group of a pair first, then its partners in order). With `transitive`, the path is
 * a shortest one. Edges may name groups outside `groups`; they only matter as links of a path.
 */
export function updateConflicts(
  groups: readonly string[],
  edges: readonly DependencyEdge[],
  separation: UpdateSeparation,
): UpdateConflict[] {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    if (e.from === e.to) continue;
    const list = next.get(e.from) ?? [];
    if (!list.includes(e.to)) list.push(e.to);
    next.set(e.from, list);
  }
  const conflicts: UpdateConflict[] = [];
  for (let i = 0; i < groups.length; i++) {
    for (let j = i + 1; j < groups.length; j++) {
      const a = groups[i] as string;
      const b = groups[j] as string;
      if (a === b) continue;
      const path =
        separation === 'direct'
          ? next.get(a)?.includes(b)
            ? [a, b]
            : next.get(b)?.includes(a)
              ? [b, a]
              : undefined
          : (shortestPath(next, a, b) ?? shortestPath(next, b, a));
      if (path)
        conflicts.push({ upstream: path[0] as string, downstream: path[path.length - 1] as string, path });
    }
  }
  return conflicts;
}

/** `a → b → c`, for messages. */
export function describePath(path: readonly string[]): string {
  return path.join(' → ');
}

function shortestPath(
  next: ReadonlyMap<string, readonly string[]>,
  from: string,
  to: string,
): string[] | undefined {
  const parent = new Map<string, string>([[from, from]]);
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    const g = queue[head] as string;
    for (const t of next.get(g) ?? []) {
      if (parent.has(t)) continue;
      parent.set(t, g);
      if (t === to) {
        const path = [to];
        for (let p = g; p !== from; p = parent.get(p) as string) path.unshift(p);
        return [from, ...path];
      }
      queue.push(t);
    }
  }
  return undefined;
}
