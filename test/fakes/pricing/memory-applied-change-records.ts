import type { AppliedInstanceTypeChange } from '../../../shared/core/pricing/reverted-change';
import type { AppliedChangeRecords } from '../../../shared/ports/applied-change-records';

/** `AppliedChangeRecords` in memory: one record per group, the latest winning, none expiring. */
export class MemoryAppliedChangeRecords implements AppliedChangeRecords {
  readonly records = new Map<string, AppliedInstanceTypeChange>();

  async recordApplied(groupName: string, change: AppliedInstanceTypeChange): Promise<void> {
    this.records.set(groupName, change);
  }

  async lastApplied(groupName: string): Promise<AppliedInstanceTypeChange | undefined> {
    return this.records.get(groupName);
  }
}
