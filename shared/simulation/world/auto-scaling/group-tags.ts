import { SimulatedAwsError } from '../simulated-aws-error';
import { autoScalingFault } from './auto-scaling-fault';
import type { SimGroup } from './group-state';

/** "You can add up to 50 tags" to an Auto Scaling group (Tag your Auto Scaling groups). */
const TAGS_PER_GROUP = 50;

/** One member of CreateOrUpdateTags' or DeleteTags' `Tags`, as the SDK sends it. */
export interface GroupTagInput {
  ResourceId?: string;
  ResourceType?: string;
  Key?: string;
  Value?: string;
  PropagateAtLaunch?: boolean;
}

/**
 * CreateOrUpdateTags: sets each tag on its group (a key the group has is updated). Every tag is
 * checked before any is set: a resource other than an existing group, an `aws:` key (reserved) or
 * a group past 50 tags refuses the whole call.
 * @throws SimulatedAwsError ValidationError or LimitExceeded
 */
export function createOrUpdateTags(
  groupNamed: (name: string | undefined) => SimGroup,
  tags: readonly GroupTagInput[],
): void {
  const checked = tags.map((tag) => ({
    group: groupOf(groupNamed, tag),
    key: keyOf(tag),
    value: tag.Value ?? '',
    // Tag.PropagateAtLaunch is optional and the API reference names no default: taken as false.
    propagates: tag.PropagateAtLaunch === true,
  }));
  for (const group of new Set(checked.map((t) => t.group))) {
    const keys = new Set([
      ...group.tags.keys(),
      ...checked.filter((t) => t.group === group).map((t) => t.key),
    ]);
    if (keys.size > TAGS_PER_GROUP)
      throw autoScalingFault(
        'LimitExceeded',
        `The number of tags on ${group.spec.name} would exceed the limit of ${TAGS_PER_GROUP}.`,
      );
  }
  for (const { group, key, value, propagates } of checked) {
    group.tags.set(key, value);
    if (propagates) group.unpropagatedTagKeys.delete(key);
    else group.unpropagatedTagKeys.add(key);
  }
}

/**
 * DeleteTags: deletes each key from its group; a key the group does not have is no error.
 * @throws SimulatedAwsError ValidationError for a resource other than an existing group
 */
export function deleteTags(
  groupNamed: (name: string | undefined) => SimGroup,
  tags: readonly GroupTagInput[],
): void {
  const checked = tags.map((tag) => ({ group: groupOf(groupNamed, tag), key: keyOf(tag) }));
  for (const { group, key } of checked) {
    group.tags.delete(key);
    group.unpropagatedTagKeys.delete(key);
  }
}

function groupOf(groupNamed: (name: string | undefined) => SimGroup, tag: GroupTagInput): SimGroup {
  if (tag.ResourceType !== 'auto-scaling-group')
    throw new SimulatedAwsError(
      'ValidationError',
      `Invalid resource type ${tag.ResourceType ?? '(none)'}: only auto-scaling-group can be tagged.`,
    );
  return groupNamed(tag.ResourceId);
}

function keyOf(tag: GroupTagInput): string {
  const key = tag.Key ?? '';
  if (key.toLowerCase().startsWith('aws:'))
    throw new SimulatedAwsError(
      'ValidationError',
      `Tag keys starting with 'aws:' are reserved for AWS use: ${key}`,
    );
  return key;
}
