import { INSTANCE_TYPES, type InstanceTypeSpec } from './instance-types';
import { SimulatedAwsError } from './simulated-aws-error';
import { LICENSE_USD_PER_HOUR } from './simulated-pricing';

/**
 * The simulated EC2's answers about instance types: their facts (DescribeInstanceTypes), where
 * they are offered (DescribeInstanceTypeOfferings) and their Spot prices (DescribeSpotPriceHistory),
 * in the shapes of the EC2 API reference.
 */

// biome-ignore lint/suspicious/noExplicitAny: SDK command inputs, validated against the model before they arrive.
type Input = Record<string, any>;

/** What these answers read of the world (a part of the simulated EC2's view). */
interface WorldFacts {
  readonly region: string;
  nowMs(): number;
  availabilityZones(): readonly string[];
}

/**
 * The Spot products the world prices (`ProductDescription` as the EC2 API reference spells it), and
 * each one's license charge per hour on top of Linux, the on-demand one.
 */
const SPOT_LICENSE: Readonly<Record<string, (spec: InstanceTypeSpec) => number>> = {
  'Linux/UNIX': LICENSE_USD_PER_HOUR.Linux,
  Windows: LICENSE_USD_PER_HOUR.Windows,
  'Red Hat Enterprise Linux': LICENSE_USD_PER_HOUR.RHEL,
  'SUSE Linux': LICENSE_USD_PER_HOUR.SUSE,
};

/**
 * One page of `items` as EC2's paginated Describe* calls answer: `MaxResults` of them (the API
 * model bounds it: 5–100 for DescribeInstanceTypes, 5–1000 for DescribeInstanceTypeOfferings; the
 * model check refuses others before this), `maxPage` when it is omitted (the largest page; AWS's
 * page size for an omitted MaxResults is not documented), from an opaque `NextToken`, with the next
 * one while items are left.
 * @throws SimulatedAwsError InvalidPaginationToken on a token this simulation did not give.
 */
function ec2Page<T>(items: readonly T[], i: Input, maxPage: number): { page: T[]; next?: string } {
  const size = Math.min(Number(i.MaxResults ?? maxPage), maxPage);
  const start = i.NextToken
    ? Number.parseInt(Buffer.from(String(i.NextToken), 'base64').toString('utf8'), 10)
    : 0;
  if (!Number.isInteger(start) || start < 0 || start > items.length)
    throw new SimulatedAwsError(
      'InvalidPaginationToken',
      'The specified pagination token is not valid or is expired.',
    );
  const end = start + size;
  return {
    page: items.slice(start, end),
    ...(end < items.length ? { next: Buffer.from(String(end)).toString('base64') } : {}),
  };
}

/** DescribeInstanceTypes: the facts of `INSTANCE_TYPES` (all, or the ones named), in pages of at most 100. */
export function describeInstanceTypes(i: Input): unknown {
  const wanted: string[] | undefined = i.InstanceTypes?.length ? i.InstanceTypes : undefined;
  const all = Object.values(INSTANCE_TYPES).filter((t) => !wanted || wanted.includes(t.instanceType));
  const { page, next } = ec2Page(all, i, 100);
  return {
    ...(next ? { NextToken: next } : {}),
    InstanceTypes: page.map((t) => ({
      InstanceType: t.instanceType,
      CurrentGeneration: true,
      FreeTierEligible: false,
      SupportedUsageClasses: ['on-demand', 'spot'],
      SupportedRootDeviceTypes: ['ebs'],
      SupportedVirtualizationTypes: ['hvm'],
      // Graviton boots UEFI only; Intel and AMD Nitro types both (EC2 user guide, boot modes).
      SupportedBootModes: t.architecture === 'arm64' ? ['uefi'] : ['legacy-bios', 'uefi'],
      BareMetal: false,
      Hypervisor: 'nitro',
      ProcessorInfo: { SupportedArchitectures: [t.architecture] },
      VCpuInfo: { DefaultVCpus: t.vcpu, DefaultCores: t.vcpu / 2, DefaultThreadsPerCore: 2 },
      MemoryInfo: { SizeInMiB: t.memoryGiB * 1024 },
      InstanceStorageSupported: false,
      EbsInfo: { EbsOptimizedSupport: 'default', EncryptionSupport: 'supported', NvmeSupport: 'required' },
      NetworkInfo: {
        NetworkPerformance: t.networkPerformance,
        MaximumNetworkInterfaces: 3,
        EnaSupport: 'required',
      },
      BurstablePerformanceSupported: false,
    })),
  };
}

/**
 * DescribeInstanceTypeOfferings: per zone, the types `offers` says EC2 offers there; per region,
 * all; in pages of at most 1000.
 */
export function describeInstanceTypeOfferings(
  i: Input,
  view: Pick<WorldFacts, 'region' | 'availabilityZones'>,
  offers: (instanceType: string, zone: string) => boolean,
): unknown {
  const locationType = i.LocationType ?? 'region';
  const filter = (i.Filters ?? []).find((f: Input) => f.Name === 'location');
  const locations: string[] =
    locationType === 'availability-zone' ? [...view.availabilityZones()] : [view.region];
  const wanted = filter ? locations.filter((l) => (filter.Values ?? []).includes(l)) : locations;
  const offerings = wanted.flatMap((Location) =>
    Object.keys(INSTANCE_TYPES)
      .filter((type) => locationType !== 'availability-zone' || offers(type, Location))
      .map((InstanceType) => ({ InstanceType, LocationType: locationType, Location })),
  );
  const { page, next } = ec2Page(offerings, i, 1000);
  return { ...(next ? { NextToken: next } : {}), InstanceTypeOfferings: page };
}

/** DescribeSpotPriceHistory: one current price per product, zone and type, a fixed fraction of on-demand, in pages. */
export function describeSpotPriceHistory(
  i: Input,
  view: Pick<WorldFacts, 'nowMs' | 'availabilityZones'>,
): unknown {
  const zones: string[] = i.AvailabilityZone ? [i.AvailabilityZone] : [...view.availabilityZones()];
  const types: string[] = i.InstanceTypes?.length ? i.InstanceTypes : Object.keys(INSTANCE_TYPES);
  // Without ProductDescriptions EC2 answers every product; the world prices those of SPOT_LICENSE.
  const products: string[] = i.ProductDescriptions?.length
    ? i.ProductDescriptions
    : Object.keys(SPOT_LICENSE);
  const at = new Date(view.nowMs() - 3_600_000);
  const prices = products
    .filter((product) => SPOT_LICENSE[product])
    .flatMap((ProductDescription) =>
      zones.flatMap((AvailabilityZone, z) =>
        types.flatMap((InstanceType) => {
          const spec = INSTANCE_TYPES[InstanceType];
          if (!spec) return [];
          // Spot sits at roughly a third of on-demand, a little apart per zone; a license
          // (Windows, RHEL, SUSE) is charged on top at its on-demand rate.
          const hourlyUsd =
            spec.hourlyPriceUsd * (0.32 + 0.02 * z) + (SPOT_LICENSE[ProductDescription]?.(spec) ?? 0);
          return [
            {
              AvailabilityZone,
              InstanceType,
              ProductDescription,
              SpotPrice: hourlyUsd.toFixed(6),
              Timestamp: at,
            },
          ];
        }),
      ),
    );
  // Pages of at most 1000, as the other Describe calls (this call's own page bound is unconfirmed);
  // the last page's NextToken is empty, as EC2 answers it.
  const { page, next } = ec2Page(prices, i, 1000);
  return { NextToken: next ?? '', SpotPriceHistory: page };
}
