import { ROLLED_OUT_ERROR } from '../update-plan/types';

/** A group's instance types on one side of a change Prescale applied. */
export interface AppliedTypes {
  /** A mixed group's override types in their order, or a single-type group's one type. */
  readonly instanceTypes: readonly string[];
  /**
   * A single-type group's launch template version: the one it launched (`from`) and the one
   * Prescale made (`to`). Absent for a mixed group, whose overrides are written in place.
   */
  readonly launchTemplateVersion?: number;
}

/** The last change of a group's instance types Prescale applied, as recorded after the write. */
export interface AppliedInstanceTypeChange {
  /** `overrides`: a mixed group's, written at once; `launch-template-version`: rolled out. */
  readonly kind: 'overrides' | 'launch-template-version';
  /** The run that applied it: its scheduled time (epoch ms). */
  readonly appliedAtMs: number;
  readonly from: AppliedTypes;
  readonly to: AppliedTypes;
  /** The launch template a single-type group's new version was made in. */
  readonly launchTemplateId?: string;
  /** The rolling update of a single-type group's new version (its Step Functions execution ARN). */
  readonly executionArn?: string;
}

/**
 * Where the group stands against the change Prescale last applied to it, from the types it runs
 * now (`currentTypes`, a mixed group's overrides in their order): `in-place` when they are the
 * types applied, `reverted` when they are the ones it changed from, `new-baseline` when neither
 * (the owner chose other types: selection starts over from them). Compared in order: a mixed
 * group's order decides what it launches first, and a tool that restores a declared policy
 * restores its order too.
 */
export function appliedChangeStanding(
  change: AppliedInstanceTypeChange,
  currentTypes: readonly string[],
): 'in-place' | 'reverted' | 'new-baseline' {
  const same = (types: readonly string[]) =>
    types.length === currentTypes.length && types.every((t, i) => t === currentTypes[i]);
  if (same(change.to.instanceTypes)) return 'in-place';
  if (same(change.from.instanceTypes)) return 'reverted';
  return 'new-baseline';
}

/** How an operator lets Prescale apply again to a group whose change was reverted. */
const OPT_BACK_IN =
  'to let Prescale apply again, delete its applied-change record (docs/pricing.md, "Groups an infrastructure-as-code tool manages"), or change the types in the code: to the recommended ones, or to others, which Prescale takes as the new baseline';

/**
 * Why a change must not be applied to a group that runs again the types Prescale changed from
 * (`appliedChangeStanding` is `reverted`), or undefined when its return is not another actor's
 * doing. A mixed group's overrides were written at once: anyone who put the old ones back reverted
 * them. A single-type group's type reached it only through a rolling update (`rollout`, the
 * status of its execution, its outcome's and its Error): one that `SUCCEEDED` having rolled out,
 * or failed after rolling out (`ROLLED_OUT_ERROR`: "Rolled out, needs attention", "Rolled out,
 * capacity not restored"), was reverted since; one that succeeded by deferring (no low-load
 * window before its deadline), failed otherwise, was stopped or still runs never left the group
 * on the new type, so the usual holds decide
 * (`failedRolloutHold`, `runningRolloutHold`); one that can no longer be read (`NOT_STARTED`: Step
 * Functions keeps a closed execution 90 days, or the workflow was replaced) may have been either,
 * and is held, as re-applying a reverted change is the fight this avoids.
 */
export function revertedChangeReason(
  change: AppliedInstanceTypeChange,
  rollout?: { readonly status: string; readonly outcome?: string; readonly error?: string },
): string | undefined {
  // Deferred is a success of the workflow that changed nothing; any other outcome (or none read)
  // of a succeeded execution is taken as rolled out: re-applying a revert is the fight this avoids.
  const rolledOut =
    rollout?.status === 'SUCCEEDED'
      ? rollout.outcome !== 'Deferred'
      : rollout?.status === 'FAILED' && rollout.error === ROLLED_OUT_ERROR;
  const applied = new Date(change.appliedAtMs).toISOString();
  const fromTo = `${change.from.instanceTypes.join(', ')} → ${change.to.instanceTypes.join(', ')}`;
  const runs = `the group runs ${change.from.instanceTypes.join(', ')} again`;
  if (change.kind === 'overrides' || rolledOut)
    return `the change Prescale applied (${fromTo}) was reverted since ${applied} by another actor (e.g. the owner's infrastructure as code): ${runs}; Prescale will not re-apply it, as each deploy of the owner would undo it again: ${OPT_BACK_IN}`;
  if (rollout?.status === 'NOT_STARTED')
    return `the change Prescale applied (${fromTo}) was either reverted since ${applied} by another actor (e.g. the owner's infrastructure as code) or rolled back by its rolling update ${change.executionArn ?? '(unknown)'}, whose execution can no longer be read (Step Functions keeps a closed one 90 days): ${runs}; Prescale will not re-apply it: ${OPT_BACK_IN}`;
  return undefined;
}
