import { GROUP_TAGS } from '../contracts/env';
import type { CapacityChange, GroupBounds, GroupSnapshot, ScalingTarget } from '../ports/scaling-target';

/**
 * What another actor changed on the group between the batch's read and this run's write, or
 * undefined when nothing the write depends on moved. The batch describes its groups once and plans
 * them one after another, so a group's read may be tens of seconds old when its change is written,
 * and the change is absolute: written over a campaign pre-warm, a rolling update's headroom or an
 * owner's new MaxSize that landed meanwhile, it would set them back. One DescribeAutoScalingGroups
 * of the group (`findGroupBounds`) tells its bounds, desired capacity, tags, suspended processes
 * and warm pool; an instance refresh another actor started meanwhile is not in it, so when nothing
 * else moved, one DescribeInstanceRefreshes asks (the workflow's own refresh takes the group's lock
 * first, which the hold reads again).
 * A DesiredCapacity a scaling policy moved is not a change to the write when the write leaves
 * DesiredCapacity to follow the bounds (the group's own policies scale it all the time).
 */
export async function groupMovedSinceRead(
  scalingTarget: Pick<ScalingTarget, 'findGroupBounds' | 'instanceRefreshInProgress'>,
  group: GroupSnapshot,
  change: CapacityChange,
  deployment: string,
): Promise<string | undefined> {
  const now = (await scalingTarget.findGroupBounds({ names: [group.name] })).get(group.name);
  // Gone: the write fails as not found, as it did before this read.
  if (!now) return undefined;
  const moved = [
    ...sizeMoves(group, now, change),
    ...tagMoves(group, now, deployment),
    ...(sameMembers(group.suspendedProcesses, now.suspendedProcesses)
      ? []
      : [`suspended processes [${now.suspendedProcesses.join(', ')}]`]),
    ...(sameWarmPool(group.warmPool, now.warmPool) ? [] : ['its warm pool']),
    ...(now.deleting ? ['it is being deleted'] : []),
  ];
  if (moved.length === 0 && !group.instanceRefreshInProgress)
    if (await scalingTarget.instanceRefreshInProgress(group.name)) moved.push('an instance refresh started');
  if (moved.length === 0) return undefined;
  return `the group changed since this run read it (${moved.join('; ')}): nothing written, the next run plans from it`;
}

function sizeMoves(group: GroupSnapshot, now: GroupBounds, change: CapacityChange): string[] {
  const moves: string[] = [];
  if (now.minSize !== group.minSize) moves.push(`MinSize ${group.minSize} → ${now.minSize}`);
  if (now.maxSize !== group.maxSize) moves.push(`MaxSize ${group.maxSize} → ${now.maxSize}`);
  const desiredFollowsBounds = group.hasScalingPolicies && change.desiredCapacity === undefined;
  if (now.desiredCapacity !== group.desiredCapacity && !desiredFollowsBounds)
    moves.push(`DesiredCapacity ${group.desiredCapacity} → ${now.desiredCapacity}`);
  return moves;
}

/** Tags that decide a hold or a setting; the run's own deployment tag, taken just before, is not a move. */
function tagMoves(group: GroupSnapshot, now: GroupBounds, deployment: string): string[] {
  const keys = new Set([...Object.keys(group.tags), ...Object.keys(now.tags)]);
  const moves: string[] = [];
  for (const key of [...keys].sort()) {
    const before = group.tags[key];
    const after = now.tags[key];
    if (before === after) continue;
    if (key === GROUP_TAGS.deployment && before === undefined && after === deployment) continue;
    moves.push(`tag ${key} ${before ?? '(none)'} → ${after ?? '(none)'}`);
  }
  return moves;
}

const sameMembers = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((p) => b.includes(p));

function sameWarmPool(a: GroupSnapshot['warmPool'], b: GroupBounds['warmPool']): boolean {
  if (!a || !b) return a === b;
  return (
    a.minSize === b.minSize &&
    a.maxGroupPreparedCapacity === b.maxGroupPreparedCapacity &&
    (a.poolState ?? 'Stopped') === (b.poolState ?? 'Stopped') &&
    (a.reuseOnScaleIn ?? false) === (b.reuseOnScaleIn ?? false)
  );
}
