import type { HoldDecision } from '../core/planning/decide-hold';
import { diffLookAhead, freeActionSlots, isLookAheadAction } from '../core/planning/diff-look-ahead';
import { type LookAheadInput, planLookAhead } from '../core/planning/plan-look-ahead';
import type { ScheduledCapacity } from '../ports/scheduled-capacity';

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
  /** Dry run: nothing written or deleted; `wouldWrite` actions would have been put. */
  | { readonly kind: 'dry-run'; readonly wouldWrite: number; readonly wouldRemove: number }
  /** Look-ahead turned off (`lookAhead.hours` 0): any left-over actions are removed. */
  | { readonly kind: 'off'; readonly removed: number }
  /** Auto Scaling refused or failed; the capacity change of the run stands, the look-ahead is stale. */
  | { readonly kind: 'failed'; readonly error: Error };

/** The run's decision and the planning input, less the quota the use case reads from the group. */
export interface SyncLookAheadInput {
  readonly groupName: string;
  readonly hold: HoldDecision;
  readonly plan: Omit<LookAheadInput, 'freeActionSlots' | 'otherActions'>;
}

/**
 * Keeps a group's `prescale-` scheduled actions equal to the look-ahead plan of this run: reads the
 * group's actions (the user's count against the quota of 125 and hold their start times), plans,
 * then puts what is new or changed and deletes what the plan dropped. While the run is held (pause tag, kill switch,
 * forecast-only, a rolling update's lock, an instance refresh, suspended processes) every
 * `prescale-` action is deleted, so nothing Prescale scheduled acts against a hold; a dry run
 * changes nothing. Actions of anyone else are never written or deleted. A failing Auto Scaling
 * call does not fail the run: it comes back as `failed`.
 */
export async function syncLookAhead(
  scheduled: ScheduledCapacity,
  input: SyncLookAheadInput,
): Promise<LookAheadResult> {
  try {
    return await reconcile(scheduled, input);
  } catch (error) {
    // The run's own capacity change already stands; a stale look-ahead shows in the health alarm.
    return { kind: 'failed', error: error as Error };
  }
}

async function reconcile(scheduled: ScheduledCapacity, input: SyncLookAheadInput): Promise<LookAheadResult> {
  const existing = await scheduled.scheduledActions(input.groupName);
  const ours = existing.filter((a) => isLookAheadAction(a.name)).map((a) => a.name);
  const clear = async () => {
    if (ours.length > 0) await scheduled.deleteScheduledActions(input.groupName, ours);
    return ours.length;
  };
  if (input.hold.kind === 'hold')
    return { kind: 'cleared', removed: await clear(), reason: input.hold.reason };
  if (input.plan.hours <= 0) return { kind: 'off', removed: await clear() };

  const plan = planLookAhead({
    ...input.plan,
    freeActionSlots: freeActionSlots(existing),
    // Their start times are taken: AWS refuses a second action at one.
    otherActions: existing.filter((a) => !isLookAheadAction(a.name)),
  });
  const diff = diffLookAhead(existing, plan.actions);
  if (input.hold.kind === 'dry-run') {
    return { kind: 'dry-run', wouldWrite: diff.put.length, wouldRemove: diff.remove.length };
  }
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
