import { SimulatedAwsError } from '../simulated-aws-error';
import type { AutoScalingContext } from './auto-scaling-context';
import { describeInstance } from './describe-instance';
import type { SimGroup, SimInstance } from './group-state';
import { launchedInstanceType } from './launched-instance-type';
import { page } from './paging';
import { recordActivity } from './scaling-activities';

/** Whether the instance is in the group's warm pool, in any of its lifecycle states. */
export function inWarmPool(instance: Pick<SimInstance, 'state'>): boolean {
  return instance.state.startsWith('Warmed:');
}

/** A pool instance done launching: in the PoolState it was launched for, ready to be drawn. */
export function preparedInWarmPool(instance: Pick<SimInstance, 'state'>): boolean {
  return inWarmPool(instance) && instance.state !== 'Warmed:Pending';
}

/**
 * The state a pool instance settles in once launched: PoolState's, "Stopped, Running or Hibernated"
 * (PutWarmPool). A Running one is billed as an instance; a Stopped or Hibernated one, for its
 * volumes only (user guide, *Warm pools*).
 */
export function warmedState(group: SimGroup): SimInstance['state'] {
  const state = group.warmPool?.poolState;
  return state === 'Running'
    ? 'Warmed:Running'
    : state === 'Hibernated'
      ? 'Warmed:Hibernated'
      : 'Warmed:Stopped';
}

/** PutWarmPool input, as the SDK sends it. */
export interface PutWarmPoolInput {
  AutoScalingGroupName?: string;
  MinSize?: number;
  MaxGroupPreparedCapacity?: number;
  PoolState?: string;
  InstanceReusePolicy?: { ReuseOnScaleIn?: boolean };
}

/**
 * Sets the group's warm pool configuration as PutWarmPool does (the caller then reconciles the
 * pool's size). @throws SimulatedAwsError ValidationError on a negative MinSize or
 * MaxGroupPreparedCapacity below -1.
 */
export function configureWarmPool(group: SimGroup, input: PutWarmPoolInput): void {
  if (input.MinSize !== undefined && input.MinSize < 0)
    throw new SimulatedAwsError('ValidationError', `MinSize must be ≥ 0, got ${input.MinSize}`);
  const prepared = input.MaxGroupPreparedCapacity;
  if (prepared !== undefined && prepared !== -1 && prepared < 0) {
    throw new SimulatedAwsError(
      'ValidationError',
      `MaxGroupPreparedCapacity must be -1 or ≥ 0, got ${prepared}`,
    );
  }
  // PutWarmPool (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutWarmPool.html):
  // an omitted MaxGroupPreparedCapacity keeps the value set before (none: the group's MaxSize
  // bounds the pool), -1 removes it ("To remove a value that you previously set, include the
  // property but specify -1"); the other members have documented defaults, so an omitted one is
  // that default, not the value set before: MinSize "Defaults to 0 if not specified", PoolState
  // Stopped (until 2026-12-07 the simulation kept both).
  const keptPrepared = prepared === undefined ? group.warmPool?.maxGroupPreparedCapacity : prepared;
  group.warmPool = {
    minSize: input.MinSize ?? 0,
    ...(keptPrepared !== undefined && keptPrepared !== -1 ? { maxGroupPreparedCapacity: keptPrepared } : {}),
    poolState: input.PoolState ?? 'Stopped',
    // Omitted, the documented default: "terminate instances in the Auto Scaling group when the
    // group scales in" (until 2026-12-06 the simulation dropped the policy, and always terminated).
    ...(input.InstanceReusePolicy?.ReuseOnScaleIn ? { reuseOnScaleIn: true } : {}),
  };
}

/**
 * Scale-in under `ReuseOnScaleIn`: an InService instance goes back to the pool instead of being
 * terminated ("Indicates whether instances in the Auto Scaling group can be returned to the warm
 * pool on scale in", PutWarmPool), Warmed:Pending while it stops (the pool's launch time), then in
 * the pool's state; the pool's size then trims any surplus. @returns whether it went to the pool.
 */
export function returnToWarmPool(ctx: AutoScalingContext, group: SimGroup, instance: SimInstance): boolean {
  if (!group.warmPool?.reuseOnScaleIn || instance.state !== 'InService') return false;
  instance.state = 'Warmed:Pending';
  instance.inServiceAtMs = ctx.nowMs + group.spec.warmPoolLaunchSeconds * 1000;
  instance.readyAtMs = Number.POSITIVE_INFINITY;
  // Its launch into the group stays as it ended: settling in the pool is no launch of its own.
  delete instance.activity;
  return true;
}

/**
 * Brings the warm pool to its target size, max(MinSize, prepared capacity − desired): new
 * instances start Warmed:Pending (in PoolState's state after the launch delay, `warmedState`);
 * surplus ones leave oldest first.
 */
