import type { RefreshProblem } from '../rolling-update/assess-refresh-progress';
import { CHILD_CAUSE_MAX_CHARS, childFailure, cutChildDetail } from './child-detail';
import { cutCause } from './cut-cause';
import { planChildName } from './plan-child-name';
import {
  CHILD_DETAIL_NOT_CUT,
  type ChildOutcome,
  type ExpectedLaunchTemplate,
  GROUP_CHANGED_SINCE_PLAN,
  GROUP_DELETED_DURING_UPDATE,
  GROUP_NO_LONGER_EXISTS,
  type PlanChild,
  type PlanGroupRun,
  type PlanProgress,
  type PlanStep,
  ROLLED_OUT_ERROR,
  type RunnablePlan,
} from './types';

/** What {@link nextPlanStep} decides from. */
export interface NextPlanStepInput {
  readonly plan: RunnablePlan;
  /** The step just taken; absent on the first call. */
  readonly previous?: PlanStep;
  /** What the previous step's children did (a slot's updates or the undo's reverts). */
  readonly results?: readonly ChildOutcome[];
  /** A task error the state machine caught (the Map itself or a Lambda failed). */
  readonly error?: { readonly Error: string; readonly Cause?: string };
  /** An operator's cancel request, if one was made. */
  readonly cancel?: { readonly reason: string; readonly requestedAtMs: number };
  readonly nowMs: number;
  /** Longest single wait, so a cancel is seen within this long. */
  readonly checkIntervalSeconds: number;
  /** How long a revert may wait before it must start (its deadline), seconds. */
  readonly undoDeadlineSeconds: number;
}

const START: PlanProgress = { nextSlot: 0, updated: [], deleted: [], log: [] };

/** Most characters of the plan's own failure cause: below the 32,768 an execution's cause may have. */
export const PLAN_CAUSE_MAX_CHARS = 30_000;

/**
 * The parent state machine's next step: wait for the next slot's start (in chunks, to notice a
 * cancel), run the slot's groups, and after each slot continue only when every group succeeded or
 * was deleted by its owner meanwhile (its update ended on it: the new version did not fail, so the
 * other groups' updates stand, and the plan names it in its progress, `deleted`).
 * A group that failed or was deferred, a caught task error or a cancel turn into `undo`: revert
 * the groups this plan already updated, latest slot first and downstream before upstream within
 * a slot (reverse dependency order). After the undo, `fail` with the reason and what was undone.
 * After the last slot, `done`, unless a cancel was recorded by then: it arrived while that slot's
 * children ran (the operator was told `cancel-requested`), so it undoes the plan like any other.
 * A cancel after this last decision finds the plan ended and changes nothing. Pure.
 */
export function nextPlanStep(input: NextPlanStepInput): PlanStep {
  const { previous } = input;
  const progress = previous?.progress ?? START;
  if (previous?.action === 'undo') return afterUndo(previous, input.results ?? [], input.error);
  if (previous?.action === 'done' || previous?.action === 'fail') return previous;

  let next = progress;
  if (previous?.action === 'run-slot') {
    const ran = recordSlot(input, previous, progress);
    next = ran.progress;
    if (ran.problems.length > 0) return undoAfterProblems(input, next, ran.problems);
  }
  if (input.error) {
    const cause = input.error.Cause ?? 'a step of the plan failed';
    return undo(
      input,
      next,
      input.error.Error,
      cutCause(cause, CHILD_CAUSE_MAX_CHARS, 'this execution’s history'),
    );
  }
  return stepTowardsNextSlot(input, next);
}

/** With nothing to undo from the last step: undo on a cancel, done, wait for, or run the next slot. */
function stepTowardsNextSlot(input: NextPlanStepInput, next: PlanProgress): PlanStep {
  const { plan, nowMs } = input;
  if (input.cancel) {
    return undo(input, next, 'PlanCancelled', `the plan was cancelled: ${input.cancel.reason}`);
  }
  const slot = plan.slots[next.nextSlot];
  if (!slot) {
    const deleted = next.deleted.map((d) => d.groupName);
    return {
      action: 'done',
      label: `All ${plan.slots.length} slot(s) done${deleted.length > 0 ? `; deleted during the plan, not updated: ${deleted.join(', ')}` : ''}`,
      waitSeconds: 0,
      children: [],
      progress: next,
    };
  }
  if (nowMs < slot.startMs) {
    const waitSeconds = Math.min(input.checkIntervalSeconds, Math.ceil((slot.startMs - nowMs) / 1000));
    return {
      action: 'wait',
      label: `Wait for slot ${next.nextSlot + 1} at ${new Date(slot.startMs).toISOString()}`,
      waitSeconds,
      children: [],
      progress: next,
      fallback: fallbackUndo(input, next.updated),
    };
  }
  if (nowMs >= slot.endMs) {
    return undo(
      input,
      next,
      'SlotMissed',
      `${slot.label.split(':')[0]} ended at ${new Date(slot.endMs).toISOString()} before it could start`,
    );
  }
  return {
    action: 'run-slot',
    label: slot.label,
    waitSeconds: 0,
    children: slot.groups,
    progress: next,
    fallback: fallbackUndo(input, [...next.updated, ...slot.groups]),
  };
}

