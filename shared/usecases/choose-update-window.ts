import { HELD_REASON_PREFIX, type ValidPlan, type WindowResult } from '../contracts/rolling-update';
import type { UserConfig } from '../contracts/user-config';
import { chooseWindow, type WindowDecision, type WindowInput } from '../core/rolling-update/choose-window';
import {
  estimateRefreshDuration,
  type RefreshDurationInput,
} from '../core/rolling-update/estimate-refresh-duration';
import { headroomRefreshDuration } from '../core/rolling-update/headroom-refresh-duration';
import { refreshAllowanceSeconds } from '../core/rolling-update/refresh-allowance';
import { refreshedInstances } from '../core/rolling-update/refreshed-instances';
import { planRevertPrefix } from '../core/update-plan/plan-child-name';
import type { Clock } from '../ports/clock';
import type { MetricHistory } from '../ports/metric-history';
import type { GroupSnapshot, ScalingTarget } from '../ports/scaling-target';
import type { ScheduledCapacity } from '../ports/scheduled-capacity';
import type { UpdatePlanStore } from '../ports/update-plan-store';
import { findGroup } from './describe-group';
import { giveBackAhead } from './give-back-ahead';
import type { CampaignWindowsFn } from './group-forecaster';
import { groupNoLongerExists } from './group-no-longer-exists';
import { historyQuery } from './history-query';
import { ignoredTagReasons, resolveGroupSettings } from './resolve-group-settings';
import type { ForecastFn } from './scale-groups';
import { rollingUpdateHold } from './update-hold';
import { type ForecastSpan, upperLoadForecast } from './upper-load-forecast';

/** What the window choice reads: the group, its load history, a forecaster and the time. */
export interface ChooseUpdateWindowDeps {
  readonly scalingTarget: ScalingTarget;
  readonly metricHistory: MetricHistory;
  readonly clock: Clock;
  /** The group's scheduled actions: a look-ahead give-back still due is waited for (`giveBackAhead`). */
  readonly scheduledCapacity: Pick<ScheduledCapacity, 'scheduledActions'>;
  readonly forecast: ForecastFn;
  /**
   * The group's campaigns as forecast windows, as the loop reads them; none when not given. A read
   * that fails fails the look, never reads as "no campaigns".
   */
  readonly campaignsFor?: CampaignWindowsFn;
  /** The deployment-wide kill switch; a read that fails throws, never reads as "running". */
  readonly isGloballyPaused: () => Promise<boolean>;
  /** This deployment's name (its stack's): a group another deployment manages is refused. */
  readonly deployment: string;
  /**
   * The update plans' cancel requests (strongly consistent): a plan's child still waiting for its
   * window when the plan is cancelled defers instead of starting a refresh the plan would undo.
   */
  readonly plans: Pick<UpdatePlanStore, 'cancelRequest'>;
}

/** The forecast horizon stays within what the engine plans for (48 h). */
const MAX_HORIZON_SECONDS = 48 * 3600;
/** Time left for the rollback branch after the refresh deadline, before the lock expires. */
const ROLLBACK_ALLOWANCE_MS = 6 * 3_600_000;
/**
 * Most looks at a running refresh and then at its rollback, together: the watch runs until the
 * refresh deadline and the rollback until the lock expires, `ROLLBACK_ALLOWANCE_MS` later. Each
 * look writes 14 history events (the wait and the choice, entered and exited; two tasks, each
 * entered, scheduled, started, succeeded and exited), 19 when it also raises headroom, and Step
 * Functions fails an execution at its 25,000th event that is not its end (the history quota):
 * 1,100 looks write at most 20,900.
 */
const MAX_REFRESH_LOOKS = 1_100;
/**
 * Most looks for a low-load window (9 history events each: 1,800), spread over the wait from
 * validation to the deadline. Beside the refresh's 20,900 this leaves ~2,300 events for the
 * workflow's other states and the retries of throttled tasks.
 */
