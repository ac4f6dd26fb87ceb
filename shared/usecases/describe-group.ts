import { ResourceNotFoundError } from '../ports/errors';
import type { GroupSnapshot, ScalingTarget } from '../ports/scaling-target';

/**
 * One group by name, for workflow steps that run after validation.
 * @throws ResourceNotFoundError when the group no longer exists (deleted mid-workflow).
 */
export async function describeGroup(scalingTarget: ScalingTarget, groupName: string): Promise<GroupSnapshot> {
  const [group] = await scalingTarget.describeGroups({ names: [groupName] });
  if (!group || group.name !== groupName) throw new ResourceNotFoundError('Auto Scaling group', groupName);
  return group;
}
