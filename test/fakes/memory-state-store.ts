import {
  type GroupLock,
  type GroupState,
  type LeftRelease,
  type RunClaim,
  type RunLease,
  type RunRecord,
  releasesRaise,
  type StateStore,
} from '../../shared/ports/state-store';

/** An in-memory `StateStore` with the same semantics as the DynamoDB adapter (see the contract suite). */
export class MemoryStateStore implements StateStore {
  /** Each group's run claim: the newest tick claimed. */
  readonly claims = new Map<string, { tickMs: number; done: boolean; leaseUntilMs: number }>();
  readonly records = new Map<string, RunRecord[]>();
  readonly states = new Map<string, GroupState>();
  readonly locks = new Map<string, GroupLock>();
  /** Releases left to each group's loop, keyed `group#campaignId`. */
  readonly leftReleaseItems = new Map<string, LeftRelease>();
  /** When the store may delete each run record (DynamoDB's TTL), keyed `group#tickMs`. */
  readonly recordExpiresAtMs = new Map<string, number>();

  async claimRun(groupName: string, tickMs: number, lease: RunLease): Promise<boolean> {
    const claim = this.claims.get(groupName);
    const free =
      !claim ||
      (claim.leaseUntilMs < lease.nowMs &&
        (claim.tickMs < tickMs || (claim.tickMs === tickMs && !claim.done)));
    if (!free) return false;
    this.claims.set(groupName, { tickMs, done: false, leaseUntilMs: lease.leaseUntilMs });
    return true;
  }

  async getRunClaim(groupName: string, nowMs: number): Promise<RunClaim | undefined> {
    const claim = this.claims.get(groupName);
    // Live as `claimRun` judges it: not free to take while its lease has not run out.
    if (!claim || claim.leaseUntilMs < nowMs) return undefined;
    return { tickMs: claim.tickMs, leaseUntilMs: claim.leaseUntilMs };
  }

  async completeRun(groupName: string, tickMs: number): Promise<void> {
    const claim = this.claims.get(groupName);
    if (claim?.tickMs === tickMs) this.claims.set(groupName, { tickMs, done: true, leaseUntilMs: 0 });
  }

  async releaseRun(groupName: string, tickMs: number): Promise<void> {
    const claim = this.claims.get(groupName);
    if (claim?.tickMs === tickMs) this.claims.set(groupName, { tickMs, done: false, leaseUntilMs: 0 });
  }

  async putRunRecord(record: RunRecord, expiresAtMs?: number): Promise<void> {
    if (expiresAtMs !== undefined)
      this.recordExpiresAtMs.set(`${record.groupName}#${record.tickMs}`, expiresAtMs);
    const list = (this.records.get(record.groupName) ?? []).filter((r) => r.tickMs !== record.tickMs);
    list.push(structuredClone(record));
    list.sort((a, b) => a.tickMs - b.tickMs);
    this.records.set(record.groupName, list);
  }

  async recentRunRecords(groupName: string, sinceMs: number): Promise<RunRecord[]> {
    return (this.records.get(groupName) ?? [])
      .filter((r) => r.tickMs >= sinceMs)
      .map((r) => structuredClone(r));
  }

  async latestRunRecord(groupName: string, sinceMs: number): Promise<RunRecord | undefined> {
    return (await this.recentRunRecords(groupName, sinceMs)).at(-1);
  }

  async getGroupState(groupName: string): Promise<GroupState | undefined> {
    return this.states.get(groupName);
  }

  async putGroupState(groupName: string, state: GroupState): Promise<void> {
    this.states.set(groupName, { ...state });
  }

  async recordRun(
    groupName: string,
    state: GroupState,
    record: RunRecord,
    expiresAtMs: number,
  ): Promise<void> {
    await this.putGroupState(groupName, state);
    await this.putRunRecord(record, expiresAtMs);
  }

  async acquireLock(lock: GroupLock): Promise<boolean> {
    const held = this.locks.get(lock.groupName);
    if (held && held.expiresAtMs > lock.acquiredAtMs && held.holder !== lock.holder) return false;
    this.locks.set(lock.groupName, { ...lock });
    return true;
  }

  async releaseLock(groupName: string, holder: string): Promise<void> {
    if (this.locks.get(groupName)?.holder === holder) this.locks.delete(groupName);
  }

  async getLock(groupName: string, nowMs: number): Promise<GroupLock | undefined> {
    const lock = this.locks.get(groupName);
    return lock && lock.expiresAtMs > nowMs ? { ...lock } : undefined;
  }

  async leaveRelease(groupName: string, release: LeftRelease, raisedAtMs: number): Promise<void> {
    const key = `${groupName}#${release.campaignId}`;
    if (releasesRaise(this.leftReleaseItems.get(key), raisedAtMs)) return;
    this.leftReleaseItems.set(key, structuredClone(release));
  }

  async leftRelease(groupName: string, campaignId: string): Promise<LeftRelease | undefined> {
    const release = this.leftReleaseItems.get(`${groupName}#${campaignId}`);
    return release && structuredClone(release);
  }

  async leftReleases(groupName: string): Promise<LeftRelease[]> {
    return [...this.leftReleaseItems.entries()]
      .filter(([key, release]) => key.startsWith(`${groupName}#`) && !release.performed)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, release]) => structuredClone(release));
  }

  async settleLeftRelease(
    groupName: string,
    read: LeftRelease,
    next: LeftRelease | undefined,
  ): Promise<boolean> {
    const key = `${groupName}#${read.campaignId}`;
    const stored = this.leftReleaseItems.get(key);
    // As DynamoDbStateStore's condition: one without a version (as the campaign left it) is as read.
    if (
      stored === undefined ||
      stored.performed ||
      (stored.version !== undefined && stored.version !== (read.version ?? 0))
    )
      return false;
    this.leftReleaseItems.set(key, structuredClone(next ?? { ...read, performed: true }));
    return true;
  }
}
