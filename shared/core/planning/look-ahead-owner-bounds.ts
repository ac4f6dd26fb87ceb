/**
 * The owner's scheduled bounds over a look-ahead (`planLookAhead`): the floor an owner's recurring
 * action's MinSize holds each action to, and the ceiling a lower MaxSize it sets in a run still
 * ahead holds each action's MinSize and DesiredCapacity to (Auto Scaling fails an action that would
 * leave MinSize above MaxSize).
 */

import {
  type OwnerMaxSizeRun,
  type OwnerMinSizeRun,
  type OwnerScheduledAction,
  ownerMaxSizeRuns,
  ownerMinSizeAt,
  ownerMinSizeRuns,
} from './owner-scheduled-min-size';

const HOUR_MS = 3_600_000;

/** What the owner's bounds read of a `LookAheadInput`. */
export interface OwnerBoundsInput {
  readonly nowMs: number;
  /** Hours the look-ahead covers. */
  readonly hours: number;
  readonly floorCapacity: number;
  /** The user's MaxSize (never a temporarily raised one). */
  readonly maxSize: number;
  readonly otherActions?: readonly OwnerScheduledAction[];
}

/** The fields of a look-ahead action that the owner's MaxSize bounds (`withinOwnerMaxSize`). */
interface Capped {
  readonly startMs: number;
  readonly minSize: number;
  readonly desiredCapacity?: number;
  readonly maxSize?: number;
}

/** The owner's scheduled bounds over the look-ahead: the runs that set MinSize, and MaxSize. */
export interface OwnerRuns {
  readonly minSize: readonly OwnerMinSizeRun[];
  /** Only the runs still ahead: those before now set the MaxSize the group has (`maxSize`). */
  readonly maxSize: readonly OwnerMaxSizeRun[];
}

/** The floor at a time: the configured one, or the owner's scheduled MinSize then when higher. */
function floorAt(input: OwnerBoundsInput, ownerRuns: OwnerRuns, atMs: number): number {
  return Math.max(input.floorCapacity, ownerMinSizeAt(ownerRuns.minSize, atMs)?.minSize ?? 0);
}

/**
 * The MaxSize the group holds at a time: the one the owner's scheduled action that ran last before
 * it set, when that run is still ahead of now; else the group's own (`maxSize`).
 */
export function ownerMaxSizeAt(input: OwnerBoundsInput, ownerRuns: OwnerRuns, atMs: number): number {
  return ownerRuns.maxSize.findLast((r) => r.atMs <= atMs)?.maxSize ?? input.maxSize;
}

/**
 * The highest MinSize an action at a time may set: the group's own MaxSize, or the owner's
 * scheduled one then when lower. A MaxSize the owner's schedule raises is not counted on: an
 * action moved a minute earlier than planned (`placeLookAheadStarts`) could run before the raise.
 */
export function ceilingAt(input: OwnerBoundsInput, ownerRuns: OwnerRuns, atMs: number): number {
  return Math.min(input.maxSize, ownerMaxSizeAt(input, ownerRuns, atMs));
}

/**
 * The runs of the owner's actions that set MinSize or MaxSize, far enough for any coarsened step;
 * of those that set MaxSize only the runs still ahead.
 */
export function lookAheadOwnerRuns(input: OwnerBoundsInput): OwnerRuns {
  const untilMs = input.nowMs + 2 * (input.hours + 1) * HOUR_MS;
  const owners = input.otherActions ?? [];
  return {
    minSize: ownerMinSizeRuns(owners, input.nowMs, untilMs),
    maxSize: ownerMaxSizeRuns(owners, input.nowMs, untilMs).filter((r) => r.atMs > input.nowMs),
  };
}

/** The bounds of an action at a time (`floorAt`, `ceilingAt`). */
export const boundsAt = (input: OwnerBoundsInput, ownerRuns: OwnerRuns, atMs: number) => ({
  floor: floorAt(input, ownerRuns, atMs),
  ceiling: ceilingAt(input, ownerRuns, atMs),
});

/**
 * The plan with no action above the MaxSize the group holds where it was placed: one moved off a
 * taken minute may run before that minute's owner action (a raise moves a minute earlier,
 * `placeLookAheadStarts`), under the MaxSize before it. The last action, which gives the group its
 * own bounds back, is held to the owner's MaxSize then (`ownerMaxSizeAt`), or to the one it sets.
 */
export function withinOwnerMaxSize<P extends { readonly actions: readonly Capped[] }>(
  input: OwnerBoundsInput,
  ownerRuns: OwnerRuns,
  plan: P,
): P {
  if (ownerRuns.maxSize.length === 0) return plan;
  const last = plan.actions.length - 1;
  const actions = plan.actions.map((a, i) => {
    const ceiling = a.maxSize ?? (i === last ? ownerMaxSizeAt : ceilingAt)(input, ownerRuns, a.startMs);
    if (a.minSize <= ceiling && (a.desiredCapacity ?? 0) <= ceiling) return a;
    return {
      ...a,
      minSize: Math.min(a.minSize, ceiling),
      ...(a.desiredCapacity !== undefined ? { desiredCapacity: Math.min(a.desiredCapacity, ceiling) } : {}),
    };
  });
  return { ...plan, actions };
}

/**
 * The run that sets the lowest MaxSize of the owner's scheduled actions after `nowMs` and up to
 * `untilMs` (a campaign pre-warm's raise stands until its release then): a MinSize held above it
 * fails that action (Auto Scaling keeps MinSize ≤ MaxSize), so the owner's lowering wins, as in the
 * look-ahead (`ceilingAt`). Undefined when no action sets MaxSize in that span.
 */
export function lowestOwnerMaxSizeRun(
  owners: readonly OwnerScheduledAction[],
  nowMs: number,
  untilMs: number,
): OwnerMaxSizeRun | undefined {
  const hours = Math.max(0, Math.ceil((untilMs - nowMs) / HOUR_MS));
  const input = { nowMs, hours, floorCapacity: 0, maxSize: Number.POSITIVE_INFINITY, otherActions: owners };
  const runs = lookAheadOwnerRuns(input).maxSize.filter((r) => r.atMs <= untilMs);
  return runs.reduce<OwnerMaxSizeRun | undefined>(
    (low, r) => (low && low.maxSize <= r.maxSize ? low : r),
    undefined,
  );
}
