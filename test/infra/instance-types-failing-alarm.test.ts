import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  DescribePoliciesCommand,
} from '@aws-sdk/client-auto-scaling';
import { DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeImagesCommand,
  DescribeInstanceTypeOfferingsCommand,
  DescribeInstanceTypesCommand,
  DescribeLaunchTemplateVersionsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import { Match } from 'aws-cdk-lib/assertions';
import { mockClient } from 'aws-sdk-client-mock';
import { ENV } from '../../shared/contracts/env';
import { metricsFromEmfEvent } from '../../shared/simulation/world/embedded-metric-format';
import type { StoredDatapoint } from '../../shared/simulation/world/metric-alarm-evaluation';
import euWest1 from '../fixtures/pricing/get-products-eu-west-1.json';
import { synthesizedTemplate, TEST_CONFIG, TEST_STACK_NAME } from '../helpers/build-test-app';
import { fakeDateOnly } from '../helpers/fake-date';
import { builtAt, invocationContext, printedDuring } from '../helpers/powertools-output';
import { alarmStateChanges, isWatchedBy, synthesizedAlarmOn } from '../helpers/synthesized-alarm';

// InstanceTypesFailing and InstanceTypesPricesFallback judged as CloudWatch would
// (metric-alarm-evaluation.ts) on what the deployed select-instance-types handler logs, one
// scheduled run a day: a group whose selection fails is counted, not thrown, and a run on fallback
// prices fails nothing, so these alarms are what report them. The stack applies prices: only then
// is there an InstanceTypesPricesFallback alarm.

const DAY_MS = 86_400_000;
const START_MS = Date.parse('2026-03-02T00:00:00Z');
const DAYS = 5;
const APPLYING = { ...TEST_CONFIG, pricing: { apply: true } };

const autoScaling = mockClient(AutoScalingClient);
const ec2 = mockClient(EC2Client);
const pricing = mockClient(PricingClient);
const dynamo = mockClient(DynamoDBClient);

type Handler = (event: unknown, context: ReturnType<typeof invocationContext>) => Promise<unknown>;
let handler: Handler;
let template: ReturnType<typeof synthesizedTemplate>;

beforeAll(() => {
  template = synthesizedTemplate(APPLYING);
  handler = builtAt('ERROR', () => {
    process.env[ENV.config] = JSON.stringify({ groups: { names: ['web'] } });
    process.env[ENV.stateTableName] = 'prescale-state';
    // The stack's name: the deployment dimension its alarms watch.
    process.env[ENV.deployment] = TEST_STACK_NAME;
    // Not isolated: the handler's SDK clients must be the ones mocked above.
    return require('../../functions/select-instance-types/handler').handler as Handler;
  });
  fakeDateOnly();
});

afterAll(() => jest.useRealTimers());

/** What AWS refuses on a day: the offerings (a group fails) or the Pricing API (prices fall back). */
interface Refusals {
  readonly offeringsRefused?: boolean;
  readonly pricingRefused?: boolean;
}

/**
 * One arm64 group on m7g.large, three types offered in its zones, prices from the Pricing API
 * (nothing cached, the static file behind it), with `refusals`.
 */
function answerAsAws({ offeringsRefused = false, pricingRefused = false }: Refusals): void {
  for (const mock of [autoScaling, ec2, pricing, dynamo]) mock.reset();
  autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({
    AutoScalingGroups: [
      {
        AutoScalingGroupName: 'web',
        MinSize: 1,
        MaxSize: 10,
        DesiredCapacity: 4,
        DefaultCooldown: 300,
        AvailabilityZones: ['eu-west-1a'],
        HealthCheckType: 'EC2',
        CreatedTime: new Date('2026-01-01T00:00:00Z'),
        LaunchTemplate: { LaunchTemplateId: 'lt-web', Version: '$Default' },
        Instances: [],
      },
    ],
  });
  autoScaling.on(DescribePoliciesCommand).resolves({ ScalingPolicies: [] });
  autoScaling.on(DescribeInstanceRefreshesCommand).resolves({ InstanceRefreshes: [] });
  const types = ['m6g.large', 'm7g.large'];
  ec2.on(DescribeInstanceTypesCommand).resolves({
    InstanceTypes: types.map((name) => ({
      InstanceType: name as never,
      CurrentGeneration: true,
      BurstablePerformanceSupported: false,
      ProcessorInfo: { SupportedArchitectures: ['arm64' as const] },
      VCpuInfo: { DefaultVCpus: 2 },
      MemoryInfo: { SizeInMiB: 8192 },
    })),
  });
  const denied = Object.assign(new Error('You are not authorized to perform this operation.'), {
    name: 'UnauthorizedOperation',
    $metadata: { httpStatusCode: 403 },
  });
  if (offeringsRefused) ec2.on(DescribeInstanceTypeOfferingsCommand).rejects(denied);
  else
    ec2.on(DescribeInstanceTypeOfferingsCommand).resolves({
      InstanceTypeOfferings: types.map((t) => ({ InstanceType: t as never, Location: 'eu-west-1a' })),
    });
  ec2.on(DescribeLaunchTemplateVersionsCommand).resolves({
    LaunchTemplateVersions: [
      { VersionNumber: 4, LaunchTemplateData: { ImageId: 'ami-0abc', InstanceType: 'm7g.large' } },
    ],
  });
  ec2.on(DescribeImagesCommand).resolves({ Images: [{ ImageId: 'ami-0abc', Architecture: 'arm64' }] });
  // An SCP denying pricing:* answers every GetProducts so; the handler falls back on the static file.
  const pricingDenied = Object.assign(
    new Error(
      'User is not authorized to perform: pricing:GetProducts with an explicit deny in a service control policy',
    ),
    { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } },
  );
  if (pricingRefused) pricing.on(GetProductsCommand).rejects(pricingDenied);
  else pricing.on(GetProductsCommand).resolves(euWest1 as never);
  dynamo.on(GetItemCommand).resolves({});
  dynamo.on(PutItemCommand).resolves({});
  dynamo.on(QueryCommand).resolves({ Items: [] });
}