const MAX_WINDOW_LOOKS = 200;

/** A plan's preferences as the refresh estimate reads them. */
function refreshPreferences(plan: ValidPlan): Omit<RefreshDurationInput, 'instances'> {
  return {
    instanceWarmupSeconds: plan.preferences.InstanceWarmup,
    minHealthyPercentage: plan.preferences.MinHealthyPercentage,
    maxHealthyPercentage: plan.preferences.MaxHealthyPercentage,
    ...(plan.preferences.CheckpointPercentages
      ? { checkpointPercentages: plan.preferences.CheckpointPercentages }
      : {}),
    ...(plan.preferences.CheckpointDelay !== undefined
      ? { checkpointDelaySeconds: plan.preferences.CheckpointDelay }
      : {}),
    ...(plan.preferences.BakeTime !== undefined ? { bakeTimeSeconds: plan.preferences.BakeTime } : {}),
  };
}

/**
 * The duration of a refresh of `instances` under a plan's preferences: the group's refreshed
 * instances (`refreshedInstances`, its warm pool's too), not its desired capacity alone.
 */
function refreshDurationSeconds(plan: ValidPlan, instances: number): number {
  return estimateRefreshDuration({ ...refreshPreferences(plan), instances }).durationSeconds;
}

/**
 * Chooses when to start: estimates the refresh's duration (instances × warmup / batch, the warm
 * pool's instances counted with the group's, `refreshedInstances`), forecasts
 * the group's p90 load over it (`forecastDemand` on its history), and proceeds, waits or defers
 * (`chooseWindow`). Without a usable forecast (too little history) the group is assumed fully
 * loaded at its in-service capacity, raised by its campaigns in their windows, which only ever
 * adds headroom; a metric or calendar read that
 * may answer later fails the look instead (retried by the workflow). On `proceed` it also sets the
 * refresh deadline and the lock's times, so the lock is taken right after. Each look first checks
 * the holds validation checked (`rollingUpdateHold`) again on the group as it is now: one set
 * while the workflow waited for low load (a pause, an operator's refresh, the kill switch, dryRun
 * deployed, …) defers the update with the hold as its reason, before the lock, the headroom and
 * the refresh. Unless forced, no start comes before a look-ahead give-back the loop keeps on the
 * group has run (`giveBackAhead`); a forced start records it (`keptGiveBack`) for the restore. A group deleted meanwhile is refused (`refuse`, GroupNoLongerExists): the run ends
 * as the lock's refusal of it does, recorded and notified, with nothing started.
 * @throws TransientDependencyError when Auto Scaling, the metric source or the campaign calendar
 * may answer later.
 */
