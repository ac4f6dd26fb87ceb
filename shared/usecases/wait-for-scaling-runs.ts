import { type HeldByRun, LEASE_CLOCK_LEEWAY_MS, runsWaitStep } from '../core/planning/runs-wait';
import type { Clock } from '../ports/clock';
import type { StateStore } from '../ports/state-store';

export interface WaitForScalingRunsDeps {
  readonly stateStore: Pick<StateStore, 'getRunClaim'>;
  /** Resolves after `ms` (a timer in AWS; a test's moves its clock instead). */
  readonly sleep: (ms: number) => Promise<void>;
  /** The time after each sleep (never taken as less than the time before it plus the sleep). */
  readonly clock: Clock;
}

/**
 * Waits until no live run claim holds any of `groupNames`, reading the held ones again every few
 * seconds (`runsWaitStep`) and every group once more before it stops, until `deadlineMs` at the
 * latest. Returns the groups still held then, with why (the caller leaves them as they are), and
 * the time the wait ended (`nowMs` when it did not sleep).
 */
export async function waitForScalingRuns(
  deps: WaitForScalingRunsDeps,
  groupNames: readonly string[],
  { nowMs: startMs, deadlineMs }: { readonly nowMs: number; readonly deadlineMs: number },
): Promise<{ readonly heldPastBudget: ReadonlyMap<string, string>; readonly nowMs: number }> {
  let nowMs = startMs;
  let reading = groupNames;
  for (;;) {
    const claims = await liveClaims(deps, reading, nowMs);
    const step = runsWaitStep(claims, { nowMs, deadlineMs, everyGroupRead: reading === groupNames });
    if (step.kind === 'released') return { heldPastBudget: new Map(), nowMs };
    if (step.kind === 'pastDeadline') return { heldPastBudget: step.beyondBudget, nowMs };
    if (step.kind === 'readAll') reading = groupNames;
    else {
      await deps.sleep(step.sleepMs);
      // At least the time slept: a clock that does not move with the sleep (a virtual one) must
      // still bring the deadline.
      nowMs = Math.max(deps.clock.nowMs(), nowMs + step.sleepMs);
      reading = step.held;
    }
  }
}

/** The claims on `groupNames` live at `nowMs` less the leeway (`runsWaitStep` judges the rest). */
async function liveClaims(
  deps: Pick<WaitForScalingRunsDeps, 'stateStore'>,
  groupNames: readonly string[],
  nowMs: number,
): Promise<Map<string, HeldByRun>> {
  const claims = new Map<string, HeldByRun>();
  for (const groupName of groupNames) {
    const claim = await deps.stateStore.getRunClaim(groupName, nowMs - LEASE_CLOCK_LEEWAY_MS);
    if (claim) claims.set(groupName, claim);
  }
  return claims;
}
