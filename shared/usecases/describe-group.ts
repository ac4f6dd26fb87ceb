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

/**
 * One group by name, or undefined when it no longer exists (deleted since validation): for a step
 * that ends the run as a refusal then, instead of failing.
 * @throws TransientDependencyError when Auto Scaling may answer later.
 */
export async function groupIfStillThere(
  scalingTarget: ScalingTarget,
  groupName: string,
): Promise<GroupSnapshot | undefined> {
  try {
    return await describeGroup(scalingTarget, groupName);
  } catch (error) {
    if (error instanceof ResourceNotFoundError) return undefined;
    throw error;
  }
}
