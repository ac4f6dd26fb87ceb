/** A group's scheduled action (anyone's): a one-time change at `startMs` or a recurring one. */
export interface ScheduledCapacityAction {
  readonly name: string;
  /** Next run (epoch ms), for one-time actions and recurring ones with a start. */
  readonly startMs?: number;
  /** Cron expression of a recurring action. */
  readonly recurrence?: string;
  /** IANA time zone its cron is read in (UTC when absent). */
  readonly timeZone?: string;
  /** When a recurring action's schedule ends (epoch ms). */
  readonly endMs?: number;
  readonly minSize?: number;
  readonly maxSize?: number;
  readonly desiredCapacity?: number;
}

/**
 * A one-time action Prescale writes: MinSize, DesiredCapacity when the loop sets it too, MaxSize
 * only to give back a MaxSize the loop raised.
 */
export interface PlannedCapacityAction {
  readonly name: string;
  /** When it runs (epoch ms, UTC). */
  readonly startMs: number;
  readonly minSize: number;
  readonly desiredCapacity?: number;
  readonly maxSize?: number;
}

/**
 * Scheduled actions of Auto Scaling groups, as the look-ahead uses them. Writes and deletes are
 * batched by the adapter within AWS's per-call limits; an action AWS refuses fails the whole call
 * with `RejectedRequestError` naming it.
 */
export interface ScheduledCapacity {
  /** Every scheduled action of the group, the user's included. */
  scheduledActions(groupName: string): Promise<ScheduledCapacityAction[]>;
  /** Creates or overwrites the actions by name. */
  putScheduledActions(groupName: string, actions: readonly PlannedCapacityAction[]): Promise<void>;
  /** Deletes the named actions; names that no longer exist are not errors. */
  deleteScheduledActions(groupName: string, names: readonly string[]): Promise<void>;
}
