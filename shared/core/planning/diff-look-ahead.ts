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
  /** New or changed actions (BatchPut creates or overwrites by name). */
  readonly put: readonly LookAheadAction[];
  /** Names of Prescale's actions the plan no longer has. */
  readonly remove: readonly string[];
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
 * Compares the group's scheduled actions with the planned look-ahead. Only actions named
 * `prescale-…` are ever put or removed; everyone else's are left alone. An action already held
 * with the same time and sizes is kept, so an unchanged plan costs no writes.
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
  return { put, remove, kept: planned.length - put.length };
}
