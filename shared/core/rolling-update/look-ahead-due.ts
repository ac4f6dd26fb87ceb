import { isLookAheadAction } from '../planning/diff-look-ahead';
import { giveBackCandidate, type HeldScheduledAction } from '../planning/look-ahead-give-back';
import { firstFree, type OtherScheduledStart, takenStartMinutes } from '../planning/place-look-ahead-starts';
import { lookAheadActionName } from '../planning/plan-look-ahead';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 3_600_000;

/**
 * How long after its start a scheduled action may still be listed before it has run: Auto Scaling
 * starts it at about its time, not at the second, and a refresh started before it ran would meet it.
 */
export const SCHEDULED_ACTION_SETTLE_MS = 5 * 60_000;

/** What a rolling update waits for on a group the loop stands down on. */
export type GiveBackDue =
  /** The kept give-back, run by `settledAtMs`. */
  | { readonly kind: 'give-back'; readonly settledAtMs: number; readonly minSize: number }
  /**
   * The loop has not cleared the look-ahead since it stood down: more of it is listed than the
   * give-back it may keep, and its next run decides.
   */
  | { readonly kind: 'not-cleared'; readonly minSize: number };

/**
 * The look-ahead give-back a held loop may keep on the group (`giveBackCandidate`, counting one due
 * up to `SCHEDULED_ACTION_SETTLE_MS` ago and still listed, which has not run yet), if there is one:
 * `not-cleared` while other `prescale-` actions are listed beside it.
 */
export function giveBackDue(
  actions: readonly HeldScheduledAction[],
  group: { readonly minSize: number; readonly maxSize: number },
  nowMs: number,
): GiveBackDue | undefined {
  const candidate = giveBackCandidate(actions, group, nowMs - SCHEDULED_ACTION_SETTLE_MS);
  if (candidate === undefined) return undefined;
  const ours = actions.filter((a) => isLookAheadAction(a.name));
  if (ours.length > 1) return { kind: 'not-cleared', minSize: candidate.minSize };
  return {
    kind: 'give-back',
    settledAtMs: candidate.startMs + SCHEDULED_ACTION_SETTLE_MS,
    minSize: candidate.minSize,
  };
}

/** The capacity a refresh holds: what a look-ahead action must not set lower while it runs. */
export interface HeldHeadroom {
  readonly minSize: number;
  readonly desiredCapacity: number;
}

/** The look-ahead's give-back, moved past the lock: put again as `name` at `atMs`. */
export interface MovedGiveBack {
  readonly name: string;
  readonly atMs: number;
  readonly minSize: number;
  readonly maxSize?: number;
}

/** What clearing the look-ahead for a refresh deletes and puts. */
export interface LookAheadClearing {
  /** The `prescale-` actions to delete: due before the refresh deadline, each would cut the headroom. */
  readonly cutting: readonly string[];
  /** The look-ahead's give-back among them, to put again before they are deleted. */
  readonly movedGiveBack?: MovedGiveBack;
}

/**
 * Which of the group's `prescale-` actions a rolling update deletes under its lock, before its
 * headroom (`clearLookAheadForRefresh`): those due before `untilMs` (the refresh deadline) that
 * would cut the headroom while the refresh runs (`cutsHeadroom`); the look-ahead's steps that hold
 * or raise it stay, and so do actions due after `untilMs`; the owner's are never touched. The
 * look-ahead's give-back among those (`giveBackCandidate`, counting one due up to
 * `SCHEDULED_ACTION_SETTLE_MS` ago and still listed, which has not run yet) is moved, not dropped:
 * its MinSize, and MaxSize if it has one, at the first minute from `lockExpiresAtMs` that no other
 * action holds (AWS refuses two at one start time). A retry moves it no second time: the moved
 * one, due after the deadline, is then the look-ahead's last action, and the one left behind goes.
 * Without a lock's expiry, or without a free minute within a day of it, none is moved.
 */
export function lookAheadClearing(
  actions: readonly (HeldScheduledAction & OtherScheduledStart)[],
  group: { readonly minSize: number; readonly maxSize: number },
  headroom: HeldHeadroom,
  {
    nowMs,
    untilMs,
    lockExpiresAtMs,
  }: { readonly nowMs: number; readonly untilMs: number; readonly lockExpiresAtMs?: number },
): LookAheadClearing {
  const cutting = actions
    .filter((a) => isLookAheadAction(a.name) && (a.startMs ?? nowMs) < untilMs && cutsHeadroom(a, headroom))
    .map((a) => a.name);
  if (cutting.length === 0) return { cutting };
  const candidate = giveBackCandidate(actions, group, nowMs - SCHEDULED_ACTION_SETTLE_MS);
  const giveBack = candidate && cutting.includes(candidate.name) ? candidate : undefined;
  const atMs =
    giveBack && lockExpiresAtMs !== undefined ? freeMinuteFrom(actions, lockExpiresAtMs) : undefined;
  if (!giveBack || atMs === undefined) return { cutting };
  const movedGiveBack = {
    name: lookAheadActionName(atMs),
    atMs,
    minSize: giveBack.minSize,
    ...(giveBack.maxSize !== undefined ? { maxSize: giveBack.maxSize } : {}),
  };
  return { cutting, movedGiveBack };
}

/** Whether `action`, when it runs, sets the group below the headroom: MinSize, desired, or MaxSize under desired. */
export function cutsHeadroom(
  action: { readonly minSize?: number; readonly desiredCapacity?: number; readonly maxSize?: number },
  headroom: HeldHeadroom,
): boolean {
  const below = (value: number | undefined, floor: number) => value !== undefined && value < floor;
  return (
    below(action.minSize, headroom.minSize) ||
    below(action.desiredCapacity, headroom.desiredCapacity) ||
    below(action.maxSize, headroom.desiredCapacity)
  );
}

/** The first whole minute from `fromMs` that none of `actions` starts at (or recurs at), within a day. */
function freeMinuteFrom(actions: readonly OtherScheduledStart[], fromMs: number): number | undefined {
  const taken = takenStartMinutes(actions);
  const first = Math.ceil(fromMs / MINUTE_MS) * MINUTE_MS;
  return firstFree(
    first - MINUTE_MS,
    MINUTE_MS,
    (ms) => !taken(ms),
    (ms) => ms < first + DAY_MS,
  );
}
