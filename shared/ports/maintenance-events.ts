/** EC2 scheduled event codes that replace or interrupt an instance. */
export type ScheduledEventCode =
  | 'instance-retirement'
  | 'instance-stop'
  | 'instance-reboot'
  | 'system-reboot'
  | 'system-maintenance';

/** An upcoming EC2 scheduled event on an instance of an Auto Scaling group. */
export interface ScheduledInstanceEvent {
  readonly instanceId: string;
  /** The instance's Auto Scaling group; undefined for instances outside any group. */
  readonly groupName?: string;
  readonly code: ScheduledEventCode;
  /** Earliest time the event may happen (epoch ms). */
  readonly notBeforeMs: number;
  readonly description: string;
  /** The instance's Auto Scaling lifecycle state (`InService`, `Standby`, `Terminating`, …), with its group. */
  readonly lifecycleState?: string;
  /** Whether the instance is protected from scale in, with its group. */
  readonly protectedFromScaleIn?: boolean;
}

/** Upcoming EC2 scheduled events (retirements, reboots) on running instances. */
export interface MaintenanceEvents {
  /**
   * Events not yet completed or cancelled, each with the instance's group.
   * @throws TransientDependencyError when EC2 or Auto Scaling may answer later.
   */
  upcomingEvents(): Promise<ScheduledInstanceEvent[]>;
}
