import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchMetricHistory } from '../../../shared/aws/cloud-watch-metric-history';
import { SimulatedCloudWatch } from '../../../shared/simulation/world/simulated-cloud-watch';

const MINUTE = 60_000;
const START = Date.UTC(2026, 0, 5);
const END = START + 15 * MINUTE;
const ALB = {
  LoadBalancer: 'app/web-alb/50dc6c495c0c9188',
  TargetGroup: 'targetgroup/web-tg/73e2d6bc24d8a067',
};

describe('CloudWatchMetricHistory, alb-requests while the healthy targets change', () => {
  it('reads the requests the target group received, whatever its healthy-target count did', async () => {
    const cloudWatch = new SimulatedCloudWatch();
    // 1,000 requests a minute; a scale-out in the first step, a scale-in in the second, and no
    // healthy target in the third. ELB divides each minute's requests by that minute's healthy
    // targets (by the registered ones, 4 here, when none is healthy).
    const healthy = [2, 10, 10, 10, 10, 10, 10, 2, 2, 2, 0, 0, 0, 0, 0];
    healthy.forEach((hosts, i) => {
      const t = START + i * MINUTE;
      const metric = (metricName: string) => ({
        namespace: 'AWS/ApplicationELB',
        metricName,
        dimensions: ALB,
      });
      cloudWatch.publish(metric('RequestCount'), t, 1000);
      cloudWatch.publish(metric('HealthyHostCount'), t, hosts);
      cloudWatch.publish(metric('RequestCountPerTarget'), t, 1000 / (hosts || 4));
    });
    const client = {
      send: async (command: { input: never }) => cloudWatch.getMetricData(command.input, END + 10 * MINUTE),
    } as unknown as CloudWatchClient;
    const history = await new CloudWatchMetricHistory(client).loadHistory([
      {
        groupName: 'web',
        metric: {
          kind: 'alb-requests',
          targetGroupFullName: ALB.TargetGroup,
          loadBalancerFullName: ALB.LoadBalancer,
        },
        startMs: START,
        endMs: END,
        stepSeconds: 300,
      },
    ]);
    expect(history.get('web')?.map((o) => o.value)).toEqual([5000, 5000, 5000]);
  });
});

describe('CloudWatchMetricHistory, alb-requests after the requests stop', () => {
  it('reads the quiet steps as zero load, not as the last busy step', async () => {
    const cloudWatch = new SimulatedCloudWatch();
    const metric = (metricName: string) => ({ namespace: 'AWS/ApplicationELB', metricName, dimensions: ALB });
    // 1,000 requests a minute for the first step, then none; ELB reports RequestCount only for a
    // minute with requests, HealthyHostCount every minute (health checks run either way).
    for (let i = 0; i < 15; i += 1) {
      const t = START + i * MINUTE;
      if (i < 5) cloudWatch.publish(metric('RequestCount'), t, 1000);
      cloudWatch.publish(metric('HealthyHostCount'), t, 3);
    }
    const client = {
      send: async (command: { input: never }) => cloudWatch.getMetricData(command.input, END + 10 * MINUTE),
    } as unknown as CloudWatchClient;
    const history = await new CloudWatchMetricHistory(client).loadHistory([
      {
        groupName: 'web',
        metric: {
          kind: 'alb-requests',
          targetGroupFullName: ALB.TargetGroup,
          loadBalancerFullName: ALB.LoadBalancer,
        },
        startMs: START,
        endMs: END,
        stepSeconds: 300,
      },
    ]);
    expect(history.get('web')?.map((o) => o.value)).toEqual([5000, 0, 0]);
  });
});