export async function chooseUpdateWindow(
  deps: ChooseUpdateWindowDeps,
  config: UserConfig,
  plan: ValidPlan,
): Promise<WindowResult> {
  const nowMs = deps.clock.nowMs();
  const cancelled = await planCancelled(deps, plan);
  if (cancelled) return endingWindow('defer', `${HELD_REASON_PREFIX}${cancelled}`, 0, nowMs);
  const found = await findGroup(deps.scalingTarget, plan.groupName);
  if (found.kind !== 'there') {
    const error = groupNoLongerExists(plan, found.kind);
    return { ...endingWindow('refuse', error.Cause, 0, nowMs), error };
  }
  const { group } = found;
  const { settings, ignoredTags } = resolveGroupSettings(config, group.name, group.tags);
  const globallyPaused = await deps.isGloballyPaused();
  const held = rollingUpdateHold(config, group, {
    deployment: deps.deployment,
    globallyPaused,
    reason: plan.reason,
  });
  if (held)
    return endingWindow(
      'defer',
      `${HELD_REASON_PREFIX}${held}`,
      refreshDurationSeconds(plan, refreshedInstances(group)),
      nowMs,
    );
  const span = forecastSpan(plan, group, settings, nowMs);
  const { upper, note } = await upperLoadForecast(deps, group, settings, span);
  const giveBack = await giveBackBefore(deps, config, group, { nowMs, globallyPaused, force: plan.force });
  const notBefore = plan.force ? undefined : giveBack;
  const { decision, durationSeconds } = windowOnHeadroom(plan, group, {
    nowMs,
    deadlineMs: plan.deadlineMs,
    force: plan.force,
    forecast: upper,
    maxSize: group.maxSize,
    minHealthyPercentage: plan.preferences.MinHealthyPercentage,
    targetLoadPerInstance: settings.targetLoadPerInstance,
    minWaitSeconds: Math.ceil((plan.deadlineMs - (plan.validatedAtMs ?? nowMs)) / 1000 / MAX_WINDOW_LOOKS),
    ...(notBefore ? { notBefore } : {}),
  });
  // A give-back past the deadline holds the update as a hold does (an update plan reports it so).
  const heldBy = decision.kind === 'defer' && notBefore && nowMs < notBefore.atMs ? HELD_REASON_PREFIX : '';
  return {
    decision: decision.kind,
    // Named as the loop names it: a mistyped target tag sizes the window at the configured one.
    reason: [`${heldBy}${decision.reason}${note}`, ...ignoredTagReasons(ignoredTags)].join('; '),
    waitSeconds: decision.kind === 'wait' ? decision.waitSeconds : 0,
    durationSeconds,
    peakLoad: decision.kind === 'proceed' ? decision.peakLoad : 0,
    ...refreshTimes(plan, durationSeconds, nowMs),
    ...(plan.force && giveBack ? { keptGiveBack: { minSize: giveBack.minSize, atMs: giveBack.atMs } } : {}),
  };
}

/**
 * The look-ahead give-back still due on the group (`giveBackAhead`). Forced: no wait, and the
 * restore gives the MinSize back in the deleted action's place; a read that fails then costs that
 * give-back only, not the start (a retirement may be hours away).
 */
function giveBackBefore(
  deps: ChooseUpdateWindowDeps,
  config: UserConfig,
  group: GroupSnapshot,
  {
    nowMs,
    globallyPaused,
    force,
  }: { readonly nowMs: number; readonly globallyPaused: boolean; readonly force?: boolean },
): ReturnType<typeof giveBackAhead> {
  const read = giveBackAhead(deps, config, group, { nowMs, globallyPaused });
  return force ? read.catch(() => undefined) : read;
}

/**
 * Why the update plan `plan` runs under was cancelled, if it was. Its advance acts on a cancel
 * only once the slot's children end, so a child waiting for its window must stop itself; every
 * start passes this look right before the lock, the headroom and the refresh. A revert (named
 * `<plan>-undo-…`, `planRevertPrefix`) is never stopped: it is the cancel's undo.
 */
async function planCancelled(
  deps: Pick<ChooseUpdateWindowDeps, 'plans'>,
  plan: ValidPlan,
): Promise<string | undefined> {
  if (plan.planExecutionName === undefined) return undefined;
  if (plan.executionName.startsWith(planRevertPrefix(plan.planExecutionName))) return undefined;
  const cancel = await deps.plans.cancelRequest(plan.planExecutionName);
  return cancel ? `update plan ${plan.planExecutionName} was cancelled: ${cancel.reason}` : undefined;
}

/**
 * The forecast the window reads: from the end of the group's settled history (`historyQuery`),
 * long enough to reach the deadline and the longest refresh the headroom may make after it
 * (MaxSize replaced), counted from now. The query gets `nowMs` itself and rounds it once: rounded
 * here first, a cumulative load's history ended a step early, and the horizon, counted from the
 * rounded now, stopped that step (a 60-second step's settling, three) short of the refresh's end
 * (until 2026-12-07).
 */
