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
  claimSk: (tickMs: number) => `CLAIM#${String(tickMs).padStart(15, '0')}`,
  stateSk: 'STATE',
  lockSk: 'LOCK',
} as const;
