import type { Observability } from '../../shared/aws/powertools';
import type { GroupWorkItem } from '../../shared/ports/group-work-queue';
import type { GroupRunResult } from '../../shared/usecases/scale-groups';
import { publishGroupRunMetrics } from './publish-group-run-metrics';

/**
 * Runs one batch of group work (`runBatch`) and publishes each group's run. A batch that fails as
 * a whole (a read before any claim: the batched history, the groups, the kill switch) runs none
 * of its groups: each item is published as a failed run with that error before it is thrown
 * again, so GroupRuns, GroupRunFailed and, for a transient error, Throttled count it, as they
 * count one group's failure.
 */
export async function publishBatchRuns(
  observability: Observability,
  groupMetrics: 'logs' | 'metrics',
  items: readonly GroupWorkItem[],
  runBatch: () => Promise<GroupRunResult[]>,
): Promise<GroupRunResult[]> {
  let results: GroupRunResult[];
  try {
    results = await runBatch();
  } catch (error) {
    for (const { groupName, tickMs } of items) {
      const failed: GroupRunResult = { kind: 'failed', groupName, tickMs, error: error as Error };
      publishGroupRunMetrics(observability, failed, groupMetrics);
    }
    throw error;
  }
  for (const result of results) publishGroupRunMetrics(observability, result, groupMetrics);
  return results;
}
