import { DescribeSpotPriceHistoryCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { Ec2SpotPriceCatalog } from '../../../shared/aws/ec2-spot-price-catalog';
import { TransientDependencyError } from '../../../shared/ports/errors';

const ec2 = mockClient(EC2Client);
const NOW_MS = Date.parse('2026-11-22T06:00:00Z');
const catalog = new Ec2SpotPriceCatalog(ec2 as unknown as EC2Client, { nowMs: () => NOW_MS });

beforeEach(() => ec2.reset());

describe('Ec2SpotPriceCatalog', () => {
  it('asks each zone for the current price of the operating system and keeps the latest per type and zone', async () => {
    ec2
      .on(DescribeSpotPriceHistoryCommand, { AvailabilityZone: 'eu-west-1a' })
      .resolvesOnce({
        SpotPriceHistory: [
          {
            InstanceType: 'm7g.large',
            AvailabilityZone: 'eu-west-1a',
            SpotPrice: '0.0301',
            Timestamp: new Date(NOW_MS - 60_000),
          },
          {
            InstanceType: 'm7g.large',
            AvailabilityZone: 'eu-west-1a',
            ProductDescription: 'Linux/UNIX (Amazon VPC)',
            SpotPrice: '0.0290',
            Timestamp: new Date(NOW_MS - 3_600_000),
          },
        ],
        NextToken: 'p2',
      })
      .resolvesOnce({ SpotPriceHistory: [], NextToken: '' });
    ec2.on(DescribeSpotPriceHistoryCommand, { AvailabilityZone: 'eu-west-1b' }).resolves({
      SpotPriceHistory: [
        {
          InstanceType: 'm7g.large',
          AvailabilityZone: 'eu-west-1b',
          SpotPrice: '0.0333',
          Timestamp: new Date(NOW_MS),
        },
      ],
    });
    const prices = await catalog.currentSpotPrices(['eu-west-1a', 'eu-west-1b'], ['m7g.large'], 'Linux');
    expect(prices).toEqual([
      { instanceType: 'm7g.large', availabilityZone: 'eu-west-1a', hourlyPriceUsd: 0.0301 },
      { instanceType: 'm7g.large', availabilityZone: 'eu-west-1b', hourlyPriceUsd: 0.0333 },
    ]);
    expect(ec2).toHaveReceivedCommandWith(DescribeSpotPriceHistoryCommand, {
      AvailabilityZone: 'eu-west-1a',
      InstanceTypes: ['m7g.large'],
      ProductDescriptions: ['Linux/UNIX', 'Linux/UNIX (Amazon VPC)'],
      StartTime: new Date(NOW_MS),
    });
    expect(ec2).toHaveReceivedCommandTimes(DescribeSpotPriceHistoryCommand, 3);
  });

  it('translates throttling into TransientDependencyError', async () => {
    ec2
      .on(DescribeSpotPriceHistoryCommand)
      .rejects(Object.assign(new Error('slow'), { name: 'RequestLimitExceeded' }));
    await expect(catalog.currentSpotPrices(['eu-west-1a'], ['m7g.large'], 'Linux')).rejects.toThrow(
      TransientDependencyError,
    );
  });

  it.each([
    ['Windows', 'Windows'],
    ['RHEL', 'Red Hat Enterprise Linux'],
    ['SUSE', 'SUSE Linux'],
  ] as const)("asks for %s Spot prices by EC2's product description %j", async (operatingSystem, product) => {
    ec2.on(DescribeSpotPriceHistoryCommand).resolves({ SpotPriceHistory: [] });
    await catalog.currentSpotPrices(['eu-west-1a'], ['m7i.large'], operatingSystem);
    expect(ec2).toHaveReceivedCommandWith(DescribeSpotPriceHistoryCommand, {
      ProductDescriptions: [product, `${product} (Amazon VPC)`],
    });
  });
});
