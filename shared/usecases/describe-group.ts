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
 * A group as a step after validation finds it: still there, being deleted (Status "Delete in
 * progress": Auto Scaling refuses every change to it, and removes it once its instances are
 * gone), or gone.
 */
export type GroupFound =
  | { readonly kind: 'there'; readonly group: GroupSnapshot }
  | { readonly kind: 'deleting' }
  | { readonly kind: 'gone' };

/**
 * Finds one group by name, telling a group Auto Scaling is deleting from one already gone, so a
 * refusal can say which.
 * @throws TransientDependencyError when Auto Scaling may answer later.
 */
export async function findGroup(scalingTarget: ScalingTarget, groupName: string): Promise<GroupFound> {
  try {
    const group = await describeGroup(scalingTarget, groupName);
    return group.deleting ? { kind: 'deleting' } : { kind: 'there', group };
  } catch (error) {
    if (error instanceof ResourceNotFoundError) return { kind: 'gone' };
    throw error;
  }
}

/**
 * One group by name, or undefined when it was deleted since validation: gone, or being deleted
 * ({@link findGroup}). For a step that ends the run on it then, instead of failing or changing it.
 * @throws TransientDependencyError when Auto Scaling may answer later.
 */
export async function groupIfStillThere(
  scalingTarget: ScalingTarget,
  groupName: string,
): Promise<GroupSnapshot | undefined> {
  const found = await findGroup(scalingTarget, groupName);
  return found.kind === 'there' ? found.group : undefined;
}
