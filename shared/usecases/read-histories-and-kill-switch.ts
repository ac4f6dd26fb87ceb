import type { UserConfig } from '../contracts/user-config';
import type { LoadObservation } from '../core/forecast/types';
import { RejectedRequestError } from '../ports/errors';
import type { GroupWorkItem } from '../ports/group-work-queue';
import type { HistoryQuery, MetricHistory } from '../ports/metric-history';
import type { GroupSnapshot } from '../ports/scaling-target';
import { clearHeldLookAhead } from './clear-held-look-ahead';

/** What reading a batch's histories and the kill switch needs (a part of `ScaleGroupsDeps`). */
export type HistoryReadDeps = Parameters<typeof clearHeldLookAhead>[0] & {
  readonly metricHistory: MetricHistory;
  /** Deployment-wide kill switch. */
  readonly isGloballyPaused: () => Promise<boolean>;
};

/**
 * The batch's load histories (`historiesByGroup`) and the kill switch. When either read fails the
 * whole batch fails (its work dead-lettered, nothing claimed), but first the look-ahead of every group of the batch
 * that is held by what is known without them (its tags, refresh, suspended processes, lock, mode,
 * the dry run, and the kill switch if it can be read) is deleted, so an outage of the history
 * cannot let a paused group's look-ahead fire.
 */
export async function readHistoriesAndKillSwitch(
  deps: HistoryReadDeps,
  config: UserConfig,
  items: readonly GroupWorkItem[],
  byName: ReadonlyMap<string, GroupSnapshot>,
  batch: { readonly queries: readonly HistoryQuery[]; readonly nowMs: number },
): Promise<HistoriesByGroup & { globallyPaused: boolean }> {
  try {
    const read = await historiesByGroup(deps.metricHistory, batch.queries);
    return { ...read, globallyPaused: await deps.isGloballyPaused() };
  } catch (error) {
    const globallyPaused = await deps.isGloballyPaused().catch(() => false);
    for (const item of items) {
      const group = byName.get(item.groupName);
      if (group) await clearHeldLookAhead(deps, config, group, { globallyPaused, nowMs: batch.nowMs });
    }
    throw error;
  }
}

/** The histories read, and the groups whose own read was refused, with the refusal. */
export interface HistoriesByGroup {
  readonly histories: Map<string, LoadObservation[]>;
  readonly refused: ReadonlyMap<string, RejectedRequestError>;
}

/**
 * Every query's history in one read; when the source refuses that read (CloudWatch refuses a whole
 * GetMetricData call for one group's bad expression or over-long query), each group is read alone,
 * so a refusal fails only the group that asked for it. A transient failure still fails them all.
 */
async function historiesByGroup(
  history: MetricHistory,
  queries: readonly HistoryQuery[],
): Promise<HistoriesByGroup> {
  try {
    return { histories: await history.loadHistory(queries), refused: new Map() };
  } catch (error) {
    if (!(error instanceof RejectedRequestError) || queries.length < 2) throw error;
  }
  const histories = new Map<string, LoadObservation[]>();
  const refused = new Map<string, RejectedRequestError>();
  for (const query of queries) {
    try {
      for (const [groupName, series] of await history.loadHistory([query])) histories.set(groupName, series);
    } catch (error) {
      if (!(error instanceof RejectedRequestError)) throw error;
      refused.set(query.groupName, error);
    }
  }
  return { histories, refused };
}
