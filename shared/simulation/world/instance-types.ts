/** One EC2 instance type as the simulation prices it. */
export interface InstanceTypeSpec {
  readonly instanceType: string;
  readonly vcpu: number;
  readonly memoryGiB: number;
  /** On-demand Linux price in us-east-1, USD per hour (public price list, 2024). */
  readonly hourlyPriceUsd: number;
  /** The processor architecture DescribeInstanceTypes reports (the AMI must match it). */
  readonly architecture: 'x86_64' | 'arm64';
  /** DescribeInstanceTypes' `NetworkInfo.NetworkPerformance`. */
  readonly networkPerformance: string;
}

/**
 * The few instance types the simulated EC2 offers. A stopped warm-pool instance pays only for its
 * EBS volume: `STOPPED_HOURLY_PRICE_USD` (8 GiB gp3 at $0.08 per GiB-month).
 */
export const INSTANCE_TYPES: Readonly<Record<string, InstanceTypeSpec>> = {
  'c6g.large': {
    instanceType: 'c6g.large',
    vcpu: 2,
    memoryGiB: 4,
    hourlyPriceUsd: 0.068,
    architecture: 'arm64',
    networkPerformance: 'Up to 10 Gigabit',
  },
  'c5.large': {
    instanceType: 'c5.large',
    vcpu: 2,
    memoryGiB: 4,
    hourlyPriceUsd: 0.085,
    architecture: 'x86_64',
    networkPerformance: 'Up to 10 Gigabit',
  },
  'm5.large': {
    instanceType: 'm5.large',
    vcpu: 2,
    memoryGiB: 8,
    hourlyPriceUsd: 0.096,
    architecture: 'x86_64',
    networkPerformance: 'Up to 10 Gigabit',
  },
  'm6i.large': {
    instanceType: 'm6i.large',
    vcpu: 2,
    memoryGiB: 8,
    hourlyPriceUsd: 0.096,
    architecture: 'x86_64',
    networkPerformance: 'Up to 12.5 Gigabit',
  },
  'm6a.large': {
    instanceType: 'm6a.large',
    vcpu: 2,
    memoryGiB: 8,
    hourlyPriceUsd: 0.0864,
    architecture: 'x86_64',
    networkPerformance: 'Up to 12.5 Gigabit',
  },
  'm7g.large': {
    instanceType: 'm7g.large',
    vcpu: 2,
    memoryGiB: 8,
    hourlyPriceUsd: 0.0816,
    architecture: 'arm64',
    networkPerformance: 'Up to 12.5 Gigabit',
  },
};

/** Hourly cost of a stopped warm-pool instance (EBS only), USD. */
export const STOPPED_HOURLY_PRICE_USD = (8 * 0.08) / 730;

/**
 * Looks up an instance type.
 * @throws RangeError naming the known types when `instanceType` is not one of them.
 */
export function instanceTypeSpec(instanceType: string): InstanceTypeSpec {
  const spec = INSTANCE_TYPES[instanceType];
  if (!spec) {
    throw new RangeError(
      `unknown instance type ${instanceType}; the simulation knows ${Object.keys(INSTANCE_TYPES).join(', ')}`,
    );
  }
  return spec;
}
