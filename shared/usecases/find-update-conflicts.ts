import type { UserConfig } from '../contracts/user-config';
import type { StateStore } from '../ports/state-store';
import type { UpdatePlanStore } from '../ports/update-plan-store';

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

/** Groups that call, or are called by, any of `groupNames`, and are not among them. */
export function neighboursOf(config: UserConfig, groupNames: readonly string[]): string[] {
  const members = new Set(groupNames);
  const names = config.dependencies.edges.flatMap((e) =>
    members.has(e.from) ? [e.to] : members.has(e.to) ? [e.from] : [],
  );
  return [...new Set(names)].filter((n) => !members.has(n)).sort();
}

/**
 * Every reason the groups may not be updated now by this caller: a group or a dependent group
 * (a direct dependency edge either way) belongs to another update plan, or is held by another
 * rolling-update execution. Called after the caller has written its own lock, this closes the
 * race between two updates of dependent groups: each writes its lock first and reads the others'
 * after, so of two concurrent callers at least one sees the other (both may, and both back off).
 */
export async function findUpdateConflicts(
  deps: FindUpdateConflictsDeps,
  config: UserConfig,
  query: UpdateConflictQuery,
): Promise<string[]> {
  const conflicts: string[] = [];
  const checks = [
    ...query.groupNames.map((name) => ({ name, prefix: '' })),
    ...neighboursOf(config, query.groupNames).map((name) => ({ name, prefix: 'dependent group ' })),
  ];
  for (const { name, prefix } of checks) {
    const plan = await deps.planLocks.getPlanLock(name, query.nowMs);
    if (plan && plan.holder !== query.planName) {
      conflicts.push(`${prefix}${name} belongs to update plan ${plan.holder}`);
    }
    const lock = await deps.locks.getLock(name, query.nowMs);
    if (lock && lock.holder !== query.executionName) {
      conflicts.push(`${prefix}${name} is being updated by ${lock.holder}`);
    }
  }
  return conflicts;
}
