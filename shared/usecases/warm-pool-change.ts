import { forecastQuantile } from '../core/forecast/forecast-quantile';
import { sizeWarmPool } from '../core/planning/size-warm-pool';
import { refusedWithoutEffect } from '../ports/errors';
import type { GroupSnapshot, ScalingTarget } from '../ports/scaling-target';
import type { GroupRunPlan } from './plan-group-run';
import { sizesWarmPool, warmPoolGivenBack } from './record-group-run';

const HIGH_QUANTILE = 0.99;
const MAX_WARM_POOL = 20;

/** The warm pool's MinSize the run sets, if it changes, and whether the run sized it or gave it back. */
export interface WarmPoolChange {
  /** The MinSize the run sets on the pool; undefined when the pool keeps its own. */
  readonly minSize?: number;
  /** The MinSize the run sized the pool to (`sizesWarmPool`), as `AppliedGroupPlan` reports it. */
  readonly sized: { readonly warmPoolMinSize?: number };
  /** The pool's own MinSize, given back (`warmPoolGivenBack`), and why Prescale no longer sizes it. */
  readonly givenBack?: { readonly minSize: number; readonly because: string };
}

/**
 * Without MaxGroupPreparedCapacity (AWS's default), or with one at or above MaxSize, the pool
 * already holds MaxSize − desired, all the room there is: a MinSize above it can only keep
 * instances that never enter service, each launched and billed before it stops, so Prescale sizes
 * only a pool capped below the plan's MaxSize, and not a Running one (`sizesWarmPool`): a pool it
 * sized before gets its own MinSize back.
 */
export function warmPoolChangeOf(run: GroupRunPlan, group: GroupSnapshot): WarmPoolChange {
  const { maxSize } = run.plan;
  const sized = sizesWarmPool(group.warmPool, maxSize) ? warmPoolFloor(run, group.warmPool) : undefined;
  const givenBack = warmPoolGivenBack(run.previous, group.warmPool, maxSize);
  const minSize = sized ?? givenBack;
  return {
    ...(minSize !== undefined && minSize !== group.warmPool?.minSize ? { minSize } : {}),
    sized: sized !== undefined ? { warmPoolMinSize: sized } : {},
    ...(givenBack !== undefined && group.warmPool
      ? { givenBack: { minSize: givenBack, because: notSizedBecause(group.warmPool, maxSize) } }
      : {}),
  };
}

/** Why Prescale does not size the pool (`sizesWarmPool` false), as the run's reason names it. */
function notSizedBecause(warmPool: NonNullable<GroupSnapshot['warmPool']>, maxSize: number): string {
  const cap = warmPool.maxGroupPreparedCapacity;
  if (warmPool.poolState === 'Running') return 'Prescale sizes no Running pool';
  if (cap === undefined)
    return `its MaxGroupPreparedCapacity was removed, so the pool already holds all the room under MaxSize ${maxSize}`;
  return `its MaxGroupPreparedCapacity ${cap} is not below MaxSize ${maxSize}, so the pool already holds all the room under it`;
}

/**
 * Sets the warm pool's MinSize the run changes, last. A refusal (or a throttled call) is the run's
 * reason, not its failure: its capacity change has landed, and its record and look-ahead, which
 * give that change back, must still be written. The next run tries the pool again.
 * @returns the reason when Auto Scaling refused it.
 */
export async function writeWarmPool(
  deps: { readonly scalingTarget: Pick<ScalingTarget, 'setWarmPoolMinSize'> },
  group: GroupSnapshot,
  pool: WarmPoolChange,
): Promise<string | undefined> {
  if (pool.minSize === undefined || !group.warmPool) return undefined;
  try {
    await deps.scalingTarget.setWarmPoolMinSize(group.name, pool.minSize, group.warmPool);
    return undefined;
  } catch (error) {
    // One that may have landed leaves the pool unknown: the run fails, as before, and is retried.
    if (!refusedWithoutEffect(error)) throw error;
    return `warm pool MinSize ${pool.minSize} not set (${error.name}: ${error.message}): the pool keeps ${group.warmPool.minSize}`;
  }
}

/**
 * The warm pool's MinSize: the p99 need over the lead time, within the room left under MaxSize.
 * On a stale history (`staleHistory`) the run releases nothing: the pool may grow, never shrink.
 */
function warmPoolFloor(run: GroupRunPlan, warmPool: { readonly minSize: number }): number {
  const { forecast, plan, settings, leadTime } = run;
  const leadSteps = Math.max(
    1,
    Math.ceil((leadTime.leadTimeSeconds + run.tickIntervalMs / 1000) / forecast.stepSeconds),
  );
  const high = forecastQuantile(forecast, HIGH_QUANTILE).slice(run.nowStep, run.nowStep + leadSteps);
  // A pool larger than the room left under MaxSize can never enter service: bound it there.
  const roomUnderMax = Math.max(0, plan.maxSize - plan.desiredCapacity);
  const sized = Math.min(
    roomUnderMax,
    sizeWarmPool(plan.minSize, high, settings.targetLoadPerInstance, MAX_WARM_POOL),
  );
  return run.staleHistory !== undefined ? Math.max(sized, warmPool.minSize) : sized;
}