/**
 * How far ahead the undo prepared for a failed decision may start. It runs maybe hours after the
 * decision (after a slot's refreshes, or a wait), where the usual hour would have passed and the
 * children would end Deferred, reverting nothing. A plan's slots lie at most 48 hours ahead; 72
 * hours stays within the week a request's deadline may be ahead, and `force` starts each at once.
 */
export const FALLBACK_UNDO_DEADLINE_SECONDS = 72 * 3600;

/** The undo of `updated` as the state machine runs it when the next decision fails. */
function fallbackUndo(input: NextPlanStepInput, updated: readonly UpdatedGroup[]): PlanStep['fallback'] {
  const children = undoChildren({ ...input, undoDeadlineSeconds: FALLBACK_UNDO_DEADLINE_SECONDS }, updated);
  return { label: undoLabel(children), children };
}

/**
 * The progress after a slot ran: its succeeded groups count as updated, and so do those that
 * rolled out before a later step failed, or may have ({@link rolledOut}); a group deleted meanwhile
 * ({@link groupDeleted}) is recorded as such and is no problem of the plan; every outcome is
 * logged. When the slot's Map itself failed there is no outcome per group, so every group of the
 * slot may have been updated, and is undone with the others (a revert of a group that was not is
 * harmless).
 */
function recordSlot(
  input: NextPlanStepInput,
  previous: PlanStep,
  progress: PlanProgress,
): { readonly progress: PlanProgress; readonly problems: readonly ChildOutcome[] } {
  const results =
    input.error && (input.results ?? []).length === 0
      ? previous.children.map((c): ChildOutcome => ({ ...c, status: 'Succeeded', detail: 'outcome unknown' }))
      : (input.results ?? []);
  const updated = results.filter((r) => r.status === 'Succeeded' || rolledOut(r));
  const deleted = results.filter(groupDeleted);
  const problems = results.filter((r) => r.status !== 'Succeeded' && !groupDeleted(r));
  return {
    progress: {
      nextSlot: progress.nextSlot + 1,
      updated: [...progress.updated, ...updated.map(groupRun)],
      deleted: [...progress.deleted, ...deleted.map(groupRun)],
      log: [
        ...progress.log,
        ...results.map(
          (r) =>
            `${r.label}: ${groupDeleted(r) ? 'Group deleted' : r.status}${r.detail ? ` (${cutChildDetail(r)})` : ''} [${r.executionArn ?? r.childName}]`,
        ),
      ],
    },
    problems,
  };
}

const groupRun = (r: ChildOutcome): PlanGroupRun => ({
  groupName: r.groupName,
  slotIndex: r.slotIndex,
  childName: r.childName,
});

/**
 * Did the child end because its group was deleted (GroupDeletedDuringUpdate once it had changed
 * the group, GroupNoLongerExists before)? The owner deleted it: not the new version failing, and
 * nothing is left to update or revert. Its Error is inside the Cause, as for {@link rolledOut}.
 */
function groupDeleted(outcome: ChildOutcome): boolean {
  if (outcome.status !== 'Failed') return false;
  const failure = childFailure(outcome.detail ?? '');
  return [GROUP_DELETED_DURING_UPDATE, GROUP_NO_LONGER_EXISTS].some(
    (error) => outcome.error === error || failure.startsWith(`${error}:`),
  );
}

/**
 * Did the revert find its group on another launch template or version than the plan left it on
 * (`GroupChangedSincePlan`, inside the Cause as for {@link groupDeleted})? It changed nothing.
 */
function groupChangedSincePlan(outcome: ChildOutcome): boolean {
  if (outcome.status !== 'Failed') return false;
  const failure = childFailure(outcome.detail ?? '');
  return outcome.error === GROUP_CHANGED_SINCE_PLAN || failure.startsWith(`${GROUP_CHANGED_SINCE_PLAN}:`);
}

