const HOUR_MS = 3_600_000;

/** The least time plan locks outlive the last slot, however short the groups' refreshes. */
export const MIN_PLAN_LOCK_MARGIN_MS = 12 * HOUR_MS;

/**
 * How long the plan locks must outlive the last slot for the undo to finish under them. Each revert
 * child is accepted only while the plan holds its group (an expired lock reads as none), and the
 * undo runs the reverts one at a time: the last may start after every other group's revert ran its
 * whole refresh allowance. Before the undo, a child of the last slot may start at the slot's end
 * and run its own allowance. So: the longest allowance in the last slot plus every group's.
 * @param allowanceSecondsByGroup each updating group's refresh allowance (`refreshAllowanceSeconds`)
 * @param lastSlotGroups the groups of the plan's last slot
 */
export function planLockMarginMs(
  allowanceSecondsByGroup: ReadonlyMap<string, number>,
  lastSlotGroups: readonly string[],
): number {
  const allowanceMs = (group: string) => (allowanceSecondsByGroup.get(group) ?? 0) * 1000;
  const lastSlotOverrunMs = Math.max(0, ...lastSlotGroups.map(allowanceMs));
  const undoMs = [...allowanceSecondsByGroup.keys()].reduce((sum, g) => sum + allowanceMs(g), 0);
  return Math.max(MIN_PLAN_LOCK_MARGIN_MS, lastSlotOverrunMs + undoMs);
}
