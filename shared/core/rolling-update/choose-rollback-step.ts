import {
  ACTIVE_REFRESH_STATUSES,
  isKnownRefreshStatus,
  type RefreshStatus,
  SETTLING_REFRESH_STATUSES,
} from './types';

/** A refresh as the rollback branch sees it. */
export interface RefreshSummary {
  readonly id: string;
  /** As Auto Scaling reports it: a status added after this code was written is not acted on. */
  readonly status: RefreshStatus;
}

/** Input of {@link chooseRollbackStep}. */
export interface RollbackInput {
  /**
   * Whether Auto Scaling can roll this refresh back itself (RollbackInstanceRefresh): it needs a
   * desired configuration, an explicit version and an AMI ID (not an SSM parameter) in the template.
   */
  readonly nativeRollback: boolean;
  /** The refresh this workflow started; undefined when it failed before starting one. */
  readonly forwardRefreshId?: string;
  /**
   * The refresh this workflow's start did create although the start failed (it took effect, then
   * answered an error, and its retry met `InstanceRefreshInProgress`): `ownStartedRefresh`.
   */
  readonly startedUnseen?: string;
  /**
   * Whether the fallback path pointed the group itself at the target version (no desired
   * configuration is possible there), so new instances launch it even when no refresh started.
   */
  readonly groupPointedAtTarget?: boolean;
  /** Whether the branch already pointed the group back at the previous version (`point-back`). */
  readonly groupPointedBack?: boolean;
  /** The refresh this workflow started to go back to the previous version, when it did. */
  readonly revertRefreshId?: string;
  /**
   * Whether the revert's start met `InstanceRefreshInProgress`: its own first attempt may have
   * taken effect and then failed (StartInstanceRefresh takes no client token), or someone else's
   * refresh runs.
   */
  readonly revertStartConflict?: boolean;
  /** The revert refresh that start did create although it failed (`ownStartedRevert`). */
  readonly revertStartedUnseen?: string;
  /** The group's recent refreshes (any order). */
  readonly refreshes: readonly RefreshSummary[];
  /** The explicit version the group ran before, when known; needed to revert. */
  readonly previousVersion?: string;
  /**
   * Whether the refresh's target is that version (a maintenance refresh): the instances it
   * replaced run what the others run, so a revert would change nothing.
   */
  readonly sameVersion?: boolean;
  readonly nowMs: number;
  /** Stop waiting for Auto Scaling after this and hand over to operators. */
  readonly giveUpAtMs: number;
  /**
   * Why the refresh is someone else's to decide now (processes suspended during it), when it is:
   * the branch then undoes nothing, so as not to act against them.
   */
  readonly leftToOperator?: string;
  /**
   * Whether the failure that started the branch was a permission refusal (`isPermissionRefusal`):
   * with nothing to undo, a person must still fix the deployment, or every update fails so.
   */
  readonly refusedPermission?: boolean;
  /**
   * The last error a roll-back or cancel of the forward refresh answered (`Error: Cause`), when
   * one did: named when the branch gives up on a refresh that stayed active.
   */
  readonly undoRefusal?: string;
  /**
   * Whether that last refusal was a permission refusal (`isPermissionRefusal`: IAM, an SCP): a
   * roll-back or cancel asked again meets it again, so the branch holds at once instead of asking
   * until the give-up.
   */
  readonly undoRefusedPermission?: boolean;
}

/**
 * The next step of the rollback branch:
 * - `adopt`: the refresh `refreshId` is this workflow's own although its start failed
 *   (`startedUnseen`): watch it as the forward refresh instead of leaving it running unwatched;
 * - `roll-back`: RollbackInstanceRefresh (native rollback available, refresh still active);
 * - `cancel`: CancelInstanceRefresh (no native rollback), followed by `revert`;
 * - `revert`: start a refresh back to the recorded previous version (after a cancel, a failure
 *   without auto rollback, or a failed rollback);
 * - `adopt-revert`: the refresh `refreshId` is the revert this workflow started although its start
 *   failed (`revertStartedUnseen`): watch it as the revert;
 * - `point-back`: point the group back at the previous version, when the fallback path had pointed
 *   it at the target but no refresh started (an operator's refresh already running, say): else
 *   every instance launched from then on would run the version that was never rolled out;
 * - `wait`: Auto Scaling is cancelling, rolling back or reverting, or reports a status this code
 *   does not know (it has added statuses before): look again later, and hand over past the give-up;
 * - `done`: nothing (more) to undo; `needsAttention` when a person should look at the group;
 * - `keep`: the refresh had succeeded before the step that failed (the restore, say, or a look
 *   that met it just ending): nothing is undone, the new version stays, and the workflow ends as
 *   a rollout that needs attention, not as a rollback that never ran;
 * - `leave`: nothing undone on purpose, the refresh is someone else's now (`leftToOperator`); the
 *   workflow ends apart from a rollback (its own end state, notification and record), since
 *   telling an operator that Prescale rolled back a refresh it left alone would send them looking
 *   for a rollback that never ran;
 * - `hold`: a refresh is still replacing instances when the wait for it gives up (the forward
 *   refresh still active because its roll-back or cancel was not accepted, at once when it was
 *   refused permission (`undoRefusedPermission`), or still rolling back
 *   or cancelling; or one this workflow did not start, which kept the revert from starting): the
 *   branch ends without restoring capacity, since a restore under that refresh would change the
 *   capacity it works with.
 */
