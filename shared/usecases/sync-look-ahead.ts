import { type HoldDecision, leavesLookAhead } from '../core/planning/decide-hold';
import {
  diffLookAhead,
  freeActionSlots,
  isLookAheadAction,
  type LookAheadDiff,
} from '../core/planning/diff-look-ahead';
import {
  type BoundsPrescaleLeft,
  type LookAheadGiveBack,
  lastLookAheadAction,
  lookAheadGiveBack,
  lookAheadMinSizes,
} from '../core/planning/look-ahead-give-back';
import { type OwnerRecurringStart, withOwnerRecurringStarts } from '../core/planning/owner-recurring-start';
import type { OwnerScheduledAction } from '../core/planning/owner-scheduled-min-size';
import { type LookAheadAction, type LookAheadInput, planLookAhead } from '../core/planning/plan-look-ahead';
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
      /**
       * Where the plan's actions change MinSize (`lookAheadMinSizes`): the group's state keeps it,
       * so a later run knows the MinSize those that ran have set.
       */
      readonly minSizes: readonly (readonly [startMs: number, minSize: number])[];
    }
  /**
   * Prescale is held on the group (pause tag, kill switch, forecast-only, lock...): its actions are
   * gone, but for the look-ahead's last one when it gives the group its own MinSize back
   * (`givesBack`, `lookAheadGiveBack`).
   */
  | {
      readonly kind: 'cleared';
      readonly removed: number;
      readonly reason: string;
      readonly givesBack?: LookAheadGiveBack;
    }
  /**
   * Dry run: the plan is not written (`wouldWrite` actions, the whole plan, would be in place) and
   * the `prescale-` actions earlier live runs left are deleted (`removed`), so no plan that no run
   * maintains acts on the group while it only records; the one that gives the group its own
   * MinSize back stays (`givesBack`), as in a hold.
   */
  | {
      readonly kind: 'dry-run';
      readonly wouldWrite: number;
      readonly removed: number;
      readonly givesBack?: LookAheadGiveBack;
    }
  /**
   * Another deployment manages the group (its `prescale:deployment` tag): the group's `prescale-`
   * actions are that deployment's look-ahead, left as they are; or Auto Scaling is deleting the
   * group, which refuses every change and takes the actions with it (`leavesLookAhead`).
   */
  | { readonly kind: 'left'; readonly reason: string }
  /**
   * Look-ahead turned off (`lookAhead.hours` 0, or no floor from the forecast while MinSize is at the
   * group's own): any left-over actions are removed.
   */
  | { readonly kind: 'off'; readonly removed: number }
  /** Auto Scaling refused or failed; the capacity change of the run stands, the look-ahead is stale. */
  | { readonly kind: 'failed'; readonly error: Error };

/** The run's decision and the planning input, less the quota the use case reads from the group. */
export interface SyncLookAheadInput {
  readonly groupName: string;
  readonly hold: HoldDecision;
  readonly plan: Omit<LookAheadInput, 'freeActionSlots' | 'otherActions'>;
  /** The group's bounds now: whether the look-ahead's give-back still lowers them (`lookAheadGiveBack`). */
  readonly bounds: { readonly minSize: number; readonly maxSize: number };
  /**
   * What Prescale last left on the group (its state before this run): a give-back that would lower
   * a bound the operator set since is not kept (`lookAheadGiveBack`).
   */
  readonly left: BoundsPrescaleLeft | undefined;
  /**
   * Present when this run deleted the `prescale-` actions before planning (`clearHeldLookAhead`): how
   * many, counted in `removed`.
   */
  readonly clearedBeforePlanning?: number;
  /**
   * The group's actions as this run read them before planning (after that deletion; none has been
   * written since): not read again.
   */
  readonly existing?: readonly ScheduledCapacityAction[];
  /**
   * The owner's one-time actions that have run, no longer on the group, whose MinSize still holds
   * (`ownerOneTimeMinSizes`): read as the owner's schedule, beside the actions the group has.
   */
  readonly ownerActionsRan?: readonly OwnerScheduledAction[];
  /**
   * The started recurring schedules' own StartTimes (`ownerRecurringStarts`): each such action is
   * read from its StartTime, not the next run Auto Scaling describes.
   */
  readonly ownerRecurringStarts?: readonly OwnerRecurringStart[];
}