/**
 * The Error a child fails with when its refresh was in a status Prescale does not know: its
 * rollback waited, then handed the refresh over without rolling it back, so it may still complete.
 */
const REFRESH_STATUS_UNKNOWN: RefreshProblem = 'RefreshStatusUnknown';

/**
 * Did the child roll its group out before a later step failed, or may it have? `startExecution.sync`
 * fails with States.TaskFailed and the child's own Error inside its Cause (`childFailure`). One
 * whose report could not be cut ({@link CHILD_DETAIL_NOT_CUT}) may have, and so may one that gave
 * up on a refresh status it does not know ({@link REFRESH_STATUS_UNKNOWN}).
 */
function rolledOut(outcome: ChildOutcome): boolean {
  if (outcome.status !== 'Failed') return false;
  const failure = childFailure(outcome.detail ?? '');
  // Whether these rolled out is unknown: reverting a group that did not is harmless, leaving one
  // on a failed version is not.
  return (
    [ROLLED_OUT_ERROR, REFRESH_STATUS_UNKNOWN].some(
      (error) => outcome.error === error || failure.startsWith(`${error}:`) || failure === error,
    ) || outcome.detail === CHILD_DETAIL_NOT_CUT
  );
}

/**
 * The undo after a slot where a group failed or was deferred, named after the first such group,
 * or `PlanCancelled` when the plan was cancelled meanwhile (its waiting children defer on it).
 */
function undoAfterProblems(
  input: NextPlanStepInput,
  progress: PlanProgress,
  problems: readonly ChildOutcome[],
): PlanStep {
  const first = problems[0] as ChildOutcome;
  const outcomes = problems
    .map(
      (p) =>
        `${p.label} ${p.status.toLowerCase()}${p.error ? ` with ${p.error}` : ''}${p.detail ? `: ${cutChildDetail(p)}` : ''}`,
    )
    .join('; ');
  // A child still waiting for its window when the plan was cancelled defers (`held: update plan
  // … was cancelled`): the plan ends as cancelled, not as if the child had found no window.
  if (input.cancel) {
    return undo(
      input,
      progress,
      'PlanCancelled',
      `the plan was cancelled: ${input.cancel.reason}; ${outcomes}`,
    );
  }
  return undo(
    input,
    progress,
    first.status === 'Deferred' ? 'GroupUpdateDeferred' : 'GroupUpdateFailed',
    outcomes,
  );
}

function undo(input: NextPlanStepInput, progress: PlanProgress, error: string, cause: string): PlanStep {
  const children = undoChildren(input, progress.updated);
  return {
    action: 'undo',
    label: undoLabel(children),
    waitSeconds: 0,
    children,
    progress: { ...progress, log: [...progress.log, `undo: ${cause}`] },
    error,
    cause,
  };
}

type UpdatedGroup = Pick<PlanChild, 'groupName' | 'slotIndex'>;

/**
 * The reverts of `updated`, latest slot first and downstream before upstream within a slot. Each
 * expects its group on the version the plan updated it to, or still on the one it had (an update
 * that failed and rolled back, or never ran): on any other its owner changed it since, and the
 * revert leaves it alone rather than replace the owner's release with the plan's old version.
 */
function undoChildren(input: NextPlanStepInput, updated: readonly UpdatedGroup[]): PlanChild[] {
  const { plan, nowMs } = input;
  const rank = new Map(plan.order.map((g, i) => [g, i]));
  const groupOf = new Map(plan.groups.map((g) => [g.groupName, g]));
  const ordered = [...updated].sort(
    (a, b) => b.slotIndex - a.slotIndex || (rank.get(b.groupName) ?? 0) - (rank.get(a.groupName) ?? 0),
  );
  const deadline = new Date(nowMs + input.undoDeadlineSeconds * 1000).toISOString();
  return ordered.map((u) => ({
    groupName: u.groupName,
    label: `Undo slot ${u.slotIndex + 1}: ${u.groupName}`,
    childName: planChildName(plan.planName, 'undo', u.slotIndex, u.groupName),
    slotIndex: u.slotIndex,
    input: {
      groupName: u.groupName,
      launchTemplateVersion: groupOf.get(u.groupName)?.previousVersion ?? '',
      reason: 'manual',
      force: true,
      skipMatching: true,
      deadline,
      planExecutionName: plan.planName,
      ...revertExpects(groupOf.get(u.groupName)),
    },
  }));
}