export type RollbackStep = {
  readonly action:
    | 'adopt'
    | 'adopt-revert'
    | 'roll-back'
    | 'cancel'
    | 'revert'
    | 'point-back'
    | 'wait'
    | 'done'
    | 'keep'
    | 'leave'
    | 'hold';
  readonly reason: string;
  readonly needsAttention: boolean;
  /** The refresh to watch (`adopt` and `adopt-revert` only). */
  readonly refreshId?: string;
};

const step = (action: RollbackStep['action'], reason: string, needsAttention = false): RollbackStep => ({
  action,
  reason,
  needsAttention,
});

/**
 * The step when no refresh of this workflow started: `undoBeforeAnyRefresh`'s, and a person's
 * attention when it ends after a permission refusal, which the next update would meet again.
 */
function beforeAnyRefresh(input: RollbackInput): RollbackStep {
  const undo = undoBeforeAnyRefresh(input);
  if (!input.refusedPermission || undo.action !== 'done') return undo;
  return step(
    'done',
    `${undo.reason}, but a call the update needs was refused permission: every update of the group fails so until the deployment's IAM (or its launchPermissions) allows it`,
    true,
  );
}

/** What to undo when no refresh of this workflow started, as far as it knows: only a pointed group. */
function undoBeforeAnyRefresh(input: RollbackInput): RollbackStep {
  if (input.startedUnseen !== undefined) {
    return {
      ...step(
        'adopt',
        `the start of refresh ${input.startedUnseen} took effect before it failed (a retry met it in progress): watching it`,
      ),
      refreshId: input.startedUnseen,
    };
  }
  if (!input.groupPointedAtTarget) return step('done', 'no instance refresh had started; nothing to undo');
  if (input.groupPointedBack) {
    return step(
      'done',
      `no instance refresh had started; the group points at version ${input.previousVersion} again`,
    );
  }
  return input.previousVersion !== undefined
    ? step(
        'point-back',
        `no instance refresh had started; pointing the group back at version ${input.previousVersion}`,
      )
    : step(
        'done',
        'no instance refresh had started, but the group points at the target version and the previous version is not known',
        true,
      );
}

/**
 * Decides the rollback branch's next step from what Auto Scaling reports now, so the branch is a
 * loop (describe → decide → act → wait) that is safe to re-enter after any error: it never acts
 * on a refresh this workflow did not start.
 */
export function chooseRollbackStep(input: RollbackInput): RollbackStep {
  const waitOrGiveUp = (what: string) =>
    input.nowMs > input.giveUpAtMs
      ? step('done', `gave up waiting: ${what} at ${new Date(input.giveUpAtMs).toISOString()}`, true)
      : step('wait', what);
  if (input.forwardRefreshId === undefined) return beforeAnyRefresh(input);
  if (input.leftToOperator !== undefined) {
    return step(
      'leave',
      `${input.leftToOperator}; the refresh is left as it is to whoever did, to resume or undo`,
      true,
    );
  }
  if (input.revertRefreshId !== undefined)
    return revertRefreshStep(input, input.revertRefreshId, waitOrGiveUp);
  if (input.revertStartConflict) return revertConflictStep(input);
  const forward = input.refreshes.find((r) => r.id === input.forwardRefreshId);
  if (!forward) return step('done', 'the instance refresh is no longer listed', true);
  const revertOr = (why: string) => {
    if (input.sameVersion)
      return step(
        'done',
        `${why}; its instances run version ${input.previousVersion} as before: nothing to revert`,
      );
    return input.previousVersion !== undefined
      ? step('revert', `${why}; reverting to version ${input.previousVersion}`)
      : step('done', `${why}; the previous version is not known, so instances were not reverted`, true);
  };
  switch (forward.status) {
    case 'Pending':
    case 'InProgress':
    case 'Baking':
      return stopActiveRefresh(input, forward.status);
    case 'Cancelling':
    case 'RollbackInProgress':
      return input.nowMs > input.giveUpAtMs
        ? step(
            'hold',
            `gave up waiting: refresh ${forward.status} at ${new Date(input.giveUpAtMs).toISOString()}`,
            true,
          )
        : step('wait', `refresh ${forward.status}`);
    case 'RollbackSuccessful':
      return step('done', 'Auto Scaling rolled the refresh back');
    case 'RollbackFailed':
      return revertOr('the rollback failed');
    case 'Failed':
    case 'Cancelled':
      return revertOr(`refresh ${forward.status} after replacing some instances`);
    case 'Successful':
      return step('keep', 'the refresh had already succeeded; the new version stays', true);
    default:
      // Not one this code knows: it may still be replacing instances, so nothing is acted on and
      // capacity stays raised; it may yet turn into a known one, and the give-up bounds the wait.
      return waitOrGiveUp(unknownStatus('refresh', forward.status));
  }
}

