import { REFRESH_BLOCKING_PROCESSES } from '../../../core/rolling-update/types';
import type { AutoScalingContext } from './auto-scaling-context';
import { capacityOf, unitsOf } from './capacity-units';
import type { InstanceRefresh, RefreshStatus, SimGroup, SimInstance } from './group-state';
import { isReady, launchUnits, terminate } from './instance-lifecycle';
import { inWarmPool, preparedInWarmPool, resizeWarmPool } from './warm-pool';

/** Statuses in which a refresh still acts on the group (and blocks a new one). */
export const ACTIVE_REFRESH: ReadonlySet<RefreshStatus> = new Set([
  'Pending',
  'InProgress',
  'Baking',
  'Cancelling',
  'RollbackInProgress',
]);

/**
 * One step of the group's newest refresh at `ctx.nowMs`: a watched alarm in ALARM fails it (or rolls
 * it back with AutoRollback), at checkpoints too; settles replacements past their warmup
 * (an unhealthy one fails the refresh, or rolls it back with AutoRollback), pauses at checkpoints,
 * finishes when nothing is outdated (after baking for its BakeTime, alarms still watched), else replaces the next batch bounded by MinHealthyPercentage
 * and MaxHealthyPercentage (none while a process it needs is suspended).
 */
export function progressRefresh(ctx: AutoScalingContext, group: SimGroup): void {
  const refresh = group.refreshes[0];
  if (!refresh || !ACTIVE_REFRESH.has(refresh.status)) return;
  if (refresh.status === 'Cancelling') {
    finish(ctx, group, refresh, 'Cancelled');
    return;
  }
  if (refresh.status === 'Pending') refresh.status = 'InProgress';
  const rollingBack = refresh.status === 'RollbackInProgress';
  const firing = rollingBack ? [] : ctx.alarmsInAlarm(refresh.alarms);
  if (firing.length > 0) {
    failOnAlarm(ctx, group, refresh, firing);
    return;
  }
  if (refresh.status === 'Baking') {
    if (ctx.nowMs >= (refresh.bakeUntilMs ?? ctx.nowMs)) finish(ctx, group, refresh, 'Successful');
    return;
  }
  if (refresh.checkpointUntilMs !== undefined) {
    if (ctx.nowMs < refresh.checkpointUntilMs) return;
    refresh.checkpointUntilMs = undefined;
    refresh.statusReason = undefined;
  }
  const failed = settleReplacements(ctx, group, refresh);
  if (failed > 0) {
    failRefresh(ctx, group, refresh, rollingBack, failed);
    return;
  }
  if (refresh.inFlight.size > 0) return;
  // Launch, Terminate or InstanceRefresh suspended: the refresh replaces no instance until they resume.
  const held = [...group.suspended].some((p) => REFRESH_BLOCKING_PROCESSES.has(p));
  if (refresh.leaving.size > 0) {
    if (held) return;
    retireLeaving(ctx, group, refresh);
  }
  if (!rollingBack && pauseAtCheckpoint(ctx, refresh)) return;
  const stale = outdated(group, refresh);
  if (stale.length === 0) {
    if (!warmPoolReplaced(ctx, group, refresh, held)) return;
    if (!rollingBack && refresh.bakeTimeSeconds > 0) startBaking(ctx, refresh);
    else finish(ctx, group, refresh, rollingBack ? 'RollbackSuccessful' : 'Successful');
    return;
  }
  if (held) return;
  const replaceable =
    refresh.scaleInProtectedInstances === 'Refresh' ? stale : stale.filter((i) => !i.protectedFromScaleIn);
  if (replaceable.length === 0) {
    waitForProtection(ctx, group, refresh, stale.length);
    return;
  }
  replaceBatch(ctx, group, refresh, replaceable);
}

/**
 * Every instance replaced: "Baking - Waiting the specified bake time after an instance refresh has
 * finished updating instances" (InstanceRefresh Status). The refresh has not finished: a watched
 * alarm still fails it or rolls it back, and RollbackInstanceRefresh still undoes it.
 */
function startBaking(ctx: AutoScalingContext, refresh: InstanceRefresh): void {
  refresh.status = 'Baking';
  refresh.bakeUntilMs = ctx.nowMs + refresh.bakeTimeSeconds * 1000;
}

/** An hour of waiting for a protection to go (`Wait`), then the refresh fails (RefreshPreferences). */
const PROTECTION_WAIT_MS = 3_600_000;

/**
 * "Wait (default) - Amazon EC2 Auto Scaling waits one hour for you to remove scale-in protection.
 * Otherwise, the instance refresh will fail."
 */