/** What a revert expects its group on; nothing for a plan recorded without launch templates. */
function revertExpects(
  group: RunnablePlan['groups'][number] | undefined,
): { expectedLaunchTemplate: ExpectedLaunchTemplate } | Record<string, never> {
  if (group?.launchTemplateId === undefined) return {};
  const versions = [...new Set([group.targetVersion, group.previousVersion])];
  return { expectedLaunchTemplate: { id: group.launchTemplateId, versions } };
}

function undoLabel(children: readonly PlanChild[]): string {
  return children.length > 0 ? children.map((c) => c.label).join(', ') : 'Nothing to undo';
}

/**
 * The plan's failure after its undo: why it failed, which groups are back on their previous
 * version (a revert that rolled out but failed a later step, the capacity restore say, is back
 * too, and named as needing attention) and which are NOT undone.
 */
function afterUndo(
  previous: PlanStep,
  results: readonly ChildOutcome[],
  error: { readonly Error: string; readonly Cause?: string } | undefined,
): PlanStep {
  const undone = results.filter((r) => r.status === 'Succeeded' || rolledOut(r));
  // A group deleted before its revert could run has nothing left to undo.
  const gone = results.filter(groupDeleted);
  // Its owner released another version since the plan touched it: left alone, theirs to judge.
  const changed = results.filter(groupChangedSincePlan);
  const settled = [...undone, ...gone, ...changed];
  const notUndone = previous.children.filter((c) => !settled.some((r) => r.childName === c.childName));
  const needsAttention = undone.length > results.filter((r) => r.status === 'Succeeded').length;
  const { deleted } = previous.progress;
  const parts = [
    `${previous.cause ?? 'the plan failed'}.`,
    ...undoneParts(previous, undone, changed),
    ...(gone.length > 0
      ? [`Deleted before its revert, nothing to undo: ${gone.map((r) => r.groupName).join(', ')}.`]
      : []),
    ...(changed.length > 0
      ? [
          `Changed by its owner since the plan touched it, left alone, needs attention: ${changed
            .map((r) => `${r.groupName} (${cutChildDetail(r)})`)
            .join(', ')}.`,
        ]
      : []),
    ...(deleted.length > 0
      ? [
          `Deleted during the plan, neither updated nor undone: ${deleted.map((d) => d.groupName).join(', ')}.`,
        ]
      : []),
    ...(notUndone.length > 0
      ? [
          `NOT undone, needs attention: ${notUndone
            .map((c) => {
              const r = results.find((x) => x.childName === c.childName);
              return `${c.groupName} (${r ? `${r.status}${r.detail ? `: ${cutChildDetail(r)}` : ''}` : (error?.Error ?? 'not run')})`;
            })
            .join(', ')}.`,
        ]
      : []),
  ];
  return {
    action: 'fail',
    label:
      notUndone.length > 0 || changed.length > 0
        ? 'Undo incomplete'
        : `Undo complete${needsAttention ? ', needs attention' : ''}`,
    waitSeconds: 0,
    children: [],
    progress: {
      ...previous.progress,
      updated: previous.progress.updated.filter((u) => !settled.some((r) => r.groupName === u.groupName)),
      deleted: [...deleted, ...gone.map(groupRun)],
      log: [
        ...previous.progress.log,
        ...results.map((r) => `${r.label}: ${r.status} [${r.executionArn ?? r.childName}]`),
      ],
    },
    error: previous.error ?? 'UpdatePlanFailed',
    cause: cutCause(parts.join(' '), PLAN_CAUSE_MAX_CHARS, 'each child execution’s history'),
  };
}

/** What was undone: nothing to undo, the groups put back, or none (unless every revert left its group to its owner). */
function undoneParts(
  previous: PlanStep,
  undone: readonly ChildOutcome[],
  changed: readonly ChildOutcome[],
): string[] {
  if (previous.children.length === 0) return ['Nothing had been updated, so nothing was undone.'];
  if (undone.length > 0) return [`Undone: ${undone.map((r) => undoneGroup(previous, r)).join(', ')}.`];
  return changed.length === previous.children.length ? [] : ['Undone: none.'];
}

/** A group its revert put back on its previous version, and what needs attention when it rolled out. */
function undoneGroup(previous: PlanStep, revert: ChildOutcome): string {
  const version = previous.children.find((c) => c.childName === revert.childName)?.input
    .launchTemplateVersion;
  const attention =
    revert.status === 'Succeeded'
      ? ''
      : `; its version is back, but the revert needs attention: ${cutChildDetail(revert)}`;
  return `${revert.groupName} (back to v${version} by ${revert.childName}${attention})`;
}
