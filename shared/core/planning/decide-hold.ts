/** Facts that can keep Prescale's hands off a group for one run. */
export interface HoldFacts {
  /** The Prescale deployment the decision is made for (its stack name). */
  readonly deployment: string;
  /** The deployment the group's `prescale:deployment` tag names, if it has the tag. */
  readonly managedBy?: string;
  readonly mode: 'forecast-only' | 'forecast-and-scale';
  readonly dryRun: boolean;
  /** Value of the group's pause tag, if present. */
  readonly pausedTagValue?: string;
  /** True when the deployment-wide kill switch is on. */
  readonly globallyPaused: boolean;
  readonly instanceRefreshInProgress: boolean;
  /** Auto Scaling is deleting the group: it refuses every change to it. @default false */
  readonly deleting?: boolean;
  /** Holder of the group's lock (a rolling-update execution), if any. */
  readonly lockHolder?: string;
  readonly suspendedProcesses: readonly string[];
  /**
   * An EC2 predictive scaling policy in `ForecastAndScale` mode on the group, by name: it sets the
   * group's capacity from its own forecast each hour. Absent for a decision that changes no
   * capacity (instance types), which it does not hold.
   */
  readonly predictiveScalingPolicy?: string;
}

/** Whether this run may mutate the group, and if not, why. */
export type HoldDecision =
  | { readonly kind: 'proceed' }
  | {
      readonly kind: 'hold';
      readonly reason: string;
      /**
       * The deployment that manages the group, when it is another one: the group's `prescale-`
       * scheduled actions are that deployment's look-ahead, which a hold must leave in place.
       */
      readonly otherDeployment?: string;
      /** Whether the look-ahead's give-back of the group's own MinSize stays (`givesBackWhileHeld`). */
      readonly keepsGiveBack?: boolean;
      /** Auto Scaling is deleting the group: nothing of it, its look-ahead included, can be changed. */
      readonly deleting?: true;
      /** The hold ends without an operator (`liftsByItself`). */
      readonly liftsByItself?: true;
      /**
       * The holder of the group's lock (a rolling update's execution name), when its lock is what
       * holds the group: nothing before it in the order of precedence does.
       */
      readonly lockHolder?: string;
      /**
       * Held for this run only, its write withheld because another actor changed the group since
       * the batch read it: the look-ahead stays as the last run left it, for the next run to redo.
       */
      readonly forThisRunOnly?: true;
    }
  | { readonly kind: 'dry-run'; readonly reason: string; readonly keepsGiveBack?: boolean };

/**
 * Whether a held run leaves the group's `prescale-` actions as they are instead of deleting them:
 * another deployment manages the group (they are its look-ahead), Auto Scaling is deleting it
 * (it refuses the deletion, and the actions go with the group), or the hold is for this run only.
 */
export function leavesLookAhead(hold: HoldDecision): boolean {
  return (
    hold.kind === 'hold' &&
    (hold.otherDeployment !== undefined || hold.deleting === true || hold.forThisRunOnly === true)
  );
}

/** Processes whose suspension means someone deliberately froze the group's capacity. */
const CAPACITY_PROCESSES = new Set(['Launch', 'Terminate', 'ScheduledActions', 'AlarmNotification']);

/**
 * The capacity processes (Launch, Terminate, ScheduledActions, AlarmNotification) among the
 * group's suspended `processes`: someone froze its capacity, and Prescale keeps its hands off.
 */
export function suspendedCapacityProcesses(processes: readonly string[]): string[] {
  return processes.filter((p) => CAPACITY_PROCESSES.has(p));
}

/**
 * Whether a hold of this deployment keeps the look-ahead's last action, the one that gives the
 * group back its own MinSize when the look-ahead ends (`lookAheadGiveBack`), while it deletes the
 * rest: when Prescale stands down (kill switch, pause tag, forecast-only, another forecaster, dry
 * run), its last pre-warm would otherwise stay on the group for as long as that lasts, where
 * Prescale being down gives it back. Not while something else is changing the group's capacity:
 * a rolling update's lock (its headroom is a MinSize it restores itself), an instance refresh, or
 * capacity processes someone suspended; a held run deletes the give-back then, and the next run
 * that may act lowers MinSize itself.
 */
function givesBackWhileHeld(facts: HoldFacts): boolean {
  const busy =
    facts.lockHolder !== undefined ||
    facts.instanceRefreshInProgress ||
    suspendedCapacityProcesses(facts.suspendedProcesses).length > 0;
  return !busy;
}

