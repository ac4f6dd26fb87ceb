import type { GroupSettings } from '../contracts/group-settings-schema';
import type { HistoryQuery } from '../ports/metric-history';

/**
 * The load history a group's forecast reads: `historyDays` of its metric up to `endMs`, rounded
 * down to a whole forecast step so every reader of the same moment asks for the same steps.
 */
export function historyQuery(groupName: string, settings: GroupSettings, endMs: number): HistoryQuery {
  const stepMs = settings.stepSeconds * 1000;
  const alignedEndMs = Math.floor(endMs / stepMs) * stepMs;
  return {
    groupName,
    metric: settings.metric,
    startMs: alignedEndMs - settings.historyDays * 86_400_000,
    endMs: alignedEndMs,
    stepSeconds: settings.stepSeconds,
  };
}
