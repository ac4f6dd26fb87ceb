import type { CampaignActionInput } from '../contracts/campaign-events';
import type { GroupSettings } from '../contracts/group-settings-schema';
import type { UserConfig } from '../contracts/user-config';
import type { StoredCampaign } from '../ports/campaign-store';
import { RejectedRequestError } from '../ports/errors';
import type { HistoryQuery, MetricHistory } from '../ports/metric-history';
import type { GroupSnapshot } from '../ports/scaling-target';
import { type HistoriesByGroup, historiesByGroup } from './histories-by-group';
import { historyNoLongerKept } from './history-no-longer-kept';
import { historyQuery } from './history-query';

/** What a campaign action read of its groups' load history. */
export interface CampaignHistories extends HistoriesByGroup {
  /** Groups a learning release did not read, as their history is no longer kept at their step, with why. */
  readonly notKept: ReadonlyMap<string, string>;
  /** A learning release's read that failed whole (transient): thrown once the groups are released. */
  readonly unread?: unknown;
}

const NOTHING_READ: CampaignHistories = { histories: new Map(), refused: new Map(), notKept: new Map() };

/** The queries of the load history up to `endMs` of the groups the campaign names now. */
function campaignQueries(
  campaign: StoredCampaign,
  groups: readonly GroupSnapshot[],
  settingsByName: ReadonlyMap<string, { readonly settings: GroupSettings }>,
  endMs: number,
): HistoryQuery[] {
  return groups
    .filter((g) => campaign.groupNames.includes(g.name))
    .map((g) => historyQuery(g.name, settingsByName.get(g.name)?.settings as GroupSettings, endMs));
}

/**
 * `historiesByGroup`, with a refusal of a read of one group alone that group's refusal too:
 * `historiesByGroup` throws it (the loop's batch of one fails as its batch), but a campaign of one
 * group, or of one left to read, is refused the same on every retry, and would be dead-lettered
 * unlearned where a campaign of several reports that group.
 */
async function readByGroup(
  history: MetricHistory,
  queries: readonly HistoryQuery[],
): Promise<HistoriesByGroup> {
  try {
    return await historiesByGroup(history, queries);
  } catch (error) {
    const only = queries.length === 1 ? queries[0] : undefined;
    if (!(error instanceof RejectedRequestError) || only === undefined) throw error;
    return { histories: new Map(), refused: new Map([[only.groupName, error]]) };
  }
}

/**
 * The histories a campaign action needs, each group read alone when CloudWatch refuses the read
 * of them all (`readByGroup`: one group's bad expression or refused permission is that
 * group's refusal, however many groups are read): a pre-warm's up to now (a transient failure fails it, before anything is
 * changed), a learning release's up to the campaign's end. A release never waits on its
 * learning: a read that fails whole is returned as `unread`, the groups are released without
 * learning, and the failure is thrown after them, so the invocation's retry (a release done is
 * not done again) learns. A group whose history from the end is no longer kept at its step (a
 * release run late: `historyNoLongerKept`) is not read and learns nothing, with the reason.
 */
export async function campaignHistories(
  deps: { readonly metricHistory: MetricHistory },
  config: UserConfig,
  campaign: StoredCampaign,
  groups: {
    readonly snapshots: readonly GroupSnapshot[];
    readonly settingsByName: ReadonlyMap<string, { readonly settings: GroupSettings }>;
  },
  at: { readonly action: CampaignActionInput['action']; readonly learnNow: boolean; readonly nowMs: number },
): Promise<CampaignHistories> {
  if (at.action === 'prewarm') {
    const queries = campaignQueries(campaign, groups.snapshots, groups.settingsByName, at.nowMs);
    return { ...(await readByGroup(deps.metricHistory, queries)), notKept: new Map() };
  }
  if (!at.learnNow) return NOTHING_READ;
  const queries = campaignQueries(campaign, groups.snapshots, groups.settingsByName, campaign.endMs);
  const notKept = new Map<string, string>();
  for (const q of queries) {
    const reason = historyNoLongerKept(config, q, at.nowMs);
    if (reason !== undefined) notKept.set(q.groupName, reason);
  }
  const kept = queries.filter((q) => !notKept.has(q.groupName));
  if (kept.length === 0) return { ...NOTHING_READ, notKept };
  try {
    return { ...(await readByGroup(deps.metricHistory, kept)), notKept };
  } catch (error) {
    return { ...NOTHING_READ, notKept, unread: error };
  }
}
