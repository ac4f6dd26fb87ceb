/** How long the rollback branch waits for Auto Scaling when no lock time is known. */
const DEFAULT_GIVE_UP_MS = 6 * 3_600_000;
/**
 * Least time from the give-up to the lock's expiry: the restore (retried while scaling activities
 * run), the notice, the record and the lock's release still come after it.
 */
const LOCK_MARGIN_MS = 30 * 60_000;
/** Poll intervals from the give-up to the lock's expiry, at least (see `rollbackGiveUpTime`). */
const MARGIN_POLLS = 2;

/** What the give-up time depends on: the lock, the wait between looks, the time. */
export interface GiveUpInput {
  /** When this update's lock expires (epoch ms); absent or not finite when no lock was taken. */
  readonly lockExpiresAtMs?: number;
  /** The rollback's wait between looks (`Wait during rollback`), seconds. */
  readonly pollIntervalSeconds: number;
  readonly nowMs: number;
}

/**
 * When the rollback branch stops waiting and hands over (epoch ms): before the lock expires by
 * the larger of 30 minutes and two poll intervals. A look decided just before the give-up time
 * waits a whole poll interval, so the look that gives up comes up to one interval after it; with
 * only 30 minutes and an hour's interval that look, and the restore after it, came after the
 * lock expired, when another update may hold it and the late restore lowers its headroom. Two
 * intervals keep that look at least one interval before the expiry. Without a lock: six hours
 * from now.
 */
export function rollbackGiveUpTime(input: GiveUpInput): number {
  const { lockExpiresAtMs, pollIntervalSeconds, nowMs } = input;
  if (lockExpiresAtMs === undefined || !Number.isFinite(lockExpiresAtMs)) return nowMs + DEFAULT_GIVE_UP_MS;
  return lockExpiresAtMs - Math.max(LOCK_MARGIN_MS, MARGIN_POLLS * pollIntervalSeconds * 1000);
}
