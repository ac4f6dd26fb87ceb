import { SimulatedAwsError } from '../simulated-aws-error';
import type { AutoScalingContext } from './auto-scaling-context';
import { autoScalingFault } from './auto-scaling-fault';
import type { SimGroup } from './group-state';
import { applyCapacity, terminate } from './instance-lifecycle';
import { ACTIVE_REFRESH } from './refresh-progress';

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
 * DeleteAutoScalingGroup: without `ForceDelete` a group that still has instances (its warm pool's
 * included) is refused (ResourceInUse, API reference); otherwise the group goes pending delete:
 * its `Status` reads "Delete in progress", its instances terminate (bounds and DesiredCapacity to
 * 0) and so does its warm pool ("If the group has a warm pool, the force delete option also
 * deletes the warm pool", API reference), its scheduled actions no longer run and every change to
 * it is refused. A forced delete removes the group "along with all instances associated with the
 * group": scale-in protection, a suspended Terminate process or a refresh keeping instances until
 * their replacements are healthy hold none of them back (a refresh in progress is cancelled). The group is gone once that is done (`deletionDone`). Deleting a group pending
 * delete again is a no-op.
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DeleteAutoScalingGroup.html
 * @throws SimulatedAwsError ResourceInUse
 */
export function deleteGroup(
  ctx: AutoScalingContext,
  group: SimGroup,
  input: { readonly ForceDelete?: boolean },
): void {
  if (group.deletingSinceMs !== undefined) return;
  if (input.ForceDelete !== true && group.instances.length > 0)
    throw autoScalingFault(
      'ResourceInUse',
      'You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.',
    );
  const cause = 'the group is being deleted';
  // Until 2026-12-06 the pool outlived the delete: its MinSize kept refilling it, forever.
  delete group.warmPool;
  const refresh = group.refreshes[0];
  if (refresh && ACTIVE_REFRESH.has(refresh.status)) {
    refresh.status = 'Cancelled';
    refresh.statusReason = cause;
    refresh.endMs = ctx.nowMs;
  }
  // Not through the capacity's reconcile: it keeps protected instances, and any while Terminate is suspended.
  for (const instance of [...group.instances]) terminate(ctx, group, instance, cause);
  applyCapacity(ctx, group, { min: 0, max: 0, desired: 0 }, cause);
  group.deletingSinceMs = ctx.nowMs;
}

/**
 * Whether a group pending delete is gone at `nowMs`: its instances are terminated and time has
 * moved past the DeleteAutoScalingGroup call. The call itself returns with the group still listed
 * as "Delete in progress" (the deletion is asynchronous on AWS); the simulation terminates an
 * instance at once (it models no shutting-down state), so the group goes on the world's next step.
 * From then on DescribeAutoScalingGroups no longer lists it and every call naming it fails with
 * "AutoScalingGroup name not found", as for a group that never existed; its scheduled actions,
 * warm pool, tags and refreshes go with it. Until 2026-12-06 the simulation kept it forever.
 */
export function deletionDone(group: SimGroup, nowMs: number): boolean {
  return group.deletingSinceMs !== undefined && nowMs > group.deletingSinceMs && group.instances.length === 0;
}
