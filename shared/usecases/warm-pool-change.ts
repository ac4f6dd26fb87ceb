import { forecastQuantile } from '../core/forecast/forecast-quantile';
import { sizeWarmPool } from '../core/planning/size-warm-pool';
import { refusedWithoutEffect } from '../ports/errors';
import type { GroupSnapshot, ScalingTarget } from '../ports/scaling-target';
import { type GroupState, prescaleWarmPoolMinSizeOn } from '../ports/state-store';
import type { GroupRunPlan } from './plan-group-run';

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

/** Whether Prescale sizes a group's warm pool, and if not, why (`warmPoolSizing`). */
export type WarmPoolSizing = { readonly sizes: true } | { readonly sizes: false; readonly because: string };

/**
 * Whether Prescale sizes the group's warm pool (its MinSize, each run) and, if not, why, as a run
 * that gives the pool back names it (one rule, so the reason cannot drift from the decision): only
 * a pool capped below the room (`MaxGroupPreparedCapacity` below the plan's MaxSize) whose
 * instances wait stopped or hibernated, paying for their volumes only. Auto Scaling keeps max(MinSize, cap − desired) in the
 * pool (the cap defaults to MaxSize), so a pool uncapped or capped at or above MaxSize already holds
 * the room left under MaxSize, all there is: a MinSize on it keeps only instances that never enter
 * service (until 2026-12-07 Prescale sized a pool capped at or above MaxSize). A raise of MaxSize
 * past the cap makes it one below the room. A Running pool's instance is billed as one in service
 * and serves nothing: each instance Prescale added there would cost what one more in the group
 * would, for no capacity (until 2026-12-06 it sized it as a stopped one).
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutWarmPool.html
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-warm-pools.html
 */
export function warmPoolSizing(warmPool: GroupSnapshot['warmPool'], maxSize: number): WarmPoolSizing {
  // Never a run's reason: only a pool the group still has is given back.
  if (warmPool === undefined) return { sizes: false, because: 'the group has no warm pool' };
  if (warmPool.poolState === 'Running') return { sizes: false, because: 'Prescale sizes no Running pool' };
  const cap = warmPool.maxGroupPreparedCapacity;
  if (cap === undefined)
    return {
      sizes: false,
      because: `its MaxGroupPreparedCapacity was removed, so the pool already holds all the room under MaxSize ${maxSize}`,
    };
  return cap < maxSize
    ? { sizes: true }
    : {
        sizes: false,
        because: `its MaxGroupPreparedCapacity ${cap} is not below MaxSize ${maxSize}, so the pool already holds all the room under it`,
      };
}

/** Whether Prescale sizes the group's warm pool (`warmPoolSizing`), narrowing it to one it has. */
export function sizesWarmPool(
  warmPool: GroupSnapshot['warmPool'],
  maxSize: number,
): warmPool is NonNullable<GroupSnapshot['warmPool']> {
  return warmPoolSizing(warmPool, maxSize).sizes;
}

/**
 * The warm pool's own MinSize, first seen, where Prescale sizes the pool (`sizesWarmPool`, under
 * the plan's `maxSize`): only its MinSize has a way back to keep.
 */
export function warmPoolWayBack(
  previous: GroupState | undefined,
  group: Pick<GroupSnapshot, 'warmPool'>,
  maxSize: number,
): { readonly userWarmPoolMinSize?: number } {
  const own =
    previous?.userWarmPoolMinSize ??
    (sizesWarmPool(group.warmPool, maxSize) ? group.warmPool.minSize : undefined);
  return own !== undefined ? { userWarmPoolMinSize: own } : {};
}

/**
 * The warm pool's own MinSize, to put back now, where Prescale sized the pool and no longer does
 * under the plan's `maxSize` (the pool turned Running, its cap removed or raised to MaxSize): the
 * pool is still at the MinSize Prescale last put on it (`prescaleWarmPoolMinSizeOn`: recorded, or
 * pending from a write of unknown outcome; in a state written before that was kept, at any
 * MinSize but its own). Undefined otherwise: a MinSize the owner set since is theirs.
 */
export function warmPoolGivenBack(
  previous: GroupState | undefined,
  warmPool: GroupSnapshot['warmPool'],
  maxSize: number,
): number | undefined {
  const own = previous?.userWarmPoolMinSize;
  const minSize = warmPool?.minSize;
  if (minSize === undefined || own === undefined || sizesWarmPool(warmPool, maxSize)) return undefined;
  const set = prescaleWarmPoolMinSizeOn(previous, minSize);
  return (set === undefined || minSize === set) && minSize !== own ? own : undefined;
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
  const sizing = warmPoolSizing(group.warmPool, maxSize);
  const sized = sizing.sizes && group.warmPool ? warmPoolFloor(run, group.warmPool) : undefined;
  const givenBack = warmPoolGivenBack(run.previous, group.warmPool, maxSize);
  const minSize = sized ?? givenBack;
  return {
    ...(minSize !== undefined && minSize !== group.warmPool?.minSize ? { minSize } : {}),
    sized: sized !== undefined ? { warmPoolMinSize: sized } : {},
    ...(givenBack !== undefined && !sizing.sizes
      ? { givenBack: { minSize: givenBack, because: sizing.because } }
      : {}),
  };
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
