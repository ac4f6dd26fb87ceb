import {
  DEPENDENT_GROUP_UPDATING,
  GROUP_CHANGED_SINCE_VALIDATION,
  GROUP_LOCKED,
  LAUNCH_TEMPLATE_VERSION_UNUSABLE,
  ROLLING_UPDATE_REJECTED,
} from '../contracts/rolling-update-errors';
import { appliedChangeStanding, revertedChangeReason } from '../core/pricing/reverted-change';
import { spotLaunches } from '../core/pricing/spot-launches';
import {
  FAILED_BEFORE_ANY_CHANGE,
  GROUP_DELETED_DURING_UPDATE,
  GROUP_NO_LONGER_EXISTS,
  ROLLED_OUT_ERROR,
} from '../core/update-plan/types';
import type { GroupSnapshot } from '../ports/scaling-target';
import { decideGroupHold, NO_LOCKS } from './decide-group-hold';
import type { GroupContext } from './instance-type-selection-context';
import { ignoredTagReasons, resolveGroupSettings } from './resolve-group-settings';

/**
 * Why the scaling loop's holds keep an instance-type change off `group` now, or undefined: the
 * kill switch (read now), the pause tag (any value but `false`, in any case), a lock, a refresh,
 * suspended processes, forecast-only mode, another deployment managing it. A dry run is handled
 * by the caller, reporting what it would do. An EC2 predictive scaling policy sets capacity, not
 * instance types: it does not hold a change. Run on the first read and again on the group as
 * re-read right before the change, so a pause or a mode set meanwhile is honoured. The reason names
 * the group's tags that could not be read. A rolling update of the group still running holds it
 * too, whoever started it: `runningRolloutHold`, read apart (it lists executions).
 * @throws what the kill switch's read and `StateStore.getLock` throw.
 */
export async function groupHold(
  { deps, config }: GroupContext,
  group: GroupSnapshot,
): Promise<string | undefined> {
  const { mode, ignoredTags } = resolveGroupSettings(config, group.name, group.tags);
  // Without a state store (no rolling-update workflow deployed) no lock can be held.
  const hold = await decideGroupHold(deps.stateStore ?? NO_LOCKS, group, {
    mode,
    dryRun: false,
    globallyPaused: await deps.isGloballyPaused(),
    nowMs: deps.clock.nowMs(),
    deployment: deps.deployment,
    changesCapacity: false,
  });
  if (hold.kind !== 'hold') return undefined;
  // Named as the loop names it: a mistyped prescale:mode is often why the group is held.
  return [hold.reason, ...ignoredTagReasons(ignoredTags)].join('; ');
}

/**
 * Why a running rolling update of the group keeps this run's change off it, or undefined: one may
 * wait up to `rollingUpdate.maxWaitHours` for a low-load window before it takes the group's lock,
 * and a change made meanwhile would fight it (a second version and rollout, refreshing every
 * instance again, or new overrides under its refresh). Every running execution of the workflow
 * counts, whoever started it: this selection on an earlier run, a `Rolling Update Requested`
 * event, an update plan's child, the maintenance scan, a person; and an update plan that holds the
 * group (its plan lock, taken for every member at the plan's start) before its slot's child
 * starts. The rollout this selection recorded is also read by its ARN, since Step Functions lists
 * executions only eventually. A closed one, however it ended, holds nothing; one this very run
 * started (a redelivery) is left to `applyChange`, which returns it without starting another.
 * @throws what reading the plan lock, the record or the executions throws: never a guessed change.
 */
export async function runningRolloutHold(
  { deps, runTimeMs }: GroupContext,
  groupName: string,
): Promise<string | undefined> {
  // A plan holds its groups from its start; its rolling update of this one may be slots away.
  const plan = await deps.planLocks?.getPlanLock(groupName, deps.clock.nowMs());
  if (plan)
    return `the update plan ${plan.holder} holds the group (its rolling update of it may be slots away); a change now would fight it`;
  const rollout = await deps.rollouts?.lastRollout(groupName, deps.clock.nowMs());
  const thisRuns = rollout?.runTimeMs === runTimeMs ? rollout.executionArn : undefined;
  if (rollout && !thisRuns && (await deps.applier.rolloutStatus(rollout.executionArn)) === 'RUNNING')
    return `the rolling update ${rollout.executionArn} started by an earlier run is still running (it may be waiting for its window)`;
  const running = (await deps.applier.runningRollingUpdates()).filter(
    (r) => r.groupName === groupName && r.executionArn !== thisRuns,
  );
  if (running.length === 0) return undefined;
  const names = running.map((r) => r.executionArn).join(', ');
  return `the rolling update ${names} of the group is running (it may be waiting for its window); a change now would fight it`;
}

/** How long after a failed rollout of a type the same type is not tried on the group again. */
export const FAILED_ROLLOUT_BACKOFF_MS = 7 * 24 * 3_600_000;

