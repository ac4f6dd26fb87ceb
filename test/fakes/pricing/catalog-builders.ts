import type {
  Candidate,
  CpuArchitecture,
  InstanceTypeFacts,
  SelectionRequirements,
} from '../../../shared/core/pricing/types';

/** Instance facts for a type name like `m7g.xlarge`; sizes follow EC2's vCPU ladder. */
export function factsFor(
  instanceType: string,
  overrides: Partial<InstanceTypeFacts> = {},
): InstanceTypeFacts {
  const [family = '', size = 'large'] = instanceType.split('.');
  const vcpu: Record<string, number> = {
    nano: 2,
    micro: 2,
    small: 2,
    medium: 1,
    large: 2,
    xlarge: 4,
    '2xlarge': 8,
    '4xlarge': 16,
    '8xlarge': 32,
    '12xlarge': 48,
    '16xlarge': 64,
    '24xlarge': 96,
  };
  const vcpuCount = vcpu[size] ?? 2;
  const graviton = /^[a-z]+\d+g/.test(family);
  const memoryPerVcpu = family.startsWith('c') ? 2 : family.startsWith('r') ? 8 : 4;
  return {
    instanceType,
    family,
    vcpuCount,
    memoryGiB: vcpuCount * memoryPerVcpu,
    architectures: (graviton ? ['arm64'] : ['x86_64']) as CpuArchitecture[],
    burstable: family.startsWith('t'),
    currentGeneration: !/^(m4|c4|r4|t2)$/.test(family),
    networkPerformance: 'Up to 12.5 Gigabit',
    ...overrides,
  };
}

/** The `pricing` defaults of the user config, as selection requirements. */
export const DEFAULT_REQUIREMENTS: SelectionRequirements = {
  capacityUnit: 'vcpu',
  weights: {},
  minVcpu: 2,
  minMemoryGiB: 4,
  allowedFamilies: [],
  excludedFamilies: [],
  allowBurstable: false,
  currentGenerationOnly: true,
  discountRatesByFamily: {},
};

/** A candidate with the given size and price. */
export function candidate(instanceType: string, capacityUnits: number, hourlyPriceUsd: number): Candidate {
  return {
    instanceType,
    family: instanceType.split('.')[0] ?? instanceType,
    capacityUnits,
    hourlyPriceUsd,
    onDemandHourlyPriceUsd: hourlyPriceUsd,
  };
}
