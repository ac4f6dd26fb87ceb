import { isLookAheadAction } from '../planning/diff-look-ahead';
import { giveBackCandidate, type HeldScheduledAction } from '../planning/look-ahead-give-back';

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
