import type { AppliedInstanceTypeChange } from '../core/pricing/reverted-change';

/**
 * The last instance-type change the selection applied to each group, kept so that a later run
 * can tell the owner's revert of it (the group back on the types it changed from) from a new
 * choice of the owner's (`appliedChangeStanding`). A record never expires: the owner's next
 * deploy may be months away. Deleting it is how an operator lets Prescale apply again.
 */
export interface AppliedChangeRecords {
  /** Records `change` as the group's last applied one, replacing any earlier. */
  recordApplied(groupName: string, change: AppliedInstanceTypeChange): Promise<void>;
  /**
   * The group's last applied change, or undefined when none is recorded.
   * @throws RejectedRequestError when the record cannot be read as one (never guessed as none).
   */
  lastApplied(groupName: string): Promise<AppliedInstanceTypeChange | undefined>;
}