/** The step once the revert refresh (`revertRefreshId`) was started: wait for it, or done. */
function revertRefreshStep(
  input: RollbackInput,
  revertRefreshId: string,
  waitOrGiveUp: (what: string) => RollbackStep,
): RollbackStep {
  const revert = input.refreshes.find((r) => r.id === revertRefreshId);
  if (!revert) return step('done', 'the revert refresh is no longer listed', true);
  if (!isKnownRefreshStatus(revert.status))
    return waitOrGiveUp(unknownStatus('revert refresh', revert.status));
  if (ACTIVE_REFRESH_STATUSES.includes(revert.status) || SETTLING_REFRESH_STATUSES.includes(revert.status)) {
    return waitOrGiveUp(`reverting to version ${input.previousVersion} (${revert.status})`);
  }
  return revert.status === 'Successful'
    ? step('done', `reverted to version ${input.previousVersion} by a second refresh`)
    : step('done', `the revert refresh to version ${input.previousVersion} ended ${revert.status}`, true);
}

/**
 * The revert's start met a refresh in progress: its own (a first attempt that took effect, then
 * failed), watched as the revert; or someone else's, which the branch neither reverts over nor
 * restores capacity under: it waits for it to end, then restores; past the give-up, it holds.
 */
function revertConflictStep(input: RollbackInput): RollbackStep {
  const unseen = input.revertStartedUnseen;
  if (unseen !== undefined) {
    return {
      ...step(
        'adopt-revert',
        `the start of revert refresh ${unseen} took effect before it failed (a retry met it in progress): watching it`,
      ),
      refreshId: unseen,
    };
  }
  const running = input.refreshes.find(
    (r) =>
      r.id !== input.forwardRefreshId &&
      (!isKnownRefreshStatus(r.status) ||
        ACTIVE_REFRESH_STATUSES.includes(r.status) ||
        SETTLING_REFRESH_STATUSES.includes(r.status)),
  );
  const notReverted = `the revert to version ${input.previousVersion} could not start`;
  if (running === undefined)
    return step(
      'done',
      `${notReverted}: a refresh this run did not start was in progress; instances were not reverted`,
      true,
    );
  const what = `${notReverted}: refresh ${running.id}, which this run did not start, is in progress (${running.status})`;
  return input.nowMs > input.giveUpAtMs
    ? step(
        'hold',
        `gave up waiting: ${what} at ${new Date(input.giveUpAtMs).toISOString()}; instances were not reverted`,
        true,
      )
    : step('wait', `${what}: waiting for it to end before restoring capacity`);
}

/** The wait's reason for a refresh in a status this code does not know. */
function unknownStatus(what: string, status: string): string {
  return `${what} in status ${status}, which Prescale does not know: waiting for one it does`;
}

/**
 * A forward refresh still active (`status`): rolled back, or cancelled where the group has no
 * native rollback. Auto Scaling can keep refusing either (ActiveInstanceRefreshNotFound while it
 * still lists the refresh active, or any error the branch looks again after): past the give-up,
 * hand over instead of looping until the lock expires and the execution runs into Step
 * Functions' history limit, holding capacity, since the refresh still replaces instances. A
 * permission refusal is handed over at once: no retry gets past IAM, and waiting out the give-up
 * (hours) only delays the person who must act.
 */
function stopActiveRefresh(input: RollbackInput, status: RefreshStatus): RollbackStep {
  const undo = input.nativeRollback ? 'rollback' : 'cancel';
  if (input.undoRefusedPermission) {
    return step(
      'hold',
      `gave up: refresh ${status} still active, its rollback or cancel refused permission (${input.undoRefusal ?? 'no detail'}): asked again, it is refused again until the deployment's IAM (or an SCP) allows it`,
      true,
    );
  }
  if (input.nowMs > input.giveUpAtMs) {
    const last = input.undoRefusal !== undefined ? ` (last: ${input.undoRefusal})` : '';
    return step(
      'hold',
      `gave up: refresh ${status} still active at ${new Date(input.giveUpAtMs).toISOString()}, ${undo} not accepted${last}`,
      true,
    );
  }
  return input.nativeRollback
    ? step('roll-back', `refresh ${status}: rolling it back`)
    : step('cancel', `refresh ${status}: cancelling it (no native rollback for this group)`);
}
