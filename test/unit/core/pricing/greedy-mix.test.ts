import { greedyMix } from '../../../../shared/core/pricing/greedy-mix';
import { candidate } from '../../../fakes/pricing/catalog-builders';

describe('greedyMix', () => {
  it('meets the requirement across the wanted number of types', () => {
    const mix = greedyMix(
      [candidate('a.large', 2, 0.08), candidate('b.large', 2, 0.085), candidate('c.xlarge', 4, 0.2)],
      12,
      2,
    );
    expect(mix?.items.map((i) => [i.instanceType, i.instanceCount])).toEqual([
      ['a.large', 4],
      ['b.large', 2],
    ]);
    expect(mix?.totalCapacityUnits).toBe(12);
  });

  it('misses mixes of sizes that the integer program finds (8 + 2 vCPU for 10)', () => {
    const mix = greedyMix([candidate('big.2xlarge', 8, 0.3), candidate('small.large', 2, 0.09)], 10, 1);
    expect(mix?.hourlyCostUsd).toBeCloseTo(0.45, 10);
  });

  it('does not cover a small requirement with a huge type that has the best unit price', () => {
    const mix = greedyMix([candidate('huge.metal', 192, 7.5), candidate('small.large', 2, 0.09)], 8, 1);
    expect(mix?.items.map((i) => [i.instanceType, i.instanceCount])).toEqual([['small.large', 4]]);
  });

  it('returns undefined without candidates', () => {
    expect(greedyMix([], 4, 2)).toBeUndefined();
  });
});
