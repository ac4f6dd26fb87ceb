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
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import euWest1 from '../../fixtures/pricing/get-products-eu-west-1.json';

const autoScaling = mockClient(AutoScalingClient);
const ec2 = mockClient(EC2Client);
const pricing = mockClient(PricingClient);
const dynamo = mockClient(DynamoDBClient);

const context = {
  functionName: 'select-instance-types',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:select-instance-types',
  memoryLimitInMB: '1024',
  awsRequestId: 'req-1',
  logGroupName: '/aws/lambda/select-instance-types',
  logStreamName: 'stream',
  callbackWaitsForEmptyEventLoop: true,
  // The function's timeout: a run's start.
  getRemainingTimeInMillis: () => 300_000,
} as unknown as Context;

type Handler = (
  event: unknown,
  context: Context,
) => Promise<{
  prices: { source?: string };
  groups: { kind: string; reason?: string }[];
  notReached: string[];
}>;
let handler: Handler;

beforeAll(() => {
  process.env.PRESCALE_CONFIG = JSON.stringify({ groups: { names: ['web'] } });
  process.env.PRESCALE_STATE_TABLE = 'prescale-state';
  process.env.PRESCALE_DEPLOYMENT = 'Prescale';
  // Required after the environment is set: the handler validates it at module load.
  handler = require('../../../functions/select-instance-types/handler').handler as Handler;
});

beforeEach(() => {
  for (const mock of [autoScaling, ec2, pricing, dynamo]) mock.reset();
  autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({
    AutoScalingGroups: [
      {
        AutoScalingGroupName: 'web',
        MinSize: 1,
        MaxSize: 10,
        DesiredCapacity: 4,
        DefaultCooldown: 300,
        AvailabilityZones: ['eu-west-1a', 'eu-west-1b'],
        HealthCheckType: 'EC2',
        CreatedTime: new Date('2026-01-01T00:00:00Z'),
        LaunchTemplate: { LaunchTemplateId: 'lt-web', Version: '$Default' },
        Instances: [],
      },
    ],
  });
  autoScaling.on(DescribePoliciesCommand).resolves({ ScalingPolicies: [] });
  autoScaling.on(DescribeInstanceRefreshesCommand).resolves({ InstanceRefreshes: [] });
  const type = (name: string, vcpu: number, memoryMiB: number) => ({
    InstanceType: name as never,
    CurrentGeneration: true,
    BurstablePerformanceSupported: false,
    ProcessorInfo: { SupportedArchitectures: ['arm64' as const] },
    VCpuInfo: { DefaultVCpus: vcpu },
    MemoryInfo: { SizeInMiB: memoryMiB },
  });
  ec2.on(DescribeInstanceTypesCommand).resolves({
    InstanceTypes: [type('m6g.large', 2, 8192), type('m7g.large', 2, 8192), type('r6g.large', 2, 16384)],
  });
  ec2.on(DescribeInstanceTypeOfferingsCommand).resolves({
    InstanceTypeOfferings: ['eu-west-1a', 'eu-west-1b'].flatMap((zone) =>
      ['m6g.large', 'm7g.large', 'r6g.large'].map((t) => ({ InstanceType: t as never, Location: zone })),
    ),
  });
  ec2.on(DescribeLaunchTemplateVersionsCommand).resolves({
    LaunchTemplateVersions: [
      { VersionNumber: 4, LaunchTemplateData: { ImageId: 'ami-0abc', InstanceType: 'm7g.large' } },
    ],
  });
  ec2.on(DescribeImagesCommand).resolves({ Images: [{ ImageId: 'ami-0abc', Architecture: 'arm64' }] });
  pricing.on(GetProductsCommand).resolves(euWest1);
  dynamo.on(GetItemCommand).resolves({});
  dynamo.on(PutItemCommand).resolves({});
  dynamo.on(QueryCommand).resolves({ Items: [] });
});

