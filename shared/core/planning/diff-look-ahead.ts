import { LOOK_AHEAD_PREFIX, type LookAheadAction, SCHEDULED_ACTIONS_PER_GROUP } from './plan-look-ahead';

/** A scheduled action as the group holds it (anyone's). */
export interface ExistingScheduledAction {
  readonly name: string;
  readonly startMs?: number;
  readonly recurrence?: string;
  readonly minSize?: number;
  readonly maxSize?: number;
  readonly desiredCapacity?: number;
}

/** What to write and remove so the group holds exactly the planned look-ahead. */
export interface LookAheadDiff {
  /** New or changed actions (BatchPut creates or updates by name). */
  readonly put: readonly LookAheadAction[];
  /** Names of Prescale's actions the plan no longer has. */
  readonly remove: readonly string[];
  /**
   * Names among `put` to delete before it: the group holds them with a field the planned action
   * leaves out (`heldBeyond`), which a put would keep.
   */
  readonly replace: readonly string[];
  /** Prescale's actions that stay as they are. */
  readonly kept: number;
}

/** Whether an action is one Prescale wrote (its name starts with `prescale-`). */
export function isLookAheadAction(name: string): boolean {
  return name.startsWith(LOOK_AHEAD_PREFIX);
}

/** Slots the look-ahead may use: the quota less the actions that are not Prescale's. */
export function freeActionSlots(existing: readonly ExistingScheduledAction[]): number {
  const others = existing.filter((a) => !isLookAheadAction(a.name)).length;
  return Math.max(0, SCHEDULED_ACTIONS_PER_GROUP - others);
}

function same(held: ExistingScheduledAction, planned: LookAheadAction): boolean {
  return (
    held.startMs === planned.startMs &&
    held.recurrence === undefined &&
    held.minSize === planned.minSize &&
    held.maxSize === planned.maxSize &&
    held.desiredCapacity === planned.desiredCapacity
  );
}

/**
 * Whether the group holds the action with a field the planned one leaves out: a MaxSize (a
 * give-back under a raise that ended, or that a later run plans as an interior step), a
 * DesiredCapacity (the group has gained a scaling policy since), a Recurrence. An update keeps
 * what the put leaves out ("If you leave a parameter unspecified when updating a scheduled scaling
 * action, the corresponding value remains unchanged", the API reference), so only deleting the
 * action clears it.
 */
function heldBeyond(held: ExistingScheduledAction, planned: LookAheadAction): boolean {
  return (
    held.recurrence !== undefined ||
    (held.maxSize !== undefined && planned.maxSize === undefined) ||
    (held.desiredCapacity !== undefined && planned.desiredCapacity === undefined)
  );
}

/**
 * Compares the group's scheduled actions with the planned look-ahead. Only actions named
 * `prescale-…` are ever put or removed; everyone else's are left alone. An action already held
 * with the same time and sizes is kept, so an unchanged plan costs no writes; one held with a
 * field the plan leaves out is deleted, then put (`replace`).
 */
export function diffLookAhead(
  existing: readonly ExistingScheduledAction[],
  planned: readonly LookAheadAction[],
): LookAheadDiff {
  const held = new Map(existing.filter((a) => isLookAheadAction(a.name)).map((a) => [a.name, a]));
  const plannedNames = new Set(planned.map((a) => a.name));
  const put = planned.filter((a) => {
    const current = held.get(a.name);
    return current === undefined || !same(current, a);
  });
  const remove = [...held.keys()].filter((name) => !plannedNames.has(name)).sort();
  const replace = put.filter((a) => {
    const current = held.get(a.name);
    return current !== undefined && heldBeyond(current, a);
  });
  return { put, remove, replace: replace.map((a) => a.name), kept: planned.length - put.length };
}
