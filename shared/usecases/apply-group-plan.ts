import { GROUP_TAGS } from '../contracts/env';
import type { UserConfig } from '../contracts/user-config';
import type { HoldDecision } from '../core/planning/decide-hold';
import { ownerMinSizeSource } from '../core/planning/owner-scheduled-min-size';
import { refusedWithoutEffect } from '../ports/errors';
import type { GroupOwnership } from '../ports/group-ownership';
import type { CapacityChange, GroupSnapshot, ScalingTarget } from '../ports/scaling-target';
import { prescaleWarmPoolMinSizeOn, type RunOutcome, type StateStore } from '../ports/state-store';
import { decideGroupHold } from './decide-group-hold';
import { groupMovedSinceRead } from './group-moved-since-read';
import {
  claimLeftReleases,
  leftReleasesReason,
  leftReleasesTakenBack,
  settleLeftReleases,
} from './left-releases';
import { raiseLeftInPlace } from './max-size-raise';
import type { GroupRunPlan } from './plan-group-run';
import { userMinSizeOf } from './record-group-run';
import { ignoredTagReasons } from './resolve-group-settings';
import { terminatingCountUncollected } from './terminating-count-uncollected';
import { type WarmPoolChange, warmPoolChangeOf, warmPoolWayBack, writeWarmPool } from './warm-pool-change';

/** What applying a group's plan needs of the loop's dependencies. */
export interface ApplyGroupPlanDeps {
  readonly scalingTarget: ScalingTarget;
  readonly stateStore: StateStore;
  readonly groupOwnership: GroupOwnership;
}

/** Whether the run was held, and what it did to the group. */
export interface AppliedGroupPlan {
  readonly hold: HoldDecision;
  readonly outcome: RunOutcome;
  /** The MinSize an applied or unchanged run left on a warm pool it sized (`sizesWarmPool`). */
  readonly warmPoolMinSize?: number;
}

/**
 * Applies a planned run to the group unless something holds it: the kill switch, a paused tag,
 * a dry run, forecast-only mode, an instance refresh, another actor's lock or suspended
 * processes. Only what differs is written (capacity, then the warm pool's MinSize).
 */
export async function applyGroupPlan(
  deps: ApplyGroupPlanDeps,
  config: UserConfig,
  group: GroupSnapshot,
  run: GroupRunPlan,
  globallyPaused: boolean,
): Promise<AppliedGroupPlan> {
  const { plan, nowMs } = run;
  // Read again after planning: a rolling update may have taken the lock meanwhile.
  const hold = await decideGroupHold(deps.stateStore, group, {
    deployment: deps.groupOwnership.deployment,
    mode: run.mode,
    dryRun: config.dryRun,
    globallyPaused,
    nowMs,
  });

  const change = diffChange(group, plan);
  // Said held too: a forecast-only group is where its load is first watched.
  const uncollected = terminatingCountUncollected(config, run.settings, group);
  const misreadLoad = uncollected ? [uncollected] : [];
  const reasonParts = [...planReasons(run, group), ...scaleOutOnlyReason(group, run), ...misreadLoad];
  const pool = warmPoolChangeOf(run, group);
  if (pool.givenBack !== undefined)
    reasonParts.push(
      `warm pool MinSize back to its own ${pool.givenBack.minSize}: ${pool.givenBack.because}`,
    );
  if (hold.kind === 'hold') return { hold, outcome: heldOutcome(hold, run, group, misreadLoad) };
  // Before its first change (or look-ahead): another deployment's next run then holds the group.
  if (hold.kind === 'proceed' && group.tags[GROUP_TAGS.deployment] === undefined)
    await deps.groupOwnership.take(group.name);
  if (Object.keys(change).length === 0 && pool.minSize === undefined) {
    // A release with nothing left to lower (its step ends where the group is) is done.
    if (hold.kind === 'proceed') await changeCapacity(deps, group, run, change, false);
    return { hold, outcome: { kind: 'unchanged', reason: reasonParts.join('; ') }, ...pool.sized };
  }
  if (hold.kind === 'dry-run') {
    const wouldSet = { ...change, ...(pool.minSize !== undefined ? { warmPoolMinSize: pool.minSize } : {}) };
    return {
      hold,
      outcome: { kind: 'dry-run', reason: `${hold.reason}; ${reasonParts.join('; ')}`, wouldSet },
    };
  }
  const result = await writeChange(deps, group, run, change, pool);
  if (result.kind === 'moved') {
    // Held for this run only: the look-ahead stays as it is (the fail-static plan), the next run plans anew.
    const held: HoldDecision = { kind: 'hold', reason: result.moved, forThisRunOnly: true };
    return { hold: held, outcome: { kind: 'held', reason: [result.moved, ...reasonParts].join('; ') } };
  }
  const { reasons, warmPoolRefused, ...written } = result;
  // A pool write refused leaves the pool as it was: the state keeps what it tracked of it.
  const sized = warmPoolRefused ? {} : pool.sized;
  return { hold, outcome: { ...written, reason: [...reasonParts, ...reasons].join('; ') }, ...sized };
}

