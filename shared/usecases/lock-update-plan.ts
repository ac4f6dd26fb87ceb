import type { PlanLockResult, PlannedUpdate } from '../contracts/update-plan';
import type { UserConfig } from '../contracts/user-config';
import type { Clock } from '../ports/clock';
import type { DiscoveredDependencyStore } from '../ports/dependency-discovery';
import type { UpdatePlanStore } from '../ports/update-plan-store';
import { dependencyEdgesForUpdates } from './dependency-edges-for-updates';
import { type FindUpdateConflictsDeps, findUpdateConflicts } from './find-update-conflicts';

/** What locking a plan's groups needs. */
export interface LockUpdatePlanDeps extends FindUpdateConflictsDeps {
  readonly planLocks: UpdatePlanStore;
  readonly clock: Clock;
  /** The scaling loop's X-Ray discovery: its edges name dependent groups too (read only with X-Ray on). */
  readonly discoveredDependencies: Pick<DiscoveredDependencyStore, 'getDiscovery'>;
}

/**
 * Takes the plan lock of every member group, one conditional write each (in name order), then
 * checks that no member or dependent group (along a declared or discovered edge,
 * `dependencyEdgesForUpdates`) is held by another plan or another rolling update. If any write
 * fails or any conflict shows, releases every plan lock it took and returns the reason: the plan
 * holds all its groups or none. DynamoDB transactions would make the writes one step, but
 * the check of the dependent groups still has to follow them, and the local DynamoDB used in tests
 * (dynalite) has no transactions; conditional writes with cleanup give the same guarantee here.
 * @throws TransientDependencyError when DynamoDB may answer later (locks taken so far are released first).
 */
export async function lockUpdatePlan(
  deps: LockUpdatePlanDeps,
  config: UserConfig,
  plan: Pick<PlannedUpdate, 'planName' | 'groups' | 'lockExpiresAtMs'>,
): Promise<PlanLockResult> {
  const nowMs = deps.clock.nowMs();
  const names = plan.groups.map((g) => g.groupName).sort();
  const taken: string[] = [];
  const releaseTaken = async () => {
    for (const name of taken) await deps.planLocks.releasePlanLock(name, plan.planName);
  };
  try {
    for (const groupName of names) {
      const ok = await deps.planLocks.acquirePlanLock({
        groupName,
        holder: plan.planName,
        acquiredAtMs: nowMs,
        expiresAtMs: plan.lockExpiresAtMs,
      });
      if (!ok) {
        const holder = (await deps.planLocks.getPlanLock(groupName, nowMs))?.holder ?? 'another plan';
        await releaseTaken();
        return {
          kind: 'conflict',
          reason: `${groupName} belongs to update plan ${holder}; nothing was changed`,
        };
      }
      taken.push(groupName);
    }
    const graph = await dependencyEdgesForUpdates(deps, config.dependencies, nowMs);
    const conflicts = await findUpdateConflicts(deps, graph, {
      groupNames: names,
      nowMs,
      planName: plan.planName,
    });
    if (conflicts.length > 0) {
      await releaseTaken();
      return { kind: 'conflict', reason: `${conflicts.join('; ')}; nothing was changed` };
    }
  } catch (error) {
    await releaseTaken();
    throw error;
  }
  return { kind: 'locked', groupNames: names };
}
