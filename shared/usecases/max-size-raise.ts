import type { GroupSnapshot } from '../ports/scaling-target';
import type { GroupState, RunOutcome } from '../ports/state-store';

/**
 * The group's state as this run should read it: Prescale's MaxSize raise forgotten when the group's
 * MaxSize is neither the one Prescale raised it to nor the one it restores. Someone set it since
 * (the DemandAboveMaxSize runbook asks the operator to), and their MaxSize is the group's own from
 * now on: restoring the stored one would undo their change. A state written before the raised value
 * was kept cannot tell, and keeps its raise.
 */
export function withOperatorsMaxSize(
  previous: GroupState | undefined,
  group: Pick<GroupSnapshot, 'maxSize'>,
): GroupState | undefined {
  if (previous?.originalMaxSize === undefined || previous.raisedMaxSize === undefined) return previous;
  if (group.maxSize === previous.raisedMaxSize || group.maxSize === previous.originalMaxSize) return previous;
  const { originalMaxSize: _original, raisedMaxSize: _raised, ...rest } = previous;
  return rest;
}

/**
 * MaxSize as the user set it, while Prescale's raise of it is in place: kept from a raise applied
 * now or before, dropped once a run restores it.
 */
export function originalMaxSizeAfter(
  group: GroupSnapshot,
  run: { readonly previous: GroupState | undefined; readonly plannedMaxSize: number },
  outcome: RunOutcome,
): number | undefined {
  const { previous, plannedMaxSize } = run;
  const wasApplied = outcome.kind === 'applied';
  const raisedMax = wasApplied && plannedMaxSize > (previous?.originalMaxSize ?? group.maxSize);
  const restoredMax =
    wasApplied && previous?.originalMaxSize !== undefined && plannedMaxSize === previous.originalMaxSize;
  return raisedMax
    ? (previous?.originalMaxSize ?? group.maxSize)
    : restoredMax
      ? undefined
      : previous?.originalMaxSize;
}

/** The MaxSize Prescale's raise has put on the group after this run; undefined without a raise. */
export function raisedMaxSizeAfter(
  run: { readonly previous: GroupState | undefined; readonly plannedMaxSize: number },
  outcome: RunOutcome,
  originalMaxSize: number | undefined,
): number | undefined {
  if (originalMaxSize === undefined) return undefined;
  return outcome.kind === 'applied' ? run.plannedMaxSize : run.previous?.raisedMaxSize;
}

/**
 * What a held run must say about a raise it leaves in place: a hold changes nothing, so MaxSize
 * stays above the group's own until a run that is not held restores it (or the operator does).
 */
export function raiseLeftInPlace(
  previous: GroupState | undefined,
  group: Pick<GroupSnapshot, 'maxSize'>,
): string | undefined {
  const own = previous?.originalMaxSize;
  if (own === undefined || group.maxSize <= own) return undefined;
  return `MaxSize ${group.maxSize} is Prescale's raise over the group's own ${own}, left in place while held: the next run that is not held restores it, or set it back by hand`;
}
