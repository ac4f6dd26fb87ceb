import { DescribeSpotPriceHistoryCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type { Clock } from '../ports/clock';
import type { PricedOperatingSystem, SpotPrice, SpotPriceCatalog } from '../ports/price-catalog';
import { translateEc2Error } from './ec2-error-translation';

const TYPES_PER_CALL = 100;
const MAX_PAGES = 50;

/**
 * The Spot product descriptions of each priced operating system: the plain name and its
 * `(Amazon VPC)` twin, both values of `DescribeSpotPriceHistory`'s `product-description` filter in
 * the EC2 API reference ("Linux/UNIX | Red Hat Enterprise Linux | SUSE Linux | Windows |
 * Linux/UNIX (Amazon VPC) | …"). Which one EC2 labels an account's prices with is not documented,
 * so both are asked (as Karpenter does) and the latest price per type and zone wins.
 */
export const SPOT_PRODUCT_DESCRIPTIONS: Readonly<Record<PricedOperatingSystem, readonly string[]>> = {
  Linux: ['Linux/UNIX', 'Linux/UNIX (Amazon VPC)'],
  Windows: ['Windows', 'Windows (Amazon VPC)'],
  RHEL: ['Red Hat Enterprise Linux', 'Red Hat Enterprise Linux (Amazon VPC)'],
  SUSE: ['SUSE Linux', 'SUSE Linux (Amazon VPC)'],
};

/**
 * `SpotPriceCatalog` on EC2 `DescribeSpotPriceHistory`: with `StartTime` = now, EC2 returns the
 * price in effect now for each type and zone. One call per zone (and per 100 types), paginated.
 */
export class Ec2SpotPriceCatalog implements SpotPriceCatalog {
  constructor(
    private readonly client: EC2Client,
    private readonly clock: Clock,
  ) {}

  async currentSpotPrices(
    zones: readonly string[],
    instanceTypes: readonly string[],
    operatingSystem: PricedOperatingSystem,
  ): Promise<SpotPrice[]> {
    const latest = new Map<string, SpotPrice & { atMs: number }>();
    const types = [...new Set(instanceTypes)];
    const now = new Date(this.clock.nowMs());
    try {
      for (const zone of new Set(zones)) {
        for (let i = 0; i < types.length; i += TYPES_PER_CALL) {
          let NextToken: string | undefined;
          let pages = 0;
          do {
            const out = await this.client.send(
              new DescribeSpotPriceHistoryCommand({
                AvailabilityZone: zone,
                InstanceTypes: types.slice(i, i + TYPES_PER_CALL) as never[],
                ProductDescriptions: [...SPOT_PRODUCT_DESCRIPTIONS[operatingSystem]],
                StartTime: now,
                MaxResults: 1000,
                ...(NextToken ? { NextToken } : {}),
              }),
            );
            for (const p of out.SpotPriceHistory ?? []) {
              const price = Number(p.SpotPrice);
              if (!p.InstanceType || !p.AvailabilityZone || !(price > 0)) continue;
              const key = `${p.InstanceType} ${p.AvailabilityZone}`;
              const atMs = p.Timestamp?.getTime() ?? 0;
              const previous = latest.get(key);
              if (!previous || atMs > previous.atMs) {
                latest.set(key, {
                  instanceType: p.InstanceType,
                  availabilityZone: p.AvailabilityZone,
                  hourlyPriceUsd: price,
                  atMs,
                });
              }
            }
            NextToken = out.NextToken || undefined;
            pages++;
          } while (NextToken && pages < MAX_PAGES);
        }
      }
    } catch (error) {
      throw translateEc2Error(error, 'DescribeSpotPriceHistory');
    }
    return [...latest.values()].map(({ atMs: _atMs, ...price }) => price);
  }
}