describe('select-instance-types handler', () => {
  it('wires the adapters into the use case and returns JSON results with the price source', async () => {
    const output = await handler({}, context);
    expect(output.prices).toMatchObject({ kind: 'priced', source: 'pricing-api' });
    expect(output.groups).toEqual([
      expect.objectContaining({
        kind: 'recommended',
        groupName: 'web',
        recommendation: expect.objectContaining({
          selection: expect.objectContaining({
            items: [expect.objectContaining({ instanceType: 'm6g.large' })],
          }),
        }),
      }),
    ]);
    expect(dynamo).toHaveReceivedCommandWith(PutItemCommand, {
      TableName: 'prescale-state',
      Item: expect.objectContaining({ pk: { S: 'PRICES#eu-west-1#Linux' }, sk: { S: 'CATALOG' } }),
    });
    expect(JSON.parse(JSON.stringify(output))).toEqual(output);
  });

  it('starts no group within a minute of its timeout, and names those it did not reach', async () => {
    const lastMinute = { ...context, getRemainingTimeInMillis: () => 59_000 } as Context;
    const output = await handler({}, lastMinute);
    expect(output.groups).toEqual([
      {
        kind: 'skipped',
        groupName: 'web',
        reason: 'not reached: the selector stopped 60 s before its timeout; the next run selects for it',
      },
    ]);
    expect(output.notReached).toEqual(['web']);
    // The group's own reads (its template, its forecast peak) were never made.
    expect(ec2).not.toHaveReceivedCommand(DescribeLaunchTemplateVersionsCommand);
  });

  it('rejects an invalid event', async () => {
    await expect(handler({ groupNames: 'web' }, context)).rejects.toThrow(/groupNames/);
  });

  it('rejects a misspelt key, naming it, instead of running every enrolled group', async () => {
    await expect(handler({ groupName: ['web'] }, context)).rejects.toThrow(/Unrecognized key: "groupName"/);
    await expect(handler({ groups: ['web'] }, context)).rejects.toThrow(/Unrecognized key: "groups"/);
    expect(autoScaling).not.toHaveReceivedCommand(DescribeAutoScalingGroupsCommand);
  });

  it("takes the schedule's scheduled time, and rejects one that is not a date and time", async () => {
    await expect(handler({ scheduledTime: '2026-12-06T06:00:00Z' }, context)).resolves.toMatchObject({
      prices: { kind: 'priced' },
    });
    await expect(handler({ scheduledTime: 'yesterday' }, context)).rejects.toThrow(/scheduledTime/);
  });
});

describe('select-instance-types handler PRESCALE_PRICING_REGION', () => {
  /** Loads the handler anew with `PRESCALE_PRICING_REGION` set to `value`: what its cold start throws. */
  function coldStartWith(value: string): unknown {
    const before = process.env.PRESCALE_PRICING_REGION;
    process.env.PRESCALE_PRICING_REGION = value;
    try {
      jest.isolateModules(() => require('../../../functions/select-instance-types/handler'));
      return undefined;
    } catch (error) {
      return error;
    } finally {
      if (before === undefined) delete process.env.PRESCALE_PRICING_REGION;
      else process.env.PRESCALE_PRICING_REGION = before;
    }
  }

  it.each(['us-west-2', 'eu-west-1', 'us-east-1 ', 'global'])(
    'fails its cold start on %j, naming the variable and the endpoint regions',
    (value) => {
      const error = coldStartWith(value);
      expect(error).toMatchObject({
        name: 'InvalidConfigError',
        problems: [
          {
            path: 'PRESCALE_PRICING_REGION',
            received: JSON.stringify(value),
            expected:
              'a region with a Price List Query API endpoint: us-east-1, eu-central-1, ap-south-1 (aws partition) or cn-northwest-1 (aws-cn)',
          },
        ],
      });
    },
  );

  it.each(['us-east-1', 'eu-central-1', 'ap-south-1', 'cn-northwest-1'])('starts with %s', (value) => {
    expect(coldStartWith(value)).toBeUndefined();
  });
});
