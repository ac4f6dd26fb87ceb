/**
 * How long the stack-deletion cleanup waits for the scaling runs still holding its groups. Deleting
 * the worker function stops no invocation under way: one that claimed a group just before may
 * still write its MinSize, warm pool, look-ahead and ownership tag, up to its lease's end (the
 * worker's timeout after its batch started, `claimRun`). Giving the group back before then could
 * be undone behind the cleanup, leaving actions firing for a stack that no longer exists.
 */

/** A live run claim as the cleanup reads it. */
export interface HeldByRun {
  readonly leaseUntilMs: number;
}

/** What the cleanup does about the groups' live claims. */
export interface RunsWait {
  /** Wait until then (epoch ms) before giving the groups back; absent when none is held within budget. */
  readonly untilMs?: number;
  /** Groups held past the budget, with why: left as they are, for a deletion tried again. */
  readonly beyondBudget: ReadonlyMap<string, string>;
}

/**
 * Leeway past a lease's end: the worker and the cleanup read clocks on different hosts. A run
 * never outlives its lease (the lease is the worker's Lambda timeout from the batch's start).
 */
export const LEASE_CLOCK_LEEWAY_MS = 1_000;

/**
 * The wait that outlasts every live claim ending by `deadlineMs` (the latest the cleanup may wait
 * until), and the groups whose claim ends after it.
 */
export function runsWait(
  claims: ReadonlyMap<string, HeldByRun>,
  { nowMs, deadlineMs }: { readonly nowMs: number; readonly deadlineMs: number },
): RunsWait {
  let untilMs: number | undefined;
  const beyondBudget = new Map<string, string>();
  for (const [groupName, { leaseUntilMs }] of claims) {
    if (leaseUntilMs < nowMs) continue;
    const endsMs = leaseUntilMs + LEASE_CLOCK_LEEWAY_MS;
    if (endsMs > deadlineMs) beyondBudget.set(groupName, heldReason(leaseUntilMs));
    else untilMs = Math.max(untilMs ?? endsMs, endsMs);
  }
  return { ...(untilMs !== undefined ? { untilMs } : {}), beyondBudget };
}

const heldReason = (leaseUntilMs: number) =>
  `a scaling run still holds it (its claim's lease ends ${new Date(leaseUntilMs).toISOString()}), past the time the remover may wait: its bounds, look-ahead and tag left as they are; delete the stack again after then to give it back`;