/**
 * Whether only a rolling update's lock or an instance refresh holds the group: both end on their
 * own, and nothing else would hold it once they have (the runs after may act).
 */
function liftsByItself(facts: HoldFacts): { readonly liftsByItself?: true } {
  const { lockHolder: _lock, ...rest } = facts;
  const after = decideHold({ ...rest, instanceRefreshInProgress: false });
  return after.kind === 'proceed' ? { liftsByItself: true } : {};
}

/**
 * Decides whether a run may change a group. Holds (in this order of precedence): the group being
 * deleted (Auto Scaling refuses every change then), the kill
 * switch, another Prescale deployment managing the group, the pause tag, a rolling update holding
 * the lock, an instance refresh in progress, suspended capacity processes, an EC2 predictive
 * scaling policy that scales the group, forecast-only mode. A dry run proceeds to plan but
 * mutates nothing.
 */
export function decideHold(facts: HoldFacts): HoldDecision {
  return standDown(facts) ?? anotherActorHolds(facts) ?? modeHold(facts) ?? { kind: 'proceed' };
}

/** The group is going, or Prescale is told to stand down on it: the kill switch, another deployment, the pause tag. */
function standDown(facts: HoldFacts): HoldDecision | undefined {
  const other =
    facts.managedBy !== undefined && facts.managedBy !== facts.deployment ? facts.managedBy : undefined;
  const keepsGiveBack = givesBackWhileHeld(facts);
  if (facts.deleting === true)
    return {
      kind: 'hold',
      reason: 'group is being deleted (Status "Delete in progress"): Auto Scaling refuses every change to it',
      deleting: true,
    };
  if (facts.globallyPaused) {
    // This deployment's switch pauses this deployment only: another's look-ahead on the group stays.
    return {
      kind: 'hold',
      reason: `Prescale is paused for all groups (kill switch)${other ? `; the group is managed by Prescale deployment "${other}"` : ''}`,
      ...(other ? { otherDeployment: other } : { keepsGiveBack }),
    };
  }
  if (other !== undefined) {
    return {
      kind: 'hold',
      reason: `group is managed by Prescale deployment "${other}" (its prescale:deployment tag), not "${facts.deployment}": enrol it in one deployment only, or delete the tag if that deployment no longer exists`,
      otherDeployment: other,
    };
  }
  if (facts.pausedTagValue !== undefined && facts.pausedTagValue.toLowerCase() !== 'false') {
    return {
      kind: 'hold',
      reason: `group is paused by tag (value "${facts.pausedTagValue}")`,
      keepsGiveBack,
    };
  }
  return undefined;
}

/** Another actor is changing the group: a rolling update's lock, an instance refresh, suspended processes. */
function anotherActorHolds(facts: HoldFacts): HoldDecision | undefined {
  if (facts.lockHolder !== undefined) {
    const reason = `group is held by ${facts.lockHolder}`;
    return {
      kind: 'hold',
      reason,
      keepsGiveBack: false,
      lockHolder: facts.lockHolder,
      ...liftsByItself(facts),
    };
  }
  if (facts.instanceRefreshInProgress) {
    const reason = 'an instance refresh is in progress';
    return { kind: 'hold', reason, keepsGiveBack: false, ...liftsByItself(facts) };
  }
  const suspended = suspendedCapacityProcesses(facts.suspendedProcesses);
  if (suspended.length > 0) {
    return {
      kind: 'hold',
      reason: `processes suspended on the group: ${suspended.join(', ')}`,
      keepsGiveBack: false,
    };
  }
  return undefined;
}

/** Another forecaster scales the group, or the mode says not to act: forecast-only, a dry run. */
function modeHold(facts: HoldFacts): HoldDecision | undefined {
  const keepsGiveBack = givesBackWhileHeld(facts);
  if (facts.predictiveScalingPolicy !== undefined) {
    // Each would move the capacity the other just set: two forecasters, one group.
    return {
      kind: 'hold',
      reason: `EC2 predictive scaling policy "${facts.predictiveScalingPolicy}" scales the group (ForecastAndScale mode); set its mode to ForecastOnly or delete it for Prescale to act`,
      keepsGiveBack,
    };
  }
  if (facts.mode === 'forecast-only') return { kind: 'hold', reason: 'forecast-only mode', keepsGiveBack };
  if (facts.dryRun)
    return { kind: 'dry-run', reason: 'dry run: mutations are recorded, not made', keepsGiveBack };
  return undefined;
}
