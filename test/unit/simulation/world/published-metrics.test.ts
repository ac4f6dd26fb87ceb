// What the simulated world publishes where AWS publishes sparsely, and what Prescale reads from it.
import { overrideAwsTransport } from '../../../../shared/aws/aws-clients';
import { CloudWatchMetricHistory } from '../../../../shared/aws/cloud-watch-metric-history';
import { createAwsClients } from '../../../../shared/aws/create-aws-clients';
import { cleanSeries } from '../../../../shared/core/forecast/clean-series';
import { groupMetrics } from '../../../../shared/simulation/world/group-metric-ids';
import { SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';

const START = Date.UTC(2024, 0, 8);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('a group on EC2 basic monitoring, read at a 60 s step', () => {
  afterEach(() => overrideAwsTransport(undefined));

  function worldWith(detailedMonitoring: boolean) {
    const world = new SimulatedWorld({ startMs: START, seed: 1 });
    world.createGroup({
      name: 'web',
      minSize: 1,
      maxSize: 10,
      desiredCapacity: 2,
      instanceType: 'm5.large',
      launchDelaySeconds: 60,
      launchJitterSeconds: 0,
      warmupSeconds: 60,
      warmPoolLaunchSeconds: 30,
      detailedMonitoring,
    });
    // Load 60 → 180 over the hour: two instances' worth and more, a minute at a time.
    world.seedHistory('web', START - HOUR, START, (t) => 60 + ((t - (START - HOUR)) / HOUR) * 120, 60);
    overrideAwsTransport({ answer: world.answer });
    return new CloudWatchMetricHistory(createAwsClients({ region: 'us-east-1' }).cloudWatch);
  }
  const cpuHistory = async (detailedMonitoring: boolean, stepSeconds: number) =>
    (
      await worldWith(detailedMonitoring).loadHistory([
        { groupName: 'web', metric: { kind: 'cpu' }, startMs: START - HOUR, endMs: START, stepSeconds },
      ])
    ).get('web') ?? [];

  it('has one load datapoint per 5 minutes, each at its window start, where detailed monitoring has 60', async () => {
    const detailed = await cpuHistory(true, 60);
    const basic = await cpuHistory(false, 60);
    expect(detailed).toHaveLength(60);
    expect(basic).toHaveLength(12);
    expect(basic.every((o) => o.timestampMs % (5 * MINUTE) === 0)).toBe(true);
    // What Prescale's cleaning does with it: the other four steps of each five are interpolated.
    expect(cleanSeries(basic, 60).report.filledGapSteps).toBe(44);
  });

  it('reads the same 5-minute steps as detailed monitoring at the default 300 s step', async () => {
    const detailed = await cpuHistory(true, 300);
    const basic = await cpuHistory(false, 300);
    expect(basic.map((o) => o.timestampMs)).toEqual(detailed.map((o) => o.timestampMs));
    basic.forEach((o, i) => {
      expect(o.value).toBeCloseTo(detailed[i]?.value as number, 6);
    });
  });
});

describe('a group behind an ALB with idle minutes', () => {
  afterEach(() => overrideAwsTransport(undefined));

  it('has no request datapoint for an idle minute, and Prescale reads the idle steps as zero', async () => {
    const world = new SimulatedWorld({ startMs: START, seed: 1 });
    world.createGroup({
      name: 'web',
      minSize: 1,
      maxSize: 10,
      desiredCapacity: 1,
      instanceType: 'm5.large',
      launchDelaySeconds: 60,
      launchJitterSeconds: 0,
      warmupSeconds: 60,
      warmPoolLaunchSeconds: 30,
    });
    // Busy, then idle for the middle 20 minutes of the hour, then busy again.
    const idle = (t: number) => t >= START - 40 * MINUTE && t < START - 20 * MINUTE;
    world.seedHistory('web', START - HOUR, START, (t) => (idle(t) ? 0 : 30), 60);
    const requestCount = groupMetrics('web').requestCountPerTarget;
    const stored = world.cloudWatch.store.aggregate(requestCount, START - HOUR, START, 60, 'Sum', START);
    expect(stored.timestampsMs).toHaveLength(40);
    overrideAwsTransport({ answer: world.answer });
    const history = new CloudWatchMetricHistory(createAwsClients({ region: 'us-east-1' }).cloudWatch);
    const alb = {
      kind: 'alb-requests',
      targetGroupFullName: groupMetrics('web').requestCountPerTarget.dimensions.TargetGroup,
      loadBalancerFullName: groupMetrics('web').requestCountPerTarget.dimensions.LoadBalancer,
    } as const;
    const read = await history.loadHistory([
      { groupName: 'web', metric: alb, startMs: START - HOUR, endMs: START, stepSeconds: 300 },
    ]);
    expect(read.get('web')?.map((o) => o.value)).toEqual([
      1500, 1500, 1500, 1500, 0, 0, 0, 0, 1500, 1500, 1500, 1500,
    ]);
  });
});
