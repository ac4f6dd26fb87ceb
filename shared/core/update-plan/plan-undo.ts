/**
 * The undo half of an update plan: build the reverts of the groups the plan updated, and after
 * they ran, the plan's failure naming what was undone and what was not. Pure.
 */
import { cutChildDetail } from './child-detail';
import { groupChangedSincePlan, groupDeleted, groupRun, rolledOut } from './child-outcome';
import { cutCause } from './cut-cause';
import { planChildName } from './plan-child-name';
import type {
  ChildOutcome,
  ExpectedLaunchTemplate,
  PlanChild,
  PlanProgress,
  PlanStep,
  RunnablePlan,
} from './types';

/** Most characters of the plan's own failure cause: below the 32,768 an execution's cause may have. */
export const PLAN_CAUSE_MAX_CHARS = 30_000;

/** What an undo is built from: the plan, the time now and how long its reverts may wait to start. */
export interface UndoInput {
  readonly plan: RunnablePlan;
  readonly nowMs: number;
  /** How long a revert may wait before it must start (its deadline), seconds. */
  readonly undoDeadlineSeconds: number;
}

/** The undo step: revert the groups the plan updated so far, then fail with `error` and `cause`. */
export function undo(input: UndoInput, progress: PlanProgress, error: string, cause: string): PlanStep {
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

export type UpdatedGroup = Pick<PlanChild, 'groupName' | 'slotIndex'>;

/**
 * The reverts of `updated`, latest slot first and downstream before upstream within a slot. Each
 * expects its group on the version the plan updated it to, or still on the one it had (an update
 * that failed and rolled back, or never ran): on any other its owner changed it since, and the
 * revert leaves it alone rather than replace the owner's release with the plan's old version.
 */
export function undoChildren(input: UndoInput, updated: readonly UpdatedGroup[]): PlanChild[] {
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

export function undoLabel(children: readonly PlanChild[]): string {
  return children.length > 0 ? children.map((c) => c.label).join(', ') : 'Nothing to undo';
}

/**
 * The plan's failure after its undo: why it failed, which groups are back on their previous
 * version (a revert that rolled out but failed a later step, the capacity restore say, is back
 * too, and named as needing attention), which are NOT undone, and those an update left with a
 * refresh running (neither updated nor undone: they need attention too).
 */
export function afterUndo(
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
  const { deleted, leftRunning } = previous.progress;
  const needsAttention =
    undone.length > results.filter((r) => r.status === 'Succeeded').length || leftRunning.length > 0;
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
    ...(leftRunning.length > 0
      ? [
          `Left with a refresh running, neither updated nor undone: ${leftRunning.map((g) => g.groupName).join(', ')}.`,
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
