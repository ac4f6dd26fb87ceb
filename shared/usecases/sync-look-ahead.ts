import type { HoldDecision } from '../core/planning/decide-hold';
import { diffLookAhead, freeActionSlots, isLookAheadAction } from '../core/planning/diff-look-ahead';
import { type LookAheadInput, planLookAhead } from '../core/planning/plan-look-ahead';
import type { ScheduledCapacity, ScheduledCapacityAction } from '../ports/scheduled-capacity';

/** What one run did to a group's scheduled look-ahead. */
export type LookAheadResult =
  /** The plan is scheduled: `written` actions put, `removed` deleted, until `coveredUntilMs`. */
  | {
      readonly kind: 'scheduled';
      readonly written: number;
      readonly removed: number;
      readonly kept: number;
      readonly coveredUntilMs: number;
      /** Hours covered from now. */
      readonly coveredHours: number;
      /** Covers less than the configured hours (quota, forecast length): the health alarm counts it. */
      readonly short: boolean;
      readonly limits: readonly string[];
    }
  /** Prescale is held on the group (pause tag, kill switch, forecast-only, lock...): its actions are gone. */
  | { readonly kind: 'cleared'; readonly removed: number; readonly reason: string }
  /**
   * Dry run: the plan is not written (`wouldWrite` actions, the whole plan, would be in place) and
   * the `prescale-` actions earlier live runs left are deleted (`removed`), so no plan that no run
   * maintains acts on the group while it only records.
   */
  | { readonly kind: 'dry-run'; readonly wouldWrite: number; readonly removed: number }
  /**
   * Another deployment manages the group (its `prescale:deployment` tag): the group's `prescale-`
   * actions are that deployment's look-ahead, left as they are.
   */
  | { readonly kind: 'left'; readonly reason: string }
  /** Look-ahead turned off (`lookAhead.hours` 0): any left-over actions are removed. */
  | { readonly kind: 'off'; readonly removed: number }
  /** Auto Scaling refused or failed; the capacity change of the run stands, the look-ahead is stale. */
  | { readonly kind: 'failed'; readonly error: Error };

/** The run's decision and the planning input, less the quota the use case reads from the group. */
export interface SyncLookAheadInput {
  readonly groupName: string;
  readonly hold: HoldDecision;
  readonly plan: Omit<LookAheadInput, 'freeActionSlots' | 'otherActions'>;
  /**
   * Present when this run deleted every `prescale-` action before planning (`clearHeldLookAhead`): how
   * many, counted in `removed`. A held run then reads the group's actions no second time.
   */
  readonly clearedBeforePlanning?: number;
  /** The group's actions as this run read them before planning (none has been written since): not read again. */
  readonly existing?: readonly ScheduledCapacityAction[];
}

/**
 * Keeps a group's `prescale-` scheduled actions equal to the look-ahead plan of this run: reads the
 * group's actions (the user's count against the quota of 125 and hold their start times), plans,
 * then puts what is new or changed and deletes what the plan dropped. While the run is held (pause tag, kill switch,
 * forecast-only, a rolling update's lock, an instance refresh, suspended processes) every
 * `prescale-` action is deleted, so nothing Prescale scheduled acts against a hold (unless another
 * deployment manages the group: those actions are its look-ahead, `left`); a dry run
 * writes nothing and deletes them too: they are Prescale's own mutations still to happen, from a
 * plan no run maintains any more. Actions of anyone else are never written or deleted. A failing
 * Auto Scaling call does not fail the run: it comes back as `failed`.
 */
export async function syncLookAhead(
  scheduled: ScheduledCapacity,
  input: SyncLookAheadInput,
): Promise<LookAheadResult> {
  try {
    const result = await reconcile(scheduled, input);
    const earlier = input.clearedBeforePlanning ?? 0;
    return 'removed' in result && earlier > 0 ? { ...result, removed: result.removed + earlier } : result;
  } catch (error) {
    // The run's own capacity change already stands; a stale look-ahead shows in the health alarm.
    return { kind: 'failed', error: error as Error };
  }
}

/** Deletes the group's `prescale-` actions among `existing`; returns how many. */
export async function deleteOwnActions(
  scheduled: ScheduledCapacity,
  groupName: string,
  existing: readonly ScheduledCapacityAction[],
): Promise<number> {
  const ours = existing.filter((a) => isLookAheadAction(a.name)).map((a) => a.name);
  if (ours.length > 0) await scheduled.deleteScheduledActions(groupName, ours);
  return ours.length;
}

async function reconcile(scheduled: ScheduledCapacity, input: SyncLookAheadInput): Promise<LookAheadResult> {
  if (input.hold.kind === 'hold' && input.hold.otherDeployment !== undefined)
    return { kind: 'left', reason: input.hold.reason };
  // The group's `prescale-` actions are written by its own run alone, under its claim: deleted
  // before planning, none has come back since.
  if (input.hold.kind === 'hold' && input.clearedBeforePlanning !== undefined)
    return { kind: 'cleared', removed: 0, reason: input.hold.reason };
  const existing = input.existing ?? (await scheduled.scheduledActions(input.groupName));
  const clear = () => deleteOwnActions(scheduled, input.groupName, existing);
  if (input.hold.kind === 'hold')
    return { kind: 'cleared', removed: await clear(), reason: input.hold.reason };
  if (input.plan.hours <= 0) return { kind: 'off', removed: await clear() };

  const plan = planLookAhead({
    ...input.plan,
    freeActionSlots: freeActionSlots(existing),
    // Their start times are taken: AWS refuses a second action at one.
    otherActions: existing.filter((a) => !isLookAheadAction(a.name)),
  });
  if (input.hold.kind === 'dry-run')
    return { kind: 'dry-run', wouldWrite: plan.actions.length, removed: await clear() };
  const diff = diffLookAhead(existing, plan.actions);
  // Delete first: the put may need the slots the dropped actions hold.
  if (diff.remove.length > 0) await scheduled.deleteScheduledActions(input.groupName, diff.remove);
  if (diff.put.length > 0) await scheduled.putScheduledActions(input.groupName, diff.put);
  return {
    kind: 'scheduled',
    written: diff.put.length,
    removed: diff.remove.length,
    kept: diff.kept,
    coveredUntilMs: plan.coveredUntilMs,
    coveredHours: (plan.coveredUntilMs - input.plan.nowMs) / 3_600_000,
    short: plan.coveredUntilMs - input.plan.nowMs < input.plan.hours * 3_600_000,
    limits: plan.limits,
  };
}