/** A held run's outcome: why it is held, and what of Prescale's is left on the group meanwhile. */
function heldOutcome(
  hold: Extract<HoldDecision, { kind: 'hold' }>,
  run: GroupRunPlan,
  group: GroupSnapshot,
  misreadLoad: readonly string[],
): RunOutcome {
  const raise = raiseLeftInPlace(run.previous, group);
  // A tag misread stays named while held: a mistyped prescale:mode is often why it is held.
  const reason = [
    hold.reason,
    ...(raise ? [raise] : []),
    ...ignoredTagReasons(run.ignoredTags),
    ...misreadLoad,
  ].join('; ');
  // The rolling update's restore takes the plan of a run only its own lock held as the loop's need.
  const onlyLock =
    hold.lockHolder !== undefined && hold.liftsByItself ? { heldOnlyByLock: hold.lockHolder } : {};
  return { kind: 'held', reason, ...onlyLock };
}

/**
 * Writes a proceeding run's change: its way back first (`recordWayBack`), then capacity
 * (`changeCapacity`), then the warm pool, unless the group moved since the batch read it
 * (`moved`: nothing written to the group). The outcome's reasons are what it adds to the plan's.
 */
async function writeChange(
  deps: ApplyGroupPlanDeps,
  group: GroupSnapshot,
  run: GroupRunPlan,
  change: CapacityChange,
  pool: WarmPoolChange,
): Promise<
  | Extract<SentChange, { kind: 'moved' }>
  | ({ readonly reasons: string[]; readonly warmPoolRefused?: boolean } & (
      | { readonly kind: 'unchanged' }
      | Omit<Extract<RunOutcome, { kind: 'applied' }>, 'reason'>
    ))
> {
  await recordWayBack(deps.stateStore, group, run, { change, pool });
  const result = await changeCapacity(deps, group, run, change, pool.minSize !== undefined);
  if (result.kind === 'moved') return result;
  const { sent } = result;
  const reasons =
    sent === change
      ? []
      : ['a left release was taken by an overlapping run: MinSize lowered no further for it'];
  if (Object.keys(sent).length === 0 && pool.minSize === undefined) return { kind: 'unchanged', reasons };
  const poolRefused = await writeWarmPool(deps, group, pool);
  const before = { minSize: group.minSize, maxSize: group.maxSize, desiredCapacity: group.desiredCapacity };
  // The plan's bounds, unless an overlapping run took a release first: then the bounds sent.
  const after = sent === change ? boundsOf(run.plan) : { ...before, ...sent };
  return {
    kind: 'applied',
    before,
    after,
    reasons: poolRefused ? [...reasons, poolRefused] : reasons,
    ...(poolRefused ? { warmPoolRefused: true } : {}),
  };
}

const boundsOf = (plan: { minSize: number; maxSize: number; desiredCapacity: number }) => ({
  minSize: plan.minSize,
  maxSize: plan.maxSize,
  desiredCapacity: plan.desiredCapacity,
});

/** The change a run sent (`sent`), or the group's move since the batch read it, which held it. */
type SentChange =
  | { readonly kind: 'sent'; readonly sent: CapacityChange }
  | { readonly kind: 'moved'; readonly moved: string };

/**
 * Writes the run's capacity change, if any, between marking the campaign releases left to the loop
 * that it lowers MinSize for as under way (`claimLeftReleases`) and settling them against the
 * MinSize it set (`settleLeftReleases`): those it performs, or, where the loop lowers MinSize at its
 * own pace, those left before the settings changed, which its lowering takes back
 * (`leftReleasesTakenBack`). Returns the change sent: `planned`, or less of a lowering when an
 * overlapping run took a release first.
 * Just before the group's first write (capacity, else `writesWarmPool`'s), after every DynamoDB
 * round trip of the run (its way back, the releases' read and claims, each retried when
 * throttled), reads the group once (`groupMovedSinceRead`): a group moved since the batch read it
 * is not written, and the releases claimed are settled at the MinSize it kept.
 */
