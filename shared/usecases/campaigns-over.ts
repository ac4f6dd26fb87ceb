import type { CampaignWindow } from '../core/forecast/types';
import type { CampaignWindowsFn } from './group-forecaster';

/**
 * A group's campaigns over [fromMs, toMs) as an update's forecast reads them, the rolling update's
 * window and the update plan's slots alike (past ones are demand in the history, read without
 * their uplift; `prewarmed` is the scaling loop's own concern): a sale the refresh would run into
 * raises the p90 the window or the slot must fit, so the update waits past it or its headroom
 * carries it. None without a calendar.
 * @param targetLoadPerInstance the group's resolved target (tags included): extra instances become
 * load at it.
 */
export async function campaignsOver(
  campaignsFor: CampaignWindowsFn | undefined,
  groupName: string,
  targetLoadPerInstance: number,
  { fromMs, toMs }: { readonly fromMs: number; readonly toMs: number },
): Promise<CampaignWindow[]> {
  if (!campaignsFor) return [];
  const windows = await campaignsFor(groupName, fromMs, toMs, targetLoadPerInstance);
  return windows.map(({ prewarmed: _prewarmed, ...window }) => window);
}
