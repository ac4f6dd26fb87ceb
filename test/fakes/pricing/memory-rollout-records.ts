import type { RolloutRecords, StartedRollout } from '../../../shared/ports/rollout-records';

/** `RolloutRecords` in memory: an expired record reads as none, as the DynamoDB adapter reads it. */
export class MemoryRolloutRecords implements RolloutRecords {
  readonly records = new Map<string, { rollout: StartedRollout; expiresAtMs: number }>();

  async recordRollout(groupName: string, rollout: StartedRollout, expiresAtMs: number): Promise<void> {
    this.records.set(groupName, { rollout, expiresAtMs });
  }

  async lastRollout(groupName: string, nowMs: number): Promise<StartedRollout | undefined> {
    const record = this.records.get(groupName);
    return record && record.expiresAtMs > nowMs ? record.rollout : undefined;
  }
}
