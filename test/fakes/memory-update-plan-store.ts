import type { PlanCancelRequest, PlanLock, UpdatePlanStore } from '../../shared/ports/update-plan-store';

/** An in-memory `UpdatePlanStore` with the DynamoDB adapter's semantics (see the contract suite). */
export class MemoryUpdatePlanStore implements UpdatePlanStore {
  readonly locks = new Map<string, PlanLock>();
  /** Recorded plans (the workflow's "Record plan" state) and their cancel requests. */
  readonly plans = new Map<string, PlanCancelRequest | undefined>();
  /** Makes the next acquire of this group fail with this error (a partial failure). */
  failNextAcquire = new Map<string, Error>();

  async acquirePlanLock(lock: PlanLock): Promise<boolean> {
    const failure = this.failNextAcquire.get(lock.groupName);
    if (failure) {
      this.failNextAcquire.delete(lock.groupName);
      throw failure;
    }
    const held = this.locks.get(lock.groupName);
    if (held && held.expiresAtMs > lock.acquiredAtMs && held.holder !== lock.holder) return false;
    this.locks.set(lock.groupName, { ...lock });
    return true;
  }

  async releasePlanLock(groupName: string, holder: string): Promise<void> {
    if (this.locks.get(groupName)?.holder === holder) this.locks.delete(groupName);
  }

  async getPlanLock(groupName: string, nowMs: number): Promise<PlanLock | undefined> {
    const held = this.locks.get(groupName);
    return held && held.expiresAtMs > nowMs ? { ...held } : undefined;
  }

  async requestCancel(planName: string, request: PlanCancelRequest): Promise<'requested' | 'not-found'> {
    if (!this.plans.has(planName)) return 'not-found';
    this.plans.set(planName, { ...request });
    return 'requested';
  }

  async cancelRequest(planName: string): Promise<PlanCancelRequest | undefined> {
    const request = this.plans.get(planName);
    return request ? { ...request } : undefined;
  }
}