async function changeCapacity(
  deps: ApplyGroupPlanDeps,
  group: GroupSnapshot,
  run: GroupRunPlan,
  planned: CapacityChange,
  writesWarmPool: boolean,
): Promise<SentChange> {
  const settings = {
    ...run.settings,
    floorCapacity: Math.max(run.settings.floorCapacity, run.ownerMinSize?.minSize ?? 0),
  };
  const left =
    run.leftReleases.length > 0
      ? run.leftReleases
      : await leftReleasesTakenBack(deps.stateStore, settings, group, { change: planned, nowMs: run.nowMs });
  const { steps, change } = await claimLeftReleases(deps.stateStore, group, left, planned);
  const changes = Object.keys(change).length > 0;
  const moved =
    changes || writesWarmPool
      ? await groupMovedSinceRead(deps.scalingTarget, group, change, deps.groupOwnership.deployment)
      : undefined;
  if (moved) {
    await settleLeftReleases(deps.stateStore, group.name, steps, group.minSize);
    return { kind: 'moved', moved };
  }
  try {
    if (changes) await deps.scalingTarget.updateCapacity(group.name, change);
  } catch (error) {
    // Refused, the change had no effect: settled at the MinSize the group kept, the releases are no
    // longer under way, so a MinSize moved before the next run is not read as this change landed.
    // An unknown outcome (a timeout, an answer after a retry) keeps them under way: the change may
    // have landed. A settle that fails here leaves them under way too, and Auto Scaling's error stands.
    if (refusedWithoutEffect(error))
      await settleLeftReleases(deps.stateStore, group.name, steps, group.minSize).catch(() => undefined);
    throw error;
  }
  await settleLeftReleases(deps.stateStore, group.name, steps, change.minSize ?? group.minSize);
  return { kind: 'sent', sent: change };
}

/**
 * Before a change whose way back the group's state does not hold yet (its own MinSize and warm
 * pool MinSize, first seen; its own MaxSize under a raise; the pool MinSize it sizes the pool to,
 * pending), writes it: the run's record comes after the change, and a run that fails in between
 * (a warm-pool write whose outcome is unknown, the record throttled, the timeout) would leave the
 * next run reading Prescale's values as the group's own, its raise never given back, and a pool
 * it sized kept at Prescale's MinSize by every give-back (`prescaleWarmPoolMinSizeOn`).
 */
async function recordWayBack(
  stateStore: Pick<StateStore, 'putGroupState'>,
  group: GroupSnapshot,
  run: GroupRunPlan,
  { change, pool }: { readonly change: CapacityChange; readonly pool: WarmPoolChange },
): Promise<void> {
  const { previous } = run;
  const raisesMax =
    change.maxSize !== undefined && change.maxSize > group.maxSize && previous?.originalMaxSize === undefined;
  const poolBack = warmPoolWayBack(previous, group, run.plan.maxSize);
  const poolUnrecorded =
    poolBack.userWarmPoolMinSize !== undefined && previous?.userWarmPoolMinSize === undefined;
  // Only a MinSize the run sizes the pool to: one given back is the pool's own.
  const pending = pool.sized.warmPoolMinSize !== undefined ? pool.minSize : undefined;
  const pendingUnrecorded = pending !== undefined && previous?.pendingWarmPoolMinSize !== pending;
  if (!raisesMax && !poolUnrecorded && !pendingUnrecorded && previous?.userMinSize !== undefined) return;
  // An earlier pending write the pool is at stays Prescale's once this one is pending instead.
  const set = prescaleWarmPoolMinSizeOn(previous, group.warmPool?.minSize);
  await stateStore.putGroupState(group.name, {
    ...(previous ?? { planningQuantile: run.quantile.quantile }),
    userMinSize: userMinSizeOf(run, group),
    ...poolBack,
    ...(set !== undefined ? { prescaleWarmPoolMinSize: set } : {}),
    ...(pending !== undefined ? { pendingWarmPoolMinSize: pending } : {}),
    ...(raisesMax ? { originalMaxSize: group.maxSize, raisedMaxSize: change.maxSize } : {}),
    updatedAtMs: run.nowMs,
  });
}

/** Why the plan is what it is: its need and quantile, every limit, and what raised or held it. */
function planReasons(run: GroupRunPlan, group: GroupSnapshot): string[] {
  const { plan, leadTime, nowMs, tickIntervalMs } = run;
  return [
    `need ${plan.requiredNow} by ${new Date(nowMs + leadTime.leadTimeSeconds * 1000 + tickIntervalMs).toISOString()}`,
    `p${Math.round(run.quantile.quantile * 100)} plan`,
    `lead time ${leadTime.leadTimeSeconds}s (${leadTime.source})${warmStartReason(run, group)}`,
    ...plan.limits,
    ...ownerFloorReason(run),
    ...heldLoadReason(run),
    ...burstOrScaleInWindowReason(run),
    ...scaleInHeadroomReason(run),
    ...run.raisedByUpstreams.map((u) => `forecast raised by upstream ${u.groupName} on ${u.steps} steps`),
    ...run.learnedLoadRatios
      .filter((r) => !r.propagated && r.slope !== undefined)
      .map((r) => `upstream ${r.groupName} → ${group.name} not propagated: ${r.reason}`),
    ...leftReleasesReason(run.leftReleases),
    ...ignoredTagReasons(run.ignoredTags),
  ];
}