/** The alarm's datapoints when the daily run (06:00) fails on the days in `failing`. */
function loggedDatapoints(failing: ReadonlySet<number>): Promise<StoredDatapoint[]> {
  return datapointsOf('InstanceTypes_failed', (day) => ({ offeringsRefused: failing.has(day) }));
}

/** The datapoints of `metricName`'s alarm from the daily run (06:00) of each day, AWS refusing `refusalsOn(day)`. */
async function datapointsOf(
  metricName: string,
  refusalsOn: (day: number) => Refusals,
): Promise<StoredDatapoint[]> {
  const alarm = synthesizedAlarmOn(template, metricName);
  const points: StoredDatapoint[] = [];
  for (let day = 0; day < DAYS; day += 1) {
    answerAsAws(refusalsOn(day));
    const scheduledMs = START_MS + day * DAY_MS + 6 * 3_600_000;
    jest.setSystemTime(scheduledMs + 1_000);
    const saved = process.env.POWERTOOLS_METRICS_DISABLED;
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    const lines = await printedDuring(async () => {
      // Resolves whether or not a group failed: only the count reports it.
      // At the start of the selector's 5-minute timeout: a minute or less left would start no group.
      const context = { ...invocationContext(`r${day}`), getRemainingTimeInMillis: () => 300_000 };
      await handler({ scheduledTime: new Date(scheduledMs).toISOString() }, context);
    }).finally(() => {
      process.env.POWERTOOLS_METRICS_DISABLED = saved;
    });
    for (const metric of lines.filter((l) => '_aws' in l).flatMap(metricsFromEmfEvent)) {
      if (!isWatchedBy(alarm, metric)) continue;
      const value = metric.values.reduce((a, b) => a + b, 0);
      points.push({ timestampMs: metric.timestampMs, value, readableFromMs: metric.timestampMs + 60_000 });
    }
  }
  return points;
}

/** When (ms after the start) `metricName`'s alarm goes to ALARM, for an evaluation range of `rangePeriods`. */
function alarmTimes(
  points: readonly StoredDatapoint[],
  rangePeriods: number,
  metricName = 'InstanceTypes_failed',
): number[] {
  const alarm = synthesizedAlarmOn(template, metricName);
  return alarmStateChanges(points, alarm, {
    createdMs: START_MS,
    untilMs: START_MS + DAYS * DAY_MS,
    rangePeriods,
    evaluationOffsetMs: 5_000,
  })
    .filter((change) => change.state === 'ALARM')
    .map((change) => change.atMs - START_MS);
}