/**
 * Keeps a group's `prescale-` scheduled actions equal to the look-ahead plan of this run: reads the
 * group's actions (the user's count against the quota of 125 and hold their start times), plans,
 * then puts what is new or changed and deletes what the plan dropped. While the run is held (pause tag, kill switch,
 * forecast-only, a rolling update's lock, an instance refresh, suspended processes) every
 * `prescale-` action is deleted, so no pre-warm Prescale scheduled acts against a hold (unless another
 * deployment manages the group: those actions are its look-ahead, `left`); a dry run
 * writes nothing and deletes them too: they are Prescale's own mutations still to happen, from a
 * plan no run maintains any more. Both keep the look-ahead's last action while it gives the group
 * its own MinSize back (`clearOwnActions`), as does a run that can plan no look-ahead
 * (`keptGiveBackOnly`). Actions of anyone else are never written or deleted. A
 * failing Auto Scaling call does not fail the run: it comes back as `failed`.
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

/**
 * What a hold or a dry run does to the look-ahead: deletes the group's `prescale-` actions among
 * `existing`, but, where the hold allows it (`HoldDecision.keepsGiveBack`), the look-ahead's last
 * one while it gives the group back its own MinSize (`lookAheadGiveBack`): Auto Scaling then runs
 * it at its time as if Prescale were down, so a hold does not keep Prescale's last pre-warm on the
 * group for good. Not while the group's bounds are no longer those Prescale `left` (the group's
 * state; without it, none is kept): the operator's are not given back. Writes nothing: the
 * action kept is one a live run had already put in place.
 */