function waitForProtection(
  ctx: AutoScalingContext,
  group: SimGroup,
  refresh: InstanceRefresh,
  left: number,
): void {
  refresh.protectedWaitSinceMs ??= ctx.nowMs;
  refresh.statusReason = `Waiting for ${left} instance(s) protected from scale in`;
  if (ctx.nowMs - refresh.protectedWaitSinceMs < PROTECTION_WAIT_MS) return;
  const reason = `${left} instance(s) are still protected from scale in after an hour`;
  if (refresh.autoRollback) startRollback(ctx, group, refresh, `Instance refresh failed: ${reason}`);
  else finish(ctx, group, refresh, 'Failed', reason);
}

/** Terminates the batch's outdated instances kept while their replacements warmed up. */
function retireLeaving(ctx: AutoScalingContext, group: SimGroup, refresh: InstanceRefresh): void {
  const cause = `an instance refresh ${refresh.id} replacing instances`;
  for (const i of group.instances.filter((i) => refresh.leaving.has(i.id))) terminate(ctx, group, i, cause);
  refresh.leaving.clear();
}

/** Counts in-flight replacements past warmup as replaced; @returns how many of them are unhealthy. */
function settleReplacements(ctx: AutoScalingContext, group: SimGroup, refresh: InstanceRefresh): number {
  const byId = new Map(group.instances.map((i) => [i.id, i]));
  let failed = 0;
  for (const id of [...refresh.inFlight]) {
    const i = byId.get(id);
    if (!i) {
      refresh.inFlight.delete(id);
      continue;
    }
    if (i.state !== 'InService') continue;
    const warmedAt = i.inServiceAtMs + refresh.instanceWarmupSeconds * 1000;
    if (ctx.nowMs < warmedAt) continue;
    if (group.unhealthy.has(i.version)) failed += 1;
    else {
      refresh.inFlight.delete(id);
      refresh.replaced += 1;
    }
  }
  return failed;
}

/** Unhealthy replacements: a rollback fails; a forward refresh rolls back (AutoRollback) or fails. */
function failRefresh(
  ctx: AutoScalingContext,
  group: SimGroup,
  refresh: InstanceRefresh,
  rollingBack: boolean,
  failed: number,
): void {
  const reason = `${failed} instance(s) failed to become healthy after launch with launch template version ${refresh.targetVersion}`;
  if (rollingBack) finish(ctx, group, refresh, 'RollbackFailed', reason);
  else if (refresh.autoRollback) startRollback(ctx, group, refresh, `Instance refresh failed: ${reason}`);
  else finish(ctx, group, refresh, 'Failed', reason);
}

/** A watched alarm in ALARM: the refresh rolls back (AutoRollback) or fails (user guide, instance refresh alarms). */
function failOnAlarm(
  ctx: AutoScalingContext,
  group: SimGroup,
  refresh: InstanceRefresh,
  firing: readonly string[],
): void {
  const reason = `alarm(s) ${firing.join(', ')} in ALARM state`;
  if (refresh.autoRollback) startRollback(ctx, group, refresh, `Instance refresh failed: ${reason}`);
  else finish(ctx, group, refresh, 'Failed', reason);
}

/** Starts the checkpoint delay when progress reached the next checkpoint (below 100 %); @returns whether it did. */
function pauseAtCheckpoint(ctx: AutoScalingContext, refresh: InstanceRefresh): boolean {
  const pct = refresh.instancesToUpdate === 0 ? 100 : (100 * refresh.replaced) / refresh.instancesToUpdate;
  const checkpoint = refresh.checkpointPercentages[refresh.nextCheckpoint];
  if (checkpoint === undefined || pct < checkpoint || pct >= 100) return false;
  refresh.nextCheckpoint += 1;
  refresh.checkpointUntilMs = ctx.nowMs + refresh.checkpointDelaySeconds * 1000;
  refresh.statusReason = `Waiting for checkpoint delay at ${Math.floor(pct)} % complete`;
  return true;
}

/**
 * Replaces the oldest outdated instances, as many capacity units (`unitsOf`: instances without
 * weights) as the healthy bounds allow (at least one instance): those within the room
 * MaxHealthyPercentage gives above desired capacity stay until their replacements are healthy
 * (`leaving`), the rest go now, so the ready capacity stays at MinHealthyPercentage; replacements
 * for all of them launch now.
 */
function replaceBatch(
  ctx: AutoScalingContext,
  group: SimGroup,
  refresh: InstanceRefresh,
  stale: readonly SimInstance[],
): void {
  const ready = capacityOf(group.instances.filter((i) => isReady(group, i, ctx.nowMs)));
  const minHealthy = Math.ceil((group.desiredCapacity * refresh.minHealthyPercentage) / 100);
  const extra = Math.max(
    0,
    Math.floor((group.desiredCapacity * refresh.maxHealthyPercentage) / 100) - group.desiredCapacity,
  );
  const allowed = ready - minHealthy + extra;
  const victims: SimInstance[] = [];
  let freed = 0;
  for (const v of [...stale].sort((a, b) => a.launchedAtMs - b.launchedAtMs)) {
    if (victims.length > 0 && freed + unitsOf(v) > allowed) break;
    victims.push(v);
    freed += unitsOf(v);
  }
  const cause = `an instance refresh ${refresh.id} replacing instances`;
  let kept = 0;
  for (const v of victims) {
    if (kept + unitsOf(v) <= extra) {
      refresh.leaving.add(v.id);
      kept += unitsOf(v);
    } else terminate(ctx, group, v, cause);
  }
  // A replacement is of the refresh's target: a pool instance of an older version would be stale.
  for (const replacement of launchUnits(ctx, group, cause, freed, 'current-version'))
    refresh.inFlight.add(replacement.id);
}