describe('InstanceTypesFailing', () => {
  it('watches the selection failures, one period per daily run, and notifies the topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'InstanceTypes_failed',
      Statistic: 'Sum',
      Period: 86_400,
      EvaluationPeriods: 1,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmDescription: Match.stringLikeRegexp("'instance type selection failed'"),
      AlarmActions: [Match.objectLike({ Ref: Match.stringLikeRegexp('NotificationsTopic') })],
    });
  });

  it('names a price source that could not answer as a cause, not a region no source can price', () => {
    const alarms = Object.values(
      template.findResources('AWS::CloudWatch::Alarm', {
        Properties: { MetricName: 'InstanceTypes_failed' },
      }),
    ) as { Properties: { AlarmDescription: unknown } }[];
    const description = String(alarms[0]?.Properties.AlarmDescription);
    // A region no source can price is `unpriceable`: every group skipped, nothing counted as failed.
    expect({
      namesUnavailable: description.includes("'unavailable'"),
      regionWithoutPricesAsCause: /no prices for the region/.test(description),
      saysUnpriceableSkips: /'unpriceable'[^.]*skip/.test(description),
    }).toEqual({ namesUnavailable: true, regionWithoutPricesAsCause: false, saysUnpriceableSkips: true });
  });

  it("fires within a day of a run in which a group's selection failed, though the run itself succeeded", async () => {
    const points = await loggedDatapoints(new Set([1]));
    expect(points.map((p) => [Math.floor((p.timestampMs - START_MS) / DAY_MS), p.value])).toEqual([
      [0, 0],
      [1, 1],
      [2, 0],
      [3, 0],
      [4, 0],
    ]);
    for (let extra = 0; extra <= 2; extra += 1) {
      const [first, ...later] = alarmTimes(points, 1 + extra);
      expect([extra, first !== undefined && first > DAY_MS && first <= 2 * DAY_MS + 60_000, later]).toEqual([
        extra,
        true,
        [],
      ]);
    }
  });

  it('clears after a run with no failure and fires again on a later failure, notifying each time', async () => {
    const points = await loggedDatapoints(new Set([1, 3]));
    const alarm = synthesizedAlarmOn(template, 'InstanceTypes_failed');
    for (let extra = 0; extra <= 2; extra += 1) {
      const changes = alarmStateChanges(points, alarm, {
        createdMs: START_MS,
        untilMs: START_MS + DAYS * DAY_MS,
        rangePeriods: 1 + extra,
        evaluationOffsetMs: 5_000,
      }).map((change) => [Math.floor((change.atMs - START_MS) / DAY_MS), change.state]);
      // Each day's run is judged once its day has ended: day 1's failure as day 2 begins, and so on.
      expect([extra, changes]).toEqual([
        extra,
        [
          [0, 'OK'],
          [2, 'ALARM'],
          [3, 'OK'],
          [4, 'ALARM'],
        ],
      ]);
    }
  });

  it('stays quiet over days whose runs all succeed: each logs a failure count of 0', async () => {
    const points = await loggedDatapoints(new Set());
    expect(points.map((p) => p.value)).toEqual([0, 0, 0, 0, 0]);
    expect(alarmTimes(points, 3)).toEqual([]);
  });
});

describe('InstanceTypesPricesFallback', () => {
  const METRIC = 'InstanceTypes_pricesFallback';
  /** The days (from the start) of the fallback alarm's datapoints and their values, the Pricing API refused on `refused`. */
  const fallbackPoints = (refused: ReadonlySet<number>) =>
    datapointsOf(METRIC, (day) => ({ pricingRefused: refused.has(day) }));

  it('watches runs on fallback prices, every run of three daily periods, and notifies the topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: METRIC,
      Statistic: 'Minimum',
      Period: 86_400,
      EvaluationPeriods: 3,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmDescription: Match.stringLikeRegexp('pricing:GetProducts'),
      AlarmActions: [Match.objectLike({ Ref: Match.stringLikeRegexp('NotificationsTopic') })],
    });
  });

  it('is not created when no price is applied (pricing.apply off): fallback prices still recommend', () => {
    const recommending = synthesizedTemplate(TEST_CONFIG);
    recommending.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: METRIC }, 0);
    // Selection failures are still watched: a group that gets no recommendation is a fault.
    recommending.resourcePropertiesCountIs(
      'AWS::CloudWatch::Alarm',
      { MetricName: 'InstanceTypes_failed' },
      1,
    );
  });

  it('fires on the third day of a Pricing API refused for good, though no group fails', async () => {
    const points = await fallbackPoints(new Set([0, 1, 2, 3, 4]));
    expect(points.map((p) => [Math.floor((p.timestampMs - START_MS) / DAY_MS), p.value])).toEqual([
      [0, 1],
      [1, 1],
      [2, 1],
      [3, 1],
      [4, 1],
    ]);
    const failed = await datapointsOf('InstanceTypes_failed', () => ({ pricingRefused: true }));
    expect(failed.map((p) => p.value)).toEqual([0, 0, 0, 0, 0]);
    for (let extra = 0; extra <= 2; extra += 1) {
      const [first] = alarmTimes(points, 3 + extra, METRIC);
      expect([extra, first !== undefined && first > 3 * DAY_MS && first <= 3 * DAY_MS + 60_000]).toEqual([
        extra,
        true,
      ]);
    }
  });

  it('stays quiet over a refusal of a day or two between runs on fresh prices', async () => {
    const points = await fallbackPoints(new Set([1, 2]));
    expect(points.map((p) => p.value)).toEqual([0, 1, 1, 0, 0]);
    for (let extra = 0; extra <= 2; extra += 1) expect(alarmTimes(points, 3 + extra, METRIC)).toEqual([]);
  });
});
