import { CHILD_CAUSE_MAX_CHARS, cutChildDetail } from './child-detail';
import { groupDeleted, groupRun, refreshLeftRunning, rolledOut } from './child-outcome';
import { cutCause } from './cut-cause';
import { afterUndo, type UpdatedGroup, undo, undoChildren, undoLabel } from './plan-undo';
import type { ChildOutcome, PlanProgress, PlanStep, RunnablePlan } from './types';

// The undo's failure cause is cut to it; still exported from here, where it always was.
export { PLAN_CAUSE_MAX_CHARS } from './plan-undo';

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

const START: PlanProgress = { nextSlot: 0, updated: [], deleted: [], leftRunning: [], log: [] };

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
 * ({@link groupDeleted}) is recorded as such and is no problem of the plan; one left with a refresh
 * running ({@link refreshLeftRunning}) is recorded for the undo to name; every outcome is logged. When the slot's Map itself failed there is no outcome per group, so every group of the
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
  const leftRunning = problems.filter(refreshLeftRunning);
  return {
    progress: {
      nextSlot: progress.nextSlot + 1,
      updated: [...progress.updated, ...updated.map(groupRun)],
      deleted: [...progress.deleted, ...deleted.map(groupRun)],
      leftRunning: [...progress.leftRunning, ...leftRunning.map(groupRun)],
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

/**
 * A failed or deferred child as the plan's cause names it. One that left a refresh running
 * ({@link refreshLeftRunning}) is not undone with the others, so the cause says it needs attention.
 */
function problemOutcome(p: ChildOutcome): string {
  const how = refreshLeftRunning(p)
    ? 'left a refresh running, neither updated nor undone, needs attention'
    : `${p.status.toLowerCase()}${p.error ? ` with ${p.error}` : ''}`;
  return `${p.label} ${how}${p.detail ? `: ${cutChildDetail(p)}` : ''}`;
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
  const outcomes = problems.map(problemOutcome).join('; ');
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
