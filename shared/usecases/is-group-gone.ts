import { ResourceNotFoundError } from '../ports/errors';

/**
 * Whether `error` says the Auto Scaling group `groupName` no longer exists: the ports'
 * `ResourceNotFoundError` of type `group` (Auto Scaling's "AutoScalingGroup name not found",
 * translated by the adapters). A group deleted after it was read is gone, as if the read had
 * missed it: its run ends `not-found` instead of failing and being retried.
 */
export function isGroupGone(error: unknown, groupName: string): boolean {
  return (
    error instanceof ResourceNotFoundError && error.resourceType === 'group' && error.resourceId === groupName
  );
}
