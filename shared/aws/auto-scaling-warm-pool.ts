import { type AutoScalingClient, DescribeWarmPoolCommand } from '@aws-sdk/client-auto-scaling';
import { translateAutoScalingError } from './auto-scaling-error-translation';

/**
 * The lifecycle states of a warm pool instance a scale-out can draw now: done launching into the
 * pool and in its PoolState. One in `Warmed:Pending` (or its `:Wait`/`:Proceed`) is still
 * launching, a cold launch's time; one in `Warmed:Terminating…` is leaving (user guide, *Warm
 * pool instance lifecycle*,
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/warm-pool-instance-lifecycle.html).
 */
const DRAWABLE = new Set(['Warmed:Stopped', 'Warmed:Running', 'Warmed:Hibernated']);
/** DescribeWarmPool returns at most 50 instances a call ("The maximum value is 50"). */
const INSTANCES_PER_PAGE = 50;
/**
 * Pages read at most (10,000 instances): the pool is read to its last page, and this bounds only
 * a NextToken that never ends. A pool cut there counts low, the safe way: fewer warm starts are
 * planned than the pool could serve, so more launches are planned at a cold start's lead time.
 */
export const MAX_WARM_POOL_PAGES = 200;

/**
 * How many instances of a group's warm pool a scale-out can draw now (DescribeWarmPool's
 * `Instances` in a drawable state). `WarmPoolSize` in DescribeAutoScalingGroups counts the pool's
 * instances in every state, those still launching into it too, so right after a draw it counts
 * the refills as ready. For the scaling loop, which plans warm starts on it. Every page is read,
 * up to `MAX_WARM_POOL_PAGES` (beyond it the count is a lower bound).
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeWarmPool.html
 * @throws TransientDependencyError when Auto Scaling may answer later; ResourceNotFoundError when
 *   the group was deleted since it was read.
 */
export async function drawableWarmPoolInstances(
  client: AutoScalingClient,
  groupName: string,
): Promise<number> {
  let drawable = 0;
  let NextToken: string | undefined;
  try {
    for (let pages = 0; pages < MAX_WARM_POOL_PAGES; pages += 1) {
      const out = await client.send(
        new DescribeWarmPoolCommand({
          AutoScalingGroupName: groupName,
          MaxRecords: INSTANCES_PER_PAGE,
          ...(NextToken ? { NextToken } : {}),
        }),
      );
      drawable += (out.Instances ?? []).filter((i) => DRAWABLE.has(i.LifecycleState ?? '')).length;
      NextToken = out.NextToken;
      if (!NextToken) break;
    }
  } catch (error) {
    throw translateAutoScalingError(error, 'DescribeWarmPool', groupName);
  }
  return drawable;
}

/** Reads how many of a group's warm pool instances can be drawn now (`drawableWarmPoolInstances`). */
export type DrawableWarmPoolInstances = typeof drawableWarmPoolInstances;
