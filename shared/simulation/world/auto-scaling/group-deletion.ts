import { SimulatedAwsError } from '../simulated-aws-error';
import type { AutoScalingContext } from './auto-scaling-context';
import type { SimGroup } from './group-state';
import { applyCapacity } from './instance-lifecycle';

/** What DescribeAutoScalingGroups reports as a group's `Status` while it is being deleted. */
export const DELETE_IN_PROGRESS = 'Delete in progress';

/**
 * Refuses a change to a group Auto Scaling is deleting, as AWS does ("ValidationError: The
 * AutoScaling group may not be modified while it is pending delete", on UpdateAutoScalingGroup;
 * taken here for every call that changes the group).
 * @throws SimulatedAwsError ValidationError while the group is pending delete.
 */
export function refuseWhilePendingDelete(group: SimGroup): SimGroup {
  if (group.deletingSinceMs !== undefined)
    throw new SimulatedAwsError(
      'ValidationError',
      'The AutoScaling group may not be modified while it is pending delete',
    );
  return group;
}

/**
 * DeleteAutoScalingGroup: without `ForceDelete` a group that still has instances is refused
 * (ResourceInUse, API reference); otherwise the group goes pending delete: its `Status` reads
 * "Delete in progress", its instances terminate (bounds and DesiredCapacity to 0), its scheduled
 * actions no longer run and every change to it is refused. The simulation keeps the group in that
 * state (AWS removes it once its instances are gone). Deleting a group pending delete again is a
 * no-op.
 * @throws SimulatedAwsError ResourceInUse
 */
export function deleteGroup(
  ctx: AutoScalingContext,
  group: SimGroup,
  input: { readonly ForceDelete?: boolean },
): void {
  if (group.deletingSinceMs !== undefined) return;
  if (input.ForceDelete !== true && group.instances.length > 0)
    throw new SimulatedAwsError(
      'ResourceInUse',
      'You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.',
    );
  applyCapacity(ctx, group, { min: 0, max: 0, desired: 0 }, 'the group is being deleted');
  group.deletingSinceMs = ctx.nowMs;
}
