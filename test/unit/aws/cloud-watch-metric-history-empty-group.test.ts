import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchMetricHistory } from '../../../shared/aws/cloud-watch-metric-history';
import { SimulatedCloudWatch } from '../../../shared/simulation/world/simulated-cloud-watch';

const MINUTE = 60_000;
const START = Date.UTC(2026, 0, 5);
const END = START + 86_400_000;
const GROUP = { AutoScalingGroupName: 'batch' };
const isDay = (t: number) => new Date(t).getUTCHours() >= 8 && new Date(t).getUTCHours() < 20;

/**
 * A day of a group its owner scales to zero at night, published as AWS publishes it: the
 * in-service count every minute, CPU only while an instance runs (`cpuEvery`: 1 for detailed
 * monitoring, 5 for basic), read through the real adapter from the simulated CloudWatch.
 */
async function readDay(stepSeconds: number, cpuEvery: number) {
  const cloudWatch = new SimulatedCloudWatch();
  for (let t = START; t < END; t += MINUTE) {
    const inService = isDay(t) ? 4 : 0;
    cloudWatch.publish(
      { namespace: 'AWS/AutoScaling', metricName: 'GroupInServiceInstances', dimensions: GROUP },
      t,
      inService,
    );
    if (inService > 0 && ((t - START) / MINUTE) % cpuEvery === 0)
      cloudWatch.publish({ namespace: 'AWS/EC2', metricName: 'CPUUtilization', dimensions: GROUP }, t, 50);
  }
  const client = {
    send: async (command: { input: never }) => cloudWatch.getMetricData(command.input, END),
  } as unknown as CloudWatchClient;
  const history = await new CloudWatchMetricHistory(client).loadHistory([
    { groupName: 'batch', metric: { kind: 'cpu' }, startMs: START, endMs: END, stepSeconds },
  ]);
  return history.get('batch') ?? [];
}

describe('CloudWatchMetricHistory, a cpu group with no instance in service', () => {
  it('reads the steps it had none as zero load, not as holes the forecaster would fill with the day', async () => {
    const series = await readDay(300, 1);
    expect(series).toHaveLength(288);
    expect(new Set(series.filter((o) => !isDay(o.timestampMs)).map((o) => o.value))).toEqual(new Set([0]));
    expect(new Set(series.filter((o) => isDay(o.timestampMs)).map((o) => o.value))).toEqual(new Set([200]));
  });

  it('never reads a step with instances in service as zero, however sparse its CPU datapoints', async () => {
    // Basic monitoring at a 60 s step: four steps in five have a count but no CPU.
    const series = await readDay(60, 5);
    expect(series.filter((o) => isDay(o.timestampMs) && o.value === 0)).toEqual([]);
    expect(series.filter((o) => !isDay(o.timestampMs) && o.value !== 0)).toEqual([]);
  });
});