/** Pending/InService instances the refresh has still to replace (not in flight, and of another version or, without SkipMatching, older than the refresh). */
export function outdated(group: SimGroup, refresh: InstanceRefresh): SimInstance[] {
  return group.instances.filter(
    (i) =>
      (i.state === 'Pending' || i.state === 'InService') &&
      !refresh.inFlight.has(i.id) &&
      !(i.protectedFromScaleIn && refresh.scaleInProtectedInstances === 'Ignore') &&
      isStale(i, refresh),
  );
}

/** Of another version than the refresh's target or, without SkipMatching, launched before it. */
function isStale(i: SimInstance, refresh: InstanceRefresh): boolean {
  return (
    i.version !== refresh.targetVersion ||
    (!refresh.skipMatching && !refresh.rollback && i.launchedAtMs < refresh.startMs)
  );
}

/**
 * The warm pool's part of a refresh, once the group's own instances are replaced: "An instance
 * refresh first replaces InService instances. Then it replaces instances in the warm pool" (user
 * guide, *Update the instances in a warm pool*; DescribeInstanceRefreshes reports it apart, as
 * `WarmPoolProgress`). Stale pool instances go and the pool refills with the target version; the
 * refresh ends once they are all launched into the pool's state. Until 2026-12-06 a refresh left the pool on the
 * old version (and a scale-out then drew the group's version only: `drawFromWarmPool`).
 * @returns whether the pool holds only the target version, settled.
 */
function warmPoolReplaced(
  ctx: AutoScalingContext,
  group: SimGroup,
  refresh: InstanceRefresh,
  held: boolean,
): boolean {
  const pooled = group.instances.filter(inWarmPool);
  const stale = pooled.filter((i) => isStale(i, refresh));
  if (stale.length === 0) return pooled.every(preparedInWarmPool);
  // Launch, Terminate or InstanceRefresh suspended: the pool waits, as the group's instances do.
  if (held) return false;
  const cause = `an instance refresh ${refresh.id} replacing instances in the warm pool`;
  for (const i of stale) terminate(ctx, group, i, cause);
  resizeWarmPool(ctx, group);
  return false;
}

/** Turns the refresh into its rollback: target and previous version swap, progress restarts. */
export function startRollback(
  ctx: AutoScalingContext,
  group: SimGroup,
  refresh: InstanceRefresh,
  reason: string,
): void {
  refresh.rollback = {
    reason,
    startMs: ctx.nowMs,
    percentageComplete:
      refresh.instancesToUpdate === 0
        ? 100
        : Math.floor((100 * refresh.replaced) / refresh.instancesToUpdate),
    instancesToUpdate: 0,
  };
  refresh.status = 'RollbackInProgress';
  refresh.statusReason = reason;
  const failedVersion = refresh.targetVersion;
  refresh.targetVersion = refresh.previousVersion;
  refresh.previousVersion = failedVersion;
  group.version = refresh.targetVersion;
  const mixed = refresh.mixedPolicies;
  if (mixed) {
    if (mixed.previous) group.mixed = mixed.previous;
    else delete group.mixed;
  }
  refresh.checkpointUntilMs = undefined;
  refresh.replaced = 0;
  refresh.inFlight = new Set();
  // The old version's instances kept for replacements are the rollback's target now: they stay.
  refresh.leaving.clear();
  refresh.instancesToUpdate = outdated(group, refresh).length;
  refresh.rollback.instancesToUpdate = refresh.instancesToUpdate;
}

/**
 * Ends the refresh. With a desired configuration, AWS updates the group's settings to it only on
 * success ("Once the instance refresh succeeds, Amazon EC2 Auto Scaling updates the settings of the
 * Auto Scaling group", StartInstanceRefresh): any other end leaves the group on its own settings.
 */
function finish(
  ctx: AutoScalingContext,
  group: SimGroup,
  refresh: InstanceRefresh,
  status: RefreshStatus,
  reason?: string,
): void {
  const saved = group.savedSettings;
  if (saved && status !== 'Successful') {
    group.version = saved.version;
    if (saved.mixed) group.mixed = saved.mixed;
    else delete group.mixed;
  }
  delete group.savedSettings;
  refresh.status = status;
  refresh.endMs = ctx.nowMs;
  // Instances kept for replacements count again: the group scales back to desired capacity.
  refresh.leaving.clear();
  if (reason) refresh.statusReason = reason;
}
