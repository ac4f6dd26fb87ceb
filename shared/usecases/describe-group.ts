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
 * One group by name, or undefined when it was deleted since validation: gone, or being deleted
 * (Auto Scaling refuses every change to it, and removes it once its instances are gone). For a
 * step that ends the run on it then, instead of failing or changing it.
 * @throws TransientDependencyError when Auto Scaling may answer later.
 */
export async function groupIfStillThere(
  scalingTarget: ScalingTarget,
  groupName: string,
): Promise<GroupSnapshot | undefined> {
  try {
    const group = await describeGroup(scalingTarget, groupName);
    return group.deleting ? undefined : group;
  } catch (error) {
    if (error instanceof ResourceNotFoundError) return undefined;
    throw error;
  }
}
