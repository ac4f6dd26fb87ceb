/**
 * Item keys of the state table, shared by the DynamoDB adapters and by Step Functions states that
 * call DynamoDB directly (the rolling-update lock), so both read and write the same items.
 */
export const STATE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; the table's TTL attribute. */
  ttl: 'expiresAt',
  groupPk: (groupName: string) => `GROUP#${groupName}`,
  /** Sort keys embed zero-padded epoch ms so they sort in time order. */
  runSk: (tickMs: number) => `RUN#${String(tickMs).padStart(15, '0')}`,
  /** The group's run claim: one item, holding the newest tick claimed (`StateStore.claimRun`). */
  claimSk: 'CLAIM',
  stateSk: 'STATE',
  lockSk: 'LOCK',
  /** An update plan's hold on a member group, beside its `LOCK` (`UpdatePlanStore`). */
  planLockSk: 'PLAN',
  /** The rolling update the instance-type selection last started for the group (`RolloutRecords`). */
  instanceTypeRolloutSk: 'INSTANCE-TYPE-ROLLOUT',
  /**
   * The last instance-type change the selection applied to the group (`AppliedChangeRecords`):
   * no expiry; deleting it lets Prescale apply again after the owner reverted the change.
   */
  appliedInstanceTypesSk: 'APPLIED-INSTANCE-TYPES',
  /** A campaign's release left to the group's loop (`LeftRelease`), one per campaign. */
  leftReleaseSk: (campaignId: string) => `RELEASE#${campaignId}`,
  leftReleaseSkPrefix: 'RELEASE#',
  /** The dependency edges the scaling loop last discovered in X-Ray: one item per deployment. */
  discoveredDependenciesPk: 'DEPENDENCIES',
  discoveredDependenciesSk: 'DISCOVERED',
} as const;

/**
 * The condition under which a group lease item may be (re)written: free, expired, or already
 * ours (a retried acquire). Expired means `expiresAtMs <= now`, the boundary the lock readers use,
 * so a lease no reader reports any more is free to take. Shared by the DynamoDB adapters and the
 * rolling-update state machine, which take the same kind of lease.
 */
export const LEASE_FREE_CONDITION = 'attribute_not_exists(pk) OR expiresAtMs <= :now OR holder = :holder';