export function resizeWarmPool(ctx: AutoScalingContext, group: SimGroup): void {
  if (!group.warmPool) return;
  const prepared = group.warmPool.maxGroupPreparedCapacity ?? group.maxSize;
  const target = Math.max(group.warmPool.minSize, prepared - group.desiredCapacity);
  const pool = group.instances.filter(inWarmPool);
  for (let k = pool.length; k < target; k += 1) {
    const delayMs = ctx.launchDelayMs(group.spec.launchDelaySeconds, group.spec.launchJitterSeconds);
    const id = ctx.instanceId();
    group.instances.push({
      id,
      state: 'Warmed:Pending',
      launchedAtMs: ctx.nowMs,
      inServiceAtMs: ctx.nowMs + delayMs,
      readyAtMs: Number.POSITIVE_INFINITY,
      version: group.version,
      instanceType: launchedInstanceType(group, ctx.templateData),
      az: ctx.azFor(group, group.instances.length),
      // AWS records a launch into the pool as a scaling activity of its own, ended when the
      // instance is in the pool's state (a cold launch's duration, and no capacity for the group):
      // https://github.com/aws-samples/amazon-ec2-auto-scaling-group-examples/tree/main/features/warm-pools
      activity: recordActivity(ctx, group, {
        Description: `Launching a new EC2 instance into warm pool: ${id}`,
        Cause: ctx.causeNow(`an instance was launched to keep the warm pool at ${target} instances`),
        StatusCode: 'InProgress',
        startMs: ctx.nowMs,
      }),
    });
  }
  if (pool.length > target) {
    const leaving = pool.slice(0, pool.length - target);
    for (const instance of leaving) {
      if (instance.activity?.StatusCode !== 'InProgress') continue;
      instance.activity.StatusCode = 'Failed';
      instance.activity.StatusMessage = 'Instance was terminated before it reached the warm pool';
      instance.activity.EndTime = new Date(ctx.nowMs);
    }
    const remove = new Set(leaving.map((i) => i.id));
    group.instances = group.instances.filter((i) => !remove.has(i.id));
  }
}

/** The WarmPoolConfiguration and WarmPoolSize members of a described group, when it has a pool. */
export function describeWarmPool(group: SimGroup): Record<string, unknown> {
  if (!group.warmPool) return {};
  // Every instance of the pool, those still launching into it (Warmed:Pending) too.
  const warmPoolSize = group.instances.filter(inWarmPool).length;
  return {
    WarmPoolConfiguration: warmPoolConfiguration(group.warmPool),
    WarmPoolSize: warmPoolSize,
  };
}

/** DescribeWarmPool input, as the SDK sends it. */
export interface DescribeWarmPoolInput {
  AutoScalingGroupName?: string;
  MaxRecords?: number;
  NextToken?: string;
}

/** DescribeWarmPool's page size: "The maximum value is 50" (API reference, DescribeWarmPool). */
const MAX_WARM_POOL_RECORDS = 50;

/**
 * DescribeWarmPool: the pool's configuration and its instances, each in the API's `Instance`
 * shape (`describeInstance`: its lifecycle state, Warmed:Pending while it launches into the pool
 * then PoolState's, and its launch template), at most 50 a page; a group without a pool has
 * neither. https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeWarmPool.html
 * @throws SimulatedAwsError ValidationError on MaxRecords outside 1–50 (the reference documents the
 *   maximum; until 2026-12-06 the simulation cut a larger one to 50 where AWS refuses it, and a
 *   MaxRecords of 0 returned empty pages whose NextToken never moved); InvalidNextToken on a token
 *   of no page.
 */
export function describeWarmPoolInstances(
  group: SimGroup,
  input: DescribeWarmPoolInput,
  nowMs: number,
): unknown {
  const max = input.MaxRecords;
  if (max !== undefined && (!Number.isInteger(max) || max < 1 || max > MAX_WARM_POOL_RECORDS)) {
    throw new SimulatedAwsError(
      'ValidationError',
      `MaxRecords must be between 1 and ${MAX_WARM_POOL_RECORDS}, got ${max}`,
    );
  }
  const pool = group.instances.filter(inWarmPool);
  const { items, next } = page(pool, max, input.NextToken, MAX_WARM_POOL_RECORDS);
  return {
    ...(group.warmPool ? { WarmPoolConfiguration: warmPoolConfiguration(group.warmPool) } : {}),
    Instances: items.map((i) => describeInstance(group, i, nowMs)),
    ...(next ? { NextToken: next } : {}),
  };
}

/** A pool's WarmPoolConfiguration, as DescribeAutoScalingGroups and DescribeWarmPool return it. */
function warmPoolConfiguration(warmPool: NonNullable<SimGroup['warmPool']>): Record<string, unknown> {
  return {
    MinSize: warmPool.minSize,
    ...(warmPool.maxGroupPreparedCapacity !== undefined
      ? { MaxGroupPreparedCapacity: warmPool.maxGroupPreparedCapacity }
      : {}),
    PoolState: warmPool.poolState,
    ...(warmPool.reuseOnScaleIn ? { InstanceReusePolicy: { ReuseOnScaleIn: true } } : {}),
  };
}
