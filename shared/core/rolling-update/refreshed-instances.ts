/** A group's capacity and warm pool, as the refresh estimate reads them. */
export interface RefreshedGroup {
  readonly desiredCapacity: number;
  readonly maxSize: number;
  /** The group's warm pool, when it has one. */
  readonly warmPool?: {
    readonly minSize: number;
    /** Instances in the pool plus in the group at most; omitted: the group's MaxSize. */
    readonly maxGroupPreparedCapacity?: number;
  };
}

/**
 * The instances an instance refresh replaces: the desired capacity (`desiredCapacity`, by default
 * the group's; the headroom's when raised) and the warm pool's, sized as Auto Scaling sizes the
 * pool, max(MinSize, (MaxGroupPreparedCapacity or MaxSize) − desired). A refresh replaces the
 * instances in the warm pool as well as those in service (InstanceRefreshProgressDetails reports
 * the two pools apart); AWS does not document how it paces the pool's, so the estimate counts
 * them as more instances, in more batches. Pure.
 */
export function refreshedInstances(group: RefreshedGroup, desiredCapacity = group.desiredCapacity): number {
  const pool = group.warmPool;
  if (!pool) return desiredCapacity;
  const prepared = pool.maxGroupPreparedCapacity ?? group.maxSize;
  return desiredCapacity + Math.max(pool.minSize, prepared - desiredCapacity, 0);
}
