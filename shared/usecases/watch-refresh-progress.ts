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
import { settledHistoryEndMs } from './history-query';
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
 * One look at the running refresh (as "Describe refresh progress" just described it): its status,
 * the watched alarms, the refresh deadline, and the latest observed load against the capacity
 * that stays healthy (`assessRefreshProgress`). A load source that fails is reported in the
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
    const stepMs = settings.stepSeconds * 1000;
    // The same settled end as the forecast's history: a cumulative load's newest step, read
    // before it is whole, would read low and hide an overload during the refresh.
    const endMs = settledHistoryEndMs(settings, nowMs);
    const history = await deps.metricHistory.loadHistory([
      {
        groupName: group.name,
        metric: settings.metric,
        startMs: endMs - RECENT_STEPS * stepMs,
        endMs,
        stepSeconds: settings.stepSeconds,
      },
    ]);
    const latest = [...(history.get(group.name) ?? [])]
      .filter((o) => Number.isFinite(o.value))
      .sort((a, b) => b.timestampMs - a.timestampMs)[0];
    actualLoad = latest?.value;
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
