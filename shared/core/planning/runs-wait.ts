/**
 * How long the stack-deletion cleanup waits for the scaling runs still holding its groups. Deleting
 * the worker function stops no invocation under way: one that claimed a group just before may
 * still write its MinSize, warm pool, look-ahead and ownership tag, up to its lease's end (the
 * worker's timeout after its batch started, `claimRun`). Giving the group back before then could
 * be undone behind the cleanup, leaving actions firing for a stack that no longer exists. A run
 * usually ends long before its lease (`completeRun` sets the lease to 0 as it finishes), so the
 * cleanup reads the claims again every few seconds rather than judging by the lease's end alone.
 */

/** A live run claim as the cleanup reads it. */
export interface HeldByRun {
  readonly leaseUntilMs: number;
}

/** What the cleanup does next about the groups' claims, as read at one time. */
export type RunsWaitStep =
  /** No run holds any group read: give them back. */
  | { readonly kind: 'released' }
  /** Only some groups were read: read every one before deciding (a run may have claimed another meanwhile). */
  | { readonly kind: 'readAll' }
  /** Sleep, then read the claims of the groups still held again. */
  | { readonly kind: 'poll'; readonly held: readonly string[]; readonly sleepMs: number }
  /** The wait's time is up: the groups still held, with why, left as they are for a deletion tried again. */
  | { readonly kind: 'pastDeadline'; readonly beyondBudget: ReadonlyMap<string, string> };

/**
 * Leeway past a lease's end: the worker and the cleanup read clocks on different hosts. A run
 * never outlives its lease (the lease is the worker's Lambda timeout from the batch's start).
 */
export const LEASE_CLOCK_LEEWAY_MS = 1_000;

/**
 * How often the cleanup reads a held group's claim again: a run's end shows within that, and a
 * few strongly consistent reads every few seconds cost next to nothing.
 */
export const RUN_CLAIM_POLL_MS = 5_000;

/**
 * The next step of the wait, from the claims read at `nowMs` (those a store returns as live at
 * `nowMs − LEASE_CLOCK_LEEWAY_MS`): a claim holds its group until it is done or given back (the
 * store returns none) or its lease and leeway have passed. Groups still held are read again every
 * `RUN_CLAIM_POLL_MS`, never past the latest lease's end nor past `deadlineMs` (the latest the
 * cleanup may wait until); only those still held at the deadline are past the budget. Nothing is
 * decided on a read of only some groups but to read them all.
 */
export function runsWaitStep(
  claims: ReadonlyMap<string, HeldByRun>,
  {
    nowMs,
    deadlineMs,
    everyGroupRead,
  }: { readonly nowMs: number; readonly deadlineMs: number; readonly everyGroupRead: boolean },
): RunsWaitStep {
  const held = [...claims].filter(([, { leaseUntilMs }]) => leaseUntilMs + LEASE_CLOCK_LEEWAY_MS > nowMs);
  if (held.length === 0 || nowMs >= deadlineMs) {
    if (!everyGroupRead) return { kind: 'readAll' };
    if (held.length === 0) return { kind: 'released' };
    return {
      kind: 'pastDeadline',
      beyondBudget: new Map(
        held.map(([groupName, { leaseUntilMs }]) => [groupName, heldReason(leaseUntilMs)]),
      ),
    };
  }
  const latestEndMs = Math.max(...held.map(([, { leaseUntilMs }]) => leaseUntilMs + LEASE_CLOCK_LEEWAY_MS));
  return {
    kind: 'poll',
    held: held.map(([groupName]) => groupName),
    sleepMs: Math.min(RUN_CLAIM_POLL_MS, deadlineMs - nowMs, latestEndMs - nowMs),
  };
}

const heldReason = (leaseUntilMs: number) =>
  `a scaling run still holds it (its claim's lease ends ${new Date(leaseUntilMs).toISOString()}) at the end of the time the remover may wait: its bounds, look-ahead and tag left as they are; delete the stack again once that run has ended (by that time at the latest) to give it back`;