/**
 * A workflow's Fail states that say nothing against the type: nothing was started (a refusal, a
 * locked group, a dependent updating, a rejected request, the group gone, a step failing before
 * any headroom), or the type rolled out and a later step failed. Any other failure (a rollback on an alarm or a failed launch, the
 * operator's Left to operator, a task error) holds the type: a week without a change is safe,
 * a daily failing rollout is not.
 */
const NOT_AGAINST_THE_TYPE = new Set([
  GROUP_CHANGED_SINCE_VALIDATION,
  LAUNCH_TEMPLATE_VERSION_UNUSABLE,
  GROUP_LOCKED,
  DEPENDENT_GROUP_UPDATING,
  ROLLING_UPDATE_REJECTED,
  GROUP_NO_LONGER_EXISTS,
  GROUP_DELETED_DURING_UPDATE,
  ROLLED_OUT_ERROR,
  FAILED_BEFORE_ANY_CHANGE,
]);

/**
 * Why `instanceType` may not be rolled out on the group now: the last rollout this selection
 * started there was of the same type and failed (rolled back on an alarm or a failed launch, timed
 * out; not one that ended `NOT_AGAINST_THE_TYPE`, nor one an operator stopped) less than
 * `FAILED_ROLLOUT_BACKOFF_MS` ago. The same recommendation tomorrow would
 * make one more version and refresh every instance twice more to the same end, every day. A
 * rollout this run itself started (a redelivery) is not held.
 * @throws what reading the record or the execution's status throws: never a guessed retry.
 */
export async function failedRolloutHold(
  { deps, runTimeMs }: GroupContext,
  groupName: string,
  instanceType: string,
): Promise<string | undefined> {
  const nowMs = deps.clock.nowMs();
  const rollout = await deps.rollouts?.lastRollout(groupName, nowMs);
  // One this very run started (a redelivery) is reported by `applyChange`, however it ended.
  if (rollout?.instanceType !== instanceType || rollout.runTimeMs === runTimeMs) return undefined;
  const retryAtMs = rollout.runTimeMs + FAILED_ROLLOUT_BACKOFF_MS;
  // Measured between the runs' scheduled times, as a redelivery repeats its run's.
  if (runTimeMs >= retryAtMs) return undefined;
  const { status, error } = await deps.applier.rolloutEnding(rollout.executionArn);
  if (status !== 'FAILED' && status !== 'TIMED_OUT') return undefined;
  if (error !== undefined && NOT_AGAINST_THE_TYPE.has(error)) return undefined;
  return `the rolling update ${rollout.executionArn} to ${instanceType}, started ${new Date(rollout.runTimeMs).toISOString()}, ended ${status}${error ? ` with ${error}` : ''} (its execution says why): Prescale does not try ${instanceType} on the group again before ${new Date(retryAtMs).toISOString()}`;
}

/**
 * Why a mixed-instances group is not re-typed: it launches Spot Instances at some capacity it may
 * reach (`spotLaunches`), up to its MaxSize plus the raise the scaling loop may make over it
 * (`maxRaiseOverMaxSize`). Selection prices On-Demand, and new overrides would cut the group's Spot
 * pools to the selection's few types. Asked on the first read and on the group re-read right
 * before the change, whose MaxSize may have moved.
 */
export function spotGroupHold({ config }: GroupContext, group: GroupSnapshot): string | undefined {
  if (!group.mixedInstances) return undefined;
  const { settings } = resolveGroupSettings(config, group.name, group.tags);
  const spot = spotLaunches(
    group.mixedInstances.instancesDistribution,
    group.maxSize + settings.maxRaiseOverMaxSize,
  );
  if (!spot) return undefined;
  return `the group launches Spot Instances (${spot}): Prescale compares On-Demand prices, and re-typing a Spot group would cut its Spot pools to the selection's types; change its overrides yourself`;
}

/**
 * Why no change may be applied to a group that runs again the types Prescale last changed it from
 * (`appliedChangeStanding`): another actor, most often the owner's infrastructure as code on its
 * next deploy, put them back, and applying again would start a fight that each deploy renews (for
 * a single-type group, a rolling update replacing every instance each time). A single-type
 * group's rolling update is read (`rolloutEnding`) to tell a revert from its own rollback
 * (`revertedChangeReason`). Undefined when nothing is recorded, the change is in place, or the
 * group runs other types (the owner's new baseline).
 * @throws what reading the record or the execution throws: never a guessed re-apply.
 */
export async function revertedChangeHold(
  { deps }: GroupContext,
  groupName: string,
  currentTypes: readonly string[],
): Promise<string | undefined> {
  const applied = await deps.appliedChanges?.lastApplied(groupName);
  if (!applied || appliedChangeStanding(applied, currentTypes) !== 'reverted') return undefined;
  const rollout =
    applied.kind === 'launch-template-version' && applied.executionArn !== undefined
      ? await deps.applier.rolloutEnding(applied.executionArn)
      : undefined;
  return revertedChangeReason(applied, rollout);
}
