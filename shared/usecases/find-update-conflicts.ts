import type { StateStore } from '../ports/state-store';
import type { UpdatePlanStore } from '../ports/update-plan-store';
import type { UpdateDependencyEdges } from './dependency-edges-for-updates';

/** What the conflict check reads: group locks and plan locks, strongly consistent. */
export interface FindUpdateConflictsDeps {
  readonly locks: Pick<StateStore, 'getLock'>;
  readonly planLocks: Pick<UpdatePlanStore, 'getPlanLock'>;
}

/** Who is asking, so its own locks are not conflicts. */
export interface UpdateConflictQuery {
  /** The groups about to be updated. */
  readonly groupNames: readonly string[];
  readonly nowMs: number;
  /** The plan the caller runs under (a plan, or a plan's child); its plan locks are its own. */
  readonly planName?: string;
  /** The caller's own execution (a single-group update), whose group lock is its own. */
  readonly executionName?: string;
}

/** The dependency graph a conflict check follows (`dependencyEdgesForUpdates`). */
export type ConflictGraph = Pick<UpdateDependencyEdges, 'edges' | 'discovered'>;

/** A group that calls, or is called by, one of the updating groups. */
export interface DependentGroup {
  readonly name: string;
  /** True when only discovered edges join it to them: the refusal says so, as no config names it. */
  readonly discoveredOnly: boolean;
}

/** Groups that call, or are called by, any of `groupNames`, and are not among them, by name. */
export function neighboursOf(graph: ConflictGraph, groupNames: readonly string[]): DependentGroup[] {
  const members = new Set(groupNames);
  const key = (edge: { readonly from: string; readonly to: string }) => `${edge.from}\u0000${edge.to}`;
  const discovered = new Set(graph.discovered.map(key));
  const byName = new Map<string, boolean>();
  for (const edge of graph.edges) {
    const name = members.has(edge.from) ? edge.to : members.has(edge.to) ? edge.from : undefined;
    if (name === undefined || members.has(name)) continue;
    byName.set(name, (byName.get(name) ?? true) && discovered.has(key(edge)));
  }
  return [...byName]
    .map(([name, discoveredOnly]) => ({ name, discoveredOnly }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** How a refusal names a dependent group. */
export function dependentGroupLabel(group: DependentGroup): string {
  return `dependent group ${group.name}${group.discoveredOnly ? ' (a dependency seen in X-Ray)' : ''}`;
}

/**
 * Every reason the groups may not be updated now by this caller: a group or a dependent group
 * (a direct edge of `graph` either way) belongs to another update plan, or is held by another
 * rolling-update execution. Called after the caller has written its own lock, this closes the
 * race between two updates of dependent groups: each writes its lock first and reads the others'
 * after, so of two concurrent callers at least one sees the other (both may, and both back off).
 */
export async function findUpdateConflicts(
  deps: FindUpdateConflictsDeps,
  graph: ConflictGraph,
  query: UpdateConflictQuery,
): Promise<string[]> {
  const conflicts: string[] = [];
  const checks = [
    ...query.groupNames.map((name) => ({ name, label: name })),
    ...neighboursOf(graph, query.groupNames).map((g) => ({ name: g.name, label: dependentGroupLabel(g) })),
  ];
  for (const { name, label } of checks) {
    const plan = await deps.planLocks.getPlanLock(name, query.nowMs);
    if (plan && plan.holder !== query.planName) {
      conflicts.push(`${label} belongs to update plan ${plan.holder}`);
    }
    const lock = await deps.locks.getLock(name, query.nowMs);
    if (lock && lock.holder !== query.executionName) {
      conflicts.push(`${label} is being updated by ${lock.holder}`);
    }
  }
  return conflicts;
}
