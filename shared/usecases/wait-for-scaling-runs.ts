import { type HeldByRun, runsWait } from '../core/planning/runs-wait';
import type { StateStore } from '../ports/state-store';

export interface WaitForScalingRunsDeps {
  readonly stateStore: Pick<StateStore, 'getRunClaim'>;
  /** Resolves after `ms` (a timer in AWS; a test's returns at once, its time passed as read). */
  readonly sleep: (ms: number) => Promise<void>;
}

/**
 * Waits, once, until every live run claim on `groupNames` that ends by `deadlineMs` has ended
 * (`runsWait`), then reads the claims again: one still live then (a run claimed the group during
 * the wait) is held past the budget too, with no second wait, so the wait is bounded whatever the
 * clock. Returns the groups held past the budget, with why (the caller leaves them as they are),
 * and how long it waited: the time after is `nowMs` plus that, or a little later.
 */
export async function waitForScalingRuns(
  deps: WaitForScalingRunsDeps,
  groupNames: readonly string[],
  { nowMs, deadlineMs }: { readonly nowMs: number; readonly deadlineMs: number },
): Promise<{ readonly heldPastBudget: ReadonlyMap<string, string>; readonly waitedMs: number }> {
  const wait = runsWait(await liveClaims(deps, groupNames, nowMs), { nowMs, deadlineMs });
  if (wait.untilMs === undefined) return { heldPastBudget: wait.beyondBudget, waitedMs: 0 };
  const waitedMs = wait.untilMs - nowMs;
  await deps.sleep(waitedMs);
  const waited = groupNames.filter((name) => !wait.beyondBudget.has(name));
  const afterMs = wait.untilMs;
  const again = runsWait(await liveClaims(deps, waited, afterMs), { nowMs: afterMs, deadlineMs: afterMs });
  return { heldPastBudget: new Map([...wait.beyondBudget, ...again.beyondBudget]), waitedMs };
}

async function liveClaims(
  deps: Pick<WaitForScalingRunsDeps, 'stateStore'>,
  groupNames: readonly string[],
  nowMs: number,
): Promise<Map<string, HeldByRun>> {
  const claims = new Map<string, HeldByRun>();
  for (const groupName of groupNames) {
    const claim = await deps.stateStore.getRunClaim(groupName, nowMs);
    if (claim) claims.set(groupName, claim);
  }
  return claims;
}
