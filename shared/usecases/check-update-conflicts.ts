import type { WorkflowState } from '../contracts/rolling-update';
import type { UserConfig } from '../contracts/user-config';
import type { Clock } from '../ports/clock';
import type { DiscoveredDependencyStore } from '../ports/dependency-discovery';
import { dependencyEdgesForUpdates } from './dependency-edges-for-updates';
import { type FindUpdateConflictsDeps, findUpdateConflicts } from './find-update-conflicts';

/** What "Check dependent groups" reads. */
export interface CheckUpdateConflictsDeps extends FindUpdateConflictsDeps {
  readonly clock: Clock;
  /** The scaling loop's X-Ray discovery: its edges name dependent groups too (read only with X-Ray on). */
  readonly discoveredDependencies: Pick<DiscoveredDependencyStore, 'getDiscovery'>;
}

/** The verdict of "Check dependent groups". */
export type UpdateConflictCheck =
  | { readonly kind: 'clear' }
  | { readonly kind: 'conflict'; readonly reason: string };

/**
 * Runs right after a rolling update took its group lock: no dependent group (along a declared or
 * discovered edge, `dependencyEdgesForUpdates`) is held by another rolling update or another
 * update plan, and the group belongs to no other plan. The lock was written first, so two
 * dependent updates that both passed validation cannot both pass this (see
 * `findUpdateConflicts`); the loser releases its lock and fails without touching anything.
 * @throws TransientDependencyError when DynamoDB may answer later.
 */
export async function checkUpdateConflicts(
  deps: CheckUpdateConflictsDeps,
  config: UserConfig,
  state: Pick<WorkflowState, 'plan'>,
): Promise<UpdateConflictCheck> {
  const { plan } = state;
  const nowMs = deps.clock.nowMs();
  const graph = await dependencyEdgesForUpdates(deps, config.dependencies, nowMs);
  const conflicts = await findUpdateConflicts(deps, graph, {
    groupNames: [plan.groupName],
    nowMs,
    executionName: plan.executionName,
    ...(plan.planExecutionName !== undefined ? { planName: plan.planExecutionName } : {}),
  });
  return conflicts.length === 0
    ? { kind: 'clear' }
    : {
        kind: 'conflict',
        reason: `${conflicts.join('; ')}; dependent groups are never updated at the same time, nothing was changed`,
      };
}
