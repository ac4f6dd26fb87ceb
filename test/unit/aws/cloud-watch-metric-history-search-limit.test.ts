import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchMetricHistory } from '../../../shared/aws/cloud-watch-metric-history';
import { RejectedRequestError } from '../../../shared/ports/errors';
import type { HistoryQuery } from '../../../shared/ports/metric-history';
import { SimulatedCloudWatch } from '../../../shared/simulation/world/simulated-cloud-watch';

const START = Date.UTC(2026, 0, 5);
const STEP_MS = 300_000;
const perInstanceSum = {
  kind: 'expression',
  expression: `SUM(SEARCH('{App,AutoScalingGroupName,InstanceId} MetricName="Load" AutoScalingGroupName="\${group}"', 'Average'))`,
} as const;

/**
 * Groups whose instances each publish a load of 1 for one step, read through the real adapter
 * from the simulated CloudWatch, which reads at most 500 metrics a call and says when it found
 * more (`MaxMetricsExceeded`). Returns each group's load and the calls made.
 */
async function read(instancesByGroup: Record<string, number>) {
  const cloudWatch = new SimulatedCloudWatch();
  for (const [group, count] of Object.entries(instancesByGroup))
    for (let i = 0; i < count; i += 1)
      cloudWatch.publish(
        {
          namespace: 'App',
          metricName: 'Load',
          dimensions: { AutoScalingGroupName: group, InstanceId: `i-${group}-${i}` },
        },
        START,
        1,
      );
  let calls = 0;
  const client = {
    send: async (command: { input: never }) => {
      calls += 1;
      return cloudWatch.getMetricData(command.input, START + 2 * STEP_MS);
    },
  } as unknown as CloudWatchClient;
  const queries: HistoryQuery[] = Object.keys(instancesByGroup).map((groupName) => ({
    groupName,
    metric: perInstanceSum,
    startMs: START,
    endMs: START + STEP_MS,
    stepSeconds: 300,
  }));
  const history = await new CloudWatchMetricHistory(client).loadHistory(queries);
  const loads = Object.fromEntries(
    [...history].map(([group, series]) => [group, series.map((o) => o.value)]),
  );
  return { loads, calls };
}

describe('CloudWatchMetricHistory, searches past the 500 metrics one call reads', () => {
  it('reads again alone the groups of a call that found more, each whole on its own', async () => {
    // 600 metrics in one call: the second search is limited; alone, each finds its 300.
    await expect(read({ web: 300, api: 300 })).resolves.toEqual({
      loads: { web: [300], api: [300] },
      calls: 3,
    });
  });

  it('refuses a group whose own search finds more than 500, naming it and the message', async () => {
    const error = await read({ api: 10, web: 501 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RejectedRequestError);
    expect((error as Error).message).toContain(
      'the load of group web was not read whole, even in a call of its own: CloudWatch answered with the message MaxMetricsExceeded: Maximum number of allowed metrics exceeded. Your search may have been limited; make its expression match fewer metrics',
    );
  });
});
