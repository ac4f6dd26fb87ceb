/** A rolling update the instance-type selection started for a group, kept until it may have closed. */
export interface StartedRollout {
  readonly executionArn: string;
  /** The run that started it: its scheduled time (epoch ms), which a redelivery of that run repeats. */
  readonly runTimeMs: number;
  /**
   * The instance type it rolls out; absent in records written before it was kept. A rollout of it
   * that failed keeps later runs from trying the same type again for a while (`failedRolloutHold`).
   */
  readonly instanceType?: string;
}

/**
 * The rollouts the instance-type selection started, one per group: a rollout waits up to
 * `rollingUpdate.maxWaitHours` for a low-load window before it takes the group lock, and while it
 * waits the next day's run must not start another.
 */
export interface RolloutRecords {
  /** Records the group's rollout; `expiresAtMs` is when the store may delete it. */
  recordRollout(groupName: string, rollout: StartedRollout, expiresAtMs: number): Promise<void>;
  /** The group's last recorded rollout, or undefined when there is none (or it has expired). */
  lastRollout(groupName: string, nowMs: number): Promise<StartedRollout | undefined>;
}
