import fc from 'fast-check';
import { familyMatches, filterCandidates } from '../../../../shared/core/pricing/filter-candidates';
import type { InstanceTypeFacts } from '../../../../shared/core/pricing/types';
import { DEFAULT_REQUIREMENTS, factsFor } from '../../../fakes/pricing/catalog-builders';

const TYPES = [
  'm5.large',
  'm7g.large',
  'm7g.xlarge',
  'c7g.large',
  't4g.large',
  'm4.large',
  'r6g.large',
  'm7g.medium',
];
const facts = TYPES.map((t) => factsFor(t, t === 'c7g.large' ? { memoryGiB: 3.75 } : {}));
const prices = Object.fromEntries(TYPES.map((t, i) => [t, 0.05 + i * 0.01]));
const everywhere = new Set(TYPES);

describe('filterCandidates', () => {
  it('keeps only priced, offered types of the AMI architecture that meet the requirements', () => {
    const { candidates, rejected } = filterCandidates({
      facts,
      onDemandHourlyUsd: prices,
      offeredInEveryZone: everywhere,
      architecture: 'arm64',
      requirements: DEFAULT_REQUIREMENTS,
    });
    expect(candidates.map((c) => c.instanceType)).toEqual(['m7g.large', 'm7g.xlarge', 'r6g.large']);
    expect(rejected).toEqual({ architecture: 2, burstable: 1, 'below-min-memory': 1, 'below-min-vcpu': 1 });
  });

  it.each([
    ['no-price', { onDemandHourlyUsd: { 'm7g.large': 0 } }],
    ['not-offered-in-every-zone', { offeredInEveryZone: new Set<string>() }],
    ['family-not-allowed', { requirements: { ...DEFAULT_REQUIREMENTS, allowedFamilies: ['c7*'] } }],
    ['family-excluded', { requirements: { ...DEFAULT_REQUIREMENTS, excludedFamilies: ['m7g'] } }],
    ['no-weight', { requirements: { ...DEFAULT_REQUIREMENTS, capacityUnit: 'weights' as const } }],
  ])('rejects a type for %s', (reason, change) => {
    const result = filterCandidates({
      facts: [factsFor('m7g.large')],
      onDemandHourlyUsd: { 'm7g.large': 0.0816 },
      offeredInEveryZone: new Set(['m7g.large']),
      architecture: 'arm64',
      requirements: DEFAULT_REQUIREMENTS,
      ...change,
    });
    expect(result.candidates).toEqual([]);
    expect(result.rejected).toEqual({ [reason]: 1 });
  });

  it('measures capacity in user weights and applies family discounts', () => {
    const { candidates } = filterCandidates({
      facts: [factsFor('m7g.large'), factsFor('c7g.large', { memoryGiB: 4 })],
      onDemandHourlyUsd: { 'm7g.large': 0.1, 'c7g.large': 0.08 },
      offeredInEveryZone: new Set(['m7g.large', 'c7g.large']),
      architecture: 'arm64',
      requirements: {
        ...DEFAULT_REQUIREMENTS,
        capacityUnit: 'weights',
        weights: { 'm7g.large': 3, 'c7g.large': 2.5 },
        discountRatesByFamily: { m7g: 0.3 },
      },
    });
    expect(candidates).toEqual([
      expect.objectContaining({ instanceType: 'c7g.large', capacityUnits: 2.5, hourlyPriceUsd: 0.08 }),
      expect.objectContaining({ instanceType: 'm7g.large', capacityUnits: 3, onDemandHourlyPriceUsd: 0.1 }),
    ]);
    expect(candidates[1]?.hourlyPriceUsd).toBeCloseTo(0.07, 12);
  });

  it('allows previous-generation and burstable types when asked', () => {
    const { candidates } = filterCandidates({
      facts: [factsFor('m4.large'), factsFor('t3.large')],
      onDemandHourlyUsd: { 'm4.large': 0.1, 't3.large': 0.0832 },
      offeredInEveryZone: new Set(['m4.large', 't3.large']),
      architecture: 'x86_64',
      requirements: { ...DEFAULT_REQUIREMENTS, currentGenerationOnly: false, allowBurstable: true },
    });
    expect(candidates.map((c) => c.instanceType)).toEqual(['m4.large', 't3.large']);
  });

  it('keeps only types that give what the group’s current types give, counting each rejection by what is missing', () => {
    const gpu = (name: string, count: number) => [
      { kind: 'gpu' as const, manufacturer: 'NVIDIA', name, count },
    ];
    const catalog = [
      factsFor('g5.xlarge', { memoryGiB: 16, accelerators: gpu('A10G', 1), instanceStorageSupported: true }),
      factsFor('g5.2xlarge', { memoryGiB: 32, accelerators: gpu('A10G', 1), instanceStorageSupported: true }),
      factsFor('g4dn.xlarge', { memoryGiB: 16, accelerators: gpu('T4', 1), instanceStorageSupported: true }),
      factsFor('m6id.xlarge', { instanceStorageSupported: true }),
      factsFor('m6i.xlarge', { instanceStorageSupported: false }),
      factsFor('c6i.large', { instanceStorageSupported: false }),
    ];
    const input = {
      facts: catalog,
      onDemandHourlyUsd: Object.fromEntries(catalog.map((f) => [f.instanceType, 0.1])),
      offeredInEveryZone: new Set(catalog.map((f) => f.instanceType)),
      architecture: 'x86_64' as const,
      requirements: DEFAULT_REQUIREMENTS,
    };
    const [g5Xlarge, g5TwoXlarge] = catalog;
    // A g5 group, weighted 4 and 8: only A10G types with at least one GPU per 8 vCPUs.
    const gpuGroup = filterCandidates({
      ...input,
      currentTypes: [g5Xlarge, g5TwoXlarge].flatMap((f) => f ?? []),
    });
    expect(gpuGroup.candidates.map((c) => c.instanceType)).toEqual(['g5.2xlarge', 'g5.xlarge']);
    expect(gpuGroup.rejected).toEqual({ 'missing-gpu': 3, 'less-memory-per-vcpu': 1 });
    // An m6id group: instance storage and 4 GiB per vCPU, no GPU asked, and the Standard On-Demand
    // quota: the g types, with storage too, count against the G and VT one.
    const storageGroup = filterCandidates({
      ...input,
      currentTypes: [factsFor('m6id.large', { instanceStorageSupported: true })],
    });
    expect(storageGroup.candidates.map((c) => c.instanceType)).toEqual(['m6id.xlarge']);
    expect(storageGroup.rejected).toEqual({
      'missing-instance-storage': 1,
      'less-memory-per-vcpu': 1,
      'other-on-demand-quota': 3,
    });
  });

  it('gives the same candidates whatever the order of the facts', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(facts, { minLength: facts.length }),
        (shuffled: InstanceTypeFacts[]) => {
          const input = {
            onDemandHourlyUsd: prices,
            offeredInEveryZone: everywhere,
            architecture: 'arm64' as const,
            requirements: DEFAULT_REQUIREMENTS,
          };
          expect(filterCandidates({ ...input, facts: shuffled })).toEqual(
            filterCandidates({ ...input, facts }),
          );
        },
      ),
    );
  });
});

describe('familyMatches', () => {
  it('matches exact families and prefix patterns', () => {
    expect(familyMatches('m7g', ['m7g'])).toBe(true);
    expect(familyMatches('m7gd', ['m7g'])).toBe(false);
    expect(familyMatches('m7gd', ['m7*'])).toBe(true);
    expect(familyMatches('c7g', [])).toBe(false);
  });
});
