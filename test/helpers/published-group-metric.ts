import type { SimulatedWorld } from '../../shared/simulation/world/simulated-world';

const MINUTE = 60_000;

/**
 * The value the simulated world published for a group's metric in the minute at `minuteMs`
 * (a 60 s Average over that minute, on the `AutoScalingGroupName` dimension), read well after it.
 */
export function publishedGroupMetric(
  world: SimulatedWorld,
  metric: { readonly namespace: string; readonly metricName: string; readonly groupName?: string },
  minuteMs: number,
): number | undefined {
  const out = world.cloudWatch.getMetricData(
    {
      MetricDataQueries: [
        {
          Id: 'm',
          MetricStat: {
            Metric: {
              Namespace: metric.namespace,
              MetricName: metric.metricName,
              Dimensions: [{ Name: 'AutoScalingGroupName', Value: metric.groupName ?? 'web' }],
            },
            Period: 60,
            Stat: 'Average',
          },
        },
      ],
      StartTime: new Date(minuteMs),
      EndTime: new Date(minuteMs + MINUTE),
    },
    minuteMs + 10 * MINUTE,
  ) as { MetricDataResults: { Values: number[] }[] };
  return out.MetricDataResults[0]?.Values[0];
}
