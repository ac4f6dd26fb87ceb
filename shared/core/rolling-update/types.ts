/**
 * Shared shapes of the rolling-update decisions. Capacities are in instances (or weighted
 * capacity units for groups with weights); load is in the group's load unit; times are epoch ms.
 */

/** Instance refresh statuses as Auto Scaling reports them (`DescribeInstanceRefreshes`). */
export type RefreshStatus =
  | 'Pending'
  | 'InProgress'
  | 'Successful'
  | 'Failed'
  | 'Cancelling'
  | 'Cancelled'
  | 'RollbackInProgress'
  | 'RollbackFailed'
  | 'RollbackSuccessful'
  | 'Baking';

/** Statuses in which a refresh still replaces instances and may be rolled back or cancelled. */
export const ACTIVE_REFRESH_STATUSES: readonly RefreshStatus[] = ['Pending', 'InProgress', 'Baking'];

/**
 * The scaling processes any of which, suspended, leaves an instance refresh replacing no instance
 * until it resumes (https://docs.aws.amazon.com/autoscaling/ec2/userguide/understand-how-suspending-processes-affects-other-processes.html).
 */
export const REFRESH_BLOCKING_PROCESSES: ReadonlySet<string> = new Set([
  'Launch',
  'Terminate',
  'InstanceRefresh',
]);

/** Statuses in which Auto Scaling is already undoing or stopping a refresh: wait for them to end. */
export const SETTLING_REFRESH_STATUSES: readonly RefreshStatus[] = ['Cancelling', 'RollbackInProgress'];

/** Statuses in which a refresh has ended: nothing more happens to it. */
export const ENDED_REFRESH_STATUSES: readonly RefreshStatus[] = [
  'Successful',
  'Failed',
  'Cancelled',
  'RollbackFailed',
  'RollbackSuccessful',
];

/**
 * Whether `status` is one this code knows. The statuses come from Auto Scaling as text, and it
 * has added some before (Baking): an unknown one is neither active nor ended as far as Prescale can tell.
 */
export function isKnownRefreshStatus(status: string): status is RefreshStatus {
  return [...ACTIVE_REFRESH_STATUSES, ...SETTLING_REFRESH_STATUSES, ...ENDED_REFRESH_STATUSES].includes(
    status as RefreshStatus,
  );
}

/** A group's capacity bounds. */
export interface CapacityBounds {
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredCapacity: number;
}

/**
 * How the workflow replaces instances: `native` starts the refresh with a DesiredConfiguration
 * (Auto Scaling can roll it back); `fallback` is for groups with attribute-based instance type
 * selection, which cannot use a DesiredConfiguration: the group is pointed at the new version and
 * refreshed, and undone by pointing it back at the recorded previous version and refreshing again.
 */
export type RefreshPath = 'native' | 'fallback';

/**
 * Capacity that is guaranteed to stay healthy while instances are replaced: Auto Scaling keeps at
 * least MinHealthyPercentage of the desired capacity in service; rounded down to be conservative.
 */
export function healthyCapacity(desiredCapacity: number, minHealthyPercentage: number): number {
  return Math.floor((desiredCapacity * minHealthyPercentage) / 100 + 1e-9);
}

/** Whole instances needed to carry `load` at `targetLoadPerInstance` each (0 for no load). */
export function instancesForLoad(load: number, targetLoadPerInstance: number): number {
  if (!(load > 0)) return 0;
  return Math.ceil(load / targetLoadPerInstance - 1e-9);
}
