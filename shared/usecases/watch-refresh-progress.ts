import type { GroupSettings } from '../contracts/group-settings-schema';
import type { ProgressResult, WorkflowState } from '../contracts/rolling-update';
import type { UserConfig } from '../contracts/user-config';
import { assessRefreshProgress } from '../core/rolling-update/assess-refresh-progress';
import type { RefreshStatus } from '../core/rolling-update/types';
import type { AlarmStates } from '../ports/alarm-states';
import type { Clock } from '../ports/clock';
import type { MetricHistory } from '../ports/metric-history';
import type { ScalingTarget } from '../ports/scaling-target';
import { groupIfStillThere } from './describe-group';
import { groupDeletedDuringUpdate } from './group-no-longer-exists';
import { isCumulativeLoad, settledHistoryEndMs } from './history-query';
import { resolveGroupSettings } from './resolve-group-settings';

/** What the watcher reads besides the described refresh: alarms, load, the group, the time. */
export interface WatchRefreshProgressDeps {
  readonly scalingTarget: ScalingTarget;
  readonly metricHistory: MetricHistory;
  readonly alarmStates: Pick<AlarmStates, 'alarmsInAlarm'>;
  readonly clock: Clock;
}

/** Steps of history read for the latest load. */
const RECENT_STEPS = 3;

/**
 * The longest step the watch reads the latest load at. A refresh's batches take minutes; a group
 * forecast at hourly steps read whole would show the load of the last whole hour, up to an hour
 * before a surge during the refresh, and never raise the headroom for it.
 */
const WATCH_STEP_SECONDS = 300;

/**
 * One look at the running refresh (as "Describe refresh progress" just described it): its status,
 * the watched alarms, the refresh deadline, and the latest observed load against the capacity
 * that stays healthy (`assessRefreshProgress`), read at steps of at most 5 minutes whatever the
 * group's forecast step (`WATCH_STEP_SECONDS`). A load source that fails is reported in the
 * reason and ignored; alarms and the status decide. A group deleted meanwhile (gone, or being
 * deleted) is `group-deleted` (GroupDeletedDuringUpdate): nothing is left to roll back or restore.
 * @throws TransientDependencyError when the alarms cannot be read (retried by the state).
 */
export async function watchRefreshProgress(
  deps: WatchRefreshProgressDeps,
  config: UserConfig,
  state: WorkflowState,
): Promise<ProgressResult> {
  const { plan } = state;
  const nowMs = deps.clock.nowMs();
  const refreshId = state.refresh?.InstanceRefreshId;
  const refresh = state.refreshStatus?.refreshes.find((r) => r.InstanceRefreshId === refreshId);
  const group = await groupIfStillThere(deps.scalingTarget, plan.groupName);
  if (group === undefined) {
    const error = groupDeletedDuringUpdate(plan);
    return { verdict: 'group-deleted', reason: error.Cause, error };
  }
  const { settings } = resolveGroupSettings(config, group.name, group.tags);
  const alarmsInAlarm = await deps.alarmStates.alarmsInAlarm(plan.alarmNames);
  let actualLoad: number | undefined;
  let loadNote = '';
  try {
    actualLoad = await latestLoad(deps.metricHistory, config, settings, { groupName: group.name, nowMs });
  } catch (error) {
    loadNote = ` (load unknown: ${(error as Error).name})`;
  }
  const verdict = assessRefreshProgress({
    ...(refresh ? { status: refresh.Status as RefreshStatus } : {}),
    ...(refresh?.StatusReason ? { statusReason: refresh.StatusReason } : {}),
    ...(refresh?.PercentageComplete !== undefined ? { percentageComplete: refresh.PercentageComplete } : {}),
    alarmsInAlarm,
    suspendedProcesses: group.suspendedProcesses,
    nowMs,
    refreshDeadlineMs: state.window?.refreshDeadlineMs ?? Number.POSITIVE_INFINITY,
    ...(actualLoad !== undefined ? { actualLoad } : {}),
    current: { minSize: group.minSize, maxSize: group.maxSize, desiredCapacity: group.desiredCapacity },
    minHealthyPercentage: plan.preferences.MinHealthyPercentage,
    targetLoadPerInstance: settings.targetLoadPerInstance,
  });
  return { ...verdict, reason: `${verdict.reason}${loadNote}` };
}

/**
 * The group's newest settled load, in its own unit: read at steps of at most `WATCH_STEP_SECONDS`
 * (a CloudWatch sum scaled up to the group's step), or at the group's own step where a finer read
 * cannot be put in its unit (an expression, whose normalisation is the user's) or finds fewer than
 * two datapoints (a metric published at the group's step). Undefined when the source has none.
 */
async function latestLoad(
  metricHistory: MetricHistory,
  config: UserConfig,
  settings: GroupSettings,
  at: { readonly groupName: string; readonly nowMs: number },
): Promise<number | undefined> {
  const fine = settings.stepSeconds === 3600 ? WATCH_STEP_SECONDS : settings.stepSeconds;
  if (fine < settings.stepSeconds && settings.metric.kind !== 'expression') {
    const read = await recentLoads(metricHistory, settings, at, fine);
    // A CloudWatch sum over the shorter step, in the group's unit (per forecast step) as its target
    // is; Timestream averages its measure per step whatever the metric's kind.
    const perStep =
      config.historySource === 'cloudwatch' && isCumulativeLoad(settings.metric)
        ? settings.stepSeconds / fine
        : 1;
    if (read.length >= 2) return (read[0] as number) * perStep;
  }
  return (await recentLoads(metricHistory, settings, at, settings.stepSeconds))[0];
}

/** The group's settled loads of the last `RECENT_STEPS` steps of `stepSeconds`, newest first. */
async function recentLoads(
  metricHistory: MetricHistory,
  settings: GroupSettings,
  at: { readonly groupName: string; readonly nowMs: number },
  stepSeconds: GroupSettings['stepSeconds'],
): Promise<number[]> {
  // The same settled end as the forecast's history: a cumulative load's newest step, read
  // before it is whole, would read low and hide an overload during the refresh.
  const endMs = settledHistoryEndMs({ ...settings, stepSeconds }, at.nowMs);
  const history = await metricHistory.loadHistory([
    {
      groupName: at.groupName,
      metric: settings.metric,
      startMs: endMs - RECENT_STEPS * stepSeconds * 1000,
      endMs,
      stepSeconds,
    },
  ]);
  return [...(history.get(at.groupName) ?? [])]
    .filter((o) => Number.isFinite(o.value))
    .sort((a, b) => b.timestampMs - a.timestampMs)
    .map((o) => o.value);
}
