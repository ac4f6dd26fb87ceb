import { filterCandidates } from '../../../../shared/core/pricing/filter-candidates';
import { onDemandQuotaClass } from '../../../../shared/core/pricing/on-demand-quota-class';
import { DEFAULT_REQUIREMENTS, factsFor } from '../../../fakes/pricing/catalog-builders';

describe('onDemandQuotaClass', () => {
  it.each([
    ['m7g', 'standard'],
    ['c6gn', 'standard'],
    ['r7iz', 'standard'],
    ['t3a', 'standard'],
    ['i4i', 'standard'],
    ['im4gn', 'standard'],
    ['d3en', 'standard'],
    ['h1', 'standard'],
    ['z1d', 'standard'],
    ['a1', 'standard'],
    ['x2iedn', 'x'],
    ['x8g', 'x'],
    ['f2', 'f'],
    ['g5', 'g-and-vt'],
    ['g4dn', 'g-and-vt'],
    ['gr6', 'g-and-vt'],
    ['vt1', 'g-and-vt'],
    ['p5en', 'p'],
    ['inf2', 'inf'],
    ['trn1n', 'trn'],
    ['dl1', 'dl'],
    ['dl2q', 'dl'],
    ['hpc7g', 'hpc'],
    ['u-6tb1', 'high-memory'],
    ['u7i-12tb', 'high-memory'],
  ])('puts %s under %s', (family, quotaClass) => {
    expect(onDemandQuotaClass(family)).toBe(quotaClass);
  });

  it.each(['mac2', 'q9', ''])('knows no class for %p', (family) => {
    expect(onDemandQuotaClass(family)).toBeUndefined();
  });
});

describe('filterCandidates and On-Demand vCPU quotas', () => {
  const catalog = ['m5.large', 'm6a.large', 'g4dn.xlarge', 'inf1.xlarge', 'dl1.24xlarge', 'mac2.metal'].map(
    (t) => factsFor(t),
  );
  const input = {
    facts: catalog,
    onDemandHourlyUsd: Object.fromEntries(catalog.map((f) => [f.instanceType, 0.05])),
    offeredInEveryZone: new Set(catalog.map((f) => f.instanceType)),
    architecture: 'x86_64' as const,
    requirements: DEFAULT_REQUIREMENTS,
  };

  it('keeps a group of Standard types on Standard types: another class has a quota of its own', () => {
    const { candidates, rejected } = filterCandidates({ ...input, currentTypes: [factsFor('m5.large')] });
    expect(candidates.map((c) => c.instanceType)).toEqual(['m5.large', 'm6a.large']);
    expect(rejected).toEqual({ 'other-on-demand-quota': 4 });
  });

  it('lets a group spanning two classes use either', () => {
    const { candidates } = filterCandidates({
      ...input,
      currentTypes: [factsFor('m5.large'), factsFor('g4dn.xlarge')],
    });
    expect(candidates.map((c) => c.instanceType)).toEqual(['g4dn.xlarge', 'm5.large', 'm6a.large']);
  });

  it('judges nothing when a current type has no known class', () => {
    const { candidates } = filterCandidates({ ...input, currentTypes: [factsFor('mac2.metal')] });
    expect(candidates).toHaveLength(catalog.length);
  });
});
