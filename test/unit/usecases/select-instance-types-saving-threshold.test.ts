import type { UserConfigInput } from '../../../shared/contracts/user-config';
import { selectInstanceTypes } from '../../../shared/usecases/select-instance-types';
import { factsFor } from '../../fakes/pricing/catalog-builders';
import { FakePriceCatalog } from '../../fakes/pricing/fake-price-catalog';
import {
  apiGroup,
  byName,
  selectionConfig as config,
  SELECTION_REGION as REGION,
  recommendationOf,
  SELECTION_PRICES,
  webGroup,
  selectionWorld as world,
} from '../../helpers/select-instance-types-world';

/** `web`'s selection run with `pricing` (apply on, rollouts allowed), and what was applied. */
async function selectWeb(pricing: NonNullable<UserConfigInput['pricing']>) {
  const w = world([webGroup()]);
  const result = await selectInstanceTypes(w.deps, {
    config: config({
      pricing: { apply: true, ...pricing },
      rollingUpdate: { autoStartOnInstanceTypeChange: true },
    }),
    region: REGION,
  });
  return { web: byName(result.groups, 'web'), calls: w.applier.calls };
}

describe('selectInstanceTypes against the least saving worth a change', () => {
  it("applies web's saving when it reaches both thresholds exactly", async () => {
    const free = await selectWeb({ minSavingRatio: 0, minMonthlySavingUsd: 0 });
    const saving = recommendationOf(free.web).saving;
    if (!saving) throw new Error('no saving');
    expect(free.web.kind).toBe('applied');

    const atIt = await selectWeb({
      minSavingRatio: saving.savingRatio,
      minMonthlySavingUsd: saving.monthlySavingUsd,
    });
    expect(atIt.web.kind).toBe('applied');
  });

  it('only recommends, applying nothing, a saving under pricing.minSavingRatio', async () => {
    const { web } = await selectWeb({ minSavingRatio: 0 });
    const saving = recommendationOf(web).saving;
    if (!saving) throw new Error('no saving');

    const under = await selectWeb({ minSavingRatio: saving.savingRatio + 0.001 });
    expect(under.web).toMatchObject({
      kind: 'recommended',
      reason: expect.stringContaining('pricing.minSavingRatio'),
    });
    expect(under.calls).toEqual([]);
  });

  it('only recommends, applying nothing, a saving under pricing.minMonthlySavingUsd', async () => {
    const { web } = await selectWeb({ minSavingRatio: 0 });
    const saving = recommendationOf(web).saving;
    if (!saving) throw new Error('no saving');

    const under = await selectWeb({ minSavingRatio: 0, minMonthlySavingUsd: saving.monthlySavingUsd + 1 });
    expect(under.web).toMatchObject({
      kind: 'recommended',
      reason: expect.stringContaining('pricing.minMonthlySavingUsd'),
    });
    expect(under.calls).toEqual([]);
  });

  it('prices a weighted group at the instances it runs, so a dearer mix is not taken for a saving', async () => {
    // 7 × m5.large at weight 1, 1.2 units each: 8.4 units, which 7.000000000000001 m5.large would
    // round up to 8 ($0.768/h) and make 4 × m6a.xlarge ($0.6912/h) look 10 % cheaper; it is 2.9 % dearer.
    const w = world([
      apiGroup({
        desiredCapacity: 7,
        mixedInstances: {
          launchTemplateId: 'lt-api',
          version: '1',
          overrides: [{ instanceType: 'm5.large', weightedCapacity: 1 }],
          usesAttributeBasedSelection: false,
        },
      }),
    ]);
    w.instanceCatalog.facts.push(factsFor('m6a.xlarge'));
    for (const zone of Object.values(w.instanceCatalog.offerings)) zone.push('m6a.xlarge');
    const prices = { ...SELECTION_PRICES, 'm5.large': 0.096, 'm6a.xlarge': 0.1728 };
    w.deps = { ...w.deps, pricingApi: new FakePriceCatalog({ [REGION]: prices }) };
    const pricing = {
      apply: true,
      capacityUnit: 'weights' as const,
      weights: { 'm5.large': 1.2, 'm6a.xlarge': 2.4 },
    };
    const result = await selectInstanceTypes(w.deps, { config: config({ pricing }), region: REGION });
    const api = byName(result.groups, 'api');
    expect(recommendationOf(api).current.hourlyCostUsd).toBeCloseTo(7 * 0.096, 10);
    expect(recommendationOf(api).saving?.savingRatio).toBeLessThan(0);
    expect(api.kind).not.toBe('applied');
    expect(w.applier.calls).toEqual([]);
  });
});