function forecastSpan(
  plan: ValidPlan,
  group: GroupSnapshot,
  settings: ReturnType<typeof resolveGroupSettings>['settings'],
  nowMs: number,
): ForecastSpan {
  const { stepSeconds } = settings;
  const query = historyQuery(group.name, settings, nowMs);
  const aheadSeconds = Math.min(
    MAX_HORIZON_SECONDS,
    Math.max(0, (plan.deadlineMs - nowMs) / 1000) +
      refreshDurationSeconds(plan, refreshedInstances(group, group.maxSize)) +
      stepSeconds,
  );
  return {
    query,
    endMs: query.endMs,
    horizonSteps: Math.max(1, Math.ceil(((nowMs - query.endMs) / 1000 + aheadSeconds) / stepSeconds)),
  };
}

/**
 * The window decision for the refresh that will run. The refresh replaces the capacity the
 * headroom raised the group to, not the desired capacity now, so a window proceeding on the
 * refresh of today's desired capacity is looked at again on the refresh of the headroom its
 * peak needs (`headroomRefreshDuration`, sized as "Plan headroom" will size it, and as an update
 * plan checks its slots), with the warm pool left beside it: once, peak → headroom → duration, since each look may only lengthen
 * the refresh and the next look renews the forecast.
 */
function windowOnHeadroom(
  plan: ValidPlan,
  group: GroupSnapshot,
  input: Omit<WindowInput, 'durationSeconds'>,
): { readonly decision: WindowDecision; readonly durationSeconds: number } {
  const firstSeconds = refreshDurationSeconds(plan, refreshedInstances(group));
  const first = chooseWindow({ ...input, durationSeconds: firstSeconds });
  if (first.kind !== 'proceed') return { decision: first, durationSeconds: firstSeconds };
  const { desiredCapacity } = headroomRefreshDuration({
    current: group,
    peakLoad: first.peakLoad,
    targetLoadPerInstance: input.targetLoadPerInstance,
    refresh: refreshPreferences(plan),
  });
  // The raised desired capacity and the warm pool the raise leaves (a default pool shrinks by it).
  const durationSeconds = refreshDurationSeconds(plan, refreshedInstances(group, desiredCapacity));
  if (durationSeconds <= firstSeconds) return { decision: first, durationSeconds: firstSeconds };
  return { decision: chooseWindow({ ...input, durationSeconds }), durationSeconds };
}

/** The refresh deadline, how often to look at it and its rollback, and the lock's times. */
function refreshTimes(
  plan: ValidPlan,
  durationSeconds: number,
  nowMs: number,
): Pick<WindowResult, 'refreshDeadlineMs' | 'pollIntervalSeconds' | 'lock'> {
  const refreshSeconds = refreshAllowanceSeconds(durationSeconds, plan.maxRefreshMinutes);
  const refreshDeadlineMs = nowMs + refreshSeconds * 1000;
  const lockExpiresAtMs = refreshDeadlineMs + ROLLBACK_ALLOWANCE_MS;
  return {
    refreshDeadlineMs,
    pollIntervalSeconds: Math.max(
      plan.pollIntervalSeconds,
      Math.ceil((refreshSeconds + ROLLBACK_ALLOWANCE_MS / 1000) / MAX_REFRESH_LOOKS),
    ),
    lock: {
      acquiredAtMs: String(nowMs),
      expiresAtMs: String(lockExpiresAtMs),
      expiresAt: String(Math.ceil(lockExpiresAtMs / 1000)),
    },
  };
}

/** A window that ends the run (a hold's deferral, a deleted group's refusal): no lock, nothing to start. */
function endingWindow(
  decision: 'defer' | 'refuse',
  reason: string,
  durationSeconds: number,
  nowMs: number,
): WindowResult {
  return {
    decision,
    reason,
    waitSeconds: 0,
    durationSeconds,
    peakLoad: 0,
    refreshDeadlineMs: nowMs,
    pollIntervalSeconds: 0,
    lock: {
      acquiredAtMs: String(nowMs),
      expiresAtMs: String(nowMs),
      expiresAt: String(Math.ceil(nowMs / 1000)),
    },
  };
}