/** The warm starts' lead time beside the cold one, when the plan drew on the pool (`warmStart`). */
function warmStartReason(run: GroupRunPlan, group: GroupSnapshot): string {
  const warm = run.leadTime.warmLeadTimeSeconds;
  if (warm === undefined || !group.warmPool || group.warmPoolInstances === undefined) return '';
  return `, ${warm}s out of the warm pool for up to its ${group.warmPoolInstances} instance(s)`;
}

/** The floor the owner's own schedule set, when it is above the configured one. */
function ownerFloorReason(run: GroupRunPlan): string[] {
  const owner = run.ownerMinSize;
  if (owner === undefined) return [];
  return [`floor ${owner.minSize} from ${ownerMinSizeSource(owner)}`];
}

/**
 * What releases capacity on a group whose own policies only add it: lowering MinSize removes no
 * instance there, so only predictive scale-in does, and with it off nothing does.
 */
function scaleOutOnlyReason(group: GroupSnapshot, run: GroupRunPlan): string[] {
  if (!group.hasScalingPolicies || group.policiesScaleIn !== false) return [];
  return [
    run.scaleInWindowMinutes !== undefined
      ? "the group's scaling policies never scale in: predictive scale-in alone releases capacity"
      : "the group's scaling policies never scale in and predictive scale-in is off: nothing releases capacity above MinSize",
  ];
}

/** The burst floor when the load is bursty, else a scale-in window learned longer than configured. */
function burstOrScaleInWindowReason(run: GroupRunPlan): string[] {
  return run.burst?.bursty
    ? [
        `bursty load (variation ${run.burst.burstiness.toFixed(2)} of the mean within ${run.settings.burstFloorWindowMinutes} min): floor ${run.burst.floorCapacity} for the newest window's mean load${run.burst.plannedMeanLoad > run.burst.recentMeanLoad ? ` raised to the same time of the past ${run.settings.burstFloorSeasonalDays} days` : ''}${run.scaleInWindowMinutes !== undefined ? `, scale-in window ${run.scaleInWindowMinutes} min` : ''}`,
      ]
    : run.scaleInWindowMinutes !== undefined &&
        run.scaleInWindowMinutes > run.settings.scaleInAheadWindowMinutes
      ? [
          `scale-in window ${run.scaleInWindowMinutes} min learned from bursts that return within a launch${run.scaleInHeldAfterLaunch ? ', held after a launch' : ''}`,
        ]
      : [];
}

/** Why predictive scale-in keeps more headroom than configured, when it does. */
function scaleInHeadroomReason(run: GroupRunPlan): string[] {
  return run.scaleInHeadroom !== undefined &&
    run.scaleInHeadroom.targetRatio > run.settings.scaleInAheadTargetRatio
    ? [
        `scale-in ahead serves its peak at ${Math.round(run.scaleInHeadroom.targetRatio * 100)} % of the target: ${run.scaleInHeadroom.regrets} of the history's ${run.scaleInHeadroom.releases} leaner releases needed the headroom`,
      ]
    : [];
}

/**
 * What differs between the group as described and the plan. Beside the group's own policies a
 * DesiredCapacity that only follows the new bounds is left out: Auto Scaling moves DesiredCapacity
 * into new bounds itself, from the group's size when the call lands, so a scale-out a policy made
 * since the batch described the group stands instead of being set back to the described value.
 */
function diffChange(
  group: GroupSnapshot,
  plan: { minSize: number; maxSize: number; desiredCapacity: number },
): CapacityChange {
  const change: { -readonly [K in keyof CapacityChange]: CapacityChange[K] } = {};
  if (plan.minSize !== group.minSize) change.minSize = plan.minSize;
  if (plan.maxSize !== group.maxSize) change.maxSize = plan.maxSize;
  const followsBounds =
    group.hasScalingPolicies &&
    plan.desiredCapacity === Math.min(plan.maxSize, Math.max(plan.minSize, group.desiredCapacity));
  if (plan.desiredCapacity !== group.desiredCapacity && !followsBounds)
    change.desiredCapacity = plan.desiredCapacity;
  return change;
}

/** Why the plan held a load until the next launches are in service, when it did. */
function heldLoadReason(run: GroupRunPlan): string[] {
  if (run.heldRecentLoad === undefined) return [];
  const held = Number(run.heldRecentLoad.toFixed(1));
  if (run.steadyHold?.kind === 'holds')
    return [`steady hold: ${held} until the next launches are in service; ${run.steadyHold.reason}`];
  return [
    `recent load held: ${held}, the p${Math.round(run.settings.recentLoadHoldQuantile * 100)} of the last ${run.settings.recentLoadHoldMinutes} min, until the next launches are in service`,
  ];
}
