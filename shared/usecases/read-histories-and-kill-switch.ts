import type { UserConfig } from '../contracts/user-config';
import type { GroupWorkItem } from '../ports/group-work-queue';
import type { HistoryQuery, MetricHistory } from '../ports/metric-history';
import type { GroupSnapshot } from '../ports/scaling-target';
import { clearHeldLookAhead } from './clear-held-look-ahead';
import { type HistoriesByGroup, historiesByGroup } from './histories-by-group';

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
