import {
  DescribeAutoScalingGroupsCommand,
  DescribeLaunchConfigurationsCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { AutoScalingScalingTarget } from '../../../../shared/aws/auto-scaling-scaling-target';
import { overrideAwsTransport } from '../../../../shared/aws/aws-clients';
import { CloudWatchMetricHistory } from '../../../../shared/aws/cloud-watch-metric-history';
import { createAwsClients } from '../../../../shared/aws/create-aws-clients';
import { SqsCampaignDeadLetters } from '../../../../shared/aws/sqs-campaign-dead-letters';
import { DEAD_LETTER_MAX_MESSAGE_BYTES } from '../../../../shared/contracts/dead-letter-queue';
import { SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';
import { withInstantTimers } from '../../../helpers/instant-timers';
import { webGroupSpec } from '../../../helpers/web-group-spec';

const START = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;

function simulated(throttleProbability = 0) {
  const world = new SimulatedWorld({ startMs: START, seed: 1, throttleProbability });
  world.createGroup(webGroupSpec({ targetTrackingCpu: 60, tags: { 'prescale:enabled': 'true' } }));
  overrideAwsTransport({ answer: world.answer });
  return { world, clients: createAwsClients({ region: 'us-east-1' }) };
}

afterEach(() => overrideAwsTransport(undefined));

describe('SimulatedWorld', () => {
  it('answers the real adapters through the SDK transport', async () => {
    const { world, clients } = simulated();
    const target = new AutoScalingScalingTarget(clients.autoScaling);
    const [group] = await target.describeGroups({
      names: [],
      tag: { key: 'prescale:enabled', value: 'true' },
    });
    expect(group).toMatchObject({
      name: 'web',
      minSize: 1,
      maxSize: 10,
      desiredCapacity: 2,
      inServiceCapacity: 2,
      hasScalingPolicies: true,
      instanceRefreshInProgress: false,
      defaultInstanceWarmupSeconds: 60,
    });
    await target.updateCapacity('web', { minSize: 3 });
    expect(world.autoScaling.counts('web')).toMatchObject({ minSize: 3, desiredCapacity: 3 });
    await expect(target.updateCapacity('web', { desiredCapacity: 20 })).rejects.toMatchObject({
      name: 'RejectedRequestError',
    });

    world.seedHistory('web', START - 60 * MINUTE, START, () => 150, 60);
    const history = await new CloudWatchMetricHistory(clients.cloudWatch).loadHistory([
      {
        groupName: 'web',
        metric: { kind: 'cpu' },
        startMs: START - 60 * MINUTE,
        endMs: START,
        stepSeconds: 300,
      },
    ]);
    // 150 % of one instance on ceil(150 / 60) = 3 instances: 50 % CPU × 3.
    expect(history.get('web')?.map((o) => o.value)).toEqual(Array(12).fill(150));
  });

  it('gives every group its whole history where one GetMetricData response could not hold their load expressions', async () => {
    const { world, clients } = simulated();
    const names = Array.from({ length: 30 }, (_, i) => `web${i}`);
    const from = START - 2 * 1440 * MINUTE;
    for (const name of names) {
      world.createGroup(webGroupSpec({ name }));
      world.seedHistory(name, from, START, () => 150, 60);
    }
    // Two days at 60 s, three queries a group: 30 groups ask for about 260,000 datapoints, and
    // CloudWatch pages no metric math, so one call would lose two thirds of them.
    const history = await new CloudWatchMetricHistory(clients.cloudWatch).loadHistory(
      names.map((groupName) => ({
        groupName,
        metric: { kind: 'cpu' },
        startMs: from,
        endMs: START,
        stepSeconds: 60,
      })),
    );
    for (const name of names) expect(history.get(name)).toHaveLength(2 * 1440);
    expect([...world.calls].find(([key]) => key.endsWith(':GetMetricDataCommand'))?.[1]).toBe(3);
  });

  it('publishes no group metrics for a group whose metrics collection is off, and says so', async () => {
    const { world, clients } = simulated();
    world.createGroup(webGroupSpec({ name: 'quiet', groupMetricsCollection: false }));
    world.seedHistory('quiet', START - 60 * MINUTE, START, () => 150, 60);
    world.seedHistory('web', START - 60 * MINUTE, START, () => 150, 60);
    const groups = await new AutoScalingScalingTarget(clients.autoScaling).describeGroups({
      names: ['web', 'quiet'],
    });
    expect(Object.fromEntries(groups.map((g) => [g.name, g.collectedGroupMetrics]))).toEqual({
      web: expect.arrayContaining(['GroupInServiceInstances']),
      quiet: [],
    });
    const history = await new CloudWatchMetricHistory(clients.cloudWatch).loadHistory(
      ['web', 'quiet'].map((groupName) => ({
        groupName,
        metric: { kind: 'cpu' as const },
        startMs: START - 60 * MINUTE,
        endMs: START,
        stepSeconds: 300,
      })),
    );
    expect([history.get('web')?.length, history.get('quiet')?.length]).toEqual([12, 0]);
  });

  it('collects only the group metrics a group enabled by name, and lists those in EnabledMetrics', async () => {
    const { world, clients } = simulated();
    // EnableMetricsCollection with Metrics: [GroupInServiceInstances] (its terminating count left out).
    world.createGroup(webGroupSpec({ name: 'partial', groupMetricsCollection: ['GroupInServiceInstances'] }));
    world.seedHistory('partial', START - 60 * MINUTE, START, () => 150, 60);
    world.seedHistory('web', START - 60 * MINUTE, START, () => 150, 60);
    const described = await clients.autoScaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['partial', 'web'] }),
    );
    const enabled = Object.fromEntries(
      (described.AutoScalingGroups ?? []).map((g) => [g.AutoScalingGroupName, g.EnabledMetrics]),
    );
    expect(enabled.partial).toEqual([{ Metric: 'GroupInServiceInstances', Granularity: '1Minute' }]);
    expect(enabled.web).toEqual(
      expect.arrayContaining([{ Metric: 'GroupTerminatingInstances', Granularity: '1Minute' }]),
    );
    const terminating = (groupName: string) =>
      clients.cloudWatch.send(
        new GetMetricDataCommand({
          StartTime: new Date(START - 60 * MINUTE),
          EndTime: new Date(START),
          MetricDataQueries: [
            {
              Id: 't',
              MetricStat: {
                Metric: {
                  Namespace: 'AWS/AutoScaling',
                  MetricName: 'GroupTerminatingInstances',
                  Dimensions: [{ Name: 'AutoScalingGroupName', Value: groupName }],
                },
                Period: 300,
                Stat: 'Average',
              },
            },
          ],
        }),
      );
    expect((await terminating('partial')).MetricDataResults?.[0]?.Values).toEqual([]);
    expect((await terminating('web')).MetricDataResults?.[0]?.Values).toHaveLength(12);
  });

  it('names the service and command it does not implement', async () => {
    const { clients } = simulated();
    await expect(clients.autoScaling.send(new DescribeLaunchConfigurationsCommand({}))).rejects.toThrow(
      'the simulated AWS does not implement autoscaling DescribeLaunchConfigurationsCommand',
    );
  });

  it('throttles with ThrottlingException, which the SDK retries', async () => {
    const { world, clients } = simulated(0.5);
    await withInstantTimers(async () => {
      for (let i = 0; i < 4; i += 1) await clients.autoScaling.send(new DescribeAutoScalingGroupsCommand({}));
    });
    expect(world.calls.get('autoscaling:DescribeAutoScalingGroupsCommand')).toBeGreaterThan(4);
  });

  it('rejects invalid bounds with ValidationError through the SDK', async () => {
    const { clients } = simulated();
    await expect(
      clients.autoScaling.send(
        new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'web', DesiredCapacity: 11 }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationError',
    });
  });

  it('collects SQS batches and answers SSM, with ParameterNotFound when absent', async () => {
    const { world, clients } = simulated();
    const url = world.createQueue('work');
    const out = await clients.sqs.send(
      new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: '0', MessageBody: '{"a":1}' }] }),
    );
    expect(out.Successful?.[0]?.Id).toBe('0');
    expect(world.drainQueue(url).map((m) => m.body)).toEqual(['{"a":1}']);
    await expect(clients.ssm.send(new GetParameterCommand({ Name: '/x' }))).rejects.toMatchObject({
      name: 'ParameterNotFound',
    });
    world.putParameter('/x', 'paused');
    expect((await clients.ssm.send(new GetParameterCommand({ Name: '/x' }))).Parameter?.Value).toBe('paused');
  });

  it("keeps a rejected campaign event as large as EventBridge delivers on a queue of the deployed size, which SQS's older default refuses", async () => {
    const { world, clients } = simulated();
    // EventBridge takes entries up to 256 KB and delivers them in an envelope of its own: an event
    // at that size, with a reason naming its problems.
    const event = {
      id: 'e-1',
      'detail-type': 'Campaign Scheduled',
      detail: { campaignId: 'x'.repeat(262_000) },
    };
    const reason = 'detail.campaignId: expected at most 48 characters';
    const deployed = world.createQueue('deployed', DEAD_LETTER_MAX_MESSAGE_BYTES);
    await new SqsCampaignDeadLetters(clients.sqs, deployed).reject(event, reason);
    expect(JSON.parse(world.drainQueue(deployed)[0]?.body ?? '{}')).toEqual({ reason, event });
    const older = world.createQueue('older-default');
    await expect(new SqsCampaignDeadLetters(clients.sqs, older).reject(event, reason)).rejects.toThrow(
      'Message must be shorter than 262144 bytes',
    );
  });

  it('scales out by target tracking after three minutes above target', () => {
    const { world } = simulated();
    for (let m = 0; m < 3; m += 1) {
      world.advanceTo(START + m * MINUTE);
      expect(world.autoScaling.counts('web').desiredCapacity).toBe(2);
      world.recordMinute('web', START + m * MINUTE, 180);
    }
    // Minutes 0–2 are published once complete, at 3:00.
    world.advanceTo(START + 3 * MINUTE);
    // 2 instances at 90 % → ceil(2 × 90 / 60) = 3.
    expect(world.autoScaling.counts('web').desiredCapacity).toBe(3);
  });

  it('holds target tracking’s alarm to the data CloudWatch has when it is late, the newest minutes the product reads too', () => {
    const world = new SimulatedWorld({ startMs: START, seed: 1, metricDelay: { minutes: 2 } });
    world.createGroup(webGroupSpec({ targetTrackingCpu: 60 }));
    const cpuMinutes = (nowMs: number) => {
      const out = world.cloudWatch.getMetricData(
        {
          MetricDataQueries: [
            {
              Id: 'cpu',
              MetricStat: {
                Metric: {
                  Namespace: 'AWS/EC2',
                  MetricName: 'CPUUtilization',
                  Dimensions: [{ Name: 'AutoScalingGroupName', Value: 'web' }],
                },
                Period: 60,
                Stat: 'Average',
              },
            },
          ],
          StartTime: new Date(START),
          EndTime: new Date(nowMs),
          ScanBy: 'TimestampAscending',
        },
        nowMs,
      ) as { MetricDataResults: { Timestamps: Date[] }[] };
      return out.MetricDataResults[0]?.Timestamps.map((t) => (t.getTime() - START) / MINUTE);
    };
    for (let m = 0; m < 4; m += 1) {
      world.advanceTo(START + m * MINUTE);
      expect(world.autoScaling.counts('web').desiredCapacity).toBe(2);
      world.recordMinute('web', START + m * MINUTE, 180);
    }
    // At 4:00 minute 2 is there, from half of its instances: the third datapoint above target.
    expect(cpuMinutes(START + 3 * MINUTE + 59_000)).toEqual([0, 1]);
    world.advanceTo(START + 4 * MINUTE);
    expect(cpuMinutes(START + 4 * MINUTE)).toEqual([0, 1, 2]);
    expect(world.autoScaling.counts('web').desiredCapacity).toBe(3);
  });
  it('counts the instances a scale-in is draining as current capacity, so it does not scale in again on their load', () => {
    const world = new SimulatedWorld({ startMs: START, seed: 1 });
    world.createGroup(
      webGroupSpec({
        targetTrackingCpu: 60,
        desiredCapacity: 10,
        maxSize: 20,
        deregistrationDelaySeconds: 300,
      }),
    );
    // Ten instances at 30 %: after 15 minutes below 54 %, ceil(10 × 30 / 60) = 5.
    for (let m = 0; m < 15; m += 1) {
      world.advanceTo(START + m * MINUTE);
      world.recordMinute('web', START + m * MINUTE, 300);
    }
    world.advanceTo(START + 15 * MINUTE);
    expect(world.autoScaling.counts('web')).toMatchObject({ desiredCapacity: 5, terminating: 5 });
    // The five draining still finish their connections, so the ready five read about 30 % a while
    // yet: with them counted (ten instances' capacity at 30 % is five), no second scale-in.
    for (let m = 15; m < 20; m += 1) {
      world.recordMinute('web', START + m * MINUTE, 300);
      world.advanceTo(START + (m + 1) * MINUTE);
      expect(world.autoScaling.counts('web').desiredCapacity).toBe(5);
    }
  });

  it.each([
    [
      'ssm',
      'GetParameterCommand',
      { Name: '' },
      'ValidationException',
      /at 'name'.*length greater than or equal to 1/,
    ],
    [
      'cloudwatch',
      'GetMetricDataCommand',
      {
        StartTime: new Date(START - 60 * MINUTE),
        EndTime: new Date(START),
        ScanBy: 'Sideways',
        MetricDataQueries: [
          {
            Id: 'cpu',
            MetricStat: {
              Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization' },
              Period: 60,
              Stat: 'Average',
            },
          },
        ],
      },
      'ValidationError',
      /ScanBy.*expected one of TimestampDescending, TimestampAscending/,
    ],
    [
      'cloudwatch',
      'GetMetricDataCommand',
      {
        StartTime: new Date(START - 60 * MINUTE),
        EndTime: new Date(START),
        MetricDataQueries: [
          {
            Id: 'Cpu',
            MetricStat: {
              Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization' },
              Period: 60,
              Stat: 'Average',
            },
          },
        ],
      },
      'InvalidParameterValue',
      /MetricDataQueries\.Id: must start with a lowercase letter/,
    ],
    [
      'autoscaling',
      'UpdateAutoScalingGroupCommand',
      { AutoScalingGroupName: 'w'.repeat(256) },
      'ValidationError',
      /at 'autoScalingGroupName'.*length less than or equal to 255/,
    ],
  ])(
    'refuses a %s %s the API model refuses, as AWS does, without any checks installed',
    async (service, command, input, code, message) => {
      const world = new SimulatedWorld({ startMs: START, seed: 1 });
      world.createGroup(webGroupSpec({}));
      const refused = await world.answer(service, command, input).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toMatchObject({
        Code: code,
        $fault: 'client',
        message: expect.stringMatching(message),
      });
    },
  );
});
