import { overrideAwsTransport } from '../../../../shared/aws/aws-clients';
import { CloudWatchMetricHistory } from '../../../../shared/aws/cloud-watch-metric-history';
import { createAwsClients } from '../../../../shared/aws/create-aws-clients';
import { cleanSeries } from '../../../../shared/core/forecast/clean-series';
import { Ec2CpuMonitoring } from '../../../../shared/simulation/world/ec2-cpu-monitoring';
import { SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';

const START = Date.UTC(2024, 0, 8);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('Ec2CpuMonitoring', () => {
  it('publishes every minute with detailed monitoring, one 5-minute average at the window start with basic', () => {
    const put: [string, number, number][] = [];
    const monitoring = new Ec2CpuMonitoring((g, t, v) => put.push([g, t, v]));
    for (let m = 0; m < 10; m += 1) {
      monitoring.record('detailed', START + m * MINUTE, m, true);
      monitoring.record('basic', START + m * MINUTE, m, false);
    }
    expect(put.filter(([g]) => g === 'detailed')).toHaveLength(10);
    expect(put.filter(([g]) => g === 'basic')).toEqual([
      ['basic', START, 2],
      ['basic', START + 5 * MINUTE, 7],
    ]);
  });

  it('reports a window whose last minutes had no datapoint when the next window starts', () => {
    const put: [string, number, number][] = [];
    const monitoring = new Ec2CpuMonitoring((g, t, v) => put.push([g, t, v]));
    monitoring.record('g', START, 10, false);
    monitoring.record('g', START + MINUTE, 20, false);
    expect(put).toEqual([]);
    monitoring.record('g', START + 5 * MINUTE, 40, false);
    expect(put).toEqual([['g', START, 15]]);
  });
});

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
