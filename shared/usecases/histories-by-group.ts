import type { LoadObservation } from '../core/forecast/types';
import { RejectedRequestError } from '../ports/errors';
import type { HistoryQuery, MetricHistory } from '../ports/metric-history';

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
export async function historiesByGroup(
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
