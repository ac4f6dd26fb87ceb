/**
 * The update plan as the parent state machine runs it. The zod schemas in
 * shared/contracts/update-plan.ts describe the same shapes on the wire.
 */

/** Input of one child rolling-update execution (the rolling-update request's fields). */
export interface PlanChildInput {
  readonly groupName: string;
  readonly launchTemplateVersion: string;
  readonly reason: 'manual';
  /** Undo runs at once; forward updates wait for low load within their slot. */
  readonly force: boolean;
  /** Undo: replace only instances not on the previous version (a group never updated: none). */
  readonly skipMatching: boolean;
  /** ISO 8601: the slot's end (forward) or the undo's latest start. */
  readonly deadline: string;
  /** The plan execution holding the group's plan lock. */
  readonly planExecutionName: string;
  /**
   * What the plan expects the group to launch from when the child starts: the version the plan
   * was computed on (an update), or either that or the one it updated the group to (a revert). A
   * group on anything else was changed by its owner since: the child refuses it
   * (`GroupChangedSincePlan`) and changes nothing. Absent for a plan recorded without its
   * groups' launch templates (computed before 2026-12-07).
   */
  readonly expectedLaunchTemplate?: ExpectedLaunchTemplate;
}

/** A launch template and the explicit versions of it a plan's child may find its group on. */
export interface ExpectedLaunchTemplate {
  readonly id: string;
  readonly versions: string[];
}

/** One group's child execution in a slot or in the undo. */
export interface PlanChild {
  readonly groupName: string;
  /** "Slot 2: update api" or "Undo slot 1: web": how the plan reads in the execution history. */
  readonly label: string;
  /** Name of the child rolling-update execution, e.g. `plan-…-s2-api`. */
  readonly childName: string;
  /** Position of the slot in the run, from 0. */
  readonly slotIndex: number;
  readonly input: PlanChildInput;
}

/** A slot that updates something, in run order. Times in epoch ms. */
export interface PlanSlot {
  readonly slotIndex: number;
  /** "Slot 2 of 3: update api, db" */
  readonly label: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly groups: readonly PlanChild[];
}

/** A computed plan, as far as running it is concerned. */
export interface RunnablePlan {
  readonly planName: string;
  readonly groups: readonly {
    readonly groupName: string;
    readonly targetVersion: string;
    readonly previousVersion: string;
    /** The launch template the group ran when the plan was computed (absent before 2026-12-07). */
    readonly launchTemplateId?: string;
  }[];
  readonly slots: readonly PlanSlot[];
  /** Upstream first. */
  readonly order: readonly string[];
}

/** One child's outcome, as the Map iteration reports it. */
/**
 * The Error a rolling update ends with when its refresh rolled out and a later step failed (the
 * capacity restore, say): the group is on the new version, so a plan counts it as updated and
 * undoes it with the others. The step's own error is in the Cause.
 */
export const ROLLED_OUT_ERROR = 'RolledOutNeedsAttention';

/**
 * The Error a rolling update ends with when its Auto Scaling group was deleted (or is being
 * deleted) once the update had changed it: nothing is left to roll back or restore.
 */
export const GROUP_DELETED_DURING_UPDATE = 'GroupDeletedDuringUpdate';

/**
 * The Error a rolling update ends with when its Auto Scaling group was deleted (gone, or being
 * deleted) before anything was started: nothing was changed.
 */
export const GROUP_NO_LONGER_EXISTS = 'GroupNoLongerExists';

/**
 * The Error a rolling update ends with when a step failed before it added headroom: nothing was
 * started, rolled back or restored, so the new version was never tried (an instance-type change
 * is not held against its type). The step's own Error is in the Cause.
 */
export const FAILED_BEFORE_ANY_CHANGE = 'FailedBeforeAnyChange';

/**
 * The Error a rolling update ends with when its rollback branch gave up with a refresh still
 * replacing instances (its roll-back or cancel never accepted, a rollback or cancel still under
 * way, or a refresh it did not start): nothing more was undone and capacity was held, not
 * restored. The group may yet end on either version, so a plan counts it neither updated nor
 * undone: it needs attention. The step's own Error is in the Cause.
 */
export const REFRESH_LEFT_RUNNING = 'RefreshLeftRunning';

/**
 * The Error an update plan's child is refused with when its group no longer launches from the
 * launch template and version the plan expects (`expectedLaunchTemplate`): its owner changed it
 * since the plan was computed or updated it. Nothing was started, so the owner's change stands.
 */
export const GROUP_CHANGED_SINCE_PLAN = 'GroupChangedSincePlan';

/**
 * A child's `detail` when the slot's Map could not cut its report to size (the cutting Lambda
 * failed): the text stays in the plan execution's history. A failed child so reported counts as
 * possibly rolled out, and is reverted with the others.
 */
export const CHILD_DETAIL_NOT_CUT =
  'its report could not be cut to size; the whole text is in this plan execution’s history';

export interface ChildOutcome {
  readonly groupName: string;
  readonly label: string;
  readonly childName: string;
  readonly slotIndex: number;
  readonly status: 'Succeeded' | 'Deferred' | 'Failed';
  /** The child execution, for the console link (absent when it failed to start). */
  readonly executionArn?: string;
  /** The child's `reason`, or the error's Cause. */
  readonly detail?: string;
  readonly error?: string;
}

/** One group's child execution, as the plan's progress records it. */
export interface PlanGroupRun {
  readonly groupName: string;
  readonly slotIndex: number;
  readonly childName: string;
}

/** What the plan has done so far. */
export interface PlanProgress {
  /** Index into `slots` of the next slot to run. */
  readonly nextSlot: number;
  /** Groups updated by this plan and not undone, in the order they finished. */
  readonly updated: readonly PlanGroupRun[];
  /**
   * Groups deleted by their owner while the plan ran (their update or revert ended on it): neither
   * updated nor to undo, and no failure of the plan.
   */
  readonly deleted: readonly PlanGroupRun[];
  /**
   * Groups whose update ended with a refresh still replacing instances under it
   * (`RefreshLeftRunning`): neither updated nor undone, they need the operator's attention.
   */
  readonly leftRunning: readonly PlanGroupRun[];
  /** What happened, one line per event. */
  readonly log: readonly string[];
}

/** The parent's next step. */
export interface PlanStep {
  readonly action: 'wait' | 'run-slot' | 'undo' | 'done' | 'fail';
  /** The step in words: "Slot 2 of 3: update api", "Undo slot 1: web", "Wait for slot 1 at …". */
  readonly label: string;
  readonly waitSeconds: number;
  /** The children to run now: a slot's updates, or the undo's reverts (reverse dependency order). */
  readonly children: readonly PlanChild[];
  readonly progress: PlanProgress;
  /** Why the plan is being undone, or failed (`undo`, `fail`). */
  readonly error?: string;
  readonly cause?: string;
  /**
   * The undo the state machine runs on its own when the next decision cannot be made (the Lambda
   * still fails after its retries): every group updated so far and, after `run-slot`, the slot's
   * groups too, whose outcome only that decision would have read (reverting a group that was not
   * updated changes nothing). Set on `wait` and `run-slot`.
   */
  readonly fallback?: { readonly label: string; readonly children: readonly PlanChild[] };
}
