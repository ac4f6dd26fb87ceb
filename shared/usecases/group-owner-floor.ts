import { isLookAheadAction } from '../core/planning/diff-look-ahead';
import {
  type OwnerOneTimeMinSize,
  ownerOneTimeMinSizes,
  ranOwnerActions,
} from '../core/planning/owner-one-time-min-size';
import {
  type OwnerRecurringStart,
  ownerRecurringStarts,
  withOwnerRecurringStarts,
} from '../core/planning/owner-recurring-start';
import {
  type OwnerMinSizeRun,
  type OwnerScheduledAction,
  ownerMinSizeNow,
} from '../core/planning/owner-scheduled-min-size';
import type { GroupSnapshot } from '../ports/scaling-target';
import type { GroupState } from '../ports/state-store';

/** The owner's schedule as a run knows it. */
export interface GroupOwnerFloor {
  /** The run of the owner's actions whose MinSize is in effect now, if any. */
  readonly minSize: OwnerMinSizeRun | undefined;
  /** The owner's actions the group lists, and the one-time ones that have run and still hold. */
  readonly actions: readonly OwnerScheduledAction[];
  /** What this run passes on to the next (`ownerOneTimeMinSizes`). */
  readonly oneTime: readonly OwnerOneTimeMinSize[];
  /** The started recurring schedules' own StartTimes it passes on too (`ownerRecurringStarts`). */
  readonly recurringStarts: readonly OwnerRecurringStart[];
  /** The one-time actions of `actions` that have run (Auto Scaling no longer lists them). */
  readonly ran: readonly OwnerScheduledAction[];
}

/**
 * The owner's floor for this run: the MinSize the owner's scheduled actions hold now, the one-time
 * ones that have run included, which the previous run passed on (`state.ownerOneTimeMinSizes`),
 * and each started recurring schedule read from its own StartTime, which Auto Scaling describes
 * as the next run once passed (`state.ownerRecurringStarts`).
 * One that ran is waited for, not seen in effect yet, for two loop intervals and at least ten
 * minutes: Auto Scaling may run it a little after its time, after this run described the group.
 */
export function groupOwnerFloor(
  previous: GroupState | undefined,
  listed: readonly OwnerScheduledAction[],
  group: Pick<GroupSnapshot, 'minSize'>,
  { nowMs, tickIntervalMs }: { readonly nowMs: number; readonly tickIntervalMs: number },
): GroupOwnerFloor {
  const recurringStarts = ownerRecurringStarts(previous?.ownerRecurringStarts, listed, nowMs);
  const known = withOwnerRecurringStarts(listed, recurringStarts, nowMs);
  const oneTime = ownerOneTimeMinSizes(previous?.ownerOneTimeMinSizes, known, {
    nowMs,
    groupMinSize: group.minSize,
    graceMs: Math.max(2 * tickIntervalMs, 600_000),
  });
  const ran = ranOwnerActions(oneTime, known);
  const actions = [...known, ...ran];
  return { minSize: ownerMinSizeNow(actions, nowMs), actions, oneTime, recurringStarts, ran };
}

/**
 * The run of the owner's actions whose MinSize holds now, read outside the scaling loop (a
 * rolling update's restore, a release): `groupOwnerFloor` over the group's listed scheduled
 * actions less Prescale's own look-ahead ones, with no loop interval to wait for. Undefined when
 * the owner's actions set no MinSize now.
 */
export function ownerFloorNow(
  state: GroupState | undefined,
  listed: readonly (OwnerScheduledAction & { readonly name: string })[],
  group: Pick<GroupSnapshot, 'minSize'>,
  nowMs: number,
): OwnerMinSizeRun | undefined {
  const owners = listed.filter((a) => !isLookAheadAction(a.name));
  return groupOwnerFloor(state, owners, group, { nowMs, tickIntervalMs: 0 }).minSize;
}
