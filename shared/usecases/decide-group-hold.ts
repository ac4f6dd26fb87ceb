import { GROUP_TAGS } from '../contracts/env';
import { decideHold, type HoldDecision } from '../core/planning/decide-hold';
import type { GroupSnapshot } from '../ports/scaling-target';
import type { StateStore } from '../ports/state-store';

/** A state store with no lock in it: for a decision made where no lock can be held (yet). */
export const NO_LOCKS: Pick<StateStore, 'getLock'> = { getLock: async () => undefined };

/**
 * What decides a group's hold beyond its snapshot: the deployment deciding, the run's mode, the
 * dry run, the kill switch.
 */
export interface GroupHoldContext {
  /** The deployment deciding (its stack name): a group another deployment manages is held. */
  readonly deployment: string;
  readonly mode: 'forecast-only' | 'forecast-and-scale';
  readonly dryRun: boolean;
  readonly globallyPaused: boolean;
  readonly nowMs: number;
  /**
   * False for a decision that changes no capacity (instance types): another forecaster scaling the
   * group does not hold it. @default true
   */
  readonly changesCapacity?: boolean;
}

/**
 * Whether a run may change the group (`decideHold`), from what is known without planning: the
 * snapshot (the group being deleted, the deployment that manages it, pause tag, instance refresh,
 * suspended processes, a predictive scaling policy that scales it), the group's lock read now, the mode, the dry run and
 * the kill switch.
 *
 * @throws what `StateStore.getLock` throws.
 */
export async function decideGroupHold(
  stateStore: Pick<StateStore, 'getLock'>,
  group: GroupSnapshot,
  context: GroupHoldContext,
): Promise<HoldDecision> {
  const lock = await stateStore.getLock(group.name, context.nowMs);
  const pausedTagValue = group.tags[GROUP_TAGS.paused];
  const managedBy = group.tags[GROUP_TAGS.deployment];
  return decideHold({
    deployment: context.deployment,
    ...(managedBy !== undefined ? { managedBy } : {}),
    mode: context.mode,
    dryRun: context.dryRun,
    ...(pausedTagValue !== undefined ? { pausedTagValue } : {}),
    globallyPaused: context.globallyPaused,
    instanceRefreshInProgress: group.instanceRefreshInProgress,
    deleting: group.deleting,
    ...(lock ? { lockHolder: lock.holder } : {}),
    suspendedProcesses: group.suspendedProcesses,
    ...(group.predictiveScalingPolicy !== undefined && context.changesCapacity !== false
      ? { predictiveScalingPolicy: group.predictiveScalingPolicy }
      : {}),
  });
}