export async function clearOwnActions(
  scheduled: ScheduledCapacity,
  group: { readonly name: string; readonly minSize: number; readonly maxSize: number },
  existing: readonly ScheduledCapacityAction[],
  {
    nowMs,
    keepsGiveBack,
    left,
  }: {
    readonly nowMs: number;
    readonly keepsGiveBack: boolean;
    readonly left: BoundsPrescaleLeft | undefined;
  },
): Promise<{ readonly removed: number; readonly givesBack?: LookAheadGiveBack }> {
  const givesBack = keepsGiveBack ? lookAheadGiveBack(existing, group, nowMs, left) : undefined;
  const others = existing.filter((a) => a.name !== givesBack?.name);
  const removed = await deleteOwnActions(scheduled, group.name, others);
  return { removed, ...(givesBack ? { givesBack } : {}) };
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

/**
 * A run that goes ahead but can plan no look-ahead (no scheduled-action slot free, a forecast that
 * reaches no whole hour): its `prescale-` actions go, but the look-ahead's last one while it gives
 * the group its own MinSize back (`lookAheadGiveBack`, as a hold keeps it). Deleted too, the
 * MinSize this run raises would stay on the group for good if Prescale stopped before a run
 * planned again. The plan's limits say why it is empty; it covers nothing (`short`).
 */
async function keptGiveBackOnly(
  scheduled: ScheduledCapacity,
  input: SyncLookAheadInput,
  existing: readonly ScheduledCapacityAction[],
  plan: ReturnType<typeof planLookAhead>,
): Promise<LookAheadResult> {
  const { nowMs, currentMinSize } = input.plan;
  // Judged on the MinSize this run leaves: one it set is Prescale's.
  const group = { name: input.groupName, minSize: currentMinSize, maxSize: input.bounds.maxSize };
  const left =
    input.left && currentMinSize !== input.bounds.minSize
      ? { ...input.left, prescaleMinSize: currentMinSize }
      : input.left;
  const { removed, givesBack } = await clearOwnActions(scheduled, group, existing, {
    nowMs,
    keepsGiveBack: true,
    left,
  });
  const kept = givesBack ? [{ startMs: givesBack.startMs, minSize: givesBack.minSize }] : [];
  return {
    kind: 'scheduled',
    written: 0,
    removed,
    kept: kept.length,
    coveredUntilMs: nowMs,
    coveredHours: 0,
    short: input.plan.hours > 0,
    limits: givesBack
      ? [...plan.limits, `kept ${givesBack.name}, which gives MinSize ${givesBack.minSize} back`]
      : plan.limits,
    minSizes: lookAheadMinSizes(kept, currentMinSize),
  };
}

/**
 * Writes the plan's changes: deletes the actions it dropped, puts what is new or changed. The
 * look-ahead's last action on the group (the one giving the group its own MinSize back,
 * `lastLookAheadAction`) is deleted only once the put stands, with the new last action first in
 * the put: its name follows the plan's end, so about every hour the old one goes and a new one
 * comes, and a put that failed after the old one was deleted would leave MinSize with nothing to
 * give it back. Dropped actions go first for the slots the put may need (125 per group, the
 * user's included); when even then the old one cannot stay beside the plan (`freeActionSlots`), it
 * is deleted first as well, and a put failing then leaves no give-back until the next run. Actions
 * held with a field the plan leaves out (`LookAheadDiff.replace`: a put would keep it) go in the
 * same first delete, then come back with the put: a give-back among them is missing until the put
 * stands.
 */
async function replaceLookAhead(
  scheduled: ScheduledCapacity,
  groupName: string,
  existing: readonly ScheduledCapacityAction[],
  planned: readonly LookAheadAction[],
  diff: LookAheadDiff,
): Promise<void> {
  const lastHeld = lastLookAheadAction(existing)?.name;
  const roomForBoth = planned.length + 1 <= freeActionSlots(existing);
  const keptUntilPut =
    roomForBoth && lastHeld !== undefined && diff.remove.includes(lastHeld) ? lastHeld : undefined;
  const first = [...diff.remove.filter((name) => name !== keptUntilPut), ...diff.replace];
  if (first.length > 0) await scheduled.deleteScheduledActions(groupName, first);
  const newLast = lastLookAheadAction(planned)?.name;
  const put = [...diff.put.filter((a) => a.name === newLast), ...diff.put.filter((a) => a.name !== newLast)];
  if (put.length > 0) await scheduled.putScheduledActions(groupName, put);
  if (keptUntilPut !== undefined) await scheduled.deleteScheduledActions(groupName, [keptUntilPut]);
}

async function reconcile(scheduled: ScheduledCapacity, input: SyncLookAheadInput): Promise<LookAheadResult> {
  if (input.hold.kind === 'hold' && leavesLookAhead(input.hold))
    return { kind: 'left', reason: input.hold.reason };
  // The group's `prescale-` actions are written by its own run alone, under its claim: deleted
  // before planning (but a give-back), none has come back since.
  const existing = input.existing ?? (await scheduled.scheduledActions(input.groupName));
  const group = { name: input.groupName, ...input.bounds };
  const { hold } = input;
  const clear = () =>
    clearOwnActions(scheduled, group, existing, {
      nowMs: input.plan.nowMs,
      keepsGiveBack: hold.kind !== 'proceed' && hold.keepsGiveBack === true,
      left: input.left,
    });
  if (hold.kind === 'hold') return { kind: 'cleared', ...(await clear()), reason: hold.reason };
  if (input.plan.hours <= 0)
    return { kind: 'off', removed: await deleteOwnActions(scheduled, input.groupName, existing) };

  const plan = planLookAhead({
    ...input.plan,
    freeActionSlots: freeActionSlots(existing),
    // Their start times are taken: AWS refuses a second action at one.
    otherActions: [
      ...withOwnerRecurringStarts(
        existing.filter((a) => !isLookAheadAction(a.name)),
        input.ownerRecurringStarts ?? [],
        input.plan.nowMs,
      ),
      ...(input.ownerActionsRan ?? []),
    ],
  });
  if (hold.kind === 'dry-run')
    return { kind: 'dry-run', wouldWrite: plan.actions.length, ...(await clear()) };
  if (plan.actions.length === 0) return keptGiveBackOnly(scheduled, input, existing, plan);
  const diff = diffLookAhead(existing, plan.actions);
  await replaceLookAhead(scheduled, input.groupName, existing, plan.actions, diff);
  return {
    kind: 'scheduled',
    written: diff.put.length,
    removed: diff.remove.length,
    kept: diff.kept,
    coveredUntilMs: plan.coveredUntilMs,
    coveredHours: (plan.coveredUntilMs - input.plan.nowMs) / 3_600_000,
    short: plan.coveredUntilMs - input.plan.nowMs < input.plan.hours * 3_600_000,
    limits: plan.limits,
    minSizes: lookAheadMinSizes(plan.actions, input.plan.currentMinSize),
  };
}
